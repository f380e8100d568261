package menu

import (
	"github.com/rivo/tview"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// showQuestions is "Verifica mediante domande di sicurezza": the three
// chosen questions, their answers, Ok.
func (m *Menu) showQuestions() {
	ids := m.core.Status().QuestionIDs
	status := m.text("")
	form := m.form(m.showForgot)
	var answers [3]*field
	for i, id := range ids {
		form.AddTextView("", m.tr.Question(string(id)), 0, 1, false, false)
		answers[i] = m.newField(m.tr.F(texts.AnswerN, i+1), 40, recovery.AnswerMaxLength, false)
		form.AddFormItem(answers[i])
	}
	ok := func() {
		var typed [3]string
		for i, a := range answers {
			typed[i] = a.GetText()
		}
		m.do(func() func() {
			ticket, err := m.core.VerifyAnswers(typed)
			return func() {
				if err != nil {
					status.SetText(m.errText(err)).SetTextColor(colourError)
					m.app.SetFocus(answers[0])
					return
				}
				m.showNewPassword(ticket)
			}
		})
	}
	answers[2].SetDoneFunc(doneOnEnter(ok))
	form.AddButton(m.tr.T(texts.Ok), ok).AddButton(m.tr.T(texts.Back), m.showForgot)
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(m.tr.T(texts.QuestionsIntro)), 2, 0, false).
		AddItem(form, 8, 0, true).
		AddItem(status, 0, 1, false)
	m.show("questions", m.frame(texts.MethodQuestions, body), form)
}
