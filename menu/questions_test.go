package menu

import (
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

func TestQuestionsSetUpThenReset(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, lang: "en"})
	h.waitScreen("login")
	h.typeText(testPassword)
	h.key(tcell.KeyEnter)
	h.waitScreen("account")

	// Pick questions (the second one changed with the mouse), answer them.
	h.clickText(h.tr(texts.SetQuestions))
	h.waitScreen("set-questions")
	cat := recovery.QuestionCatalogue()
	h.clickText(h.m.tr.Question(string(cat[1])))
	h.clickText(h.m.tr.Question(string(cat[5])))
	h.waitFor(func(string) bool {
		return onUI(h, func() bool { _, ok := h.m.app.GetFocus().(*tview.DropDown); return ok })
	}, "drop-down closed")
	// Answers by keyboard: focus the first answer field by clicking it and
	// cancelling the on-screen keyboard.
	h.clickField(h.m.tr.F(texts.AnswerN, 1))
	h.key(tcell.KeyEscape)
	h.typeText("Fido")
	h.key(tcell.KeyTab)
	h.key(tcell.KeyTab)
	h.typeText("Fiat Panda")
	h.key(tcell.KeyTab)
	h.key(tcell.KeyTab)
	h.typeText("Milano")
	h.key(tcell.KeyEnter) // Enter in the last answer is Ok
	h.waitText(h.tr(texts.QuestionsSaved))
	h.clickButton(h.tr(texts.Ok))
	h.waitScreen("account")
	if got := h.core.Status().QuestionIDs; got != [3]recovery.QuestionID{cat[0], cat[5], cat[2]} {
		t.Fatalf("questions set %v, want %v", got, [3]recovery.QuestionID{cat[0], cat[5], cat[2]})
	}
	h.clickText(h.tr(texts.Logout))
	h.waitScreen("login")

	h.clickButton(h.tr(texts.ForgotPassword))
	h.clickText(h.tr(texts.MethodQuestions))
	h.waitScreen("questions")
	h.waitText(h.m.tr.Question(string(cat[0])), h.m.tr.Question(string(cat[5])), h.m.tr.Question(string(cat[2])))

	// Wrong answers: refused, tries left, nothing says which one was wrong.
	h.typeText("Rex")
	h.key(tcell.KeyTab)
	h.typeText("fiat panda")
	h.key(tcell.KeyTab)
	h.typeText("MILANO")
	h.key(tcell.KeyEnter)
	h.waitText(h.tr(texts.ErrWrongAnswers), "Tries left:")
	h.waitScreen("questions")

	// Case, accents and spaces do not matter.
	for _, answer := range []string{" fido", "FIAT  PANDA", "milano"} {
		h.sim.InjectKey(tcell.KeyCtrlU, 0, tcell.ModCtrl) // clear the line
		h.typeText(answer)
		h.key(tcell.KeyTab)
	}
	h.clickButton(h.tr(texts.Ok))
	h.waitScreen("new-password")
}
