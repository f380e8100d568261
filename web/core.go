package web

import (
	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
)

// Door is what the web door asks of the recovery core, through the
// network door of one client (*recovery.Door from Core.Door). Every method
// but Journey, Status, Serial, PasswordStrength and PasswordPolicy may run
// argon2id or write to disk, and is counted and throttled by the core.
type Door interface {
	// Journey is what the owner may do now and why not: the pages and
	// the API show it and decide nothing.
	Journey() journey.Journey
	Status() recovery.Status
	Serial() string
	PasswordStrength(password string) (pwpolicy.Strength, []pwpolicy.Reason)
	PasswordPolicy() pwpolicy.Policy
	Activate(password string) (*recovery.Session, error)
	Login(user, password string) (*recovery.Session, error)
	Resume(token string) (*recovery.Session, error)
	VerifyGUIDFile(data []byte) (*recovery.ResetTicket, error)
	SecurityQuestions() ([3]recovery.QuestionID, error)
	VerifyAnswers(answers [3]string) (*recovery.ResetTicket, error)
	EmailChallenge() (recovery.Challenge, error)
	PendingEmailChallenge() (recovery.Challenge, bool, error)
	ActivationAllowed() bool
	NewEmailChallenge() (recovery.Challenge, error)
	VerifyEmailCode(typed string) (*recovery.ResetTicket, error)
	Ticket(token string) (*recovery.ResetTicket, error)
}

// Doors gives the core's door for one caller: the daemon passes
// func(c recovery.Caller) web.Door { return core.Door(c) }.
type Doors func(recovery.Caller) Door

var _ Door = (*recovery.Door)(nil)

// The door names the audit log shows for the web door's two faces.
const (
	DoorPages = "web"
	DoorAPI   = "api"
)
