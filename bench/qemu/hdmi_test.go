//go:build qemubench

package qemu

import (
	"bytes"
	"cmp"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"nvrmenu/bench/qemu/keys"
	"nvrmenu/bench/qemu/pixels"
	"nvrmenu/internal/vtcon"
	"nvrmenu/texts"
)

// minContrast is WCAG 2's ratio for text, which every text cell with ink
// must reach between its ink pixels and its background pixels; frames
// and blocks, WCAG's non-text parts of controls, need minContrastFrames.
const minContrast, minContrastFrames = 4.5, 3

// hdmi is the recorder's HDMI monitor as the bench sees and drives it:
// QEMU's screendump read with our font (package pixels), keys through
// sendkey, clicks through the USB mouse. Every screen it waits for is
// checked (checkScreen) and saved as a PNG.
type hdmi struct {
	*vm
	name   string // the resolution, for pictures and figures: 720p, 1080p
	reader *pixels.Reader
	keymap *keys.Map
	cat    catalogue

	raw   []byte // the last screendump's bytes
	shots int

	// The mouse: counts per cell, measured (calibrateMouse), and the cell
	// the menu's pointer is on.
	perX, perY int
	px, py     int
	calibrated bool

	// Samples for the figures.
	dumpTimes, readTimes, keyTimes []time.Duration
}

// screendump takes one picture of the display and reads it; it also
// returns whether it is the same, byte for byte, as the one before.
func (h *hdmi) screendump() (s *pixels.Screen, same bool) {
	h.t.Helper()
	path := h.path("screen.ppm")
	start := time.Now()
	h.monitorDo("screendump " + path)
	data, err := os.ReadFile(path)
	if err != nil {
		h.fatalf("screendump: %v", err)
	}
	h.dumpTimes = append(h.dumpTimes, time.Since(start))
	same = bytes.Equal(data, h.raw)
	h.raw = data
	start = time.Now()
	img, err := pixels.ParsePPM(data)
	if err != nil {
		h.fatalf("screendump %s: %v", path, err)
	}
	s = h.reader.Read(img)
	h.readTimes = append(h.readTimes, time.Since(start))
	return s, same
}

// wait takes screendumps until cond holds on a still screen (two dumps
// alike) showing no busy overlay, then checks that screen (checkScreen,
// with the texts the caller expects on it), saves it as a PNG named after
// the resolution and name, and returns it; with no name (a screen waited
// for again, to click on it) it does neither. After the deadline it ends
// the test with what it waited for and the screen's text.
func (h *hdmi) wait(name, what string, expect []string, cond func(*pixels.Screen) bool) *pixels.Screen {
	h.t.Helper()
	busy := h.cat.text(h.t, texts.Working)
	deadline := time.Now().Add(screenLimit)
	for {
		s, same := h.screendump()
		if same && !s.Has(busy) && cond(s) {
			if name != "" {
				h.checkScreen(name, s, expect)
				h.save(s, name)
			}
			return s
		}
		if time.Now().After(deadline) {
			h.save(s, "timeout-"+fileWord(cmp.Or(name, what)))
			h.fatalf("%s: waiting %v for %s: timed out; the screen reads:\n%s", h.name, screenLimit, what, s)
		}
		time.Sleep(pollEvery)
	}
}

// waitText waits for a screen showing every text of want (see wait).
func (h *hdmi) waitText(name string, want ...string) *pixels.Screen {
	h.t.Helper()
	return h.wait(name, fmt.Sprintf("%q", want), want, func(s *pixels.Screen) bool {
		for _, text := range want {
			if !s.Has(text) {
				return false
			}
		}
		return true
	})
}

// checkScreen holds every cell of s to the bench's rules: it matches a
// glyph of our font, it is not the replacement glyph (nor a ■ that the
// expected texts do not hold), and its ink has a contrast of at least
// minContrast with its background. A broken rule fails the test, which
// goes on.
func (h *hdmi) checkScreen(name string, s *pixels.Screen, expect []string) {
	h.t.Helper()
	problems := s.Check(pixels.Rules{MinContrast: minContrast, MinContrastFrames: minContrastFrames, Forbidden: pixels.DefaultForbidden, Allowed: strings.Join(expect, "")})
	if len(problems) == 0 {
		return
	}
	var b strings.Builder
	for i, p := range problems {
		if i == 20 {
			fmt.Fprintf(&b, "  ... and %d more\n", len(problems)-i)
			break
		}
		fmt.Fprintf(&b, "  %v\n", p)
	}
	h.t.Errorf("%s, screen %q: %d cells break the rules:\n%sthe screen reads:\n%s", h.name, name, len(problems), b.String(), s)
}

// save keeps a picture of the screen in the directory NVRMENU_QEMU_SHOTS
// names, if it does: <resolution>-<number>-<name>.png.
func (h *hdmi) save(s *pixels.Screen, name string) {
	dir := os.Getenv("NVRMENU_QEMU_SHOTS")
	if dir == "" {
		return
	}
	h.shots++
	path := filepath.Join(dir, fmt.Sprintf("%s-%02d-%s.png", h.name, h.shots, name))
	f, err := os.Create(path)
	if err != nil {
		h.t.Logf("saving the screen: %v", err)
		return
	}
	defer f.Close()
	if err := s.WritePNG(f); err != nil {
		h.t.Logf("saving the screen: %v", err)
	}
}

// fileWord makes s a short file name's word: letters and digits, dashes
// for the rest.
func fileWord(s string) string {
	w := strings.Trim(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return '-'
	}, s), "-")
	return w[:min(len(w), 40)]
}

// frameEnds reports whether s shows the menu filling a grid of cols x rows
// cells of our font: its title bar across the top row (black, in our
// palette), and its footer on the bottom row, on the menu's blue, with a
// key's name (black on grey) one cell in.
func frameEnds(s *pixels.Screen, cols, rows int) bool {
	if cols > s.Cols || rows > s.Rows || cols < 2 {
		return false
	}
	bar, blue, grey := vtcon.Palette[0], vtcon.Palette[4], vtcon.Palette[7]
	return s.Cell(0, 0).BG == bar && s.Cell(cols-1, 0).BG == bar &&
		s.Cell(0, rows-1).BG == blue && s.Cell(1, rows-1).BG == grey && s.Cell(cols-1, rows-1).BG == blue
}

// key presses special keys by sendkey's names (keys.Enter, keys.Tab, ...).
func (h *hdmi) key(names ...string) {
	h.t.Helper()
	for _, k := range names {
		h.monitorDo("sendkey " + k + " " + holdMS)
	}
}

// holdMS is how long sendkey holds a key, in ms: the guest's USB keyboard
// is polled every few ms; press and release keep their order in QEMU's
// queue whatever the hold.
const holdMS = "30"

// typeText types s on the USB keyboard, as the guest's keymap reads keys,
// one key at a time: each waits for the screen to change (the character
// echoed, a * in a password field: see textChanged), so that a guest
// slowed down by a busy host never has more keys queued than QEMU's USB
// keyboard holds (16 events).
func (h *hdmi) typeText(s string) { h.t.Helper(); h.typeKeys(s, false) }

// typeVisible types s into a field that shows what it holds (not a
// password's stars) and waits for the screen to show it whole: a key lost
// on its way fails the test there, with what the screen read, rather
// than as a wrong code or answer later.
func (h *hdmi) typeVisible(s string) {
	h.t.Helper()
	h.typeText(s)
	h.waitText("", s)
}

// typeTimed is typeText keeping the time from each sendkey to the frame
// that shows it: the figure "key to frame" (indicative: TCG, a shared
// machine, and each screendump takes its own time).
func (h *hdmi) typeTimed(s string) { h.t.Helper(); h.typeKeys(s, true) }

// keyEcho is how long a typed key may take to show before the bench
// sends the next one anyway (a key that changes nothing on screen).
const keyEcho = 5 * time.Second

func (h *hdmi) typeKeys(s string, timed bool) {
	h.t.Helper()
	ks, err := h.keymap.Keys(s)
	if err != nil {
		h.fatalf("typing %q: %v", s, err)
	}
	before, _ := h.screendump()
	for _, k := range ks {
		start := time.Now()
		h.monitorDo("sendkey " + k + " " + holdMS)
		for {
			if now, _ := h.screendump(); textChanged(before, now) {
				if timed {
					h.keyTimes = append(h.keyTimes, time.Since(start))
				}
				before = now
				break
			}
			if time.Since(start) > keyEcho {
				if timed {
					s, _ := h.screendump()
					h.fatalf("%s: the key %s changed nothing on screen in %v; it reads:\n%s", h.name, k, keyEcho, s)
				}
				h.t.Logf("%s: the key %s changed nothing on screen in %v: going on", h.name, k, keyEcho)
				break
			}
		}
	}
}

// textChanged reports whether b shows other text than a: a cell's
// character or colours, or the cursor in another cell. A dump taken while
// tcell redraws, with the cursor hidden for the time of it, differs from
// the one before in its pixels only: taken for the key's echo, the next
// key went out with this one still on its way (a run lost the end of a
// verification code so, behind its dash, whose echo came late).
func textChanged(a, b *pixels.Screen) bool {
	if a.Cols != b.Cols || a.Rows != b.Rows {
		return true
	}
	ca, cb := cursorCell(a), cursorCell(b)
	if ca >= 0 && cb >= 0 && ca != cb {
		return true
	}
	for y := range a.Rows {
		for x := range a.Cols {
			p, q := a.Cell(x, y), b.Cell(x, y)
			if p.Rune != q.Rune || p.FG != q.FG || p.BG != q.BG {
				return true
			}
		}
	}
	return false
}

// cursorCell is the index of the cell with the console's cursor, -1 when
// none shows it.
func cursorCell(s *pixels.Screen) int {
	for y := range s.Rows {
		for x := range s.Cols {
			if s.Cell(x, y).Cursor {
				return y*s.Cols + x
			}
		}
	}
	return -1
}

// The menu's pointer is the one cell it draws in other colours (reverse
// video, or a pair of its own), the same character.

// pointerAt reports whether now shows the pointer at x, y where before
// did not: the cell's colours changed, its character did not (a cell of
// one colour only changes colour).
func pointerAt(before, now *pixels.Screen, x, y int) bool {
	a, b := before.Cell(x, y), now.Cell(x, y)
	if a.FG == b.FG && a.BG == b.BG {
		return false
	}
	return a.Ink == 0 || b.Ink == 0 || a.Rune == b.Rune
}

// moveBy sends one relative move and waits until the pointer is drawn
// at x, y. The bench never moves it past an edge: there the menu drops
// counts, and QEMU merges a move into the counts still queued, so a move
// sent after one that overshot would be lost. Inside the screen, the
// pointer reaching x, y means every count has arrived.
func (h *hdmi) moveBy(dx, dy, x, y int) bool {
	h.t.Helper()
	before, _ := h.screendump()
	h.monitorDo(fmt.Sprintf("mouse_move %d %d", dx, dy))
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if now, same := h.screendump(); same && pointerAt(before, now, x, y) {
			h.px, h.py = x, y
			return true
		}
		time.Sleep(pollEvery)
	}
	return false
}

// moved sends one relative move and returns the cells that differ
// between the still screens before and after it: where the pointer was
// and where it is (only the latter for its first move, which shows it).
func (h *hdmi) moved(dx, dy int) []image.Point {
	h.t.Helper()
	before, _ := h.screendump()
	h.monitorDo(fmt.Sprintf("mouse_move %d %d", dx, dy))
	deadline := time.Now().Add(10 * time.Second)
	var changed []image.Point
	for time.Now().Before(deadline) {
		time.Sleep(4 * pollEvery)
		now, same := h.screendump()
		if !same {
			continue
		}
		changed = changed[:0]
		for y := range now.Rows {
			for x := range now.Cols {
				if now.Cell(x, y) != before.Cell(x, y) && pointerAt(before, now, x, y) {
					changed = append(changed, image.Pt(x, y))
				}
			}
		}
		if len(changed) > 0 {
			return changed
		}
	}
	return changed
}

// calibrateMouse finds the pointer and measures how many mouse counts the
// menu takes for a column and for a row: a first move shows the pointer,
// a second of calX and calY counts (whole cells at 8, 12 and 16 counts a
// column, 16, 24 and 32 a row), away from the nearer edges, shows how far
// that is. The rule is a cell's size in pixels; FIELD-NOTES
// measured 8 and 16 with 8x16 cells.
func (h *hdmi) calibrateMouse() {
	h.t.Helper()
	const calX, calY = 240, 96
	s, _ := h.screendump()
	first := h.moved(48, 96)
	if len(first) != 1 {
		h.fatalf("%s: mouse: the first move changed %v on screen: want the one cell of the pointer; the screen reads:\n%s", h.name, first, s)
	}
	p1 := first[0]
	dx, dy := calX, calY
	if p1.X > s.Cols/2 {
		dx = -dx
	}
	if p1.Y > s.Rows/2 {
		dy = -dy
	}
	second := h.moved(dx, dy)
	var p2 image.Point
	for _, p := range second {
		if p != p1 {
			p2 = p
		}
	}
	if len(second) != 2 || p2.X == p1.X || p2.Y == p1.Y {
		now, _ := h.screendump()
		h.fatalf("%s: mouse: a move of %d,%d counts from %v changed %v on screen; the screen reads:\n%s", h.name, dx, dy, p1, second, now)
	}
	h.perX, h.perY = dx/(p2.X-p1.X), dy/(p2.Y-p1.Y)
	h.px, h.py = p2.X, p2.Y
	h.calibrated = true
	h.t.Logf("%s: mouse: %d counts a column, %d a row, with %dx%d cells (%d,%d counts moved the pointer from %d,%d to %d,%d)",
		h.name, h.perX, h.perY, s.CellWidth, s.CellHeight, dx, dy, p1.X, p1.Y, p2.X, p2.Y)
	if h.perX != s.CellWidth || h.perY != s.CellHeight {
		h.t.Errorf("%s: mouse: the pointer takes %d counts a column and %d a row; the issue's rule is a cell's size in pixels, %d and %d",
			h.name, h.perX, h.perY, s.CellWidth, s.CellHeight)
	}
}

// locate finds the pointer again after a move went astray: a move of one
// column changes two neighbouring cells, where it was and where it is.
func (h *hdmi) locate() {
	h.t.Helper()
	for _, step := range []int{1, -1} {
		changed := h.moved(step*h.perX, 0)
		for _, a := range changed {
			for _, b := range changed {
				if b.X == a.X+step && b.Y == a.Y {
					h.px, h.py = b.X, b.Y
					return
				}
			}
		}
	}
	s, _ := h.screendump()
	h.fatalf("%s: mouse: lost the pointer; the screen reads:\n%s", h.name, s)
}

// moveTo moves the pointer to cell x, y.
func (h *hdmi) moveTo(x, y int) {
	h.t.Helper()
	if !h.calibrated {
		h.calibrateMouse()
	}
	for try := 0; try < 3; try++ {
		if h.px == x && h.py == y {
			return
		}
		if h.moveBy((x-h.px)*h.perX, (y-h.py)*h.perY, x, y) {
			return
		}
		h.t.Logf("%s: mouse: the pointer did not reach %d, %d from %d, %d: looking for it", h.name, x, y, h.px, h.py)
		h.locate()
	}
	s, _ := h.screendump()
	h.fatalf("%s: mouse: the pointer does not reach %d, %d; the screen reads:\n%s", h.name, x, y, s)
}

// click clicks the left button where the pointer is.
func (h *hdmi) click() {
	h.t.Helper()
	h.monitorDo("mouse_button 1")
	h.monitorDo("mouse_button 0")
}

// clickText waits for text on a still screen and clicks its first
// occurrence with the mouse, on an inked cell near its middle (the pointer
// shows on ink).
func (h *hdmi) clickText(text string) { h.t.Helper(); h.clickOn(text, (*pixels.Screen).Find) }

// clickButton clicks the button labelled text, not the same words in a
// sentence above it: the one drawn on a background of its own, else (a
// dialog's unfocused button has the dialog's) the last one on screen.
func (h *hdmi) clickButton(text string) {
	h.t.Helper()
	h.clickOn(text, func(s *pixels.Screen, text string) (int, int, bool) {
		if x, y, ok := s.FindButton(text); ok {
			return x, y, true
		}
		all := s.FindAll(text)
		if len(all) == 0 {
			return 0, 0, false
		}
		return all[len(all)-1].X, all[len(all)-1].Y, true
	})
}

func (h *hdmi) clickOn(text string, find func(*pixels.Screen, string) (int, int, bool)) {
	h.t.Helper()
	var x, y int
	s := h.wait("", "clickable "+text, nil, func(s *pixels.Screen) bool {
		var ok bool
		x, y, ok = find(s, text)
		return ok
	})
	n := len([]rune(text))
	x += n / 2
	for i := 0; i < n/2 && s.Cell(x, y).Ink == 0; i++ {
		x++
	}
	h.moveTo(x, y)
	h.click()
}

// font is the font of a cell size the daemon loads.
func font(size vtcon.FontSize) *pixels.Reader { return pixels.NewReader(vtcon.Font(size)) }

// median is the middle of the samples (the mean of the middle two).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
