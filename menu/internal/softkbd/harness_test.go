package softkbd

import (
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// timeout bounds every wait; tests poll, they never sleep a fixed time.
const timeout = 5 * time.Second

// syncKey is injected after other events: once the application has seen it,
// every earlier event has been handled and drawn.
const syncKey = tcell.KeyF12

var (
	english = Labels{Ok: "OK", Cancel: "Cancel", Backspace: "Backspace", Shift: "Shift", Symbols: "Symbols", Letters: "Letters", Space: "Space"}
	italian = Labels{Ok: "OK", Cancel: "Annulla", Backspace: "Cancella", Shift: "Maiusc", Symbols: "Simboli", Letters: "Lettere", Space: "Spazio"}
)

// result is one call of the done callback.
type result struct {
	text string
	ok   bool
}

// options are New's arguments.
type options struct {
	title, initial string
	masked         bool
	maxLen         int
	labels         Labels
}

// harness runs a keyboard centred on an 80x25 simulated screen.
type harness struct {
	t       *testing.T
	app     *tview.Application
	sim     tcell.SimulationScreen
	kbd     *Keyboard
	results chan result
	synced  chan struct{}
}

// start runs a tview application showing a keyboard made with o and waits
// for its first frame.
func start(t *testing.T, o options) *harness {
	t.Helper()
	sim := tcell.NewSimulationScreen("UTF-8")
	if err := sim.Init(); err != nil {
		t.Fatalf("sim.Init: %v", err)
	}
	sim.SetSize(80, 25)
	h := &harness{
		t:       t,
		sim:     sim,
		results: make(chan result, 8),
		synced:  make(chan struct{}, 1),
	}
	h.kbd = New(o.title, o.initial, o.masked, o.maxLen, o.labels, func(text string, ok bool) {
		h.results <- result{text, ok}
	})
	w, hh := h.kbd.Size()
	column := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(nil, 0, 1, false).
		AddItem(h.kbd, hh, 0, true).
		AddItem(nil, 0, 1, false)
	root := tview.NewFlex().
		AddItem(nil, 0, 1, false).
		AddItem(column, w, 0, true).
		AddItem(nil, 0, 1, false)

	drawn := make(chan struct{}, 1)
	h.app = tview.NewApplication().SetScreen(sim).SetRoot(root, true)
	h.app.SetAfterDrawFunc(func(tcell.Screen) {
		select {
		case drawn <- struct{}{}:
		default:
		}
	})
	h.app.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
		if ev.Key() == syncKey {
			h.synced <- struct{}{}
			return nil
		}
		return ev
	})
	runErr := make(chan error, 1)
	go func() { runErr <- h.app.Run() }()
	select {
	case <-drawn:
	case <-time.After(timeout):
		t.Fatalf("no first frame within %v", timeout)
	}
	t.Cleanup(func() {
		h.app.Stop()
		if err := <-runErr; err != nil {
			t.Errorf("app.Run: %v", err)
		}
	})
	return h
}

// flush waits until every event injected so far has been handled.
func (h *harness) flush() {
	h.t.Helper()
	h.sim.InjectKey(syncKey, 0, tcell.ModNone)
	select {
	case <-h.synced:
	case <-time.After(timeout):
		h.t.Fatalf("events not handled within %v", timeout)
	}
}

// cell is one screen cell of a snapshot.
type cell struct {
	r     rune
	style tcell.Style
}

// snapshot is the screen and the keyboard's state, read on the event goroutine.
type snapshot struct {
	w, h         int
	cells        []cell
	x, y, kw, kh int // the keyboard's rect
	text         string
	theme        theme
}

// snap copies the screen inside QueueUpdate, where reading it is race-free.
func (h *harness) snap() snapshot {
	var s snapshot
	h.app.QueueUpdate(func() {
		cells, w, hh := h.sim.GetContents()
		s.w, s.h = w, hh
		s.cells = make([]cell, len(cells))
		for i, c := range cells {
			r := ' '
			if len(c.Runes) > 0 {
				r = c.Runes[0]
			}
			s.cells[i] = cell{r, c.Style}
		}
		s.x, s.y, s.kw, s.kh = h.kbd.GetRect()
		s.text = h.kbd.Text()
		s.theme = h.kbd.theme
	})
	return s
}

// at returns the cell at (x, y).
func (s snapshot) at(x, y int) cell {
	return s.cells[y*s.w+x]
}

// line returns the runes of screen line y from x to x+n-1.
func (s snapshot) line(x, y, n int) string {
	var b strings.Builder
	for i := x; i < x+n; i++ {
		b.WriteRune(s.at(i, y).r)
	}
	return b.String()
}

// String returns the whole screen as text, for failure messages.
func (s snapshot) String() string {
	var b strings.Builder
	for y := range s.h {
		b.WriteString(strings.TrimRight(s.line(0, y, s.w), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// isKey reports whether a style is one a key is drawn with.
func (s snapshot) isKey(st tcell.Style) bool {
	return st == s.theme.key || st == s.theme.selected || st == s.theme.latched
}

// keyCap is a key as seen on the screen: a run of cells in one key style.
type keyCap struct {
	label   string // the text on it, without padding
	x, y, w int
	style   tcell.Style
}

// caps returns every key drawn inside the keyboard's rect, row by row.
func (s snapshot) caps() []keyCap {
	var keys []keyCap
	for y := s.y; y < s.y+s.kh; y++ {
		for x := s.x; x < s.x+s.kw; {
			st := s.at(x, y).style
			if !s.isKey(st) {
				x++
				continue
			}
			end := x
			for end < s.x+s.kw && s.at(end, y).style == st {
				end++
			}
			keys = append(keys, keyCap{strings.TrimSpace(s.line(x, y, end-x)), x, y, end - x, st})
			x = end
		}
	}
	return keys
}

// labels returns the labels of caps.
func labels(keys []keyCap) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.label
	}
	return out
}

// findKey returns the keys labelled label.
func (s snapshot) findKey(label string) []keyCap {
	var found []keyCap
	for _, k := range s.caps() {
		if k.label == label {
			found = append(found, k)
		}
	}
	return found
}

// selected returns the label of the selected key, or "" if none is.
func (s snapshot) selected() string {
	for _, k := range s.caps() {
		if k.style == s.theme.selected {
			return k.label
		}
	}
	return ""
}

// textLine returns the line the text is typed on: the one with the cursor
// mark, from the start of the field (and its scroll mark, if shown) to just
// before the cursor mark.
func (s snapshot) textLine() (string, bool) {
	for y := s.y; y < s.y+s.kh; y++ {
		for x := s.x; x < s.x+s.kw; x++ {
			if s.at(x, y).style != s.theme.cursor {
				continue
			}
			start := x
			for start > s.x && s.at(start-1, y).style == s.theme.field {
				start--
			}
			if start > s.x && s.at(start-1, y).style == s.theme.more {
				start--
			}
			return s.line(start, y, x-start), true
		}
	}
	return "", false
}

// waitFor waits until cond holds on the screen, and returns that screen.
func (h *harness) waitFor(what string, cond func(snapshot) bool) snapshot {
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		h.flush()
		s := h.snap()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%s: not seen within %v; screen:\n%s", what, timeout, s)
		}
	}
}

// click clicks the one key labelled label, waiting for it to be shown.
func (h *harness) click(label string) {
	h.t.Helper()
	s := h.waitFor("key "+label, func(s snapshot) bool { return len(s.findKey(label)) == 1 })
	k := s.findKey(label)[0]
	x := k.x + k.w/2
	h.sim.InjectMouse(x, k.y, tcell.Button1, tcell.ModNone)
	h.sim.InjectMouse(x, k.y, tcell.ButtonNone, tcell.ModNone)
}

// typeRunes types s on the physical keyboard.
func (h *harness) typeRunes(s string) {
	for _, r := range s {
		h.sim.InjectKey(tcell.KeyRune, r, tcell.ModNone)
	}
}

// key presses a special key on the physical keyboard.
func (h *harness) key(k tcell.Key) {
	h.sim.InjectKey(k, 0, tcell.ModNone)
}

// text returns the text typed so far, once every injected event is handled.
func (h *harness) text() string {
	h.t.Helper()
	h.flush()
	return h.snap().text
}

// wantDone waits for done and checks its arguments, and that it was the only call.
func (h *harness) wantDone(want result) {
	h.t.Helper()
	select {
	case got := <-h.results:
		if got != want {
			h.t.Errorf("done(%q, %v), want done(%q, %v)", got.text, got.ok, want.text, want.ok)
		}
	case <-time.After(timeout):
		h.t.Fatalf("done not called within %v, want done(%q, %v)", timeout, want.text, want.ok)
	}
	h.flush()
	if n := len(h.results); n != 0 {
		h.t.Errorf("done called %d more times, want once", n)
	}
}
