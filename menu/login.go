package menu

import (
	"time"

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
	var form *form
	login := func() {
		u, p := user.GetText(), pw.GetText()
		status.set(roleText, "") // not left under the busy sign
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
	// A refusal goes as the owner types again; a lock stays said.
	pw.onChange(func(string) bool {
		if status.has(roleError) && m.core.Journey().LoginRefused == nil {
			status.set(roleText, "")
			return true
		}
		return false
	})
	pw.SetDoneFunc(doneOnEnter(login))
	form.AddFormItem(user).
		AddFormItem(pw).
		AddButton(m.tr.T(texts.Login), login).
		AddButton(m.tr.T(texts.ForgotPassword), m.openForgot)
	body := m.rows().auto(m.text(m.tr.F(texts.DeviceSerial, m.core.Serial()))).gap(1).
		sized(form, true).auto(status)
	if by := m.setBy(st); by != "" && notice == "" {
		body.gap(1).auto(m.note(roleNotice, by))
	}
	f := m.frame(texts.TitleLogin, body)
	f.width, f.back = panelLogin, false
	m.show("login", f, pw)
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
