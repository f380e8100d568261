package texts

import (
	"time"

	"nvrmenu/internal/pwpolicy"
)

// Code is a problem's stable name: the same on every door, in the audit
// log and in the web door's JSON API. A code never changes meaning; new
// ones may be added.
type Code string

// The problems the core and the USB watcher report.
const (
	CodeUnexpected        Code = "unexpected"
	CodeLocked            Code = "locked"
	CodePasswordRefused   Code = "password-refused"
	CodeWrongPassword     Code = "wrong-password"
	CodePasswordTooShort  Code = "password-too-short"
	CodeSessionEnded      Code = "session-ended"
	CodeNotSetUp          Code = "not-set-up"
	CodeUnavailable       Code = "unavailable"
	CodeTicketInvalid     Code = "ticket-invalid"
	CodeNotActivated      Code = "not-activated"
	CodeAlreadyActivated  Code = "already-activated"
	CodeGUIDMalformed     Code = "guid-malformed"
	CodeGUIDOtherDevice   Code = "guid-other-device"
	CodeGUIDExpired       Code = "guid-expired"
	CodeGUIDWrong         Code = "guid-wrong"
	CodeNoValidGUID       Code = "no-valid-guid"
	CodeWrongAnswers      Code = "wrong-answers"
	CodeAnswersIncomplete Code = "answers-incomplete"
	CodeAnswerTooShort    Code = "answer-too-short"
	CodeAnswerTooLong     Code = "answer-too-long"
	CodeQuestionChoice    Code = "question-choice"
	CodeInvalidEmail      Code = "invalid-email"
	// The part of a refused address to correct.
	CodeInvalidEmailEmpty  Code = "invalid-email-empty"
	CodeInvalidEmailLocal  Code = "invalid-email-local"
	CodeInvalidEmailDomain Code = "invalid-email-domain"
	CodeInvalidEmailTLD    Code = "invalid-email-tld"
	CodeNoChallenge        Code = "no-challenge"
	CodeCodeExpired        Code = "code-expired"
	CodeCodeMalformed      Code = "code-malformed"
	CodeWrongCode          Code = "wrong-code"
	CodeReauthRequired     Code = "reauth-required"
	CodeClosed             Code = "closed"
	CodeStickGone          Code = "stick-gone"
	CodeStickReadOnly      Code = "stick-read-only"
	CodeStickFull          Code = "stick-full"
	CodeFileExists         Code = "file-exists"
	CodeBadName            Code = "bad-name"
	CodeTooManyEntries     Code = "too-many-entries"
	CodeListTimeout        Code = "list-timeout"
	CodeBusy               Code = "busy"
	CodeThrottled          Code = "throttled"
	CodeActivationClosed   Code = "activation-closed"
	// CodeActivationWindowOver: the network may activate only for a
	// while after the recorder is switched on (web.activation_window).
	CodeActivationWindowOver Code = "activation-window-over"
	CodeExportStale          Code = "export-stale"
)

// The problems of the web door's requests themselves, before the core is
// asked anything.
const (
	CodeBadRequest       Code = "bad-request"
	CodeTooLarge         Code = "too-large"
	CodeNotFound         Code = "not-found"
	CodeMethodNotAllowed Code = "method-not-allowed"
	CodeCrossOrigin      Code = "cross-origin"
	CodeNoClientAddress  Code = "no-client-address"
)

// Problem is why something was refused, as a door shows it: a code and
// what the owner needs to know. It holds nothing secret and nothing the
// person typed. Its JSON form is the web door's API error.
type Problem struct {
	Code Code `json:"code"`
	// Counted is set when the refused try counted toward a lock: then
	// TriesLeft tries are left, or the try locked the method for
	// LockSeconds.
	Counted   bool `json:"counted,omitempty"`
	TriesLeft int  `json:"tries_left,omitempty"`
	// LockSeconds is how long the method is locked: the lock this try
	// started, or, with CodeLocked, what is left of the running one.
	LockSeconds int64 `json:"lock_seconds,omitempty"`
	// With CodeThrottled and CodeBusy, LockSeconds is how long to wait
	// before trying again.
	//
	// AllMethods is set with CodeLocked when the hourly cap on failures,
	// not one method's lock, is what refuses.
	AllMethods bool `json:"all_methods,omitempty"`
	// Reasons are the rules a refused password breaks.
	Reasons []pwpolicy.Reason `json:"reasons,omitempty"`
	// Answer is the security answer (1 to 3) refused as too short or too
	// long.
	Answer int `json:"answer,omitempty"`
	// Question is the pick of a security question (1 to 3) refused: the
	// second pick of one chosen twice, or one not in the catalogue.
	Question int `json:"question,omitempty"`
	// ExpiredOn is the day (YYYY-MM-DD, UTC) the GUID of a GUID file the
	// recorder knows as its own expired, with CodeGUIDExpired (no try was
	// counted); Replaced says a newer file took its place, else the
	// password changed.
	ExpiredOn string `json:"expired_on,omitempty"`
	Replaced  bool   `json:"replaced,omitempty"`
}

// Lock is LockSeconds as a duration.
func (p Problem) Lock() time.Duration { return time.Duration(p.LockSeconds) * time.Second }

// problemTexts words each code that is worded alone.
var problemTexts = map[Code]ID{
	CodeUnexpected:           ErrUnexpected,
	CodeWrongPassword:        ErrWrongLogin,
	CodePasswordTooShort:     ErrPasswordTooShort,
	CodeSessionEnded:         ErrSessionEnded,
	CodeNotSetUp:             ErrNotSetUp,
	CodeUnavailable:          ErrUnavailable,
	CodeTicketInvalid:        ErrTicket,
	CodeNotActivated:         ErrNotActivated,
	CodeAlreadyActivated:     ErrActivated,
	CodeGUIDMalformed:        ErrGUIDMalformed,
	CodeGUIDOtherDevice:      ErrGUIDOther,
	CodeGUIDExpired:          ErrGUIDExpired,
	CodeGUIDWrong:            ErrGUIDWrong,
	CodeNoValidGUID:          ErrNoValidGUID,
	CodeWrongAnswers:         ErrWrongAnswers,
	CodeAnswersIncomplete:    ErrAnswersMissing,
	CodeQuestionChoice:       ErrQuestionChoice,
	CodeInvalidEmail:         ErrInvalidEmail,
	CodeInvalidEmailEmpty:    ErrEmailEmpty,
	CodeInvalidEmailLocal:    ErrEmailLocal,
	CodeInvalidEmailDomain:   ErrEmailDomain,
	CodeInvalidEmailTLD:      ErrEmailTLD,
	CodeNoChallenge:          ErrNoChallenge,
	CodeCodeExpired:          ErrCodeExpired,
	CodeCodeMalformed:        ErrCodeMalformed,
	CodeWrongCode:            ErrWrongCode,
	CodeReauthRequired:       ErrReauth,
	CodeClosed:               ErrClosed,
	CodeStickGone:            ErrStickGone,
	CodeStickReadOnly:        ErrStickReadOnly,
	CodeStickFull:            ErrStickFull,
	CodeFileExists:           ErrFileExists,
	CodeBadName:              ErrBadName,
	CodeTooManyEntries:       ErrTooManyEntries,
	CodeListTimeout:          ErrListTimeout,
	CodeBusy:                 ErrBusy,
	CodeActivationClosed:     ErrActivationClosed,
	CodeActivationWindowOver: ErrActivationWindowOver,
	CodeExportStale:          ErrExportStale,
	CodeBadRequest:           WebBadRequest,
	CodeTooLarge:             WebTooLarge,
	CodeNotFound:             WebNotFound,
	CodeMethodNotAllowed:     WebMethodNotAllowed,
	CodeCrossOrigin:          WebCrossOrigin,
	CodeNoClientAddress:      WebNoClientAddress,
}

// Worded reports whether the catalogue has words for code; a code it does
// not know (from a newer recorder) is worded as CodeUnexpected.
func Worded(code Code) bool {
	switch code {
	case CodeLocked, CodePasswordRefused, CodeAnswerTooShort, CodeAnswerTooLong, CodeThrottled:
		return true
	}
	_, ok := problemTexts[code]
	return ok
}

// Problem words p for the owner: what went wrong and, for a counted try,
// what is left before the method locks.
func (c *Catalogue) Problem(p Problem) string {
	switch p.Code {
	case CodeLocked:
		if p.AllMethods {
			return c.F(LockedGlobal, c.Duration(p.Lock()))
		}
		return c.LockedFor(p.Lock())
	case CodeThrottled:
		return c.F(ErrThrottled, c.Duration(p.Lock()))
	case CodePasswordRefused:
		return c.T(PasswordRefused) + " " + c.Reasons(p.Reasons) + "."
	case CodeAnswerTooShort:
		return c.F(ErrAnswerTooShort, p.Answer)
	case CodeAnswerTooLong:
		return c.F(ErrAnswerTooLong, p.Answer)
	case CodeQuestionChoice:
		if p.Question > 0 {
			return c.F(ErrQuestionPick, p.Question)
		}
	case CodeGUIDExpired:
		if day, err := time.Parse(time.DateOnly, p.ExpiredOn); err == nil {
			if p.Replaced {
				return c.F(ErrGUIDExpiredReplaced, c.Date(day))
			}
			return c.F(ErrGUIDExpiredPassword, c.Date(day))
		}
	}
	id, ok := problemTexts[p.Code]
	if !ok {
		id = ErrUnexpected
	}
	base := c.T(id)
	if !p.Counted {
		return base
	}
	if p.LockSeconds > 0 {
		return base + " " + c.F(NowLocked, c.Duration(p.Lock()))
	}
	return base + " " + c.F(TriesLeft, p.TriesLeft)
}
