package menu

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery"
	"nvrmenu/usb"
)

// catalogue gives the menu's texts in one language.
type catalogue struct{ english bool }

func newCatalogue(lang string) (*catalogue, error) {
	switch lang {
	case "", "it":
		return &catalogue{}, nil
	case "en":
		return &catalogue{english: true}, nil
	}
	return nil, fmt.Errorf("menu: language %q: want \"it\" or \"en\"", lang)
}

// t returns the text of id. A missing id shows as the id itself, which a
// test forbids.
func (c *catalogue) t(id msg) string {
	tx, ok := messages[id]
	if !ok {
		return string(id)
	}
	if c.english {
		return tx.en
	}
	return tx.it
}

// tf formats the text of id with args.
func (c *catalogue) tf(id msg, args ...any) string { return fmt.Sprintf(c.t(id), args...) }

// question is the text of a security question.
func (c *catalogue) question(id recovery.QuestionID) string { return c.t(msg("q-" + string(id))) }

// strength names a strength level as the meter shows it.
func (c *catalogue) strength(s pwpolicy.Strength) string {
	switch s {
	case pwpolicy.StrengthWeak:
		return c.t(msgStrengthWeak)
	case pwpolicy.StrengthMedium:
		return c.t(msgStrengthMedium)
	case pwpolicy.StrengthStrong:
		return c.t(msgStrengthStrong)
	}
	return c.t(msgStrengthRisky)
}

var reasonMessages = map[pwpolicy.Reason]msg{
	pwpolicy.ReasonTooShort:             msgReasonTooShort,
	pwpolicy.ReasonTooLong:              msgReasonTooLong,
	pwpolicy.ReasonNotPrintableASCII:    msgReasonNotASCII,
	pwpolicy.ReasonTooFewClasses:        msgReasonFewClasses,
	pwpolicy.ReasonContainsUser:         msgReasonUser,
	pwpolicy.ReasonContainsUserReversed: msgReasonUserReversed,
	pwpolicy.ReasonContainsAdmin:        msgReasonAdmin,
	pwpolicy.ReasonSequence:             msgReasonSequence,
	pwpolicy.ReasonRepetition:           msgReasonRepetition,
	pwpolicy.ReasonCommonPassword:       msgReasonCommon,
}

// reasons lists why a password is refused, in words, separated by "; ".
func (c *catalogue) reasons(rs []pwpolicy.Reason) string {
	parts := make([]string, 0, len(rs))
	for _, r := range rs {
		if id, ok := reasonMessages[r]; ok {
			parts = append(parts, c.t(id))
		}
	}
	return strings.Join(parts, "; ")
}

// duration says how long a lock lasts, in whole minutes rounded up.
func (c *catalogue) duration(d time.Duration) string {
	if d < time.Minute {
		return c.t(msgLessThanAMinute)
	}
	return c.tf(msgMinutes, int((d+time.Minute-1)/time.Minute))
}

// lockedFor says a method is locked for d.
func (c *catalogue) lockedFor(d time.Duration) string { return c.tf(msgLockedFor, c.duration(d)) }

// errorMessages maps the sentinels of the core and the watcher to texts.
var errorMessages = []struct {
	err error
	id  msg
}{
	{recovery.ErrWrongCredentials, msgErrWrongLogin},
	{recovery.ErrSessionEnded, msgErrSessionEnded},
	{recovery.ErrMethodNotSetUp, msgErrNotSetUp},
	{recovery.ErrMethodUnavailable, msgErrUnavailable},
	{recovery.ErrTicketInvalid, msgErrTicket},
	{recovery.ErrNotActivated, msgErrNotActivated},
	{recovery.ErrAlreadyActivated, msgErrActivated},
	{recovery.ErrGUIDMalformed, msgErrGUIDMalformed},
	{recovery.ErrGUIDOtherDevice, msgErrGUIDOther},
	{recovery.ErrGUIDExpired, msgErrGUIDExpired},
	{recovery.ErrGUIDWrong, msgErrGUIDWrong},
	{recovery.ErrNoValidGUID, msgErrNoValidGUID},
	{recovery.ErrWrongAnswers, msgErrWrongAnswers},
	{recovery.ErrAnswersIncomplete, msgErrAnswersMissing},
	{recovery.ErrQuestionChoice, msgErrQuestionChoice},
	{recovery.ErrInvalidEmail, msgErrInvalidEmail},
	{recovery.ErrNoChallenge, msgErrNoChallenge},
	{recovery.ErrCodeExpired, msgErrCodeExpired},
	{recovery.ErrCodeMalformed, msgErrCodeMalformed},
	{recovery.ErrWrongCode, msgErrWrongCode},
	{recovery.ErrReauthRequired, msgErrReauth},
	{recovery.ErrClosed, msgErrClosed},
	{usb.ErrStickGone, msgErrStickGone},
	{usb.ErrReadOnly, msgErrStickReadOnly},
	{usb.ErrNoSpace, msgErrStickFull},
	{usb.ErrExists, msgErrFileExists},
	{usb.ErrBadName, msgErrBadName},
	{usb.ErrTooManyEntries, msgErrTooManyEntries},
	{usb.ErrListTimeout, msgErrListTimeout},
}

// err turns an error of the core or the watcher into a sentence for the
// owner. It never shows the Go error itself: an unknown error gets a
// generic sentence (the caller logs the details).
func (c *catalogue) err(err error) string {
	if err == nil || errors.Is(err, errCancelled) {
		return ""
	}
	var locked *recovery.LockedError
	if errors.As(err, &locked) {
		if locked.Global {
			return c.tf(msgLockedGlobal, c.duration(locked.Remaining))
		}
		return c.lockedFor(locked.Remaining)
	}
	var refused *pwpolicy.RefusedError
	if errors.As(err, &refused) {
		return c.t(msgPasswordRefused) + " " + c.reasons(refused.Reasons) + "."
	}
	var answer *recovery.AnswerError
	if errors.As(err, &answer) {
		switch {
		case errors.Is(answer.Err, recovery.ErrAnswerTooShort):
			return c.tf(msgErrAnswerTooShort, answer.Index+1)
		case errors.Is(answer.Err, recovery.ErrAnswerTooLong):
			return c.tf(msgErrAnswerTooLong, answer.Index+1)
		}
	}
	base := c.t(msgErrUnexpected)
	for _, e := range errorMessages {
		if errors.Is(err, e.err) {
			base = c.t(e.id)
			break
		}
	}
	var attempt *recovery.AttemptError
	if errors.As(err, &attempt) {
		if attempt.LockedFor > 0 {
			return base + " " + c.tf(msgNowLocked, c.duration(attempt.LockedFor))
		}
		return base + " " + c.tf(msgTriesLeft, attempt.TriesLeft)
	}
	return base
}

// errorsIsTicketDead reports an error after which the reset must start over.
func errorsIsTicketDead(err error) bool {
	return errors.Is(err, recovery.ErrTicketInvalid) || errors.Is(err, recovery.ErrSessionEnded) ||
		errors.Is(err, recovery.ErrClosed)
}
