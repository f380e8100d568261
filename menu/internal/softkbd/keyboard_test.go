package softkbd

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
)

func TestClicks(t *testing.T) {
	tests := []struct {
		name   string
		clicks []string
		want   result
	}{
		{
			name:   "shift, symbols and an accent",
			clicks: []string{"Shift", "A", "Shift", "b", "1", "Symbols", "!", "Letters", "à", "OK"},
			want:   result{"Ab1!à", true},
		},
		{
			name:   "shift latches until pressed again",
			clicks: []string{"Shift", "É", "Ù", "Shift", "e", "OK"},
			want:   result{"ÉÙe", true},
		},
		{
			name:   "space",
			clicks: []string{"a", "Space", "b", "OK"},
			want:   result{"a b", true},
		},
		{
			name:   "backspace",
			clicks: []string{"a", "b", "c", "Backspace", "OK"},
			want:   result{"ab", true},
		},
		{
			name:   "backspace on empty text",
			clicks: []string{"Backspace", "x", "OK"},
			want:   result{"x", true},
		},
		{
			name:   "cancel",
			clicks: []string{"q", "Cancel"},
			want:   result{"q", false},
		},
		{
			name:   "the same key twice in a row",
			clicks: []string{"o", "o", "OK"},
			want:   result{"oo", true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, options{title: "Name", labels: english})
			for _, label := range tt.clicks {
				h.click(label)
			}
			h.wantDone(tt.want)
		})
	}
}

func TestBracketsShownLiterally(t *testing.T) {
	h := start(t, options{title: "[red]Name[-]", labels: english})
	h.click("Symbols")
	h.click("[")
	h.click("]")
	h.typeRunes("[x]")
	s := h.waitFor("text line", func(s snapshot) bool { _, ok := s.textLine(); return ok })
	if got, want := s.text, "[][x]"; got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
	if got, _ := s.textLine(); got != "[][x]" {
		t.Errorf("text line shows %q, want %q", got, "[][x]")
	}
	if top := s.line(s.x, s.y, s.kw); !strings.Contains(top, " [red]Name[-] ") {
		t.Errorf("top border %q does not show the title literally", top)
	}
}

func TestMasked(t *testing.T) {
	const secret = "s3cr3t"
	h := start(t, options{title: "Password", masked: true, labels: english})
	h.typeRunes(secret[:3])
	h.click("r")
	h.click("3")
	h.typeRunes("t")
	s := h.waitFor("six runes", func(s snapshot) bool { return utf8.RuneCountInString(s.text) == 6 })
	if s.text != secret {
		t.Fatalf("Text() = %q, want %q", s.text, secret)
	}
	line, ok := s.textLine()
	if !ok {
		t.Fatalf("no text line with a cursor mark; screen:\n%s", s)
	}
	if want := strings.Repeat("*", len(secret)); line != want {
		t.Errorf("text line shows %q, want %q", line, want)
	}
	stars := 0
	for _, c := range s.cells {
		if c.r == '*' {
			stars++
		}
	}
	if stars != len(secret) {
		t.Errorf("screen has %d '*', want %d", stars, len(secret))
	}
	// The key caps show every character one by one; the secret must not
	// appear anywhere as two characters side by side.
	for y := range s.h {
		line := s.line(0, y, s.w)
		for i := 0; i+2 <= len(secret); i++ {
			if strings.Contains(line, secret[i:i+2]) {
				t.Errorf("screen line %d %q shows %q of the secret", y, line, secret[i:i+2])
			}
		}
	}
}

func TestMaxLen(t *testing.T) {
	h := start(t, options{maxLen: 3, labels: english})
	h.typeRunes("abcdef")
	h.click("z")
	h.click("Space")
	if got, want := h.text(), "abc"; got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
	h.key(tcell.KeyBackspace2)
	h.click("z")
	if got, want := h.text(), "abz"; got != want {
		t.Errorf("after backspace and z: Text() = %q, want %q", got, want)
	}
	h.click("OK")
	h.wantDone(result{"abz", true})
}

func TestInitialText(t *testing.T) {
	tests := []struct {
		name    string
		initial string
		maxLen  int
		want    string
	}{
		{"kept", "admin", 0, "admin"},
		{"cut to maxLen", "abcdef", 4, "abcd"},
		{"normalised to NFC", "cafe\u0301", 0, "café"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := New("", tt.initial, false, tt.maxLen, english, nil)
			if got := k.Text(); got != tt.want {
				t.Errorf("Text() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLongTextShowsTail(t *testing.T) {
	long := strings.Repeat("abcdefghij", 10) + "END"
	h := start(t, options{initial: long, labels: english})
	s := h.waitFor("text line", func(s snapshot) bool { _, ok := s.textLine(); return ok })
	line, _ := s.textLine()
	if !strings.HasPrefix(line, "<") || !strings.HasSuffix(line, "END") {
		t.Errorf("text line %q: want a '<' mark then the tail ending in END", line)
	}
	if n := len(line) - 1; !strings.HasSuffix(long, line[1:]) || n < 30 {
		t.Errorf("text line %q is not a tail of %d or more runes of the text", line, 30)
	}
}

func TestPhysicalKeyboard(t *testing.T) {
	type step struct {
		runes string    // typed first
		key   tcell.Key // then pressed, if not 0
	}
	tests := []struct {
		name  string
		steps []step
		want  result
	}{
		{
			name: "runes, backspace, tab and enter",
			steps: []step{
				{runes: "aé€bü~", key: tcell.KeyBackspace},
				{key: tcell.KeyBackspace2},
				{runes: "Z", key: tcell.KeyTab},
				{key: tcell.KeyEnter},
			},
			want: result{"aéZ", true},
		},
		{
			name:  "esc cancels",
			steps: []step{{runes: "xy", key: tcell.KeyEscape}},
			want:  result{"xy", false},
		},
		{
			name:  "enter at start presses OK",
			steps: []step{{runes: "Ab 1!", key: tcell.KeyEnter}},
			want:  result{"Ab 1!", true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, options{labels: italian})
			for _, s := range tt.steps {
				h.typeRunes(s.runes)
				if s.key != 0 {
					h.key(s.key)
				}
			}
			h.wantDone(tt.want)
		})
	}
}

func TestArrowNavigation(t *testing.T) {
	accents := []string{"à", "è", "é", "ì", "ò", "ù"}
	h := start(t, options{labels: english})
	s := h.waitFor("OK selected", func(s snapshot) bool { return s.selected() == "OK" })
	ok := s.findKey("OK")[0]

	// Up from OK goes to the accent key whose centre is nearest OK's.
	h.key(tcell.KeyUp)
	s = h.waitFor("a selection", func(s snapshot) bool { return s.selected() != "OK" })
	want, bestDist := "", 1<<30
	for _, a := range accents {
		k := s.findKey(a)[0]
		if d := abs(2*k.x + k.w - 2*ok.x - ok.w); d < bestDist {
			want, bestDist = a, d
		}
	}
	if got := s.selected(); got != want {
		t.Fatalf("after Up from OK, selected %q, want %q", got, want)
	}
	i := slices.Index(accents, want)

	h.key(tcell.KeyEnter)
	h.key(tcell.KeyLeft)
	h.key(tcell.KeyEnter)
	h.key(tcell.KeyRight)
	h.key(tcell.KeyRight)
	h.key(tcell.KeyEnter)
	wantText := accents[i] + accents[(i+5)%6] + accents[(i+1)%6]
	if got := h.text(); got != wantText {
		t.Errorf("Text() = %q, want %q", got, wantText)
	}

	// Down twice wraps from the bottom row to the digits; Tab goes back to OK.
	h.key(tcell.KeyDown)
	h.key(tcell.KeyDown)
	s = h.waitFor("a digit selected", func(s snapshot) bool { return strings.Contains("1234567890", s.selected()) })
	h.key(tcell.KeyEnter)
	digit := s.selected()
	h.key(tcell.KeyTab)
	s = h.waitFor("OK selected", func(s snapshot) bool { return s.selected() == "OK" })
	if s.text != wantText+digit {
		t.Errorf("Text() = %q, want %q", s.text, wantText+digit)
	}
	h.key(tcell.KeyEnter)
	h.wantDone(result{wantText + digit, true})
}

func TestShiftByKeyboard(t *testing.T) {
	h := start(t, options{labels: english})
	// Move from OK along the bottom row to Shift, latch it, and type a key.
	h.waitFor("OK selected", func(s snapshot) bool { return s.selected() == "OK" })
	for range 6 {
		h.key(tcell.KeyLeft)
		if h.waitFor("a selection", func(s snapshot) bool { return s.selected() != "" }).selected() == "Shift" {
			break
		}
	}
	h.key(tcell.KeyEnter)
	s := h.waitFor("Shift latched", func(s snapshot) bool { return len(s.findKey("Q")) == 1 })
	if got := s.findKey("Shift"); len(got) != 1 || got[0].style != s.theme.selected {
		t.Errorf("Shift is not shown selected: %+v", got)
	}
	h.key(tcell.KeyRight)
	s = h.waitFor("Symbols selected", func(s snapshot) bool { return s.selected() == "Symbols" })
	if got := s.findKey("Shift"); len(got) != 1 || got[0].style != s.theme.latched {
		t.Errorf("latched Shift is not highlighted: %+v", got)
	}
}

func TestDoneOnce(t *testing.T) {
	h := start(t, options{labels: english})
	h.click("a")
	h.click("OK")
	h.wantDone(result{"a", true})
	h.click("Cancel")
	h.click("b")
	h.click("OK")
	h.key(tcell.KeyEscape)
	h.typeRunes("c")
	h.key(tcell.KeyEnter)
	if got := h.text(); got != "a" {
		t.Errorf("Text() after done = %q, want %q", got, "a")
	}
	if n := len(h.results); n != 0 {
		t.Errorf("done called %d more times after the first, want none", n)
	}
}

func TestClickNeedsPressAndReleaseOnSameKey(t *testing.T) {
	h := start(t, options{labels: english})
	s := h.waitFor("keys", func(s snapshot) bool { return len(s.findKey("q")) == 1 })
	q, w, ok := s.findKey("q")[0], s.findKey("w")[0], s.findKey("OK")[0]

	// Pressed on q, released on w: nothing.
	h.sim.InjectMouse(q.x+1, q.y, tcell.Button1, tcell.ModNone)
	h.sim.InjectMouse(w.x+1, w.y, tcell.ButtonNone, tcell.ModNone)
	// Pressed on q, released outside the keyboard: nothing.
	h.sim.InjectMouse(q.x+1, q.y, tcell.Button1, tcell.ModNone)
	h.sim.InjectMouse(0, 0, tcell.ButtonNone, tcell.ModNone)
	// Pressed and released on different cells of q: q.
	h.sim.InjectMouse(q.x, q.y, tcell.Button1, tcell.ModNone)
	h.sim.InjectMouse(q.x+2, q.y, tcell.ButtonNone, tcell.ModNone)
	// Clicked between two rows: nothing.
	h.sim.InjectMouse(q.x+1, q.y+1, tcell.Button1, tcell.ModNone)
	h.sim.InjectMouse(q.x+1, q.y+1, tcell.ButtonNone, tcell.ModNone)
	if got := h.text(); got != "q" {
		t.Errorf("Text() = %q, want %q", got, "q")
	}
	h.sim.InjectMouse(ok.x, ok.y, tcell.Button1, tcell.ModNone)
	h.sim.InjectMouse(ok.x+ok.w-1, ok.y, tcell.ButtonNone, tcell.ModNone)
	h.wantDone(result{"q", true})
}

func TestFitsOnSmallestScreen(t *testing.T) {
	digits := strings.Split("1234567890", "")
	letters := strings.Split("qwertyuiopasdfghjklzxcvbnmàèéìòù", "")
	symbols := strings.Split(`!"#$%&'()*+,-./:;<=>?@[\]^_`+"`{|}~", "")
	long := strings.Repeat("Lunghissimo", 4)
	tests := []struct {
		name   string
		title  string
		labels Labels
		exact  bool // labels are shown whole, so every page can be checked cap by cap
	}{
		{"english", "Password", english, true},
		{"italian", "Password dell'amministratore", italian, true},
		{"empty labels fall back to english", "", Labels{}, true},
		{"long title widens", strings.Repeat("Titolo ", 9), italian, true},
		{"long labels are shortened", "Password", Labels{long, long, long, long, long, long, long}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, options{title: tt.title, labels: tt.labels})
			w, hh := h.kbd.Size()
			if w > 78 || hh > 15 {
				t.Fatalf("Size() = %d x %d, want at most 78 x 15", w, hh)
			}
			s := h.waitFor("keys", func(s snapshot) bool { return len(s.caps()) > 0 })
			if s.kw != w || s.kh != hh {
				t.Fatalf("rect %d x %d, want Size() %d x %d", s.kw, s.kh, w, hh)
			}
			checkFrame(t, s, tt.title)

			l := tt.labels
			if l == (Labels{}) {
				l = Labels{Ok: "OK", Cancel: "Cancel", Backspace: "Backspace", Shift: "Shift", Symbols: "Symbols", Letters: "Letters", Space: "Space"}
			}
			if !tt.exact {
				bottom := s.caps()[len(s.caps())-6:]
				for _, k := range bottom {
					if k.y != bottom[0].y || k.label == "" || !strings.HasPrefix(long, k.label) {
						t.Errorf("bottom key %+v: want a non-empty prefix of %q on one line", k, long)
					}
				}
				return
			}
			special := func(page string) []string {
				return []string{l.Shift, page, l.Space, l.Backspace, l.Ok, l.Cancel}
			}
			upper := make([]string, len(letters))
			for i, s := range letters {
				upper[i] = strings.ToUpper(s)
			}
			pages := []struct {
				name  string
				click string
				want  []string
			}{
				{"letters", "", slices.Concat(digits, letters, special(l.Symbols))},
				{"upper case", l.Shift, slices.Concat(digits, upper, special(l.Symbols))},
				{"symbols", l.Symbols, slices.Concat(digits, symbols, special(l.Letters))},
			}
			for _, p := range pages {
				if p.click != "" {
					h.click(p.click)
				}
				s := h.waitFor(p.name+" page", func(s snapshot) bool { return slices.Equal(labels(s.caps()), p.want) })
				checkFrame(t, s, tt.title)
			}
		})
	}
}

// checkFrame checks that the keyboard is drawn whole inside its rect, with
// its border, its title and its text line, and nothing outside it.
func checkFrame(t *testing.T, s snapshot, title string) {
	t.Helper()
	if s.x < 0 || s.y < 0 || s.x+s.kw > s.w || s.y+s.kh > s.h {
		t.Fatalf("rect (%d,%d) %dx%d is not on the %dx%d screen", s.x, s.y, s.kw, s.kh, s.w, s.h)
	}
	for y := range s.h {
		for x := range s.w {
			inside := x >= s.x && x < s.x+s.kw && y >= s.y && y < s.y+s.kh
			if c := s.at(x, y); !inside && c.r != ' ' {
				t.Errorf("cell (%d,%d) outside the keyboard shows %q", x, y, c.r)
			}
		}
	}
	corners := []struct{ x, y int }{{s.x, s.y}, {s.x + s.kw - 1, s.y}, {s.x, s.y + s.kh - 1}, {s.x + s.kw - 1, s.y + s.kh - 1}}
	for _, c := range corners {
		if r := s.at(c.x, c.y).r; !strings.ContainsRune("┌┐└┘╔╗╚╝", r) {
			t.Errorf("corner (%d,%d) shows %q, want a border corner", c.x, c.y, r)
		}
	}
	if top := s.line(s.x, s.y, s.kw); title != "" && !strings.Contains(top, " "+title+" ") {
		t.Errorf("top border %q does not show the whole title %q", top, title)
	}
	if _, ok := s.textLine(); !ok {
		t.Errorf("no text line with a cursor mark; screen:\n%s", s)
	}
	for _, k := range s.caps() {
		if k.label == "" || k.x <= s.x || k.x+k.w >= s.x+s.kw || k.y <= s.y || k.y >= s.y+s.kh-1 {
			t.Errorf("key %+v is empty or not inside the border", k)
		}
	}
}

func TestTypeable(t *testing.T) {
	tests := []struct {
		r    rune
		want bool
	}{
		{'a', true}, {'Z', true}, {'0', true}, {' ', true}, {'[', true}, {'~', true}, {'`', true},
		{'à', true}, {'É', true}, {'Ù', true},
		{'ü', false}, {'€', false}, {'\t', false}, {'\u0301', false}, {'£', false},
	}
	for _, tt := range tests {
		if got := typeable(tt.r); got != tt.want {
			t.Errorf("typeable(%q) = %v, want %v", tt.r, got, tt.want)
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestDrawInSmallRect(t *testing.T) {
	sim := tcell.NewSimulationScreen("UTF-8")
	if err := sim.Init(); err != nil {
		t.Fatalf("sim.Init: %v", err)
	}
	defer sim.Fini()
	sim.SetSize(80, 25)
	k := New("Password", strings.Repeat("x", 50), false, 0, english, nil)
	const rx, ry, rw, rh = 5, 3, 30, 8
	k.SetRect(rx, ry, rw, rh)
	k.Draw(sim)
	sim.Show()
	cells, w, h := sim.GetContents()
	theme := newTheme()
	for y := range h {
		for x := range w {
			c := cells[y*w+x]
			inside := x >= rx && x < rx+rw && y >= ry && y < ry+rh
			if !inside && len(c.Runes) > 0 && c.Runes[0] != ' ' {
				t.Errorf("cell (%d,%d) outside the rect shows %q", x, y, c.Runes[0])
			}
			_, hit := k.keyAt(x, y)
			isKey := c.Style == theme.key || c.Style == theme.selected
			if hit != isKey {
				t.Errorf("cell (%d,%d): keyAt hit %v, but drawn as a key %v", x, y, hit, isKey)
			}
		}
	}
}
