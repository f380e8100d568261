package menu

import (
	"time"

	"github.com/rivo/tview"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// showLogin is the login screen: user, password, "Password Dimenticata".
// notice, if any, is shown above the form (e.g. "password changed").
func (m *Menu) showLogin(notice string) {
	user := m.newField(m.tr.T(texts.User), 20, 32, false)
	user.SetText(recovery.AdminUser)
	pw := m.newField(m.tr.T(texts.Password), 20, pwpolicy.MaxLengthLimit, true)
	status := m.text(notice)
	status.SetTextColor(colourOK)
	if left := m.core.Status().Locked[recovery.MethodLogin]; left > 0 {
		status.SetText(m.tr.LockedFor(left)).SetTextColor(colourError)
		m.countDownLock(status, left)
	}
	login := func() {
		u, p := user.GetText(), pw.GetText()
		m.do(func() func() {
			s, err := m.core.Login(u, p)
			return func() {
				if err != nil {
					pw.SetText("")
					status.SetText(m.errText(err)).SetTextColor(colourError)
					m.app.SetFocus(pw)
					if left := m.core.Status().Locked[recovery.MethodLogin]; left > 0 {
						m.countDownLock(status, left)
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
		AddButton(m.tr.T(texts.Login), login).
		AddButton(m.tr.T(texts.ForgotPassword), m.showForgot)
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(m.tr.F(texts.DeviceSerial, m.core.Serial())), 2, 0, false).
		AddItem(form, 5, 0, true).
		AddItem(status, 0, 1, false)
	m.show("login", m.frame(texts.TitleLogin, body), pw)
}

// countDownLock keeps the login lock's time left in status current: it
// writes it again whenever the minutes shown change, and clears it when the
// lock ends. One timer at a time, only while a lock runs and this screen is
// up; left is the time the lock had when status was last written.
func (m *Menu) countDownLock(status *tview.TextView, left time.Duration) {
	m.lockSeq++
	gen, seq := m.gen, m.lockSeq
	if m.lockTimer != nil {
		m.lockTimer.Stop()
	}
	next := left % time.Minute // until the minutes shown (rounded up) change
	if next == 0 {
		next = time.Minute
	}
	m.lockTimer = m.after(next, func() {
		m.post(func() {
			if m.gen != gen || m.lockSeq != seq {
				return // the owner moved on, or a newer countdown runs
			}
			left := m.core.Status().Locked[recovery.MethodLogin]
			if left <= 0 {
				status.SetText("")
				return
			}
			status.SetText(m.tr.LockedFor(left)).SetTextColor(colourError)
			m.countDownLock(status, left)
		})
	})
}
