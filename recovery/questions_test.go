package recovery

import (
	"errors"
	"strings"
	"testing"

	"nvrmenu/internal/pwpolicy"
)

// Every answer has a space: the no-secret-on-disk test can then never
// match one by chance inside base64 text.
var rightAnswers = [3]string{"Fido il bassotto", "Città di Castello", "Scuola Mazzini"}

func setQuestions(t *testing.T, s *Session) [3]QuestionID {
	t.Helper()
	cat := QuestionCatalogue()
	ids := [3]QuestionID{cat[0], cat[1], cat[2]}
	var qa [3]QuestionAnswer
	for i := range qa {
		qa[i] = QuestionAnswer{ID: ids[i], Answer: rightAnswers[i]}
	}
	if err := s.SetSecurityQuestions(qa); err != nil {
		t.Fatalf("SetSecurityQuestions: %v", err)
	}
	return ids
}

func TestSecurityQuestionsSetup(t *testing.T) {
	c, s := activatedCore(t, testOptions(t, newFakeClock()))
	cat := QuestionCatalogue()
	if len(cat) < 12 {
		t.Fatalf("catalogue has %d questions, want at least 12", len(cat))
	}
	for _, tc := range []struct {
		name string
		qa   [3]QuestionAnswer
		want error
	}{
		{"same question twice", [3]QuestionAnswer{{cat[0], "uno"}, {cat[0], "due"}, {cat[1], "tre"}}, ErrQuestionChoice},
		{"unknown question", [3]QuestionAnswer{{cat[0], "uno"}, {"favourite-colour-xyz", "due"}, {cat[1], "tre"}}, ErrQuestionChoice},
		{"empty answer", [3]QuestionAnswer{{cat[0], "uno"}, {cat[1], "   "}, {cat[2], "tre"}}, ErrAnswerTooShort},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.SetSecurityQuestions(tc.qa); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if stateOf(c.Console(), MethodQuestions) != "not-set-up" {
		t.Fatal("a refused setup left the method set up")
	}
	ids := setQuestions(t, s)
	got, err := c.Console().SecurityQuestions()
	if err != nil || got != ids {
		t.Fatalf("SecurityQuestions = %v, %v; want %v", got, err, ids)
	}
	if st := c.Console().Status(); stateOf(c.Console(), MethodQuestions) != "ready" || st.QuestionIDs != ids {
		t.Fatalf("Status = %+v", st)
	}
	// The answers are not in the state file, in any form but the hash.
	for _, a := range rightAnswers {
		if strings.Contains(strings.ToLower(c.st.Questions.Hash), strings.ToLower(a)) {
			t.Fatal("answer visible in the state")
		}
	}
}

func TestVerifyAnswers(t *testing.T) {
	c, s := activatedCore(t, testOptions(t, newFakeClock()))
	setQuestions(t, s)
	for _, tc := range []struct {
		name    string
		answers [3]string
		want    error
	}{
		{"exact", rightAnswers, nil},
		{"case, spaces and width differ", [3]string{"  FIDO IL\u00a0Bassotto ", "città  di\tcastello", "Ｓｃｕｏｌａ Mazzini"}, nil},
		{"one wrong", [3]string{"Fido il bassotto", "Città di Castello", "Scuola Garibaldi"}, ErrWrongAnswers},
		{"order swapped", [3]string{"Città di Castello", "Fido il bassotto", "Scuola Mazzini"}, ErrWrongAnswers},
		{"all wrong", [3]string{"aa", "bb", "cc"}, ErrWrongAnswers},
		{"one empty", [3]string{"Fido il bassotto", "", "Scuola Mazzini"}, ErrAnswersIncomplete},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ticket, err := c.Console().VerifyAnswers(tc.answers)
			if tc.want == nil {
				if err != nil || ticket == nil || ticket.Method() != MethodQuestions {
					t.Fatalf("got %v, %v; want a questions ticket", ticket, err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			// The refusal never says which answer was wrong.
			for _, word := range []string{"1", "2", "3", "first", "second", "third"} {
				if errors.Is(err, ErrWrongAnswers) && strings.Contains(errors.Unwrap(err).Error(), word) {
					t.Fatalf("refusal %q hints at which answer", err)
				}
			}
		})
	}
}

func TestQuestionsResetFlow(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	c, s := activatedCore(t, opts)
	setQuestions(t, s)
	ticket, err := c.Console().VerifyAnswers(rightAnswers)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ticket.SetPassword("admin"); !errors.Is(err, pwpolicy.ErrRefused) {
		t.Fatalf("SetPassword of a refused password: %v", err)
	}
	// The refusal leaves the ticket usable.
	if _, err := ticket.SetPassword(otherPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := ticket.SetPassword(firstPassword); !errors.Is(err, ErrTicketInvalid) {
		t.Fatalf("second use of a ticket: %v, want ErrTicketInvalid", err)
	}
	if s.Active() {
		t.Fatal("a recovery reset left the old admin session alive")
	}
	c = reopen(t, c, opts)
	mustLogin(t, c, otherPassword)
	// The questions stay set up after a reset (they are not single-use
	// proofs: they are rate-limited instead).
	if _, err := c.Console().VerifyAnswers(rightAnswers); err != nil {
		t.Fatal(err)
	}
}

func TestSecondTicketDiesWithTheFirstReset(t *testing.T) {
	clock := newFakeClock() // never moves: both changes get the same timestamp
	c, s := activatedCore(t, testOptions(t, clock))
	setQuestions(t, s)
	t1, err := c.Console().VerifyAnswers(rightAnswers)
	if err != nil {
		t.Fatal(err)
	}
	t2, err := c.Console().VerifyAnswers(rightAnswers)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := t1.SetPassword(otherPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := t2.SetPassword("Topo$Grigio91x"); !errors.Is(err, ErrTicketInvalid) {
		t.Fatalf("second ticket after a reset: %v, want ErrTicketInvalid", err)
	}
}
