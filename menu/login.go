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
	st := m.core.Status()
	status := m.note(roleOK, notice)
	if p := m.core.Journey().LoginRefused; p != nil {
		status.set(roleError, m.tr.Problem(*p))
		m.countDownLock(status, p.Lock())
	}
	var form *tview.Form
	login := func() {
		u, p := user.GetText(), pw.GetText()
		m.do(func() func() {
			s, err := m.core.Login(u, p)
			return func() {
				if err != nil {
					pw.SetText("")
					status.set(roleError, m.errText(err))
					m.focusField(form, pw)
					if p := m.core.Journey().LoginRefused; p != nil {
						m.countDownLock(status, p.Lock())
					}
					return
				}
				m.login(s)
				m.showAccount("")
			}
		})
	}
	form = m.form(nil)
	pw.SetDoneFunc(doneOnEnter(login))
	form.AddFormItem(user).
		AddFormItem(pw).
		AddButton(m.tr.T(texts.Login), login).
		AddButton(m.tr.T(texts.ForgotPassword), m.openForgot)
	body := m.rows().auto(m.text(m.tr.F(texts.DeviceSerial, m.core.Serial()))).gap(1).
		fixed(form, 5, true).auto(status)
	if by := m.setBy(st); by != "" && notice == "" {
		body.gap(1).auto(m.note(roleNotice, by))
	}
	m.show("login", m.frame(texts.TitleLogin, body), pw)
}

// countDownLock keeps the login lock's time left in status current: it
// writes it again whenever the minutes shown change, and clears it when the
// lock ends. One timer at a time, only while a lock runs and this screen is
// up; left is the time the lock had when status was last written.
func (m *Menu) countDownLock(status *message, left time.Duration) {
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
			p := m.core.Journey().LoginRefused
			if p == nil {
				status.set(roleText, "")
				return
			}
			status.set(roleError, m.tr.Problem(*p))
			m.countDownLock(status, p.Lock())
		})
	})
}
