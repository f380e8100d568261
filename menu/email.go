package menu

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/rivo/tview"

	"nvrmenu/recovery"
	"nvrmenu/texts"
	"nvrmenu/usb"
)

// qrPNGSize is the side of the exported QR image, in pixels: big enough to
// print or to scan from another screen.
const qrPNGSize = 600

// writeTimeout bounds one write to a stick.
const writeTimeout = 30 * time.Second

// emailState is the pending challenge as the email screens show it.
type emailState struct {
	c       recovery.Challenge
	modules [][]bool
}

// showEmail is "Verifica tramite e-mail di recupero". It fetches the pending
// challenge (making one if none is pending: showing or exporting again is a
// resend of the same code) and shows the two ways.
func (m *Menu) showEmail() {
	m.loadChallenge(false, m.showEmailWays)
}

// loadChallenge gets the pending challenge (or a new one when fresh) off the
// UI goroutine, then calls next with it.
func (m *Menu) loadChallenge(fresh bool, next func(*emailState)) {
	m.do(func() func() {
		get := m.core.EmailChallenge
		if fresh {
			get = m.core.NewEmailChallenge
		}
		c, err := get()
		var modules [][]bool
		if err == nil {
			modules, err = recovery.ChallengeQRBitmap(c.Payload)
		}
		return func() {
			if err != nil {
				m.log.Warn("email challenge", "err", err)
				m.alert(m.errText(err), m.showForgot)
				return
			}
			next(&emailState{c: c, modules: modules})
		}
	})
}

// emailHeader tells where the code goes and where to mail the QR code.
func (m *Menu) emailHeader(st *emailState) string {
	lines := []string{
		m.tr.F(texts.EmailCodeGoesTo, st.c.MaskedEmail),
		m.tr.F(texts.EmailSendQRTo, st.c.RecoveryAddress),
	}
	return strings.Join(lines, "\n")
}

// showEmailWays offers Esportazione and App Scan QR, and the code field.
func (m *Menu) showEmailWays(st *emailState) {
	status := m.text("")
	ways := m.buttonBar(m.showForgot).
		AddButton(m.tr.T(texts.Export), func() { m.exportQR(st, status) }).
		AddButton(m.tr.T(texts.AppScanQR), func() { m.loadChallenge(false, m.showEmailQR) })
	code := m.codeForm(st, status, m.showForgot)
	newCode := m.buttonBar(m.showForgot).
		AddButton(m.tr.T(texts.NewCode), func() { m.askNewChallenge(m.showEmailWays) }).
		AddButton(m.tr.T(texts.Back), m.showForgot)
	m.chainForms(ways, code, newCode)
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(m.emailHeader(st)), 3, 0, false).
		AddItem(m.text(m.tr.T(texts.EmailWays)), 3, 0, false).
		AddItem(ways, 1, 0, true).
		AddItem(nil, 1, 0, false).
		AddItem(code, 1, 0, false).
		AddItem(status, 0, 1, false).
		AddItem(newCode, 1, 0, false)
	m.show("email", m.frame(texts.MethodEmail, body), ways)
}

// codeForm is "Inserire il codice di verifica" and Ok, in one row.
func (m *Menu) codeForm(st *emailState, status *tview.TextView, back func()) *tview.Form {
	code := m.newField(m.tr.T(texts.EnterCode), 11, 16, false)
	form := m.form(back).SetHorizontal(true)
	ok := func() {
		typed := code.GetText()
		m.do(func() func() {
			ticket, err := m.core.VerifyEmailCode(typed)
			return func() {
				if err != nil {
					code.SetText("")
					status.SetText(m.errText(err)).SetTextColor(colourError)
					m.app.SetFocus(code)
					return
				}
				m.showNewPassword(ticket)
			}
		})
	}
	code.SetDoneFunc(doneOnEnter(ok))
	form.AddFormItem(code).AddButton(m.tr.T(texts.Ok), ok)
	return form
}

// askNewChallenge replaces the pending code after the owner confirms that
// the old one will stop working.
func (m *Menu) askNewChallenge(next func(*emailState)) {
	m.dialog(m.tr.T(texts.NewCodeConfirm), []texts.ID{texts.No, texts.Yes}, func(i int) {
		if i == 1 {
			m.loadChallenge(true, next)
		}
	})
}

// showEmailQR is "App Scan QR": the code on screen, as large as fits, and
// the code field below.
func (m *Menu) showEmailQR(st *emailState) {
	status := m.text("")
	back := func() { m.showEmailWays(st) }
	qr := newQRView(st.modules, m.opts.QRBlocks, m.tr.T(texts.QRTooSmall))
	code := m.codeForm(st, status, back)
	code.AddButton(m.tr.T(texts.Export), func() { m.exportQR(st, status) }).
		AddButton(m.tr.T(texts.Back), back)
	column := func(p tview.Primitive, focus bool) *tview.Flex {
		return tview.NewFlex().
			AddItem(nil, 0, 1, false).
			AddItem(p, screenWidth, 0, focus).
			AddItem(nil, 0, 1, false)
	}
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(column(m.text(m.emailHeader(st)), false), 2, 0, false).
		AddItem(qr, 0, 1, false).
		AddItem(column(code, true), 1, 0, true).
		AddItem(column(status, false), 2, 0, false)
	body.SetBorder(true).SetTitle(" " + m.tr.T(texts.AppScanQR) + " ")
	m.show("email-qr", body, code)
}

// exportQR is "Esportazione": pick a stick, write the QR image of the
// pending challenge to it. The challenge is fetched again (the one on screen
// may have died meanwhile: too many wrong codes, expiry); it is the same
// code unless it had, so exporting again is a resend. The file is named
// after the challenge: finding it already there means it is saved.
func (m *Menu) exportQR(st *emailState, status *tview.TextView) {
	m.pickStick(func(s usb.Stick) {
		var name string
		m.do(func() func() {
			c, err := m.core.EmailChallenge()
			var png []byte
			if err == nil {
				name = qrFileName(m.core.Serial(), c.Created)
				png, err = recovery.ChallengeQRPNG(c.Payload, qrPNGSize)
			}
			if err == nil {
				ctx, cancel := context.WithTimeout(m.ctx, writeTimeout)
				err = m.opts.Sticks.Write(ctx, s.ID, name, png)
				cancel()
				if errors.Is(err, usb.ErrExists) {
					err = nil
				}
			}
			return func() {
				if err != nil {
					m.log.Warn("qr export failed", "stick", s.Name, "err", err)
					status.SetText(m.errText(err)).SetTextColor(colourError)
					return
				}
				m.log.Info("qr exported", "stick", s.Name, "file", name)
				status.SetText(m.tr.F(texts.QRExported, name, stickName(s), st.c.RecoveryAddress)).SetTextColor(colourOK)
			}
		})
	})
}

// qrFileName names the exported image after the device and the challenge, so
// exporting the same pending code again finds its own file.
func qrFileName(serial string, created time.Time) string {
	return "QR-" + serial + "-" + created.UTC().Format("20060102-150405") + ".png"
}
