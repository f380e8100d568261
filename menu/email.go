package menu

import (
	"context"
	"errors"
	"strings"
	"time"

	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/internal/payload"
	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
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
		m.tr.F(journey.WordsForQR(st.c.URL != "").Send, st.c.RecoveryAddress),
	}
	return strings.Join(lines, "\n")
}

// showEmailWays offers Esportazione and App Scan QR, and the code field.
func (m *Menu) showEmailWays(st *emailState) {
	status := m.text("")
	ways := m.buttonBar(m.showForgot).
		AddButton(m.tr.T(texts.Export), func() { m.exportQR(st, status) }).
		AddButton(m.tr.T(texts.AppScanQR), func() { m.loadChallenge(false, m.showEmailQR) })
	code := m.codeForm(st, status, m.showForgot, true)
	newCode := m.buttonBar(m.showForgot).
		AddButton(m.tr.T(texts.NewCode), func() { m.askNewChallenge(m.showEmailWays) }).
		AddButton(m.tr.T(texts.Back), m.showForgot)
	m.chain(ways, code, newCode)
	body := m.rows().auto(m.text(m.emailHeader(st))).gap(1).
		auto(m.text(m.tr.T(journey.WordsForQR(st.c.URL != "").Ways))).
		sized(ways, true).
		sized(code, false).
		auto(status).fill(nil, false).
		sized(newCode, false)
	m.show("email", m.frame(texts.MethodEmail, body), ways)
}

// codeForm is "Inserire il codice di verifica", its field and Ok, in a row
// (row) or the label over the field (beside App Scan QR's code). A
// refused code is cleared from the field; the message saying so goes as
// soon as the owner types again.
func (m *Menu) codeForm(st *emailState, status *message, back func(), row bool) *form {
	code := m.newField(m.tr.T(texts.EnterCode), 11, 16, false)
	var item tview.FormItem = code
	form := m.form(back)
	if row {
		form.SetHorizontal(true)
	} else {
		item = m.above(code)
	}
	ok := func() {
		typed := code.GetText()
		status.set(roleText, "")
		m.do(func() func() {
			ticket, err := m.core.VerifyEmailCode(typed)
			return func() {
				if err != nil {
					code.SetText("")
					status.set(roleError, m.errText(err))
					m.focusField(form, item)
					return
				}
				m.showNewPassword(ticket)
			}
		})
	}
	m.clearOnEdit(status, code)
	code.SetDoneFunc(doneOnEnter(ok))
	form.AddFormItem(item).AddButton(m.tr.T(texts.Ok), ok)
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
// beside it (or under it, when that gives larger modules) a panel with the
// instructions and the code field.
func (m *Menu) showEmailQR(st *emailState) {
	status := m.text("")
	back := func() { m.showEmailWays(st) }
	qr := m.newQRView(st.codes, m.tr.T(texts.QRTooSmall))
	code := m.codeForm(st, status, back, false)
	code.AddButton(m.tr.T(texts.Export), func() { m.exportQR(st, status) }).
		AddButton(m.tr.T(texts.Back), back)
	column := m.rows().auto(m.text(m.emailHeader(st))).gap(1).sized(code, true).auto(status)
	body := &qrBody{Box: tview.NewBox(), m: m, qr: qr, code: code, column: column, panel: m.panel(m.tr.T(texts.AppScanQR), column)}
	body.SetBackgroundColor(roleText.bg())
	f := m.frame(texts.AppScanQR, body)
	f.wide = true
	m.show("email-qr", f, code)
}

// qrBody lays out App Scan QR in the area between the title bar and the
// footer: the QR code as large as it can be (the largest modules, which a
// phone reads from furthest), and the panel with the instructions and the
// code field beside it, or under it when that gives larger modules or any
// room at all.
type qrBody struct {
	*tview.Box
	m      *Menu
	qr     *qrView
	code   *form
	column *stack
	panel  *panel
}

// qrLayout is where App Scan QR's two parts go in an area.
type qrLayout struct {
	qr, panel rect
	unit      int // the QR's module size, in eighths of a cell's height; 0: none fits
}

// qrGap is the columns between the panel and the code beside it.
const qrGap = 2

// layout chooses the parts' places in w×h cells at x, y: the largest
// modules; the code and the panel side by side (or one over the other) as
// a group centred in the area.
func (b *qrBody) layout(x, y, w, h int) qrLayout {
	// The panel is as wide as its buttons' row (or a readable column) and
	// as high as it needs at that width.
	need := 2 + 2*padX
	for i := 0; i < b.code.GetButtonCount(); i++ {
		need += utf8.RuneCountInString(b.code.GetButton(i).GetLabel()) + 5
	}
	need = max(need, 40)
	var best qrLayout
	better := func(l qrLayout) {
		if l.unit > best.unit {
			best = l
		}
	}
	for _, pw := range []int{need + 16, need + 8, need} {
		pw = min(pw, w)
		ph := min(h, b.panel.heightFor(pw))
		qw := w - pw - qrGap
		if u := b.qr.unit(qw, h); u > 0 {
			cw, ch := b.qr.cells(qw, h)
			left := x + (w-pw-qrGap-cw)/2
			better(qrLayout{qr: rect{left + pw + qrGap, y + (h-ch)/2, cw, ch}, panel: rect{left, y + (h-ph)*2/5, pw, ph}, unit: u})
		}
	}
	// Under the code: the panel as wide as a screen's, below it.
	pw := min(w, panelWide)
	ph := b.panel.heightFor(pw)
	if qh := h - ph; qh > 0 {
		if u := b.qr.unit(w, qh); u > 0 {
			cw, ch := b.qr.cells(w, qh)
			top := y + (h-ch-ph)/2
			better(qrLayout{qr: rect{x + (w-cw)/2, top, cw, ch}, panel: rect{x + (w-pw)/2, top + ch, pw, ph}, unit: u})
		}
	}
	if best.unit == 0 {
		// Nothing fits: the panel, and the sentence saying so beside it.
		pw := min(w, need+8)
		ph := min(h, b.panel.heightFor(pw))
		best = qrLayout{qr: rect{x + pw + qrGap, y, max(0, w-pw-qrGap), h}, panel: rect{x, y + (h-ph)*2/5, pw, ph}}
	}
	return best
}

// Draw lays the parts out for the area, then draws them.
func (b *qrBody) Draw(screen tcell.Screen) {
	b.Box.DrawForSubclass(screen, b)
	x, y, w, h := b.GetInnerRect()
	l := b.layout(x+panelMarginX, y, w-2*panelMarginX, h)
	b.panel.SetRect(l.panel.x, l.panel.y, l.panel.w, l.panel.h)
	b.qr.SetRect(l.qr.x, l.qr.y, l.qr.w, l.qr.h)
	b.panel.Draw(screen)
	b.qr.Draw(screen)
}

func (b *qrBody) Focus(delegate func(tview.Primitive)) { delegate(b.code) }
func (b *qrBody) HasFocus() bool                       { return b.panel.HasFocus() }

func (b *qrBody) InputHandler() func(*tcell.EventKey, func(tview.Primitive)) {
	return b.panel.InputHandler()
}

func (b *qrBody) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	return b.panel.MouseHandler()
}

// exportQR is "Esportazione": pick a stick, write the QR image of the
// pending challenge to it. The challenge is fetched again (the one on screen
// may have died meanwhile: too many wrong codes, expiry); it is the same
// code unless it had, so exporting again is a resend. The file is named
// after the challenge: finding it already there means it is saved.
func (m *Menu) exportQR(st *emailState, status *message) {
	m.pickStick(func(s usb.Stick) {
		var name string
		status.set(roleText, "") // not left under the busy sign
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
