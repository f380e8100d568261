package menu

import (
	"time"

	"github.com/rivo/tview"

	"nvrmenu/recovery"
)

// showLogin is the login screen: user, password, "Password Dimenticata".
// notice, if any, is shown above the form (e.g. "password changed").
func (m *Menu) showLogin(notice string) {
	user := m.newField(m.tr.t(msgUser), 20, 32, false)
	user.SetText(recovery.AdminUser)
	pw := m.newField(m.tr.t(msgPassword), 20, recovery.PasswordMaxLengthLimit, true)
	status := m.text(notice)
	status.SetTextColor(colourOK)
	if left := m.core.Status().Locked[recovery.MethodLogin]; left > 0 {
		status.SetText(m.tr.lockedFor(left)).SetTextColor(colourError)
		m.refreshWhenUnlocked(left)
	}
	login := func() {
		u, p := user.GetText(), pw.GetText()
		m.do(func() func() {
			s, err := m.core.Login(u, p)
			return func() {
				if err != nil {
					pw.SetText("")
					status.SetText(m.tr.err(err)).SetTextColor(colourError)
					m.app.SetFocus(pw)
					if left := m.core.Status().Locked[recovery.MethodLogin]; left > 0 {
						m.refreshWhenUnlocked(left)
					}
					return
				}
				m.login(s)
				m.showAccount("")
			}
		})
	}
	pw.SetDoneFunc(doneOnEnter(login))
	form := m.form(nil).
		AddFormItem(user).
		AddFormItem(pw).
		AddButton(m.tr.t(msgLogin), login).
		AddButton(m.tr.t(msgForgotPassword), m.showForgot)
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(m.tr.tf(msgDeviceSerial, m.core.Serial())), 2, 0, false).
		AddItem(form, 5, 0, true).
		AddItem(status, 0, 1, false)
	m.show("login", m.frame(msgTitleLogin, body), pw)
}

// refreshWhenUnlocked shows the login screen again when the lock ends, so
// that the "locked for N min" line does not outlive the lock. One timer, only
// while a lock runs; the screen is left alone if the owner moved on.
func (m *Menu) refreshWhenUnlocked(left time.Duration) {
	gen := m.gen
	time.AfterFunc(left+time.Second, func() {
		m.post(func() {
			if m.gen == gen && m.screenName == "login" {
				m.showLogin("")
			}
		})
	})
}
