package menu

import (
	"github.com/rivo/tview"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// passwordPair is a new password, its confirmation and the strength meter.
type passwordPair struct {
	pw, confirm *field
	meter       *meter
}

// newPasswordPair adds the two fields to form; the meter is the caller's to
// place.
func (m *Menu) newPasswordPair(form *form) *passwordPair {
	p := &passwordPair{
		pw:      m.newField(m.tr.T(texts.NewPassword), 20, pwpolicy.MaxLengthLimit, true),
		confirm: m.newField(m.tr.T(texts.ConfirmPassword), 20, pwpolicy.MaxLengthLimit, true),
		meter:   m.newMeter(),
	}
	p.pw.onChange(p.meter.update)
	form.AddFormItem(p.pw).AddFormItem(p.confirm)
	return p
}

// check returns the password when both fields match, or a translated
// reason. The policy itself is the core's to enforce.
func (p *passwordPair) check(m *Menu) (string, string) {
	pw := p.pw.GetText()
	switch {
	case pw == "":
		return "", m.tr.T(texts.PasswordEmpty)
	case pw != p.confirm.GetText():
		return "", m.tr.T(texts.PasswordMismatch)
	}
	return pw, ""
}

// clear empties both fields after a refusal.
func (p *passwordPair) clear() {
	p.pw.SetText("")
	p.confirm.SetText("")
}

// showNewPassword sets the new password after a successful proof.
func (m *Menu) showNewPassword(ticket *recovery.ResetTicket) {
	status := m.text("")
	form := m.form(nil)
	pair := m.newPasswordPair(form)
	cancel := func() {
		m.dialog(m.tr.T(texts.AbandonReset), []texts.ID{texts.No, texts.Yes}, func(i int) {
			if i == 1 {
				m.showLogin("")
			}
		})
	}
	form.SetCancelFunc(cancel)
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
			s, err := ticket.SetPassword(pw)
			return func() {
				if err != nil {
					if errorsIsTicketDead(err) {
						m.alert(m.errText(err), func() { m.showLogin("") })
						return
					}
					pair.clear()
					status.set(roleError, m.errText(err))
					m.focusField(form, pair.pw)
					return
				}
				m.log.Info("password reset", "method", string(ticket.Method()))
				m.showResetDone(s)
			}
		})
	}
	m.clearOnEdit(status, pair.pw, pair.confirm)
	pair.confirm.SetDoneFunc(doneOnEnter(ok))
	form.AddButton(m.tr.T(texts.Ok), ok).AddButton(m.tr.T(texts.Cancel), cancel)
	body := m.rows().auto(m.text(m.tr.T(texts.NewPasswordIntro))).gap(1).
		sized(form, true).auto(pair.meter).gap(1).auto(status)
	m.show("new-password", m.frame(texts.TitleNewPassword, body), pair.pw)
}

// showResetDone is the success screen: what the reset changed, as the
// core says it. When the GUID file expired with the old password, it offers
// to export a fresh one at once with the session the reset opened;
// otherwise the session ends and the owner logs in.
func (m *Menu) showResetDone(s *recovery.Session) {
	m.login(s)
	after, _ := s.AfterReset()
	buttons := []texts.ID{texts.Ok}
	if after.OfferGUIDExport {
		buttons = []texts.ID{texts.ExportNow, texts.Later}
	}
	toLogin := func() {
		m.logout()
		m.showLogin(m.tr.T(texts.LoginWithNew))
	}
	m.hub = m.trail(texts.TitleResetDone)
	// The dialog says it, once, over the title bar's place.
	f := m.frame(texts.TitleResetDone, tview.NewBox().SetBackgroundColor(roleText.bg()))
	f.wide, f.back = true, false
	m.show("reset-done", f, nil)
	m.dialog(m.tr.AfterReset(after), buttons, func(i int) {
		if after.OfferGUIDExport && i == 0 {
			m.showGUIDExport(toLogin)
			return
		}
		toLogin()
	})
}
