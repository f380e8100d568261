package softkbd

import (
	"github.com/gdamore/tcell/v2"
)

// point is a screen cell.
type point struct{ x, y int }

// rect is a screen area.
type rect struct{ x, y, w, h int }

// contains reports whether the cells from x to x+w-1 on line y all lie in r.
func (r rect) contains(x, y, w int) bool {
	return y >= r.y && y < r.y+r.h && x >= r.x && x+w <= r.x+r.w
}

// Draw draws the border with the title, the text line and the keys of the
// current page, centred in the keyboard's rect. Keys that do not fit whole in
// a rect smaller than Size are left out, and cannot be clicked.
func (k *Keyboard) Draw(screen tcell.Screen) {
	k.DrawForSubclass(screen, k)
	x, y, w, h := k.GetInnerRect()
	k.clip = rect{x, y, w, h}
	k.origin = point{x + max(0, (w-k.contentW)/2), y + max(0, (h-contentH)/2)}
	k.hasGeometry = true

	k.drawText(screen)
	for i, r := range k.page().rows {
		for j, key := range r.keys {
			k.drawKey(screen, keyRef{i, j}, key, k.origin.y+r.y)
		}
	}
}

// drawText draws the text line: the tail of the text that fits, a cursor
// mark after it, and a mark on the left when the text is scrolled.
func (k *Keyboard) drawText(screen tcell.Screen) {
	y := k.origin.y + textLine
	x := k.origin.x
	w := min(k.contentW, k.clip.x+k.clip.w-x)
	if w < 2 || !k.clip.contains(x, y, w) {
		return
	}
	end := x + w
	start := 0
	if len(k.text)+1 > w {
		// Marker, the last w-2 runes, cursor.
		screen.SetContent(x, y, '<', nil, k.theme.more)
		start = len(k.text) - (w - 2)
		x++
	}
	for _, r := range k.text[start:] {
		if k.masked {
			r = '*'
		} else {
			r = displayRune(r)
		}
		screen.SetContent(x, y, r, nil, k.theme.field)
		x++
	}
	screen.SetContent(x, y, ' ', nil, k.theme.cursor)
	for x++; x < end; x++ {
		screen.SetContent(x, y, ' ', nil, k.theme.field)
	}
}

// drawKey draws one key on line y: its cap or label centred, on its
// background over its whole width.
func (k *Keyboard) drawKey(screen tcell.Screen, ref keyRef, key key, y int) {
	x := k.origin.x + key.x
	if !k.clip.contains(x, y, key.w) {
		return
	}
	style := k.theme.key
	switch {
	case ref == k.sel:
		style = k.theme.selected
	case key.act == actShift && k.shift:
		style = k.theme.latched
	}
	label := key.label
	if key.act == actChar {
		label = []rune{k.capOf(key.r)}
		if k.capText != nil {
			label = []rune(k.capText(label[0]))
		}
	}
	n := min(len(label), key.w)
	first := (key.w - n) / 2 // where the centred cap or label starts
	for i := range key.w {
		r := ' '
		if j := i - first; j >= 0 && j < n {
			r = label[j]
		}
		screen.SetContent(x+i, y, r, nil, style)
	}
}

// keyAt returns the key of the current page drawn at the cell (x, y).
func (k *Keyboard) keyAt(x, y int) (keyRef, bool) {
	if !k.hasGeometry {
		return keyRef{}, false
	}
	for i, r := range k.page().rows {
		if y != k.origin.y+r.y {
			continue
		}
		for j, key := range r.keys {
			kx := k.origin.x + key.x
			if x >= kx && x < kx+key.w && k.clip.contains(kx, y, key.w) {
				return keyRef{i, j}, true
			}
		}
	}
	return keyRef{}, false
}
