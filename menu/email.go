package menu

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/internal/payload"
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
	c     recovery.Challenge
	codes []qrCode // the QR at every level that holds it
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
		var codes []qrCode
		if err == nil {
			codes, err = qrCodes(c.Payload)
		}
		return func() {
			if err != nil {
				m.log.Warn("email challenge", "err", err)
				m.alert(m.errText(err), m.showForgot)
				return
			}
			next(&emailState{c: c, codes: codes})
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
	m.chain(ways, code, newCode)
	body := m.rows().auto(m.text(m.emailHeader(st))).gap(1).
		auto(m.text(m.tr.T(texts.EmailWays))).gap(1).
		fixed(ways, 1, true).gap(1).
		fixed(code, 1, false).gap(1).
		auto(status).fill(nil, false).
		fixed(newCode, 1, false)
	m.show("email", m.frame(texts.MethodEmail, body), ways)
}

// codeForm is "Inserire il codice di verifica" and Ok, in one row.
func (m *Menu) codeForm(st *emailState, status *message, back func()) *tview.Form {
	code := m.newField(m.tr.T(texts.EnterCode), 11, 16, false)
	form := m.form(back).SetHorizontal(true)
	ok := func() {
		typed := code.GetText()
		m.do(func() func() {
			ticket, err := m.core.VerifyEmailCode(typed)
			return func() {
				if err != nil {
					code.SetText("")
					status.set(roleError, m.errText(err))
					m.focusField(form, code)
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
// the code field. On a wide screen the code goes beside the instructions
// and the field, so that it can use the screen's whole height.
func (m *Menu) showEmailQR(st *emailState) {
	status := m.text("")
	back := func() { m.showEmailWays(st) }
	qr := m.newQRView(st.codes, m.tr.T(texts.QRTooSmall))
	code := m.codeForm(st, status, back)
	code.AddButton(m.tr.T(texts.Export), func() { m.exportQR(st, status) }).
		AddButton(m.tr.T(texts.Back), back)
	body := &qrBody{Flex: tview.NewFlex(), m: m, header: m.text(m.emailHeader(st)), qr: qr, code: code, status: status}
	f := m.frame(texts.AppScanQR, body)
	f.wide = true
	m.show("email-qr", f, code)
}

// qrBody lays out App Scan QR: the instructions, the code field and the
// messages in a column beside the QR code when that gives the code larger
// modules (or any room at all), else above and below it.
type qrBody struct {
	*tview.Flex
	m      *Menu
	header *message
	qr     *qrView
	code   *tview.Form
	status *message
	side   int // 1 beside, 2 stacked, 0 not laid out yet
}

// qrSideWidth is the text column's width beside the code: the form's row
// of field and buttons needs about 44 cells.
const qrSideWidth = 48

// Draw picks the layout for the rectangle, then draws.
func (b *qrBody) Draw(screen tcell.Screen) {
	_, _, w, h := b.GetInnerRect()
	// Stacked: header, the code, the form's row, two rows of messages.
	stackedH := h - b.header.height(w) - 1 - 1 - 2 - 1
	_, stackedScale, stackedOK := b.qr.best(w, stackedH)
	_, sideScale, sideOK := b.qr.best(w-qrSideWidth-2, h)
	side := 2
	if sideOK && (!stackedOK || sideScale > stackedScale) {
		side = 1
	}
	if side != b.side {
		b.side = side
		b.Clear()
		if side == 1 {
			column := b.m.rows().auto(b.header).gap(1).fixed(b.code, 3, true).gap(1).auto(b.status).fill(nil, false)
			b.SetDirection(tview.FlexColumn).
				AddItem(column, qrSideWidth, 0, true).
				AddItem(nil, 2, 0, false).
				AddItem(b.qr, 0, 1, false)
			b.code.SetHorizontal(false)
		} else {
			b.SetDirection(tview.FlexRow).
				AddItem(b.m.rows().auto(b.header), b.header.height(w), 0, false).
				AddItem(b.qr, 0, 1, false).
				AddItem(b.code, 1, 0, true).
				AddItem(b.m.rows().auto(b.status), 2, 0, false)
			b.code.SetHorizontal(true)
		}
	}
	if side == 2 {
		b.ResizeItem(b.GetItem(0), b.header.height(w), 0)
	}
	b.Flex.Draw(screen)
}

// exportQR is "Esportazione": pick a stick, write the QR image of the
// pending challenge to it. The challenge is fetched again (the one on screen
// may have died meanwhile: too many wrong codes, expiry); it is the same
// code unless it had, so exporting again is a resend. The file is named
// after the challenge: finding it already there means it is saved.
func (m *Menu) exportQR(st *emailState, status *message) {
	m.pickStick(func(s usb.Stick) {
		var name string
		m.do(func() func() {
			c, err := m.core.EmailChallenge()
			var png []byte
			if err == nil {
				name = qrFileName(m.core.Serial(), c.Created)
				png, err = payload.QRPNG(c.Payload, qrPNGSize)
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
					status.set(roleError, m.errText(err))
					return
				}
				m.log.Info("qr exported", "stick", s.Name, "file", name)
				status.set(roleOK, m.tr.F(texts.QRExported, name, stickName(s), st.c.RecoveryAddress))
			}
		})
	})
}

// qrFileName names the exported image after the device and the challenge, so
// exporting the same pending code again finds its own file.
func qrFileName(serial string, created time.Time) string {
	return "QR-" + serial + "-" + created.UTC().Format("20060102-150405") + ".png"
}
