package menu

import (
	"github.com/gdamore/tcell/v2"
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
		form.AddFormItem(formText{tview.NewTextView().SetDynamicColors(false).SetScrollable(false).
			SetSize(1, 0).SetText(m.tr.Question(string(id)))})
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
					status.set(roleError, m.errText(err))
					m.focusField(form, answers[0])
					return
				}
				m.showNewPassword(ticket)
			}
		})
	}
	answers[2].SetDoneFunc(doneOnEnter(ok))
	form.AddButton(m.tr.T(texts.Ok), ok).AddButton(m.tr.T(texts.Back), m.showForgot)
	body := m.rows().auto(m.text(m.tr.T(texts.QuestionsIntro))).gap(1).
		fixed(form, 8, true).gap(1).auto(status)
	m.show("questions", m.frame(texts.MethodQuestions, body), form)
}

// formText is a line of text in a form, in body text: a form gives a text
// view its field colour, meant for a field's background.
type formText struct{ *tview.TextView }

func (t formText) SetFormAttributes(labelWidth int, labelColor, bgColor, fieldTextColor, fieldBgColor tcell.Color) tview.FormItem {
	t.TextView.SetFormAttributes(labelWidth, labelColor, bgColor, fieldTextColor, fieldBgColor)
	t.SetTextStyle(roleText.style())
	return t
}
