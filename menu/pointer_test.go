package menu

import (
	"io"
	"testing"

	"nvrmenu/texts"

	"github.com/gdamore/tcell/v2"
)

// ps2Mouse writes PS/2 packets as /dev/input/mice does, and tracks where
// the pointer should be (it starts in the middle of the screen; 8 counts a
// column, 16 a row).
type ps2Mouse struct {
	t    *testing.T
	w    *io.PipeWriter
	x, y int
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
	dx, dy := (x-p.x)*8, (y-p.y)*16
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
		fg, bg, _ := cells[y*sw+x].Style.Decompose()
		for _, r := range []role{rolePointer, rolePointerOnLight} {
			if f, b, _ := h.m.displayStyle(r).Decompose(); f == fg && b == bg {
				return true
			}
		}
		return false
	})
}
