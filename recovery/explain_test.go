package recovery

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/texts"
)

// TestExplain checks that every error of the core becomes a problem the
// catalogue has words for, with what is left of a counted try.
func TestExplain(t *testing.T) {
	for _, e := range problemCodes {
		if got := Explain(fmt.Errorf("wrapped: %w", e.err)); got.Code != e.code || !texts.Worded(got.Code) {
			t.Errorf("%v: code %q (worded %v), want %q", e.err, got.Code, texts.Worded(got.Code), e.code)
		}
	}
	for _, tc := range []struct {
		err  error
		want texts.Problem
	}{
		{&AttemptError{Err: ErrWrongCode, Method: MethodEmail, TriesLeft: 2}, texts.Problem{Code: texts.CodeWrongCode, Counted: true, TriesLeft: 2}},
		{&AttemptError{Err: ErrWrongAnswers, LockedFor: 30 * time.Minute}, texts.Problem{Code: texts.CodeWrongAnswers, Counted: true, LockSeconds: 1800}},
		{&LockedError{Method: MethodGUID, Remaining: 1500 * time.Millisecond}, texts.Problem{Code: texts.CodeLocked, LockSeconds: 2}},
		{&LockedError{Global: true, Remaining: time.Minute}, texts.Problem{Code: texts.CodeLocked, LockSeconds: 60, AllMethods: true}},
		{&AnswerError{Index: 1, Err: ErrAnswerTooShort}, texts.Problem{Code: texts.CodeAnswerTooShort, Answer: 2}},
		{&ThrottledError{Retry: 5500 * time.Millisecond}, texts.Problem{Code: texts.CodeThrottled, LockSeconds: 6}},
		{fmt.Errorf("gate: %w", ErrBusy), texts.Problem{Code: texts.CodeBusy, LockSeconds: 2}},
		{errors.New("disk on fire"), texts.Problem{Code: texts.CodeUnexpected}},
	} {
		if got := Explain(tc.err); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("Explain(%v) = %+v, want %+v", tc.err, got, tc.want)
		}
	}
	refused := Explain(&pwpolicy.RefusedError{Reasons: []pwpolicy.Reason{pwpolicy.ReasonSequence}})
	if refused.Code != texts.CodePasswordRefused || len(refused.Reasons) != 1 {
		t.Errorf("refused password: %+v", refused)
	}
}

// TestQuestionsWorded checks that every security question has its text in
// every language.
func TestQuestionsWorded(t *testing.T) {
	for _, lang := range texts.Languages {
		c, _ := texts.New(lang)
		for _, q := range QuestionCatalogue() {
			if id := texts.QuestionID(string(q)); c.T(id) == string(id) {
				t.Errorf("%s: question %s has no text", lang, q)
			}
		}
	}
}
