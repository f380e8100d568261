package menu

import (
	"github.com/rivo/tview"

	"nvrmenu/texts"
)

// showActivation is the first start: the admin password twice with the
// strength meter; then the recovery setup.
func (m *Menu) showActivation() {
	status := m.text("")
	form := m.form(nil)
	pair := m.newPasswordPair(form)
	ok := func() {
		pw, problem := pair.check(m)
		if problem != "" {
			status.SetText(problem).SetTextColor(colourError)
			return
		}
		m.do(func() func() {
			s, err := m.core.Activate(pw)
			return func() {
				if err != nil {
					pair.clear()
					status.SetText(m.errText(err)).SetTextColor(colourError)
					m.app.SetFocus(pair.pw)
					return
				}
				m.log.Info("device activated")
				m.login(s)
				m.showAccountMode(m.tr.T(texts.PasswordSet), true)
			}
		})
	}
	pair.confirm.SetDoneFunc(doneOnEnter(ok))
	form.AddButton(m.tr.T(texts.Ok), ok)
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(m.tr.F(texts.ActivationIntro, m.core.Serial())), 4, 0, false).
		AddItem(form, 4, 0, true).
		AddItem(pair.meter, 3, 0, false).
		AddItem(status, 0, 1, false)
	m.show("activation", m.frame(texts.TitleActivation, body), pair.pw)
}
