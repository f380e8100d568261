package recovery

import (
	"errors"
	"time"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/texts"
)

// problemCodes names the core's sentinels for every door and the audit log.
var problemCodes = []struct {
	err  error
	code texts.Code
}{
	{ErrWrongCredentials, texts.CodeWrongPassword},
	{ErrPasswordTooShort, texts.CodePasswordTooShort},
	{ErrSessionEnded, texts.CodeSessionEnded},
	{ErrMethodNotSetUp, texts.CodeNotSetUp},
	{ErrMethodUnavailable, texts.CodeUnavailable},
	{ErrTicketInvalid, texts.CodeTicketInvalid},
	{ErrNotActivated, texts.CodeNotActivated},
	{ErrAlreadyActivated, texts.CodeAlreadyActivated},
	{ErrGUIDMalformed, texts.CodeGUIDMalformed},
	{ErrGUIDOtherDevice, texts.CodeGUIDOtherDevice},
	{ErrGUIDExpired, texts.CodeGUIDExpired},
	{ErrGUIDWrong, texts.CodeGUIDWrong},
	{ErrNoValidGUID, texts.CodeNoValidGUID},
	{ErrWrongAnswers, texts.CodeWrongAnswers},
	{ErrAnswersIncomplete, texts.CodeAnswersIncomplete},
	{ErrQuestionChoice, texts.CodeQuestionChoice},
	// The parts before the address as a whole: each wraps ErrInvalidEmail.
	{ErrEmailEmpty, texts.CodeInvalidEmailEmpty},
	{ErrEmailLocal, texts.CodeInvalidEmailLocal},
	{ErrEmailDomain, texts.CodeInvalidEmailDomain},
	{ErrEmailTopLabel, texts.CodeInvalidEmailTLD},
	{ErrInvalidEmail, texts.CodeInvalidEmail},
	{ErrNoChallenge, texts.CodeNoChallenge},
	{ErrCodeExpired, texts.CodeCodeExpired},
	{ErrCodeMalformed, texts.CodeCodeMalformed},
	{ErrWrongCode, texts.CodeWrongCode},
	{ErrReauthRequired, texts.CodeReauthRequired},
	{ErrClosed, texts.CodeClosed},
	{ErrBusy, texts.CodeBusy},
	{ErrActivationClosed, texts.CodeActivationClosed},
	{ErrActivationWindowOver, texts.CodeActivationWindowOver},
	{ErrExportStale, texts.CodeExportStale},
}

// Explain turns an error of the core into the problem a door words for
// the owner (texts.Catalogue.Problem) or sends to a client: its code, and
// for a counted try the tries left or the lock it started. An error the
// core does not name is CodeUnexpected; the caller logs it.
func Explain(err error) texts.Problem {
	var locked *LockedError
	if errors.As(err, &locked) {
		return texts.Problem{Code: texts.CodeLocked, LockSeconds: ceilSeconds(locked.Remaining), AllMethods: locked.Global}
	}
	var throttled *ThrottledError
	if errors.As(err, &throttled) {
		return texts.Problem{Code: texts.CodeThrottled, LockSeconds: ceilSeconds(throttled.Retry)}
	}
	if errors.Is(err, ErrBusy) {
		return texts.Problem{Code: texts.CodeBusy, LockSeconds: ceilSeconds(BusyRetry)}
	}
	var refused *pwpolicy.RefusedError
	if errors.As(err, &refused) {
		return texts.Problem{Code: texts.CodePasswordRefused, Reasons: refused.Reasons}
	}
	var answer *AnswerError
	if errors.As(err, &answer) {
		switch {
		case errors.Is(answer.Err, ErrAnswerTooShort):
			return texts.Problem{Code: texts.CodeAnswerTooShort, Answer: answer.Index + 1}
		case errors.Is(answer.Err, ErrAnswerTooLong):
			return texts.Problem{Code: texts.CodeAnswerTooLong, Answer: answer.Index + 1}
		}
	}
	var expired *GUIDExpiredError
	if errors.As(err, &expired) {
		return texts.Problem{Code: texts.CodeGUIDExpired, ExpiredOn: expired.On.UTC().Format(time.DateOnly), Replaced: expired.Replaced}
	}
	var question *QuestionError
	if errors.As(err, &question) {
		return texts.Problem{Code: texts.CodeQuestionChoice, Question: question.Index + 1}
	}
	p := texts.Problem{Code: texts.CodeUnexpected}
	for _, e := range problemCodes {
		if errors.Is(err, e.err) {
			p.Code = e.code
			break
		}
	}
	var attempt *AttemptError
	if errors.As(err, &attempt) {
		p.Counted = true
		p.TriesLeft = attempt.TriesLeft
		p.LockSeconds = ceilSeconds(attempt.LockedFor)
	}
	return p
}

// ceilSeconds rounds d up to whole seconds, so that a lock never reads as
// over before it is.
func ceilSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Second - 1) / time.Second)
}
