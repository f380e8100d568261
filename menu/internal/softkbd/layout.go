package softkbd

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The geometry of the content area, inside the border and the padding. Key
// rows are one line high with an empty line between them, so that a click
// between two rows presses nothing.
const (
	padding      = 1                                       // empty columns left and right of the content
	capW         = 3                                       // a character key: " a "
	gap          = 1                                       // empty columns between two keys
	textLine     = 0                                       // the line showing the text typed so far
	firstKeyLine = 2                                       // the digits row
	lineStep     = 2                                       // from one key row to the next
	keyRows      = 6                                       // five character rows and the bottom row
	contentH     = firstKeyLine + lineStep*(keyRows-1) + 1 // 13: 15 with the border
	maxContentW  = 78 - 2 - 2*padding                      // 74: 78 with border and padding
	minSpaceW    = 11                                      // the space bar is wider when there is room
)

// The character rows of each page, top to bottom. Both pages have rows of
// the same lengths, so switching page moves no key and keeps the selection.
var (
	letterRows = [...]string{"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "àèéìòù"}
	symbolRows = [...]string{"1234567890", `!"#$%&'()*`, "+,-./:;<=", `>?@[\]^`, "_`{|}~"}
)

// symbolChars and accentChars list what the keyboard types besides ASCII
// letters, digits and space.
const (
	symbolChars = `!"#$%&'()*+,-./:;<=>?@[\]^_` + "`{|}~"
	accentChars = "àèéìòùÀÈÉÌÒÙ"
)

// typeable reports whether the keyboard has a key (in either case) for r.
func typeable(r rune) bool {
	switch {
	case r == ' ', r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		return true
	}
	return strings.ContainsRune(symbolChars, r) || strings.ContainsRune(accentChars, r)
}

// upper returns the capital of a letter key's rune; other runes are unchanged.
func upper(r rune) rune {
	if r >= 'a' && r <= 'z' || strings.ContainsRune(accentChars, r) {
		return unicode.ToUpper(r)
	}
	return r
}

// action is what a key does when pressed.
type action int

const (
	actChar      action = iota // types its rune
	actShift                   // toggles upper case
	actPage                    // switches between letters and symbols
	actSpace                   // types a space
	actBackspace               // deletes the last rune
	actOk                      // finishes with ok=true
	actCancel                  // finishes with ok=false
)

// key is one key: what it does, what it shows and where it is in its row.
type key struct {
	act   action
	r     rune   // actChar: the rune typed in lower case
	label []rune // special keys: the text shown, centred
	x, w  int    // first column and width inside the content area
}

// row is one line of keys.
type row struct {
	y    int // line inside the content area
	keys []key
}

// page is the set of keys shown at one time.
type page struct {
	rows []row
}

// keyRef names a key of a page by position, which is the same on both pages.
type keyRef struct {
	row, col int
}

// key returns the key ref names, if there is one.
func (p *page) key(ref keyRef) (key, bool) {
	if ref.row < 0 || ref.row >= len(p.rows) || ref.col < 0 || ref.col >= len(p.rows[ref.row].keys) {
		return key{}, false
	}
	return p.rows[ref.row].keys[ref.col], true
}

// The indexes of the special labels after fitLabels.
const (
	lShift = iota
	lSymbols
	lLetters
	lSpace
	lBackspace
	lOk
	lCancel
	numLabels
)

// fitted holds the special labels as they are drawn and the space bar's
// minimum width.
type fitted struct {
	labels    [numLabels][]rune
	minSpaceW int
}

// fitLabels cleans the labels and shortens them until the bottom row fits
// in maxContentW: first the space bar loses its extra width, then the
// longest label loses its last rune, one at a time.
func fitLabels(l Labels) fitted {
	f := fitted{minSpaceW: minSpaceW}
	for i, s := range [numLabels]struct{ text, fallback string }{
		lShift:     {l.Shift, "Shift"},
		lSymbols:   {l.Symbols, "Symbols"},
		lLetters:   {l.Letters, "Letters"},
		lSpace:     {l.Space, "Space"},
		lBackspace: {l.Backspace, "Backspace"},
		lOk:        {l.Ok, "OK"},
		lCancel:    {l.Cancel, "Cancel"},
	} {
		text := strings.TrimSpace(s.text)
		if text == "" {
			text = s.fallback
		}
		f.labels[i] = displayRunes(norm.NFC.String(text))
	}
	for bottomWidth(f) > maxContentW {
		if f.minSpaceW > 0 {
			f.minSpaceW = 0
			continue
		}
		longest := 0
		for i := range f.labels {
			if len(f.labels[i]) > len(f.labels[longest]) {
				longest = i
			}
		}
		// Six one-rune labels take 23 columns, so no label gets empty.
		f.labels[longest] = f.labels[longest][:len(f.labels[longest])-1]
	}
	return f
}

// displayRunes returns s as runes the console can show, one cell each.
func displayRunes(s string) []rune {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = displayRune(r)
	}
	return rs
}

// displayRune returns r if it is a printable Latin-1 character, which takes
// one cell, and '?' otherwise, as the console would.
func displayRune(r rune) rune {
	if r >= 0x20 && r < 0x7f || r >= 0xa0 && r <= 0xff && r != 0xad {
		return r
	}
	return '?'
}

// bottomWidths returns the widths of the bottom row's keys, in order:
// Shift, Symbols/Letters, Space, Backspace, Ok, Cancel. Symbols and Letters
// share a width, and so do Ok and Cancel, so the row never moves.
func bottomWidths(f fitted) [6]int {
	l := f.labels
	okW := max(len(l[lOk]), len(l[lCancel])) + 2
	return [6]int{
		len(l[lShift]) + 2,
		max(len(l[lSymbols]), len(l[lLetters])) + 2,
		max(len(l[lSpace])+2, f.minSpaceW),
		len(l[lBackspace]) + 2,
		okW,
		okW,
	}
}

// bottomWidth returns the width of the bottom row.
func bottomWidth(f fitted) int {
	w := gap * 5
	for _, kw := range bottomWidths(f) {
		w += kw
	}
	return w
}

// layout places the keys of both pages and returns the content width. The
// content is wide enough for the widest row and, up to the maximum width,
// for the title drawn on the border.
func layout(f fitted, titleW int) (contentW int, pages [2]page) {
	charW := len([]rune(letterRows[0]))*(capW+gap) - gap
	contentW = max(charW, bottomWidth(f), min(titleW-2, maxContentW))
	for p, chars := range [2][5]string{letterRows, symbolRows} {
		rows := make([]row, 0, keyRows)
		for i, s := range chars {
			rs := []rune(s)
			x := (contentW - (len(rs)*(capW+gap) - gap)) / 2
			keys := make([]key, len(rs))
			for j, r := range rs {
				keys[j] = key{act: actChar, r: r, x: x + j*(capW+gap), w: capW}
			}
			rows = append(rows, row{y: firstKeyLine + i*lineStep, keys: keys})
		}
		pageLabel := f.labels[lSymbols]
		if p == 1 {
			pageLabel = f.labels[lLetters]
		}
		widths := bottomWidths(f)
		bottom := [6]key{
			{act: actShift, label: f.labels[lShift]},
			{act: actPage, label: pageLabel},
			{act: actSpace, label: f.labels[lSpace]},
			{act: actBackspace, label: f.labels[lBackspace]},
			{act: actOk, label: f.labels[lOk]},
			{act: actCancel, label: f.labels[lCancel]},
		}
		x := (contentW - bottomWidth(f)) / 2
		for i := range bottom {
			bottom[i].x, bottom[i].w = x, widths[i]
			x += widths[i] + gap
		}
		rows = append(rows, row{y: firstKeyLine + (keyRows-1)*lineStep, keys: bottom[:]})
		pages[p] = page{rows: rows}
	}
	return contentW, pages
}

// find returns the position of the first key doing act on the current page.
func (k *Keyboard) find(act action) keyRef {
	for i, r := range k.page().rows {
		for j, key := range r.keys {
			if key.act == act {
				return keyRef{i, j}
			}
		}
	}
	return keyRef{}
}
