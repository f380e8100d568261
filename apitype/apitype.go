// Package apitype is the web door's JSON API (/api/v1) written once: the
// paths, and the requests and answers the recorder's web door sends and the
// installer's nvr-sadp reads. docs/web.md says what each call does; this
// package is what goes over the wire. It is a leaf that builds for every
// system nvr-sadp ships for (Linux, macOS, Windows) and imports no door.
//
// A refusal is an Error with the status the docs give. Times are RFC 3339
// in UTC. Secrets (passwords, answers, codes, GUID files) go only in
// request bodies, never in a URL.
package apitype

import (
	"time"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// The API's paths.
const (
	PathDevice         = "/api/v1/device"
	PathStrength       = "/api/v1/password/strength"
	PathActivate       = "/api/v1/activate"
	PathLogin          = "/api/v1/login"
	PathLogout         = "/api/v1/logout"
	PathVerifyGUID     = "/api/v1/recovery/guid"
	PathQuestions      = "/api/v1/recovery/questions"
	PathChallenge      = "/api/v1/recovery/email/challenge"
	PathNewChallenge   = "/api/v1/recovery/email/challenge/new"
	PathChallengeQR    = "/api/v1/recovery/email/qr.png"
	PathVerifyCode     = "/api/v1/recovery/email/verify"
	PathReset          = "/api/v1/recovery/reset"
	PathAccount        = "/api/v1/account"
	PathReauth         = "/api/v1/account/reauth"
	PathChangePassword = "/api/v1/account/password"
	PathGUIDExport     = "/api/v1/account/guid/export"
	PathGUIDConfirm    = "/api/v1/account/guid/confirm"
	PathSetQuestions   = "/api/v1/account/questions"
	PathSetEmail       = "/api/v1/account/email"
)

// Error is the body of every refusal: the problem, which the client words
// with its own catalogue, and the recorder's own words for it in the
// request's language (for a client without a catalogue; nvr-sadp never
// prints text that came over the LAN).
type Error struct {
	Error   texts.Problem `json:"error"`
	Message string        `json:"message"`
}

// Device is GET /api/v1/device: the recorder and the owner's journey as
// the network doors see it. A tool reads Journey; the fields after it are
// the API's first form of the same facts, kept, derived from the journey
// (NewDevice), so that a tool written before the journey keeps working.
type Device struct {
	Serial            string `json:"serial"`
	Model             string `json:"model"`
	Firmware          string `json:"firmware"`
	Activated         bool   `json:"activated"`
	ActivationAllowed bool   `json:"activation_allowed"`
	// Journey is what the owner may do now and why not, as the core
	// decides it.
	Journey journey.Journey `json:"journey"`

	// Methods is each recovery method's state by name ("ready",
	// "not-set-up", "expired", "unavailable") and its lock; the first
	// form of Journey.Methods.
	Methods map[journey.Method]MethodState `json:"methods"`
	// LoginLockedSeconds is Journey.LoginRefused's lock, 0 without one.
	LoginLockedSeconds int64 `json:"login_locked_seconds"`
	// MaskedEmail and ChallengePending are the e-mail method's.
	MaskedEmail      string `json:"masked_email"`
	ChallengePending bool   `json:"challenge_pending"`

	PasswordPolicy PasswordPolicy `json:"password_policy"`
	// CertFingerprint is the web door's certificate's SHA-256 as the
	// recorder's screen shows it; empty behind the firmware's web server.
	CertFingerprint string `json:"cert_fingerprint"`
}

// MethodState is a recovery method in the API's first form.
type MethodState struct {
	State         string `json:"state"`
	LockedSeconds int64  `json:"locked_seconds"`
}

// NewDevice is the device answer for j, its first-form fields derived from
// the journey: one source for both.
func NewDevice(serial, model, firmware string, j journey.Journey, policy PasswordPolicy, fingerprint string) Device {
	d := Device{
		Serial: serial, Model: model, Firmware: firmware,
		Activated: j.Activated, ActivationAllowed: j.ActivationAllowed, Journey: j,
		Methods:        map[journey.Method]MethodState{},
		PasswordPolicy: policy, CertFingerprint: fingerprint,
	}
	if j.LoginRefused != nil {
		d.LoginLockedSeconds = j.LoginRefused.LockSeconds
	}
	for _, s := range j.Methods {
		m := MethodState{State: "ready"}
		switch {
		case !s.Offered:
			m.State = "unavailable"
		case s.Expired:
			m.State = "expired"
		case !s.SetUp:
			m.State = "not-set-up"
		}
		if s.Why != nil && s.Why.Code == texts.CodeLocked {
			m.LockedSeconds = s.Why.LockSeconds
		}
		d.Methods[s.Method] = m
		if s.Method == journey.Email {
			d.MaskedEmail, d.ChallengePending = s.MaskedEmail, s.ChallengePending
		}
	}
	return d
}

// PasswordPolicy is the rule new admin passwords follow.
type PasswordPolicy struct {
	MinLength int `json:"min_length"`
	MaxLength int `json:"max_length"`
}

// Password is a request that carries a password: activate, reauthenticate,
// rate a password's strength.
type Password struct {
	Password string `json:"password"`
}

// Strength is a candidate password's rating, worded in the request's
// language.
type Strength struct {
	Strength string            `json:"strength"`
	Words    string            `json:"words"`
	Reasons  []pwpolicy.Reason `json:"reasons"`
	// Refusal lists the reasons in words; empty when it would be
	// accepted.
	Refusal string `json:"refusal"`
}

// Login is POST /api/v1/login.
type Login struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

// Session is a new session: after an activation, a login, a reset or a
// change of the password. Its token goes in an Authorization: Bearer
// header.
type Session struct {
	Token            string `json:"token"`
	ExpiresInSeconds int64  `json:"expires_in_seconds"`
	// AfterReset is what a reset or a change of the password changed and
	// what comes next (a fresh GUID file offered); absent otherwise.
	AfterReset *journey.AfterReset `json:"after_reset,omitempty"`
}

// Ticket is a passed proof, for POST /api/v1/recovery/reset.
type Ticket struct {
	Ticket string         `json:"ticket"`
	Method journey.Method `json:"method"`
	// ExpiresInSeconds is how long the ticket waits for the new password.
	ExpiresInSeconds int64 `json:"expires_in_seconds"`
}

// Question is one security question: its id and its text in the
// request's language.
type Question struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Questions is GET /api/v1/recovery/questions: the three questions to
// answer.
type Questions struct {
	Questions []Question `json:"questions"`
}

// Answers is POST /api/v1/recovery/questions, in the order asked.
type Answers struct {
	Answers [3]string `json:"answers"`
}

// Challenge is the network's pending e-mail challenge.
type Challenge struct {
	// Payload is the QR code's text.
	Payload string `json:"payload"`
	// URL is Payload when it is the vendor's recovery page's address,
	// which a phone camera opens (recovery.app_url set); else empty, and
	// the QR is photographed or exported and mailed (journey.WordsForQR).
	URL             string     `json:"url,omitempty"`
	MaskedEmail     string     `json:"masked_email"`
	RecoveryAddress string     `json:"recovery_address"`
	Created         time.Time  `json:"created"`
	Expires         *time.Time `json:"expires,omitempty"`
	TriesLeft       int        `json:"tries_left"`
	QRFileName      string     `json:"qr_file_name"`
}

// Code is POST /api/v1/recovery/email/verify.
type Code struct {
	Code string `json:"code"`
}

// Reset is POST /api/v1/recovery/reset.
type Reset struct {
	Ticket   string `json:"ticket"`
	Password string `json:"password"`
}

// Account is GET /api/v1/account: the device as its admin sees it.
type Account struct {
	Device
	// QuestionIDs are the three questions chosen, when set up.
	QuestionIDs []string `json:"question_ids"`
	// PasswordBy is the door that set the current password, and
	// PasswordFrom its client address.
	PasswordBy   string `json:"password_by"`
	PasswordFrom string `json:"password_from"`
	// PendingExport is the file name of a GUID export made and not yet
	// confirmed.
	PendingExport string `json:"pending_guid_export,omitempty"`
}

// ChangePassword is POST /api/v1/account/password.
type ChangePassword struct {
	Current  string `json:"current"`
	Password string `json:"password"`
}

// GUIDExport is POST /api/v1/account/guid/export: the file made, to fetch
// with GET and confirm once it is saved.
type GUIDExport struct {
	FileName string `json:"file_name"`
	Size     int    `json:"size"`
}

// QuestionAnswer is one chosen question and its answer.
type QuestionAnswer struct {
	ID     string `json:"id"`
	Answer string `json:"answer"`
}

// SetQuestions is PUT /api/v1/account/questions.
type SetQuestions struct {
	Questions [3]QuestionAnswer `json:"questions"`
}

// SetEmail is PUT /api/v1/account/email.
type SetEmail struct {
	Address string `json:"address"`
}
