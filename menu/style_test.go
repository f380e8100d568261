package menu

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/gdamore/tcell/v2/terminfo"
	_ "github.com/gdamore/tcell/v2/terminfo/l/linux" // tcell's built-in entry

	"nvrmenu/internal/palette"
)

// minContrast is WCAG 2's minimum for text (level AA).
const minContrast = 4.5

// TestStyleTableContrast walks every role of the style table as the Linux
// console shows it (the daemon's palette.Console, bold as bright, no bright
// background) and as xterm shows it (palette.Xterm): every pair reaches
// 4.5:1.
func TestStyleTableContrast(t *testing.T) {
	for r := role(0); r < roleCount; r++ {
		p := styleTable[r]
		if p.bg > 7 {
			t.Errorf("role %d: background %d: the console has only 0-7", r, p.bg)
		}
		if p.fg == p.bg {
			t.Errorf("role %d: foreground and background are both %d", r, p.fg)
		}
		if (r == rolePointer || r == rolePointerOnLight) && p.fg > 7 {
			t.Errorf("role %d: the pointer is sent in reverse video: its foreground must be 0-7 too", r)
		}
		for _, mode := range []struct {
			name    string
			console bool
			pal     *[16]palette.RGB
		}{{"console", true, &palette.Console}, {"xterm", false, &palette.Xterm}} {
			st := r.style()
			if mode.console {
				st = onConsole(st)
			}
			fg, bg := shown(st, mode.console, mode.pal)
			if c := palette.Contrast(fg, bg); c < minContrast {
				t.Errorf("role %d on %s: %v on %v is %.2f:1, want %.1f", r, mode.name, fg, bg, c, minContrast)
			}
		}
	}
}

// TestConsoleShowsBrightWithBold: a bright foreground reaches the console as
// its base colour with bold, a base one without; the console's palette entry
// for bold+base is the bright colour the table names.
func TestConsoleShowsBrightWithBold(t *testing.T) {
	for fg := uint8(0); fg < 16; fg++ {
		st := onConsole(tcell.StyleDefault.Foreground(colour(fg)).Background(colour(navy)))
		f, b, attrs := st.Decompose()
		// The console's entries are in the daemon's order: navy is 0.
		if want := colour(palette.ConsoleSlot(fg & 7)); f != want || b != colour(palette.ConsoleSlot(navy)) {
			t.Errorf("fg %d: sent as %v on %v, want %v on navy's entry", fg, f, b, want)
		}
		if bold := attrs&tcell.AttrBold != 0; bold != (fg >= 8) {
			t.Errorf("fg %d: bold %v", fg, bold)
		}
		if got, _ := shown(st, true, &palette.Console); got != palette.Console[fg] {
			t.Errorf("fg %d: the console shows %v, want %v", fg, got, palette.Console[fg])
		}
	}
	// Reverse is resolved before it reaches the console.
	st := onConsole(roleText.style().Reverse(true))
	if f, b, attrs := st.Decompose(); f != colour(palette.ConsoleSlot(navy)) || b != colour(grey) || attrs&tcell.AttrReverse != 0 {
		t.Errorf("reversed text reaches the console as %v on %v, %v", f, b, attrs)
	}
}

// fakeTTY is a terminal that records what tcell writes to it. Reads wait
// until tcell drains it (at Fini).
type fakeTTY struct {
	mu      sync.Mutex
	out     bytes.Buffer
	drained chan struct{}
	once    sync.Once
}

func newFakeTTY() *fakeTTY { return &fakeTTY{drained: make(chan struct{})} }

func (f *fakeTTY) Start() error        { return nil }
func (f *fakeTTY) Stop() error         { return f.Drain() }
func (f *fakeTTY) Drain() error        { f.once.Do(func() { close(f.drained) }); return nil }
func (f *fakeTTY) NotifyResize(func()) {}
func (f *fakeTTY) Close() error        { return f.Drain() }
func (f *fakeTTY) Read([]byte) (int, error) {
	<-f.drained
	return 0, io.EOF
}
func (f *fakeTTY) WindowSize() (tcell.WindowSize, error) {
	return tcell.WindowSize{Width: 80, Height: 25}, nil
}
func (f *fakeTTY) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.out.Write(p)
}
func (f *fakeTTY) written() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.out.String()
}

// TestTcellLinuxSGR pins what tcell v2.13 sends on TERM=linux, which the
// style table is designed around: a bright foreground named as such
// becomes its nearest base colour (yellow is ESC[33m, the console's
// brown, never bright); the same colour through onConsole is ESC[33m then
// ESC[1m, which the console shows bright; backgrounds are ESC[4Xm. Through
// onConsole the entries are the daemon's order (palette.ConsoleSlot): the
// background navy is entry 0 (ESC[40m), black entry 4 (ESC[34m).
func TestTcellLinuxSGR(t *testing.T) {
	ti, err := terminfo.LookupTerminfo("linux")
	if err != nil {
		t.Fatal(err)
	}
	if ti.Colors != 8 {
		t.Fatalf("tcell's linux terminfo has %d colours, the table assumes 8", ti.Colors)
	}
	for _, tc := range []struct {
		name   string
		style  tcell.Style
		want   string
		absent string
	}{
		{"yellow as tcell names it", tcell.StyleDefault.Foreground(tcell.ColorYellow).Background(tcell.ColorNavy), "\x1b[33;44m", "\x1b[1m"},
		{"yellow through the table", onConsole(roleHeading.style()), "\x1b[33;40m\x1b[1m", ""},
		{"white on navy through the table", onConsole(roleText.style()), "\x1b[37;40m\x1b[1m", ""},
		{"black on grey through the table", onConsole(roleButton.style()), "\x1b[34;47m", "\x1b[1m"},
		// The display sees 8 colours and does the same without being told.
		{"yellow through the display", roleHeading.style(), "\x1b[33;40m\x1b[1m", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tty := newFakeTTY()
			var s tcell.Screen
			s, err := tcell.NewTerminfoScreenFromTtyTerminfo(tty, ti)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(tc.name, "display") {
				s = newDisplay(s, Display{})
			}
			if err := s.Init(); err != nil {
				t.Fatal(err)
			}
			defer s.Fini()
			before := len(tty.written())
			s.SetContent(3, 3, 'X', nil, tc.style)
			s.Show()
			out := tty.written()[before:]
			cell := out[:strings.IndexByte(out, 'X')]
			if !strings.Contains(cell, tc.want) || (tc.absent != "" && strings.Contains(cell, tc.absent)) {
				t.Errorf("the cell is sent as %q, want %q and no %q", cell, tc.want, tc.absent)
			}
		})
	}
}

// TestStrengthLevelsDistinct: the meter's four levels are four colours
// apart on the console (two were the same brown), and on xterm.
func TestStrengthLevelsDistinct(t *testing.T) {
	for _, pal := range []*[16]palette.RGB{&palette.Console, &palette.Xterm} {
		console := pal == &palette.Console
		var seen []palette.RGB
		for _, r := range strengthRoles {
			st := r.style()
			if console {
				st = onConsole(st)
			}
			fg, _ := shown(st, console, pal)
			for _, s := range seen {
				if distance(s, fg) < 60 {
					t.Errorf("console %v: strength colours %v and %v are too close", console, s, fg)
				}
			}
			seen = append(seen, fg)
		}
	}
}

// TestStatesLookDifferent: a method set up and one not, an item and one
// that cannot be chosen, never look alike (each is also said in words).
func TestStatesLookDifferent(t *testing.T) {
	for _, pair := range [][2]role{{roleStateReady, roleStateMissing}, {roleItem, roleDisabled}, {roleButton, roleFocus}, {roleField, roleFieldFocus}, {roleFocus, roleItemIdle}} {
		for _, console := range []bool{true, false} {
			pal := &palette.Xterm
			if console {
				pal = &palette.Console
			}
			f0, b0 := shown(onConsoleIf(pair[0].style(), console), console, pal)
			f1, b1 := shown(onConsoleIf(pair[1].style(), console), console, pal)
			if distance(f0, f1)+distance(b0, b1) < 60 {
				t.Errorf("console %v: roles %d and %d look alike: %v on %v, %v on %v", console, pair[0], pair[1], f0, b0, f1, b1)
			}
		}
	}
}

func onConsoleIf(st tcell.Style, console bool) tcell.Style {
	if console {
		return onConsole(st)
	}
	return st
}

func distance(a, b palette.RGB) float64 {
	d := func(x, y uint8) float64 { return float64(x) - float64(y) }
	return math.Sqrt(d(a.R, b.R)*d(a.R, b.R) + d(a.G, b.G)*d(a.G, b.G) + d(a.B, b.B)*d(a.B, b.B))
}

// checkContrast checks every cell of the screen that shows a glyph: its
// ink and its background reach 4.5:1 in the palette the screen shows.
func (h *harness) checkContrast(name string) {
	h.t.Helper()
	console := h.m.opts.Display.Console
	pal := &palette.Xterm
	if console {
		pal = &palette.Console
	}
	bad := onUI(h, func() []string {
		var out []string
		cells, w, _ := h.sim.GetContents()
		for i, c := range cells {
			if len(c.Runes) == 0 || c.Runes[0] == ' ' {
				continue
			}
			fg, bg := shown(c.Style, console, pal)
			if ct := palette.Contrast(fg, bg); ct < minContrast {
				out = append(out, fmt.Sprintf("%q at %d,%d: %v on %v, %.2f:1", c.Runes[0], i%w, i/w, fg, bg, ct))
				if len(out) > 5 {
					break
				}
			}
		}
		return out
	})
	for _, b := range bad {
		h.t.Errorf("%s (console %v): %s", name, console, b)
	}
}

// displayStyle is role r's style as it reaches the screen.
func (m *Menu) displayStyle(r role) tcell.Style {
	if m.opts.Display.Console {
		return onConsole(r.style())
	}
	return onTerminal(r.style())
}
