package menu

import (
	"context"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
	"nvrmenu/usb"
)

// Core is what the menu asks of the recovery core, through the console's
// door (*recovery.Door from Core.Console). Every method but Journey, Status
// and PasswordStrength may run argon2id or write to disk: the menu calls
// them off the UI goroutine.
type Core interface {
	// Journey is what the owner may do now and why not: the menu shows
	// it and decides nothing.
	Journey() journey.Journey
	Status() recovery.Status
	Serial() string
	PasswordStrength(password string) (pwpolicy.Strength, []pwpolicy.Reason)
	Activate(password string) (*recovery.Session, error)
	Login(user, password string) (*recovery.Session, error)
	VerifyGUIDFile(data []byte) (*recovery.ResetTicket, error)
	// GUIDFileState says what a GUID file is to the recorder (the
	// current one, an expired one of its own), without a try.
	GUIDFileState(data []byte) recovery.GUIDFileState
	SecurityQuestions() ([3]recovery.QuestionID, error)
	VerifyAnswers(answers [3]string) (*recovery.ResetTicket, error)
	EmailChallenge() (recovery.Challenge, error)
	NewEmailChallenge() (recovery.Challenge, error)
	VerifyEmailCode(typed string) (*recovery.ResetTicket, error)
	// Subscribe tells the menu of changes made through any door (the web
	// page, the installer's tool) without polling.
	Subscribe() *recovery.Subscription
}

// Sticks is what the menu asks of the USB stick watcher (*usb.Watcher).
// Sticks and Subscribe never block; List and Write do I/O on a stick and run
// off the UI goroutine.
type Sticks interface {
	Sticks() []usb.Stick
	Subscribe() *usb.Subscription
	List(ctx context.Context, id string) (usb.Listing, error)
	Write(ctx context.Context, id, name string, data []byte) error
}

var (
	_ Core   = (*recovery.Door)(nil)
	_ Sticks = (*usb.Watcher)(nil)
)
