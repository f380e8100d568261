package menu

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// display is the screen as the menu draws on it: every cell passes through
// here on its way to the terminal. On an 8-colour console it sends the
// table's styles the way the console shows them (onConsole); with a font
// that lacks glyphs, no cell ever holds a rune the font cannot draw (the
// console would show ■): the rune becomes a look-alike the font has, else
// '?'. Text is substituted before layout (Menu.sub), so this is only the
// last guard, for what tview itself draws (frames) and for runes typed.
//
// A frame passes every cell of the screen through here two or three times
// (the boxes' backgrounds, then what is in them), once for each key typed:
// so no cell costs an allocation or a style worked out afresh. Only tview's
// drawing, under its lock, calls in: the memo needs no lock of its own.
type display struct {
	tcell.Screen
	console  bool
	hasGlyph func(rune) bool
	// memo holds the style last adapted and what it became: a frame's cells
	// come in runs of one style.
	memo struct {
		in, out tcell.Style
		ok      bool
	}
	// keep, if set, is asked as tview clears the screen for a frame: true
	// keeps the last frame's cells, which the frame then draws over only
	// where it changed (Menu.fieldOnly).
	keep func() bool
	// cells holds the strings of the runes beyond ASCII drawn so far (the
	// panels' lines, accented letters): a rune's string is made once.
	cells map[rune]string
}

// newDisplay wraps screen. console is set on a Linux virtual console, or
// any terminal with fewer than 16 colours (TERM=linux without the daemon's
// palette: bold still brightens there).
func newDisplay(screen tcell.Screen, d Display) *display {
	return &display{Screen: screen, console: d.Console, hasGlyph: d.HasGlyph}
}

// Init initialises the screen, then learns how many colours it has. The
// screen's own style becomes the menu's background: no cell is ever the
// terminal's black (the side bars the console showed).
func (d *display) Init() error {
	if err := d.Screen.Init(); err != nil {
		return err
	}
	if n := d.Screen.Colors(); n > 0 && n < 16 {
		d.console = true
	}
	d.SetStyle(roleText.style())
	return nil
}

func (d *display) style(st tcell.Style) tcell.Style {
	if d.memo.ok && st == d.memo.in {
		return d.memo.out
	}
	out := onTerminal(st)
	if d.console {
		out = onConsole(st)
	}
	d.memo.in, d.memo.out, d.memo.ok = st, out, true
	return out
}

// cell is r as the string a cell holds.
func (d *display) cell(r rune) string {
	if r < utf8.RuneSelf {
		return string([]byte{byte(r)}) // one byte: Go's own, no allocation
	}
	s, ok := d.cells[r]
	if !ok {
		if d.cells == nil {
			d.cells = make(map[rune]string)
		}
		// Bounded: the runes a menu draws, and what is typed — a few
		// hundred at most; past that, new ones are made each time.
		s = string(r)
		if len(d.cells) < maxCellStrings {
			d.cells[r] = s
		}
	}
	return s
}

// maxCellStrings bounds display.cells.
const maxCellStrings = 512

// glyph returns r, or what the font can draw in its place.
func (d *display) glyph(r rune) rune {
	if d.hasGlyph == nil || d.hasGlyph(r) {
		return r
	}
	if f, ok := fallbackRunes[r]; ok && d.hasGlyph(f) {
		return f
	}
	return '?'
}

func (d *display) SetContent(x, y int, primary rune, combining []rune, style tcell.Style) {
	if d.hasGlyph != nil {
		combining = nil // a console draws one glyph a cell
	}
	if len(combining) > 0 {
		d.Screen.SetContent(x, y, d.glyph(primary), combining, d.style(style))
		return
	}
	d.Screen.Put(x, y, d.cell(d.glyph(primary)), d.style(style))
}

func (d *display) SetCell(x, y int, style tcell.Style, ch ...rune) {
	r := ' '
	if len(ch) > 0 {
		r = ch[0]
	}
	d.SetContent(x, y, r, nil, style)
}

func (d *display) Put(x, y int, str string, style tcell.Style) (string, int) {
	if str == "" {
		return "", 0
	}
	r, size := utf8.DecodeRuneInString(str)
	d.SetContent(x, y, r, nil, style)
	return str[size:], 1
}

func (d *display) PutStrStyled(x, y int, str string, style tcell.Style) {
	for _, r := range str {
		d.SetContent(x, y, r, nil, style)
		x++
	}
}

func (d *display) PutStr(x, y int, str string) { d.PutStrStyled(x, y, str, tcell.StyleDefault) }

// Clear clears the screen for a new frame, unless keep says the frame
// draws over the last one.
func (d *display) Clear() {
	if d.keep != nil && d.keep() {
		return
	}
	d.Screen.Clear()
}

func (d *display) Fill(r rune, style tcell.Style) { d.Screen.Fill(d.glyph(r), d.style(style)) }

func (d *display) SetStyle(style tcell.Style) { d.Screen.SetStyle(d.style(style)) }

// fallbackRunes are one-cell look-alikes for the runes the menu and tview
// draw, for a font that lacks them: the frames, the blocks, the marks.
var fallbackRunes = map[rune]rune{
	'─': '-', '━': '-', '═': '=', '│': '|', '┃': '|', '║': '|',
	'┌': '+', '┐': '+', '└': '+', '┘': '+', '╔': '+', '╗': '+', '╚': '+', '╝': '+',
	'╭': '+', '╮': '+', '╰': '+', '╯': '+', '├': '+', '┤': '+', '┬': '+', '┴': '+', '┼': '+',
	'█': '#', '▓': '#', '▒': ':', '░': '.', '▀': '"', '▄': '_',
	'…': '.', '’': '\'', '‘': '\'', '“': '"', '”': '"', '«': '"', '»': '"',
	'—': '-', '–': '-', '‑': '-', '•': '*', '●': '*', '·': '.',
	'→': '>', '←': '<', '↑': '^', '↓': 'v', '▲': '^', '▼': 'v', '►': '>', '◄': '<',
	'À': 'A', 'È': 'E', 'É': 'E', 'Ì': 'I', 'Ò': 'O', 'Ù': 'U',
	'à': 'a', 'è': 'e', 'é': 'e', 'ì': 'i', 'ò': 'o', 'ù': 'u',
	' ': ' ', '×': 'x', '°': 'o', '€': 'E',
}

// fallbackTexts are the substitutes for text, where a rune may become
// several: "…" is "...", a capital with a grave accent the letter and an
// apostrophe, as Italian typewriters wrote "E'".
var fallbackTexts = map[rune]string{
	'…': "...", '—': "-", '–': "-", '‑': "-", '’': "'", '‘': "'", '“': "\"", '”': "\"",
	'«': "<<", '»': ">>", '→': "->", '←': "<-", '€': "EUR", '•': "*", '●': "*", '✓': "v", '✗': "x",
	'À': "A'", 'È': "E'", 'É': "E'", 'Ì': "I'", 'Ò': "O'", 'Ù': "U'",
	'à': "a'", 'è': "e'", 'é': "e'", 'ì': "i'", 'ò': "o'", 'ù': "u'",
}

// substituter returns how text is made drawable before layout: the
// daemon's Substitute when it gave one, else (with HasGlyph) the built-in
// substitutes for the runes the font lacks, else nothing. A rune still
// missing after that is the display's to replace.
func substituter(d Display) func(string) string {
	if d.Substitute != nil {
		return d.Substitute
	}
	if d.HasGlyph == nil {
		return func(s string) string { return s }
	}
	has := func(r rune) bool { return r < 0x20 || d.HasGlyph(r) } // line breaks stay
	return func(s string) string {
		if !strings.ContainsFunc(s, func(r rune) bool { return !has(r) }) {
			return s
		}
		var b strings.Builder
		for _, r := range s {
			switch {
			case has(r):
				b.WriteRune(r)
			case fallbackTexts[r] != "" && !strings.ContainsFunc(fallbackTexts[r], func(r rune) bool { return !has(r) }):
				b.WriteString(fallbackTexts[r])
			case fallbackRunes[r] != 0 && has(fallbackRunes[r]):
				b.WriteRune(fallbackRunes[r])
			default:
				b.WriteRune('?')
			}
		}
		return b.String()
	}
}

// glyphOr returns r when the screen can draw it, else alt: for the runes
// the menu picks itself (the meter's bar, the QR's blocks).
func (m *Menu) glyphOr(r, alt rune) rune {
	if m.opts.Display.HasGlyph == nil || m.opts.Display.HasGlyph(r) {
		return r
	}
	return alt
}

// catalogue is the texts as the menu shows them: the shared catalogue's
// words, substituted for the font on screen before any layout (an "…" that
// becomes "..." is wider).
type catalogue struct {
	c   *texts.Catalogue
	sub func(string) string
}

func (c *catalogue) Lang() string                        { return c.c.Lang() }
func (c *catalogue) T(id texts.ID) string                { return c.sub(c.c.T(id)) }
func (c *catalogue) F(id texts.ID, args ...any) string   { return c.sub(c.c.F(id, args...)) }
func (c *catalogue) Question(id string) string           { return c.sub(c.c.Question(id)) }
func (c *catalogue) Strength(s pwpolicy.Strength) string { return c.sub(c.c.Strength(s)) }
func (c *catalogue) Reasons(rs []pwpolicy.Reason) string {
	return c.sub(c.c.Reasons(rs))
}
func (c *catalogue) LockedFor(d time.Duration) string { return c.sub(c.c.LockedFor(d)) }
func (c *catalogue) Problem(p texts.Problem) string   { return c.sub(c.c.Problem(p)) }

// The journey's words (package journey chooses them), substituted too.
func (c *catalogue) Label(m journey.Method) string          { return c.sub(m.Label(c.c)) }
func (c *catalogue) Setting(m journey.Method) string        { return c.sub(m.Setting(c.c)) }
func (c *catalogue) Words(s journey.Status) string          { return c.sub(s.Words(c.c)) }
func (c *catalogue) SetUpWords(s journey.Status) string     { return c.sub(s.SetUpWords(c.c)) }
func (c *catalogue) AfterReset(a journey.AfterReset) string { return c.sub(a.Words(c.c)) }
