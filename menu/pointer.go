package menu

import (
	"io"
	"sync/atomic"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/internal/palette"
	"nvrmenu/menu/internal/ps2"
)

// pointer is the mouse pointer the menu draws itself: the Linux console
// draws none. The mouse goroutine moves it; the UI goroutine draws it.
type pointer struct {
	enabled atomic.Bool   // a mouse is being read
	moved   atomic.Bool   // it moved at least once: hide it until then
	pos     atomic.Uint64 // x<<32 | y
	size    atomic.Uint64 // screen w<<32 | h, from the last frame
	redraw  atomic.Bool   // a redraw for a move is queued
	// avoid is where the pointer is not drawn this frame: over a QR code,
	// where a reversed cell would be a wrong module for the phone. The UI
	// goroutine resets it before every frame; the QR view sets it.
	avoid rect
}

// rect is an area of the screen, in cells.
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }

func pack(a, b int) uint64              { return uint64(uint32(a))<<32 | uint64(uint32(b)) }
func unpack(v uint64) (a, b int)        { return int(int32(v >> 32)), int(int32(v)) }
func (p *pointer) position() (x, y int) { return unpack(p.pos.Load()) }

// draw marks the cell under the pointer, in a pair of the table that
// contrasts with whatever the cell's background was; tview calls it after
// every frame. Over a QR code it draws nothing.
//
// The pair is sent in reverse video, past the display: both its colours
// are among the console's eight, so the console and a terminal emulator
// show it alike, and the pointer is the one cell on screen in reverse
// video, which is how a screen reader (the QEMU bench) finds it.
func (p *pointer) draw(screen tcell.Screen) {
	w, h := screen.Size()
	p.size.Store(pack(w, h))
	if !p.enabled.Load() || !p.moved.Load() {
		return
	}
	x, y := p.position()
	if x >= w || y >= h || p.avoid.contains(x, y) {
		return
	}
	r, comb, style, _ := screen.GetContent(x, y)
	mark := rolePointer
	if _, bg := paletteOf(style); bg == styleTable[rolePointer].bg {
		mark = rolePointerOnLight
	}
	st := pointerStyle(mark)
	if d, ok := screen.(*display); ok {
		screen = d.Screen
		if d.console {
			st = pointerOnConsole(mark)
		}
	}
	screen.SetContent(x, y, r, comb, st)
}

// pointerStyle is how the pointer's role is sent: its colours swapped, in
// reverse video.
func pointerStyle(r role) tcell.Style {
	p := styleTable[r]
	return tcell.StyleDefault.Foreground(colour(p.bg)).Background(colour(p.fg)).Reverse(true)
}

// pointerOnConsole is pointerStyle in the console's entries
// (palette.ConsoleSlot).
func pointerOnConsole(r role) tcell.Style {
	p := styleTable[r]
	return tcell.StyleDefault.Foreground(colour(palette.ConsoleSlot(p.bg))).Background(colour(palette.ConsoleSlot(p.fg))).Reverse(true)
}

// readMouse turns PS/2 packets into tcell mouse events queued to the
// application, which tview routes to the primitive under the pointer as it
// does a terminal's. When the mouse fails the menu goes on keyboard-only.
func (m *Menu) readMouse(r io.Reader) {
	var ptr *ps2.Pointer
	var w, h int
	err := ps2.ReadPackets(r, func(pk ps2.Packet) {
		sw, sh := unpack(m.pointer.size.Load())
		if sw <= 0 || sh <= 0 {
			return // nothing drawn yet
		}
		if ptr == nil {
			// One cell per that many counts: the pixels of a cell,
			// as the kernel's mousedev counts about one per pixel.
			ptr = ps2.NewPointer(sw, sh, m.opts.Display.CellWidth, m.opts.Display.CellHeight)
		} else if sw != w || sh != h {
			ptr.Resize(sw, sh)
		}
		w, h = sw, sh
		if !ptr.Apply(pk) {
			return
		}
		x, y, b := ptr.Position()
		ox, oy := m.pointer.position()
		moved := x != ox || y != oy || !m.pointer.moved.Load()
		m.pointer.pos.Store(pack(x, y))
		m.pointer.moved.Store(true)
		var buttons tcell.ButtonMask
		if b&ps2.Left != 0 {
			buttons |= tcell.ButtonPrimary
		}
		if b&ps2.Right != 0 {
			buttons |= tcell.ButtonSecondary
		}
		if b&ps2.Middle != 0 {
			buttons |= tcell.ButtonMiddle
		}
		select {
		case <-m.ctx.Done():
			return
		default:
		}
		m.app.QueueEvent(tcell.NewEventMouse(x, y, buttons, tcell.ModNone))
		// A move over nothing clickable redraws nothing in tview: redraw
		// for the pointer, at most one queued redraw at a time.
		if moved && m.pointer.redraw.CompareAndSwap(false, true) {
			go m.post(func() { m.pointer.redraw.Store(false) })
		}
	})
	m.pointer.enabled.Store(false)
	select {
	case <-m.ctx.Done():
		return
	default:
	}
	m.log.Warn("mouse stopped: the menu goes on keyboard-only", "err", err)
	m.post(func() {})
}
