// Package softkbd is an on-screen keyboard for tview that lets an owner with
// only a mouse type a line of text.
//
// The keyboard types digits, the Latin letters, the Italian accented letters
// à è é ì ò ù (and their capitals) and the printable ASCII punctuation: only
// characters the Linux console font can show. It draws every cell itself, so
// text containing brackets is never taken for a tview style tag. It works
// equally from a physical keyboard. Like every tview primitive, a Keyboard is
// used on the tview event goroutine only.
package softkbd

import (
	"github.com/rivo/tview"
	"golang.org/x/text/unicode/norm"
)

// Labels are the translated texts of the special keys (the caller passes
// Italian or English). An empty label falls back to its English text; labels
// too long for the keyboard's width are shortened.
type Labels struct {
	Ok, Cancel, Backspace, Shift, Symbols, Letters, Space string
}

// Keyboard is a tview.Primitive: a title line, the text typed so far (masked
// with '*' when Masked), and the keys.
type Keyboard struct {
	*tview.Box

	text     []rune
	masked   bool
	maxLen   int
	done     func(text string, ok bool)
	finished bool // done has been called: every later press is ignored

	shift   bool // letters are typed in upper case until Shift is pressed again
	symbols bool // the symbols page is shown instead of the letters page

	pages    [2]page // letters, symbols; both have the same rows and widths
	contentW int     // width of the area inside border and padding
	sel      keyRef  // the key Enter presses

	pressed    keyRef // the key a left button went down on
	hasPressed bool   // whether pressed is valid (button still down)

	origin      point // where the content area was last drawn
	clip        rect  // the inner rect at the last draw; keys outside are not drawn
	hasGeometry bool  // whether Draw has run, so clicks can be mapped to keys
	theme       theme
	capText     func(rune) string // how a character key shows its rune; nil: the rune
}

// New makes a keyboard editing initial. maxLen limits the text in runes (<=0:
// no limit); a longer initial text is cut to maxLen and normalised to NFC.
// done is called once, on the tview event goroutine, with the text and
// ok=true on Ok (or Enter), or ok=false on Cancel (or Esc).
func New(title, initial string, masked bool, maxLen int, labels Labels, done func(text string, ok bool)) *Keyboard {
	k := &Keyboard{
		Box:    tview.NewBox(),
		text:   []rune(norm.NFC.String(initial)),
		masked: masked,
		maxLen: maxLen,
		done:   done,
		theme:  newTheme(),
	}
	if maxLen > 0 && len(k.text) > maxLen {
		k.text = k.text[:maxLen]
	}
	k.SetBorder(true)
	k.SetBorderPadding(0, 0, padding, padding)
	if title != "" {
		k.SetTitle(tview.Escape(" " + title + " "))
	}
	k.contentW, k.pages = layout(fitLabels(labels), tview.TaggedStringWidth(k.GetTitle()))
	k.sel = k.find(actOk)
	return k
}

// Size returns the width and height in cells the keyboard needs (including
// its border); the caller centres it. It always fits in 80x25: the width is
// at most 78 and the height at most 15.
func (k *Keyboard) Size() (w, h int) {
	return k.contentW + 2 + 2*padding, contentH + 2
}

// Text returns the text typed so far.
func (k *Keyboard) Text() string {
	return string(k.text)
}

// page returns the keys currently shown.
func (k *Keyboard) page() *page {
	if k.symbols {
		return &k.pages[1]
	}
	return &k.pages[0]
}

// press acts as if the key at ref had been clicked.
func (k *Keyboard) press(ref keyRef) {
	key, ok := k.page().key(ref)
	if !ok {
		return
	}
	switch key.act {
	case actChar:
		k.insert(k.capOf(key.r))
	case actShift:
		k.shift = !k.shift
	case actPage:
		k.symbols = !k.symbols
	case actSpace:
		k.insert(' ')
	case actBackspace:
		k.backspace()
	case actOk:
		k.finish(true)
	case actCancel:
		k.finish(false)
	}
}

// capOf returns the rune a character key types (and shows) in the current case.
func (k *Keyboard) capOf(r rune) rune {
	if k.shift {
		return upper(r)
	}
	return r
}

// insert appends r unless the text is full or the keyboard has finished.
func (k *Keyboard) insert(r rune) {
	if k.finished || (k.maxLen > 0 && len(k.text) >= k.maxLen) {
		return
	}
	k.text = append(k.text, r)
}

// backspace removes the last rune, if any.
func (k *Keyboard) backspace() {
	if k.finished || len(k.text) == 0 {
		return
	}
	k.text = k.text[:len(k.text)-1]
}

// finish calls done the first time only.
func (k *Keyboard) finish(ok bool) {
	if k.finished {
		return
	}
	k.finished = true
	k.hasPressed = false
	if k.done != nil {
		k.done(string(k.text), ok)
	}
}
