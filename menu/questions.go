package menu

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// showQuestions is "Verifica mediante domande di sicurezza": each chosen
// question over its answer's field, the answers hidden behind '*' with a
// box to show them, Ok. A refused answer is cleared from its field (all
// three when they do not match: which one is wrong is not said), so the
// next try is typed afresh; the message goes when the owner types again.
func (m *Menu) showQuestions() {
	ids := m.core.Status().QuestionIDs
	status := m.text("")
	form := m.form(m.showForgot)
	var answers [3]*field
	var items [3]*above
	for i, id := range ids {
		answers[i] = m.newField(m.tr.F(texts.AnswerN, i+1), 40, recovery.AnswerMaxLength, true)
		items[i] = m.aboveWith(m.tr.F(texts.QuestionLine, i+1, m.tr.Question(string(id))), answers[i])
		form.AddFormItem(items[i])
	}
	form.AddFormItem(m.showAnswers(answers[:]...))
	ok := func() {
		var typed [3]string
		for i, a := range answers {
			typed[i] = a.GetText()
		}
		status.set(roleText, "")
		m.do(func() func() {
			ticket, err := m.core.VerifyAnswers(typed)
			return func() {
				if err != nil {
					// The one refused (too short), else all three.
					refused := answers[:]
					if p := recovery.Explain(err); p.Answer >= 1 && p.Answer <= 3 {
						refused = answers[p.Answer-1 : p.Answer]
					}
					for _, a := range refused {
						a.SetText("")
					}
					status.set(roleError, m.errText(err))
					m.focusField(form, items[refused[0].index(answers[:])])
					return
				}
				m.showNewPassword(ticket)
			}
		})
	}
	m.clearOnEdit(status, answers[:]...)
	answers[2].SetDoneFunc(doneOnEnter(ok))
	form.AddButton(m.tr.T(texts.Ok), ok).AddButton(m.tr.T(texts.Back), m.showForgot)
	body := m.rows().auto(m.text(m.tr.T(texts.QuestionsIntro))).gap(1).
		sized(form, true).auto(status)
	m.show("questions", m.frame(texts.MethodQuestions, body), form)
}

// index is f's position among fields, 0 if it is not there.
func (f *field) index(fields []*field) int {
	for i, g := range fields {
		if g == f {
			return i
		}
	}
	return 0
}

// showAnswers is the box that shows the answers typed (they are hidden
// behind '*' at first, as on the web page and in the installer's tool),
// and hides them again.
func (m *Menu) showAnswers(answers ...*field) *tview.Checkbox {
	c := tview.NewCheckbox().SetLabel(m.tr.T(texts.ShowAnswers) + " ").SetCheckedString("X")
	c.SetFieldTextColor(roleField.fg()).SetFieldBackgroundColor(roleField.bg())
	c.SetChangedFunc(func(checked bool) {
		for _, a := range answers {
			a.setMasked(!checked)
		}
	})
	return c
}

// spacer is an empty row among a form's items, between two groups (a
// question and its answer, then the next); the focus passes over it.
func spacer() formText {
	return formText{tview.NewTextView().SetScrollable(false).SetSize(1, 0)}
}

// formText is a line of text in a form, in body text: a form gives a text
// view its field colour, meant for a field's background.
type formText struct{ *tview.TextView }

func (t formText) SetFormAttributes(labelWidth int, labelColor, bgColor, fieldTextColor, fieldBgColor tcell.Color) tview.FormItem {
	t.TextView.SetFormAttributes(labelWidth, labelColor, bgColor, fieldTextColor, fieldBgColor)
	t.SetTextStyle(roleText.style())
	return t
}
