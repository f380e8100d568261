package softkbd

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"golang.org/x/text/unicode/norm"
)

// InputHandler handles a physical keyboard: arrows move the selection,
// Enter presses the selected key, Tab selects Ok, Esc cancels, Backspace
// deletes, and every rune the keyboard has a key for is typed as is.
func (k *Keyboard) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	return k.WrapInputHandler(func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
		if k.finished {
			return
		}
		switch event.Key() {
		case tcell.KeyLeft:
			k.moveInRow(-1)
		case tcell.KeyRight:
			k.moveInRow(1)
		case tcell.KeyUp:
			k.moveToRow(-1)
		case tcell.KeyDown:
			k.moveToRow(1)
		case tcell.KeyEnter:
			k.press(k.sel)
		case tcell.KeyTab:
			k.sel = k.find(actOk)
		case tcell.KeyEscape:
			k.finish(false)
		case tcell.KeyBackspace, tcell.KeyBackspace2:
			k.backspace()
		case tcell.KeyRune:
			// Alt combinations are commands elsewhere, not text.
			if r := event.Rune(); event.Modifiers()&tcell.ModAlt == 0 && typeable(r) {
				k.insert(r)
			}
		}
	})
}

// PasteHandler types the pasted runes the keyboard has keys for, in NFC.
func (k *Keyboard) PasteHandler() func(pastedText string, setFocus func(p tview.Primitive)) {
	return k.WrapPasteHandler(func(pastedText string, setFocus func(p tview.Primitive)) {
		for _, r := range norm.NFC.String(pastedText) {
			if typeable(r) {
				k.insert(r)
			}
		}
	})
}

// MouseHandler presses a key when the left button goes down and comes up on
// that same key, anywhere inside it. The keyboard tracks the press itself
// rather than waiting for tview's MouseLeftClick: tview turns a second click
// within half a second into a double click, and reports no click at all when
// the pointer moved by a cell inside the key.
func (k *Keyboard) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (consumed bool, capture tview.Primitive) {
	return k.WrapMouseHandler(func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (consumed bool, capture tview.Primitive) {
		x, y := event.Position()
		switch action {
		case tview.MouseLeftDown:
			if !k.InRect(x, y) {
				return false, nil
			}
			setFocus(k)
			ref, ok := k.keyAt(x, y)
			if !ok || k.finished {
				return true, nil
			}
			k.sel = ref
			k.pressed, k.hasPressed = ref, true
			// Capture the pointer so the release reaches the keyboard even
			// outside it, and ends the press there.
			return true, k
		case tview.MouseLeftUp:
			if !k.hasPressed {
				return k.InRect(x, y), nil
			}
			k.hasPressed = false
			if ref, ok := k.keyAt(x, y); ok && ref == k.pressed {
				k.press(ref)
			}
			return true, nil
		}
		if k.hasPressed {
			return false, k
		}
		return false, nil
	})
}

// moveInRow moves the selection by delta keys along its row, wrapping round.
func (k *Keyboard) moveInRow(delta int) {
	n := len(k.page().rows[k.sel.row].keys)
	k.sel.col = (k.sel.col + delta + n) % n
}

// moveToRow moves the selection to the next row up (delta -1) or down (+1),
// wrapping round, onto the key whose centre is nearest the selected key's.
func (k *Keyboard) moveToRow(delta int) {
	p := k.page()
	from, _ := p.key(k.sel)
	centre := 2*from.x + from.w // doubled, to stay in integers
	target := (k.sel.row + delta + len(p.rows)) % len(p.rows)
	best, bestDist := 0, -1
	for j, key := range p.rows[target].keys {
		d := 2*key.x + key.w - centre
		if d < 0 {
			d = -d
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = j, d
		}
	}
	k.sel = keyRef{target, best}
}
