package menu

import (
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
			status.set(roleError, problem)
			pair.clear()
			m.focusField(form, pair.pw)
			return
		}
		m.do(func() func() {
			s, err := m.core.Activate(pw)
			return func() {
				if err != nil {
					pair.clear()
					status.set(roleError, m.errText(err))
					m.focusField(form, pair.pw)
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
	body := m.rows().auto(m.text(m.tr.F(texts.ActivationIntro, m.core.Serial()))).gap(1).
		fixed(form, 4, true).auto(pair.meter).gap(1).auto(status)
	m.show("activation", m.frame(texts.TitleActivation, body), pair.pw)
}
