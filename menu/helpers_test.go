package menu

import (
	"crypto/rand"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/internal/payload"
	"nvrmenu/menu/internal/softkbd"
	"nvrmenu/recovery"
	"nvrmenu/texts"
	"nvrmenu/usb"
)

// The test device. testKDF keeps argon2id cheap: its real cost has its own
// benchmarks in recovery.
const (
	testSerial   = "NVRTEST000001"
	testPassword = "Gt5!wQz8@n"
	newPassword  = "Rb4$kXv7%m"
	waitLimit    = 15 * time.Second
)

var testKDF = recovery.KDFParams{MemoryKiB: 64, Time: 1, Threads: 1}

// harness is a real menu on a simulated screen, with a real recovery core in
// a temporary state directory and a real USB watcher in "dirs" mode (a
// directory made under media is a plugged stick).
type harness struct {
	t       testing.TB
	m       *Menu
	sim     tcell.SimulationScreen
	rc      *recovery.Core
	core    *recovery.Door // the console's
	vendor  payload.PrivateKey
	media   string
	watcher *usb.Watcher
	clock   *steppingClock
	done    chan error
	// lastX, lastY is the cell last clicked.
	lastX, lastY int
	sess         *recovery.Session // the admin session some scenes use
	frames       atomic.Int64      // frames drawn
}

type harnessOptions struct {
	lang       string
	w, h       int
	qrBlocks   string
	mouse      io.Reader
	activated  bool // activate the device with testPassword before the menu starts
	noVendor   bool // no vendor key: the email method is unavailable
	kdf        recovery.KDFParams
	idle       time.Duration
	noStart    bool // make the menu but leave Run to the test
	display    Display
	demoHelp   string
	maxEntries int    // the watcher's cap on a listing; 0: its default
	serial     string // the device's serial; "": testSerial
	appURL     string // recovery.app_url: the QR code's URL form
	model      string // the recorder's model, in the title bar
	// stick, when set, adds to each stick the watcher reports what a
	// recorder's watcher finds of a real one (label, vendor, model, size).
	stick func(usb.Stick) usb.Stick
}

// dressedSticks is the watcher, its sticks passed through dress.
type dressedSticks struct {
	*usb.Watcher
	dress func(usb.Stick) usb.Stick
}

func (d dressedSticks) Sticks() []usb.Stick {
	ss := d.Watcher.Sticks()
	for i := range ss {
		ss[i] = d.dress(ss[i])
	}
	return ss
}

func newHarness(t testing.TB, o harnessOptions) *harness {
	t.Helper()
	if o.w == 0 {
		o.w, o.h = 80, 25
	}
	h := &harness{t: t, media: t.TempDir(), clock: newSteppingClock(), done: make(chan error, 1)}
	vendor, err := payload.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	h.vendor = vendor
	if o.kdf == (recovery.KDFParams{}) {
		o.kdf = testKDF
	}
	if o.serial == "" {
		o.serial = testSerial
	}
	opts := recovery.Options{
		StateDir:        t.TempDir(),
		Serial:          o.serial,
		KDF:             o.kdf,
		RecoveryAddress: "pw_recovery@example.com",
		AppURL:          o.appURL,
		Clock:           h.clock,
		// The web door may activate: the tests of other doors' changes.
		NetworkActivation: true,
	}
	if o.idle > 0 {
		opts.ConsoleSession = recovery.SessionPolicy{Idle: o.idle}
	}
	if !o.noVendor {
		pub := vendor.Public()
		opts.VendorKey = &pub
	}
	h.rc, err = recovery.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	h.core = h.rc.Console()
	t.Cleanup(func() { h.rc.Close() })
	if o.activated {
		s, err := h.core.Activate(testPassword)
		if err != nil {
			t.Fatal(err)
		}
		s.Logout()
	}
	h.watcher, err = usb.NewWatcher(usb.Options{
		Source:     usb.SourceDirs,
		MediaRoot:  h.media,
		Match:      recovery.IsGUIDFileName,
		MaxEntries: o.maxEntries,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.watcher.Close() })
	var sticks Sticks = h.watcher
	if o.stick != nil {
		sticks = dressedSticks{h.watcher, o.stick}
	}
	h.m, err = New(Options{
		Core:     h.core,
		Sticks:   sticks,
		Language: o.lang,
		QRBlocks: o.qrBlocks,
		Mouse:    o.mouse,
		Display:  o.display,
		DemoHelp: o.demoHelp,
		Model:    o.model,
		Logger:   slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	h.sim = tcell.NewSimulationScreen("UTF-8")
	if err := h.sim.Init(); err != nil {
		t.Fatal(err)
	}
	if o.noStart {
		return h
	}
	h.m.afterFrame = func() { h.frames.Add(1) }
	go func() { h.done <- h.m.Run(h.sim) }()
	t.Cleanup(h.stop)
	h.waitFor(func(string) bool { return h.onUI(func() bool { return h.m.screenName != "" }) }, "first screen")
	h.waitFor(func(s string) bool { return strings.TrimSpace(s) != "" }, "first frame")
	h.resize(o.w, o.h)
	return h
}

// resize gives the screen w×h cells, as a resized terminal would. (tview's
// SetScreen initialises the screen again, back to 80x25: so after Run.)
func (h *harness) resize(w, hh int) {
	h.m.app.QueueUpdateDraw(func() { h.sim.SetSize(w, hh) })
	h.waitFor(func(string) bool {
		return onUI(h, func() bool { cw, ch := h.sim.Size(); return cw == w && ch == hh })
	}, "resize")
}

func (h *harness) stop() {
	h.m.Stop()
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("Run: %v", err)
		}
	case <-time.After(waitLimit):
		h.t.Errorf("Run did not return after Stop")
	}
}

// steppingClock moves one second further at every reading, so that two
// GUID exports in one test get two file names (they are named to the
// second, as an owner cannot click twice through the export within one).
// Its monotonic side is the real one, plus what advance adds.
type steppingClock struct {
	mu     sync.Mutex
	t      time.Time
	start  time.Time
	offset time.Duration
}

func newSteppingClock() *steppingClock {
	return &steppingClock{t: time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC), start: time.Now()}
}

func (c *steppingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func (c *steppingClock) Elapsed() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Since(c.start) + c.offset
}

// advance moves both sides of the clock by d.
func (c *steppingClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.offset += d
}

// testWriter sends the menu's log to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// onUI runs f on the UI goroutine and returns its result.
func onUI[T any](h *harness, f func() T) T {
	var v T
	h.m.app.QueueUpdate(func() { v = f() })
	return v
}

func (h *harness) onUI(f func() bool) bool { return onUI(h, f) }

// screen returns the screen's text, one line per row, read on the UI
// goroutine (GetContents hands back the live buffer).
func (h *harness) screen() string {
	return onUI(h, func() string {
		cells, w, hh := h.sim.GetContents()
		var b strings.Builder
		for y := 0; y < hh; y++ {
			for x := 0; x < w; x++ {
				c := cells[y*w+x]
				if len(c.Runes) == 0 {
					b.WriteByte(' ')
					continue
				}
				b.WriteRune(c.Runes[0])
			}
			b.WriteByte('\n')
		}
		return b.String()
	})
}

// waitFor polls the screen until cond holds, failing after waitLimit.
func (h *harness) waitFor(cond func(screen string) bool, what string) string {
	h.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		s := h.screen()
		if v := texts.Unfilled(s); v != "" {
			h.t.Fatalf("the screen shows an unfilled format verb %q:\n%s", v, s)
		}
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("waiting for %s: timed out; screen:\n%s", what, s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitText waits until every text is on screen.
func (h *harness) waitText(texts ...string) string {
	h.t.Helper()
	return h.waitFor(func(s string) bool {
		for _, t := range texts {
			if !onScreen(s, t) {
				return false
			}
		}
		return true
	}, strings.Join(texts, " + "))
}

// onScreen reports whether text is on screen: on one line, or wrapped over
// several (its words in order, other boxes' words possibly between them).
func onScreen(screen, text string) bool {
	if strings.Contains(screen, text) {
		return true
	}
	words := strings.FieldsFunc(flatten(screen), isBoxOrSpace)
	want := strings.Fields(text)
	i := 0
	for _, w := range words {
		if i < len(want) && w == want[i] {
			i++
		}
	}
	return i == len(want)
}

func isBoxOrSpace(r rune) bool {
	return r == ' ' || r == '\n' || (r >= 0x2500 && r <= 0x257f)
}

// flatten joins wrapped lines so that a sentence wrapped by a text view is
// found whole.
func flatten(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line = strings.Trim(line, " │┃║|")
		if line == "" {
			continue
		}
		b.WriteString(strings.Join(strings.Fields(line), " ") + " ")
	}
	return b.String()
}

// waitScreen waits until the menu shows the named screen and no overlay.
func (h *harness) waitScreen(name string) {
	h.t.Helper()
	h.waitFor(func(string) bool {
		return h.onUI(func() bool { return h.m.screenName == name && h.m.busy == 0 })
	}, "screen "+name)
}

func (h *harness) tr(id texts.ID) string { return onUI(h, func() string { return h.m.tr.T(id) }) }

// key presses a special key.
func (h *harness) key(k tcell.Key) { h.sim.InjectKey(k, 0, tcell.ModNone) }

// typeText types s on the physical keyboard.
func (h *harness) typeText(s string) {
	for _, r := range s {
		h.sim.InjectKey(tcell.KeyRune, r, tcell.ModNone)
	}
}

// click clicks at x, y: a press and a release on the same cell.
func (h *harness) click(x, y int) {
	h.lastX, h.lastY = x, y
	h.sim.InjectMouse(x, y, tcell.ButtonPrimary, tcell.ModNone)
	h.sim.InjectMouse(x, y, tcell.ButtonNone, tcell.ModNone)
}

// children are the primitives a container of the menu holds, for the
// tests' walks over a screen.
func children(p tview.Primitive) []tview.Primitive {
	var out []tview.Primitive
	flex := func(f *tview.Flex) {
		for i := 0; i < f.GetItemCount(); i++ {
			if it := f.GetItem(i); it != nil {
				out = append(out, it)
			}
		}
	}
	switch p := p.(type) {
	case *root:
		_, front := p.GetFrontPage()
		out = append(out, front)
	case *frame:
		if p.wide {
			out = append(out, p.body)
		} else {
			out = append(out, p.panel)
		}
	case *panel:
		out = append(out, p.body)
	case *dialogBox:
		out = append(out, p.content)
	case *stack:
		flex(p.Flex)
	case *qrBody:
		out = append(out, p.panel, p.qr)
	case *tview.Flex:
		flex(p)
	}
	return out
}

// buttons lists the buttons under p, with their rectangles from the last
// frame.
func buttons(p tview.Primitive) []*tview.Button {
	var out []*tview.Button
	if f, ok := p.(*form); ok {
		for i := 0; i < f.GetButtonCount(); i++ {
			out = append(out, f.GetButton(i))
		}
	}
	for _, c := range children(p) {
		out = append(out, buttons(c)...)
	}
	return out
}

// find returns the cell where text starts on screen, scanning rows top to
// bottom; with button set, the middle of a button labelled text on the
// front page (a dialog's over a screen's), as drawn.
func (h *harness) find(text string, button bool) (x, y int, ok bool) {
	if button {
		return h.findButton(text)
	}
	return onUI(h, func() (hit cellHit) {
		cells, w, hh := h.sim.GetContents()
		want := []rune(text)
		for y := 0; y < hh; y++ {
			for x := 0; x+len(want) <= w; x++ {
				match := true
				for i, r := range want {
					c := cells[y*w+x+i]
					if len(c.Runes) == 0 || c.Runes[0] != r {
						match = false
						break
					}
				}
				if match {
					hit.x, hit.y, hit.ok = x, y, true
					return hit
				}
			}
		}
		return hit
	}).unpack()
}

// cellHit is a cell found on screen.
type cellHit struct {
	x, y int
	ok   bool
}

func (c cellHit) unpack() (int, int, bool) { return c.x, c.y, c.ok }

// findButton finds the button labelled text on the front page, the focused
// one first when several are, and returns its first label cell.
func (h *harness) findButton(text string) (x, y int, ok bool) {
	return onUI(h, func() (hit cellHit) {
		cells, w, _ := h.sim.GetContents()
		for _, focusedOnly := range []bool{true, false} {
			for _, b := range buttons(h.m.root) {
				bx, by, bw, bh := b.GetRect()
				if b.GetLabel() != text || bw <= 0 || bh <= 0 || (focusedOnly && !b.HasFocus()) {
					continue
				}
				// The label as drawn there now (not a rectangle left
				// from a screen gone).
				lx := bx + (bw-utf8.RuneCountInString(text))/2
				row := ""
				for i := range utf8.RuneCountInString(text) {
					if c := cells[by*w+lx+i]; len(c.Runes) > 0 {
						row += string(c.Runes[0])
					}
				}
				if row == text {
					hit.x, hit.y, hit.ok = lx, by, true
					return hit
				}
			}
		}
		return hit
	}).unpack()
}

// clickText waits for text and clicks its middle.
func (h *harness) clickText(text string) {
	h.t.Helper()
	h.clickFound(text, false)
}

// clickButton waits for a button labelled text and clicks it.
func (h *harness) clickButton(text string) {
	h.t.Helper()
	h.clickFound(text, true)
}

func (h *harness) clickFound(text string, button bool) {
	h.t.Helper()
	x, y := h.waitFind(text, button)
	if x == h.lastX && y == h.lastY && utf8.RuneCountInString(text) > 1 {
		// The menu takes a second click on the cell just clicked, after
		// the first changed the screen, for the second half of a double
		// click and drops it (see New): a person clicking a new button
		// that appeared under the pointer waits that long; a test clicks
		// another cell of the label.
		x--
	}
	h.click(x, y)
}

// waitFind waits for text (on a button's background, with button set) and
// returns the cell in the middle of it.
func (h *harness) waitFind(text string, button bool) (x, y int) {
	h.t.Helper()
	h.waitFor(func(string) bool {
		var ok bool
		x, y, ok = h.find(text, button)
		return ok
	}, "clickable "+text)
	return x + utf8.RuneCountInString(text)/2, y
}

// clickField clicks the input area right of a field's label: the on-screen
// keyboard opens.
func (h *harness) clickField(label string) {
	h.t.Helper()
	var x, y int
	h.waitFor(func(string) bool {
		var ok bool
		x, y, ok = h.find(label+" ", false)
		return ok
	}, "field "+label)
	h.click(x+utf8.RuneCountInString(label)+2, y)
	h.waitFor(func(string) bool { return h.keyboard() != nil }, "on-screen keyboard")
}

// keyboard returns the open on-screen keyboard, or nil.
func (h *harness) keyboard() *softkbd.Keyboard {
	return onUI(h, func() *softkbd.Keyboard {
		kb, _ := h.m.app.GetFocus().(*softkbd.Keyboard)
		return kb
	})
}

// plug makes a stick named name; unplug removes it.
func (h *harness) plug(name string) string {
	dir := filepath.Join(h.media, name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		h.t.Fatal(err)
	}
	return dir
}

func (h *harness) unplug(name string) {
	if err := os.RemoveAll(filepath.Join(h.media, name)); err != nil {
		h.t.Fatal(err)
	}
}

// clickKey clicks the on-screen keyboard's key showing cap (a rune or a
// label such as "Ok"), found inside the keyboard's rectangle below its text
// line.
func (h *harness) clickKey(cap string) {
	h.t.Helper()
	type hit struct{ x, y int }
	var at hit
	h.waitFor(func(string) bool {
		found := onUI(h, func() *hit {
			kb, ok := h.m.app.GetFocus().(*softkbd.Keyboard)
			if !ok {
				return nil
			}
			kx, ky, kw, kh := kb.GetRect()
			cells, w, _ := h.sim.GetContents()
			want := []rune(cap)
			for y := ky + 2; y < ky+kh-1; y++ {
				for x := kx + 1; x+len(want) < kx+kw; x++ {
					match := true
					for i, r := range want {
						c := cells[y*w+x+i]
						if len(c.Runes) == 0 || c.Runes[0] != r {
							match = false
							break
						}
					}
					// A one-rune cap stands alone between spaces.
					if match && len(want) == 1 {
						l, r := cells[y*w+x-1], cells[y*w+x+1]
						match = len(l.Runes) > 0 && l.Runes[0] == ' ' && len(r.Runes) > 0 && r.Runes[0] == ' '
					}
					if match {
						return &hit{x + len(want)/2, y}
					}
				}
			}
			return nil
		})
		if found != nil {
			at = *found
		}
		return found != nil
	}, "key "+cap)
	h.click(at.x, at.y)
}

// typeByClicks types s on the on-screen keyboard by clicks alone, switching
// case and page as a person would, then clicks Ok.
func (h *harness) typeByClicks(s string) {
	h.t.Helper()
	shift, symbols := h.tr(texts.KeyShift), h.tr(texts.KeySymbols)
	letters := h.tr(texts.KeyLetters)
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			h.clickKey(shift) // latches: the caps turn upper case
			h.clickKey(string(r))
			h.clickKey(shift)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			h.clickKey(string(r))
		default:
			h.clickKey(symbols)
			h.clickKey(string(r))
			h.clickKey(letters)
		}
	}
	want := utf8.RuneCountInString(s)
	h.waitFor(func(string) bool {
		return onUI(h, func() bool {
			kb, ok := h.m.app.GetFocus().(*softkbd.Keyboard)
			return ok && utf8.RuneCountInString(kb.Text()) == want
		})
	}, "keyboard text typed")
	h.clickKey(h.tr(texts.Ok))
	h.waitFor(func(string) bool { return h.keyboard() == nil }, "keyboard closed")
}

// focusedList returns the list that has the focus, if any. On the UI
// goroutine.
func (h *harness) focusedList() (*tview.List, bool) {
	switch l := h.m.app.GetFocus().(type) {
	case *list:
		return l.List, true
	case *tview.List:
		return l, true
	}
	return nil, false
}

// picker returns the focused stick picker's inner rectangle, if one is up.
// On the UI goroutine.
func (h *harness) picker() (x, y, w, hh int, ok bool) {
	l, ok := h.focusedList()
	if !ok || !strings.Contains(l.GetTitle(), h.m.tr.T(texts.PickStick)) {
		return 0, 0, 0, 0, false
	}
	x, y, w, hh = l.GetInnerRect()
	return x, y, w, hh, true
}

// pickStick chooses the stick named name in the stick picker, clicking
// inside the picker's own list (the name may also be on the screen below).
func (h *harness) pickStick(name string) {
	h.t.Helper()
	var x, y int
	h.waitFor(func(string) bool {
		var lx, ly, lw, lh int
		if !h.onUI(func() bool { var ok bool; lx, ly, lw, lh, ok = h.picker(); return ok }) {
			return false
		}
		// A screen drawn after the picker was seen: the rows are its.
		rows := strings.Split(h.screen(), "\n")
		for ry := ly; ry < ly+lh && ry < len(rows); ry++ {
			row := []rune(rows[ry])
			if lx+lw > len(row) {
				continue
			}
			if i := strings.Index(string(row[lx:lx+lw]), name); i >= 0 {
				x, y = lx+utf8.RuneCountInString(string(row[lx : lx+lw])[:i])+1, ry
				return true
			}
		}
		return false
	}, "stick picker with "+name)
	h.click(x, y)
	// Wait until the click is handled (the picker has closed), so that a
	// following waitScreen sees the write's busy state, not the screen
	// before the click.
	h.waitFor(func(string) bool {
		return h.onUI(func() bool { _, _, _, _, up := h.picker(); return !up })
	}, "stick picker closed")
}
