package menu

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// setQuestions sets the three questions up through the core: the first
// three of the catalogue, answered "fido", "panda", "milano".
func (h *harness) setQuestions() {
	h.t.Helper()
	s, err := h.core.Login(recovery.AdminUser, testPassword)
	if err != nil {
		h.t.Fatal(err)
	}
	defer s.Logout()
	cat := recovery.QuestionCatalogue()
	if err := s.SetSecurityQuestions([3]recovery.QuestionAnswer{{ID: cat[0], Answer: "fido"}, {ID: cat[1], Answer: "panda"}, {ID: cat[2], Answer: "milano"}}); err != nil {
		h.t.Fatal(err)
	}
}

// answers are the texts of the screen's fields, top to bottom: on the
// questions' screens, the answers. On the UI goroutine.
func (h *harness) answers() []string {
	var out []string
	for _, f := range h.fields() {
		out = append(out, f.GetText())
	}
	return out
}

// TestRefusedAnswersCleared (#19.3): a refused try clears the answers it
// refused, so the next one is typed afresh: five wrong tries and then the
// right answer send the right answer, not "wrong1wrong2…Milano".
func TestRefusedAnswersCleared(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, lang: "it"})
	h.setQuestions()
	h.waitScreen("login")
	h.clickButton(h.tr(texts.ForgotPassword))
	h.clickText(h.tr(texts.MethodQuestions))
	h.waitScreen("questions")
	for i := range 3 {
		h.fill("wrong", "wrong", "wrong")
		h.key(tcell.KeyEnter)
		h.waitText(h.tr(texts.ErrWrongAnswers))
		h.waitScreen("questions")
		if got := onUI(h, h.answers); strings.Join(got, "") != "" {
			t.Fatalf("try %d: the refused answers stay in their fields: %q", i+1, got)
		}
		h.waitFocus(h.m.tr.F(texts.AnswerN, 1))
	}
	h.fill("Fido", "Panda", "Milano")
	h.waitAnswers("Fido", "Panda", "Milano")
	h.key(tcell.KeyEnter)
	h.waitScreen("new-password")
}

// TestAnswerTooShortSaidAsSuch (#19.3): a one-letter answer, with all three
// filled in, is refused as too short, naming the answer, on the reset and
// on the set-up alike (the core's words, as on every door), without
// counting the try; only that answer is cleared.
func TestAnswerTooShortSaidAsSuch(t *testing.T) {
	for _, screen := range []string{"questions", "set-questions"} {
		t.Run(screen, func(t *testing.T) {
			h := newHarness(t, harnessOptions{activated: true, lang: "it"})
			if screen == "questions" {
				h.setQuestions()
				h.waitScreen("login")
				h.clickButton(h.tr(texts.ForgotPassword))
				h.clickText(h.tr(texts.MethodQuestions))
			} else {
				h.toAccount()
				h.clickText(h.tr(texts.SetQuestions))
			}
			h.waitScreen(screen)
			if screen == "set-questions" {
				h.key(tcell.KeyTab) // from the first question to its answer
				h.typeText("fido")
				h.key(tcell.KeyTab)
				h.key(tcell.KeyTab)
				h.typeText("x")
				h.key(tcell.KeyTab)
				h.key(tcell.KeyTab)
				h.typeText("milano")
			} else {
				h.fill("fido", "x", "milano")
			}
			h.key(tcell.KeyEnter)
			s := h.waitText(h.m.tr.F(texts.ErrAnswerTooShort, 2))
			for _, not := range []string{h.tr(texts.ErrAnswersMissing), h.m.tr.F(texts.TriesLeft, 4)[:10]} {
				if strings.Contains(s, not) {
					t.Fatalf("the too-short answer is said as %q:\n%s", not, s)
				}
			}
			h.waitScreen(screen)
			h.waitAnswers("fido", "", "milano") // only the second cleared
			h.waitFocus(h.m.tr.F(texts.AnswerN, 2))
		})
	}
}

// waitAnswers waits until the screen's fields hold want, top to bottom.
func (h *harness) waitAnswers(want ...string) {
	h.t.Helper()
	h.waitFor(func(string) bool { return strings.Join(onUI(h, h.answers), "|") == strings.Join(want, "|") },
		"the fields holding "+strings.Join(want, ", "))
}

// TestAnswersHiddenAndShown (#19.3): the answers show as '*' on the reset
// and on the set-up, as on the web page and in the installer's tool; a
// click on "Mostra le risposte" shows them, another hides them again.
func TestAnswersHiddenAndShown(t *testing.T) {
	for _, screen := range []string{"questions", "set-questions"} {
		t.Run(screen, func(t *testing.T) {
			h := newHarness(t, harnessOptions{activated: true, lang: "it", w: 100, h: 37})
			if screen == "questions" {
				h.setQuestions()
				h.waitScreen("login")
				h.clickButton(h.tr(texts.ForgotPassword))
				h.clickText(h.tr(texts.MethodQuestions))
				h.waitScreen(screen)
			} else {
				h.toAccount()
				h.clickText(h.tr(texts.SetQuestions))
				h.waitScreen(screen)
				h.key(tcell.KeyTab) // from the first question to its answer
			}
			h.typeText("Segreto")
			h.waitAnswers("Segreto", "", "")
			if s := h.waitText("*******"); strings.Contains(s, "Segreto") {
				t.Fatalf("the answer shows in clear:\n%s", s)
			}
			h.clickText(h.tr(texts.ShowAnswers))
			h.waitText("Segreto")
			h.clickText(h.tr(texts.ShowAnswers))
			if s := h.waitText("*******"); strings.Contains(s, "Segreto") {
				t.Fatalf("the answer stays in clear:\n%s", s)
			}
		})
	}
}

// TestMessagesGoWithTheNextTry (#19.3): a refusal is gone as soon as the
// owner types again (a wrong code while the right one is typed, a common
// password while a strong one is), and it is never left under the busy
// sign of the next try (the mismatch under a correct retry).
func TestMessagesGoWithTheNextTry(t *testing.T) {
	t.Run("mismatch-then-busy", func(t *testing.T) {
		// A real argon2id, so that the busy sign stays up a while.
		h := newHarness(t, harnessOptions{lang: "it", kdf: recovery.KDFParams{MemoryKiB: 64 * 1024, Time: 4, Threads: 1}})
		h.waitScreen("activation")
		h.fill(testPassword, "Different9!x")
		h.key(tcell.KeyEnter)
		mismatch := h.tr(texts.PasswordMismatch)
		h.waitText(mismatch)
		h.fill(testPassword, testPassword)
		h.key(tcell.KeyEnter)
		s := h.waitFor(func(s string) bool { return strings.Contains(s, h.tr(texts.Working)) }, "the busy sign")
		if strings.Contains(s, mismatch) {
			t.Fatalf("the mismatch stays under the busy sign:\n%s", s)
		}
		h.waitScreen("setup")
	})
	t.Run("wrong-code-then-typing", func(t *testing.T) {
		h := newHarness(t, harnessOptions{activated: true, lang: "it"})
		h.setEmail("owner@example.org")
		h.openEmail()
		h.key(tcell.KeyTab) // Export -> App Scan QR
		h.key(tcell.KeyTab) // -> the code field
		h.typeText("AAAAAAAA")
		h.key(tcell.KeyEnter)
		h.waitText(h.tr(texts.ErrWrongCode))
		h.waitScreen("email")
		h.typeText("7")
		h.waitFor(func(s string) bool { return !strings.Contains(s, h.tr(texts.ErrWrongCode)) }, "the refusal gone at the first key")
	})
	t.Run("common-password-then-typing", func(t *testing.T) {
		h := newHarness(t, harnessOptions{activated: true, lang: "it"})
		h.toAccount()
		h.clickText(h.tr(texts.ChangePassword))
		h.waitScreen("change-password")
		h.fill(testPassword, "Password1", "Password1")
		h.key(tcell.KeyEnter)
		refused := h.tr(texts.PasswordRefused)
		h.waitText(refused)
		h.waitScreen("change-password")
		h.typeText("R")
		h.waitFor(func(s string) bool { return !strings.Contains(s, refused) }, "the refusal gone at the first key")
	})
}

// TestSuccessSaidOnce (#19.3): a success is said in one place, the dialog
// that waits for Ok, not also on the screen under it.
func TestSuccessSaidOnce(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, lang: "it"})
	h.toAccount()
	h.clickText(h.tr(texts.SetQuestions))
	h.waitScreen("set-questions")
	h.key(tcell.KeyTab)
	h.typeText("fido")
	h.key(tcell.KeyTab)
	h.key(tcell.KeyTab)
	h.typeText("panda")
	h.key(tcell.KeyTab)
	h.key(tcell.KeyTab)
	h.typeText("milano")
	h.key(tcell.KeyEnter)
	saved := h.tr(texts.QuestionsSaved)
	if s := h.waitText(saved); strings.Count(s, saved) != 1 {
		t.Fatalf("%q said %d times:\n%s", saved, strings.Count(s, saved), s)
	}
}
