package vtcon_test

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/gdamore/tcell/v2/terminfo"
	_ "github.com/gdamore/tcell/v2/terminfo/l/linux"
)

// fakeTTY is a terminal that keeps what tcell writes.
type fakeTTY struct {
	mu     sync.Mutex
	out    bytes.Buffer
	closed chan struct{}
	once   sync.Once
}

func (t *fakeTTY) Start() error             { return nil }
func (t *fakeTTY) Stop() error              { return nil }
func (t *fakeTTY) Drain() error             { t.once.Do(func() { close(t.closed) }); return nil }
func (t *fakeTTY) NotifyResize(func())      {}
func (t *fakeTTY) Close() error             { return t.Drain() }
func (t *fakeTTY) Read([]byte) (int, error) { <-t.closed; return 0, io.EOF }
func (t *fakeTTY) WindowSize() (tcell.WindowSize, error) {
	return tcell.WindowSize{Width: 4, Height: 1}, nil
}
func (t *fakeTTY) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.out.Write(b)
}
func (t *fakeTTY) take() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.out.String()
	t.out.Reset()
	return s
}

// TestTcellOnTheLinuxConsole pins what tcell v2.13.10 sends for each
// colour on TERM=linux, which the menu's style table is built on (the
// package comment says it in words): colours 0-7 as ESC[3N;4Mm, colours
// 8-15 mapped down to 0-7 (never SGR 90-97), bold as ESC[1m after them.
func TestTcellOnTheLinuxConsole(t *testing.T) {
	ti, err := terminfo.LookupTerminfo("linux")
	if err != nil {
		t.Fatal(err)
	}
	tty := &fakeTTY{closed: make(chan struct{})}
	s, err := tcell.NewTerminfoScreenFromTtyTerminfo(tty, ti)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("NO_COLOR", "")
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	defer s.Fini()
	s.Show()
	tty.take()
	// tcell's colour 8-15 and what it sends instead, on 8 colours.
	mappedTo := map[int]int{8: 7, 9: 1, 10: 2, 11: 3, 12: 4, 13: 5, 14: 6, 15: 7}
	sent := func(fg tcell.Color, attrs tcell.AttrMask) string {
		s.SetContent(0, 0, 'X', nil, tcell.StyleDefault.Foreground(fg).Background(tcell.ColorNavy).Attributes(attrs))
		s.Show()
		out := tty.take()
		s.SetContent(0, 0, ' ', nil, tcell.StyleDefault) // so the next Show sends a style again
		s.Show()
		tty.take()
		return out
	}
	for c := 0; c < 16; c++ {
		want := c
		if c >= 8 {
			want = mappedTo[c]
		}
		got := sent(tcell.PaletteColor(c), 0)
		wantSGR := fmt.Sprintf("\x1b[m\x0f\x1b[3%d;44mX", want)
		if !bytes.Contains([]byte(got), []byte(wantSGR)) {
			t.Errorf("colour %d: tcell sent %q, want it to contain %q", c, got, wantSGR)
		}
		got = sent(tcell.PaletteColor(c), tcell.AttrBold)
		wantSGR = fmt.Sprintf("\x1b[m\x0f\x1b[3%d;44m\x1b[1mX", want)
		if !bytes.Contains([]byte(got), []byte(wantSGR)) {
			t.Errorf("colour %d bold: tcell sent %q, want it to contain %q", c, got, wantSGR)
		}
	}
	// An RGB colour is mapped to 0-7 too: a true yellow becomes colour 3.
	if got := sent(tcell.NewRGBColor(0xff, 0xff, 0x55), 0); !bytes.Contains([]byte(got), []byte("\x1b[33;44m")) {
		t.Errorf("#FFFF55: tcell sent %q, want colour 3", got)
	}
	if got := sent(tcell.ColorWhite, tcell.AttrDim); !bytes.Contains([]byte(got), []byte("\x1b[2m")) {
		t.Errorf("dim: tcell sent %q, want ESC[2m", got)
	}
}
