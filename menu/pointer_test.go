package menu

import (
	"io"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/texts"
)

// ps2Mouse writes PS/2 packets as /dev/input/mice does, and tracks where
// the pointer should be (it starts in the middle of the screen; 8 counts a
// column, 16 a row).
type ps2Mouse struct {
	t      *testing.T
	w      *io.PipeWriter
	x, y   int
	cw, ch int // counts a column and a row; 0: 8 and 16
}

func (p *ps2Mouse) packet(left bool, dx, dy int) {
	b0 := byte(0x08)
	if left {
		b0 |= 0x01
	}
	if dx < 0 {
		b0 |= 0x10
	}
	if dy < 0 {
		b0 |= 0x20
	}
	if _, err := p.w.Write([]byte{b0, byte(dx), byte(dy)}); err != nil {
		p.t.Fatal(err)
	}
}

// moveTo moves the pointer to the cell x, y in packets of at most 120
// counts.
func (p *ps2Mouse) moveTo(x, y int) {
	cw, ch := p.cw, p.ch
	if cw == 0 {
		cw, ch = 8, 16
	}
	dx, dy := (x-p.x)*cw, (y-p.y)*ch
	for dx != 0 || dy != 0 {
		sx, sy := max(-120, min(120, dx)), max(-120, min(120, dy))
		p.packet(false, sx, -sy) // PS/2's y grows upwards
		dx, dy = dx-sx, dy-sy
	}
	p.x, p.y = x, y
}

// click presses and releases the left button where the pointer is.
func (p *ps2Mouse) click() {
	p.packet(true, 0, 0)
	p.packet(false, 0, 0)
}

func TestPointerFromPS2Packets(t *testing.T) {
	r, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	h := newHarness(t, harnessOptions{activated: true, mouse: r})
	h.waitScreen("login")
	mouse := &ps2Mouse{t: t, w: w, x: 40, y: 12}

	// No pointer is drawn before the mouse moves; then the cell under it
	// is marked.
	reversed := h.pointerAt
	mouse.moveTo(5, 20)
	h.waitFor(func(string) bool { return reversed(5, 20) }, "pointer drawn at 5,20")
	mouse.moveTo(70, 2)
	h.waitFor(func(string) bool { return reversed(70, 2) && !reversed(5, 20) }, "pointer moved to 70,2")

	// Click "Password Dimenticata" with the PS/2 mouse alone.
	x, y, ok := h.find(h.tr(texts.ForgotPassword), true)
	if !ok {
		t.Fatal("no Password Dimenticata button")
	}
	mouse.moveTo(x+3, y)
	mouse.click()
	h.waitScreen("forgot")

	// The mouse goes away: the menu goes on with the keyboard.
	w.Close()
	h.waitFor(func(string) bool { return !h.m.pointer.enabled.Load() }, "mouse given up")
	h.key(tcell.KeyEscape)
	h.waitScreen("login")
}

// pointerAt reports whether the pointer is drawn at x, y: the cell has one
// of the pointer's styles.
func (h *harness) pointerAt(x, y int) bool {
	return onUI(h, func() bool {
		cells, sw, _ := h.sim.GetContents()
		for _, r := range []role{rolePointer, rolePointerOnLight} {
			if st := cells[y*sw+x].Style; st == pointerStyle(r) || st == pointerOnConsole(r) {
				return true
			}
		}
		return false
	})
}

// TestPointerCountsFollowTheCellSize: with a 16x32 font the pointer moves a
// cell per 16 counts across and 32 down (the kernel counts about a pixel
// each), not the 8x16 font's 8 and 16.
func TestPointerCountsFollowTheCellSize(t *testing.T) {
	r, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	h := newHarness(t, harnessOptions{activated: true, mouse: r, w: 120, h: 33, display: Display{Console: true, CellWidth: 16, CellHeight: 32}})
	h.waitScreen("login")
	mouse := &ps2Mouse{t: t, w: w, x: 60, y: 16, cw: 16, ch: 32}
	mouse.moveTo(10, 28)
	h.waitFor(func(string) bool { return h.pointerAt(10, 28) }, "pointer at 10,28")
	mouse.moveTo(100, 3)
	h.waitFor(func(string) bool { return h.pointerAt(100, 3) && !h.pointerAt(10, 28) }, "pointer at 100,3")
}

// TestPointerNeverCoversTheQR: over the QR code the pointer is not drawn
// (a marked cell would be a wrong module for the phone), and the code still
// decodes; beside it the pointer shows again.
func TestPointerNeverCoversTheQR(t *testing.T) {
	r, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	h := newHarness(t, harnessOptions{activated: true, mouse: r, w: 120, h: 33, display: Display{Console: true}})
	h.setEmail("owner@example.org")
	h.openEmail()
	h.clickButton(h.tr(texts.AppScanQR))
	h.waitScreen("email-qr")
	c, err := h.core.EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	qr := onUI(h, func() rect {
		var found rect
		var walk func(p tview.Primitive)
		walk = func(p tview.Primitive) {
			if q, ok := p.(*qrView); ok {
				found = q.drawn
			}
			for _, c := range children(p) {
				walk(c)
			}
		}
		walk(h.m.root)
		return found
	})
	if qr.w == 0 {
		t.Fatal("no QR code drawn")
	}
	mouse := &ps2Mouse{t: t, w: w, x: 60, y: 16}
	for _, at := range [][2]int{{qr.x + qr.w/2, qr.y + qr.h/2}, {qr.x, qr.y}, {qr.x + qr.w - 1, qr.y + qr.h - 1}} {
		mouse.moveTo(at[0], at[1])
		h.waitFor(func(string) bool {
			x, y := h.m.pointer.position()
			return x == at[0] && y == at[1]
		}, "the pointer over the code")
		frames := h.frames.Load()
		h.m.app.Draw()
		h.waitFor(func(string) bool { return h.frames.Load() > frames }, "a frame with the pointer there")
		if h.pointerAt(at[0], at[1]) {
			t.Fatalf("the pointer is drawn over the QR code at %d,%d", at[0], at[1])
		}
		if got := scanQR(t, h.screenQR()); got != c.Payload {
			t.Fatalf("with the pointer at %v the code reads %q", at, got)
		}
	}
	mouse.moveTo(3, 30)
	h.waitFor(func(string) bool { return h.pointerAt(3, 30) }, "the pointer beside the code")
}
