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
// the network doors see it (the journey's fields are inline: activated,
// activation_allowed, login_refused, methods).
type Device struct {
	Serial   string `json:"serial"`
	Model    string `json:"model"`
	Firmware string `json:"firmware"`
	journey.Journey
	PasswordPolicy PasswordPolicy `json:"password_policy"`
	// CertFingerprint is the web door's certificate's SHA-256 as the
	// recorder's screen shows it; empty behind the firmware's web server.
	CertFingerprint string `json:"cert_fingerprint"`
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
	Payload         string     `json:"payload"`
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
