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
			pair.clear()
			status.set(roleError, problem)
			m.focusField(form, pair.pw)
			return
		}
		status.set(roleText, "") // not left under the busy sign
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
	m.clearOnEdit(status, pair.pw, pair.confirm)
	pair.confirm.SetDoneFunc(doneOnEnter(ok))
	form.AddButton(m.tr.T(texts.Ok), ok)
	body := m.rows().auto(m.text(m.tr.F(texts.ActivationIntro, m.core.Serial()))).gap(1).
		sized(form, true).auto(pair.meter).gap(1).auto(status)
	// An installer may activate the recorder from the LAN with the
	// installer's tool: what it shows can be compared with this before
	// anything is sent. The door starts after the first frame: its words
	// come in place then (SetWebDoor).
	web := m.text(m.webDoorText())
	body.gap(1).auto(web)
	f := m.frame(texts.TitleActivation, body)
	f.back = false
	m.show("activation", f, pair.pw)
	m.webDoorMsg = web
}
