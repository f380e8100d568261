package recovery

import (
	"encoding/binary"
	"errors"
	"fmt"
	"nvrmenu/recovery/journey"
)

// ErrWrongAnswers reports that the three answers did not all match. It
// never says which one was wrong.
var ErrWrongAnswers = errors.New("the answers do not match")

// ErrAnswersIncomplete reports a reset try with an empty or impossible
// answer; it is refused without counting, since it cannot be right. It
// comes wrapped in an *AnswerError that says which answer.
var ErrAnswersIncomplete = errors.New("answer all three questions")

// QuestionAnswer is one chosen question and its answer, as typed.
type QuestionAnswer struct {
	ID     QuestionID
	Answer string
}

// AnswerError says which answer was refused, and why: at setup too short
// or too long, at a reset too short to be right (ErrAnswerTooShort, which
// is also ErrAnswersIncomplete: it is refused without counting).
type AnswerError struct {
	Index int // 0..2
	Err   error
}

func (e *AnswerError) Error() string { return fmt.Sprintf("answer %d: %v", e.Index+1, e.Err) }
func (e *AnswerError) Unwrap() error { return e.Err }

// ErrQuestionChoice reports questions that are unknown or not distinct.
// It comes wrapped in a *QuestionError that says which pick to change.
var ErrQuestionChoice = errors.New("pick three different questions from the catalogue")

// QuestionError says which pick of a question was refused: one not in the
// catalogue, or the second pick of a question chosen twice.
type QuestionError struct {
	Index int // 0..2
	Err   error
}

func (e *QuestionError) Error() string { return fmt.Sprintf("question %d: %v", e.Index+1, e.Err) }
func (e *QuestionError) Unwrap() error { return e.Err }

// checkQuestionIDs holds the picks to journey.CheckQuestions, the one rule
// every door and the installer's tool share.
func checkQuestionIDs(ids [3]QuestionID) error {
	p := journey.CheckQuestions([3]string{string(ids[0]), string(ids[1]), string(ids[2])})
	if p == nil {
		return nil
	}
	i := p.Question - 1
	return &QuestionError{Index: i, Err: fmt.Errorf("%w: %q", ErrQuestionChoice, ids[i])}
}

// answersSecret is what is hashed: the three question ids and normalised
// answers, each length-prefixed. One argon2id hash over all three, rather
// than one per answer, means an attacker holding the state file must guess
// all three at once instead of breaking them one by one, and a check
// cannot tell which answer was wrong.
func answersSecret(ids [3]QuestionID, normalised [3]string) []byte {
	var b []byte
	for i := range ids {
		b = binary.AppendUvarint(b, uint64(len(ids[i])))
		b = append(b, ids[i]...)
		b = binary.AppendUvarint(b, uint64(len(normalised[i])))
		b = append(b, normalised[i]...)
	}
	return b
}

// SetSecurityQuestions sets the three questions and their answers, which
// are normalised (NormalizeAnswer) and stored only as one argon2id hash.
func (s *Session) SetSecurityQuestions(qa [3]QuestionAnswer) error {
	var ids [3]QuestionID
	var answers [3]string
	for i, q := range qa {
		ids[i] = q.ID
		answers[i] = NormalizeAnswer(q.Answer)
		if err := ValidateAnswer(answers[i]); err != nil {
			return &AnswerError{Index: i, Err: err}
		}
	}
	if err := checkQuestionIDs(ids); err != nil {
		return err
	}
	c := s.c
	release, err := c.begin(s.caller, false, true)
	if err != nil {
		return err
	}
	defer release()
	if err := s.checkFresh(); err != nil {
		return err
	}
	if err := c.methodUsable(MethodQuestions); err != nil {
		return err
	}
	h, err := c.hash(answersSecret(ids, answers))
	releaseKDFMemory()
	if err != nil {
		return err
	}
	err = c.commit(func(next *state) error {
		next.Questions = &questionsState{IDs: ids, Hash: h}
		return nil
	})
	if err != nil {
		return err
	}
	s.used()
	c.recordFor(s.caller, AuditRecord{Event: AuditRecoverySetup, Method: string(MethodQuestions), Outcome: "set"})
	c.publish(EventMethodsChanged, s.caller)
	return nil
}

// ClearSecurityQuestions removes the questions method.
func (s *Session) ClearSecurityQuestions() error {
	c := s.c
	release, err := c.begin(s.caller, false, false)
	if err != nil {
		return err
	}
	defer release()
	if err := s.checkFresh(); err != nil {
		return err
	}
	if err := c.commit(func(next *state) error { next.Questions = nil; return nil }); err != nil {
		return err
	}
	s.used()
	c.recordFor(s.caller, AuditRecord{Event: AuditRecoverySetup, Method: string(MethodQuestions), Outcome: "cleared"})
	c.publish(EventMethodsChanged, s.caller)
	return nil
}

// SecurityQuestions returns the three questions to ask, in order.
func (d *Door) SecurityQuestions() ([3]QuestionID, error) {
	if d.bad != nil {
		return [3]QuestionID{}, d.bad
	}
	c := d.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.methodUsable(MethodQuestions); err != nil {
		return [3]QuestionID{}, err
	}
	if c.st.Questions == nil {
		return [3]QuestionID{}, ErrMethodNotSetUp
	}
	return c.st.Questions.IDs, nil
}

// VerifyAnswers checks the three answers together, in the order of
// SecurityQuestions. The try is counted on disk first; the result is only
// pass (a ResetTicket) or ErrWrongAnswers inside an *AttemptError.
func (d *Door) VerifyAnswers(answers [3]string) (*ResetTicket, error) {
	if d.bad != nil {
		return nil, d.bad
	}
	var normalised [3]string
	for i, a := range answers {
		normalised[i] = NormalizeAnswer(a)
		if err := ValidateAnswer(normalised[i]); err != nil {
			return nil, &AnswerError{Index: i, Err: fmt.Errorf("%w: %w", ErrAnswersIncomplete, err)}
		}
	}
	c := d.c
	release, err := c.begin(d.caller, true, true)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := c.methodUsable(MethodQuestions); err != nil {
		return nil, err
	}
	q := c.st.Questions
	if q == nil {
		return nil, ErrMethodNotSetUp
	}
	a, err := c.beginAttempt(d.caller, MethodQuestions, nil)
	if err != nil {
		return nil, err
	}
	ok, err := verifySecret(q.Hash, answersSecret(q.IDs, normalised))
	releaseKDFMemory()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, c.fail(a, ErrWrongAnswers)
	}
	c.succeed(a, nil)
	return c.newTicket(d.caller, MethodQuestions, q.Hash)
}
