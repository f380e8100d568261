package menu

import (
	"strings"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/menu/internal/softkbd"
	"nvrmenu/texts"
)

// form is a tview form whose buttons look like buttons on a television: each
// is drawn a cell taller above and below than its label's row, with half
// blocks in its colour (▄ over it, ▀ under it), so that it stands out as a
// key to press; the rows above and below its buttons are the form's own
// (height counts them). A click on those edges presses the button too.
// Its fields are a blank row apart in a column, so that each reads as one
// (compact puts a question and its answer together).
type form struct {
	*tview.Form
	bg     role // the background the edges are drawn on
	button role // the buttons' colours (the focused one's are roleFocus)
	row    bool // items and buttons in one row
	pad    int  // blank rows between items
}

// form makes a form with the menu's look; Esc runs cancel.
func (m *Menu) form(cancel func()) *form {
	f := &form{Form: tview.NewForm(), bg: roleText, button: roleButton, pad: 1}
	f.Form.SetItemPadding(1).SetBorderPadding(0, 0, 0, 0)
	f.SetButtonStyle(roleButton.style()).SetButtonActivatedStyle(roleFocus.style())
	f.SetFieldStyle(roleField.style())
	f.SetLabelColor(roleHeading.fg())
	f.SetBackgroundColor(roleText.bg())
	if cancel != nil {
		f.SetCancelFunc(cancel)
	}
	f.SetInputCapture(buttonArrows(f.Form))
	return f
}

// AddButton adds a button (tview's, returning the wrapper).
func (f *form) AddButton(label string, selected func()) *form {
	f.Form.AddButton(label, selected)
	return f
}

// AddFormItem adds an item.
func (f *form) AddFormItem(item tview.FormItem) *form {
	f.Form.AddFormItem(item)
	return f
}

// SetHorizontal lays the items and buttons out in a row.
func (f *form) SetHorizontal(h bool) *form {
	f.Form.SetHorizontal(h)
	f.row = h
	return f
}

// compact puts the fields on adjacent rows (a question and its answer).
func (f *form) compact() *form {
	f.Form.SetItemPadding(0)
	f.pad = 0
	return f
}

// height is the rows the form takes: its items a blank row apart, a blank
// row and its buttons with their lower edges; a row (a button bar, or a
// field and its buttons) takes three with buttons, one without.
func (f *form) height(int) int {
	items, buttons := f.GetFormItemCount(), f.GetButtonCount()
	if f.row || items == 0 {
		if buttons > 0 {
			return 3
		}
		return 1
	}
	n := 0
	for i := 0; i < items; i++ {
		h := f.GetFormItem(i).GetFieldHeight()
		if h <= 0 {
			h = 1
		}
		n += h
		if i < items-1 {
			n += f.pad
		}
	}
	if buttons > 0 {
		n += 3 // a blank row, the buttons, their lower edges
	}
	return n
}

// Draw draws the form, then its buttons' edges. A row of buttons is drawn
// one row down, between its edges.
func (f *form) Draw(screen tcell.Screen) {
	x, y, w, h := f.GetRect()
	if (f.row || f.GetFormItemCount() == 0) && f.GetButtonCount() > 0 && h >= 3 {
		bg := f.bg.style()
		for cx := x; cx < x+w; cx++ {
			screen.SetContent(cx, y, ' ', nil, bg)
			screen.SetContent(cx, y+h-1, ' ', nil, bg)
		}
		f.Form.SetRect(x, y+1, w, h-2)
		f.Form.Draw(screen)
		f.Form.SetRect(x, y, w, h)
	} else {
		f.Form.Draw(screen)
	}
	for i := 0; i < f.GetButtonCount(); i++ {
		b := f.GetButton(i)
		bx, by, bw, bh := b.GetRect()
		if bw <= 0 || bh <= 0 || by < y || by >= y+h {
			continue
		}
		style := f.button
		if b.HasFocus() {
			style = roleFocus
		}
		edge := tcell.StyleDefault.Foreground(style.bg()).Background(f.bg.bg())
		for cx := bx; cx < bx+bw; cx++ {
			if by-1 >= y {
				screen.SetContent(cx, by-1, '▄', nil, edge)
			}
			if by+1 < y+h {
				screen.SetContent(cx, by+1, '▀', nil, edge)
			}
		}
	}
}

// MouseHandler takes a click on a button's edges for a click on it.
func (f *form) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	inner := f.Form.MouseHandler()
	return func(action tview.MouseAction, ev *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		x, y := ev.Position()
		for i := 0; i < f.GetButtonCount(); i++ {
			bx, by, bw, _ := f.GetButton(i).GetRect()
			if x >= bx && x < bx+bw && (y == by-1 || y == by+1) {
				ev = tcell.NewEventMouse(x, by, ev.Buttons(), ev.Modifiers())
				break
			}
		}
		consumed, capture := inner(action, ev, setFocus)
		if capture == f.Form {
			capture = f
		}
		return consumed, capture
	}
}

// buttonArrows makes the arrow keys move between a form's buttons as Tab
// and Backtab do (tview's buttons ignore them); in a field they keep moving
// the cursor.
func buttonArrows(f *tview.Form) func(*tcell.EventKey) *tcell.EventKey {
	return func(ev *tcell.EventKey) *tcell.EventKey {
		if _, button := f.GetFocusedItemIndex(); button < 0 {
			return ev
		}
		switch ev.Key() {
		case tcell.KeyRight, tcell.KeyDown:
			return tcell.NewEventKey(tcell.KeyTab, 0, tcell.ModNone)
		case tcell.KeyLeft, tcell.KeyUp:
			return tcell.NewEventKey(tcell.KeyBacktab, 0, tcell.ModNone)
		}
		return ev
	}
}

// buttonBar makes a row of buttons (a horizontal form: a vertical one puts
// an empty line above its buttons); Esc runs cancel.
func (m *Menu) buttonBar(cancel func()) *form {
	return m.form(cancel).SetHorizontal(true)
}

// field is an input field that opens the on-screen keyboard when clicked
// (or on F2), for an owner with only a mouse.
type field struct {
	*tview.InputField
	m      *Menu
	label  string
	masked bool
	maxLen int
	// changed are called, in order, when the text changes; each says
	// whether it changed the screen beyond the field (a message cleared, a
	// meter moved): the key's frame is then drawn whole (Menu.fieldOnly).
	changed []func(string) (elsewhere bool)
}

// newField makes a field labelled label; masked fields show '*'.
func (m *Menu) newField(label string, width, maxLen int, masked bool) *field {
	f := &field{InputField: tview.NewInputField(), m: m, label: label, masked: masked, maxLen: maxLen}
	f.SetFieldStyle(roleField.style()).SetLabelStyle(roleHeading.style())
	f.SetLabel(label + " ").SetFieldWidth(width)
	if masked {
		f.SetMaskCharacter('*')
	}
	if maxLen > 0 {
		f.SetAcceptanceFunc(func(text string, _ rune) bool { return utf8.RuneCountInString(text) <= maxLen })
	}
	f.InputField.SetChangedFunc(func(text string) {
		for _, c := range f.changed {
			if c(text) {
				f.m.edit.elsewhere = true
			}
		}
	})
	return f
}

// onChange adds c to what runs when the field's text changes (typed, or
// set by the on-screen keyboard).
func (f *field) onChange(c func(string) (elsewhere bool)) { f.changed = append(f.changed, c) }

// setMasked hides the field's text behind '*', or shows it.
func (f *field) setMasked(masked bool) {
	f.masked = masked
	if masked {
		f.SetMaskCharacter('*')
	} else {
		f.SetMaskCharacter(0)
	}
}

// clearOnEdit takes an error off status as soon as the owner edits one of
// fields again: the refusal was about what they typed before.
func (m *Menu) clearOnEdit(status *message, fields ...*field) {
	for _, f := range fields {
		f.onChange(func(string) bool {
			if status.has(roleError) {
				status.set(roleText, "")
				return true
			}
			return false
		})
	}
}

// Draw draws the field, in the focus style while it has the focus (the
// form sets every item's colours before drawing it).
func (f *field) Draw(screen tcell.Screen) {
	if f.HasFocus() {
		f.InputField.SetFieldStyle(roleFieldFocus.style())
	} else {
		f.InputField.SetFieldStyle(roleField.style())
	}
	f.InputField.Draw(screen)
}

// MouseHandler opens the keyboard on a click in the field.
func (f *field) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
	inner := f.InputField.MouseHandler()
	return func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
		if action == tview.MouseLeftClick && f.InRect(event.Position()) {
			setFocus(f)
			f.m.openKeyboard(f)
			return true, nil
		}
		consumed, capture := inner(action, event, setFocus)
		if capture != nil {
			// The text area inside captures the events that follow a
			// press; keep them (the click) coming through this wrapper.
			capture = f
		}
		return consumed, capture
	}
}

// InputHandler adds F2, "open the on-screen keyboard".
func (f *field) InputHandler() func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
	inner := f.InputField.InputHandler()
	return func(event *tcell.EventKey, setFocus func(p tview.Primitive)) {
		if event.Key() == tcell.KeyF2 {
			f.m.openKeyboard(f)
			return
		}
		f.m.focusMoved = false
		inner(event, setFocus)
		f.m.focusMoved = false
	}
}

// SetFinishedFunc wraps the form's handler, which moves the focus on after
// Enter: when the Enter's own handler put the focus on a field to correct
// (focusField), the form must not move it away again onto Ok, where what
// the owner types next would be lost.
func (f *field) SetFinishedFunc(handler func(tcell.Key)) tview.FormItem {
	f.InputField.SetFinishedFunc(func(k tcell.Key) {
		if f.m.focusMoved {
			f.m.focusMoved = false
			return
		}
		if handler != nil {
			handler(k)
		}
	})
	return f
}

// above is a field whose label is a line of its own over it, in a form: a
// label too long to share a row with its field (the verification code's
// beside App Scan QR), or a security question over its answer. Its label
// line is part of it: a click there opens the on-screen keyboard too.
type above struct {
	*field
	text string
	role role // the line's: a label's, or a question's (body text)
}

// above makes f a field labelled on the line above it.
func (m *Menu) above(f *field) *above {
	a := &above{field: f, text: f.label, role: roleHeading}
	f.InputField.SetLabel("")
	return a
}

// aboveWith puts text on the line above f, which keeps its own label: a
// question over "Risposta 1" and its field.
func (m *Menu) aboveWith(text string, f *field) *above {
	return &above{field: f, text: m.sub(text), role: roleText}
}

// GetLabel is empty: the form aligns the other items' labels without it.
func (a *above) GetLabel() string { return "" }

// GetFieldHeight is two rows: the label, the field.
func (a *above) GetFieldHeight() int { return 2 }

// SetFormAttributes keeps the label out of the field's row.
func (a *above) SetFormAttributes(_ int, labelColor, bgColor, fieldTextColor, fieldBgColor tcell.Color) tview.FormItem {
	a.field.SetFormAttributes(0, labelColor, bgColor, fieldTextColor, fieldBgColor)
	return a
}

// SetFinishedFunc is the field's.
func (a *above) SetFinishedFunc(handler func(tcell.Key)) tview.FormItem {
	a.field.SetFinishedFunc(handler)
	return a
}

// Draw draws the label on the first row and the field on the second.
func (a *above) Draw(screen tcell.Screen) {
	x, y, w, h := a.GetRect()
	st := a.role.style()
	cx := x
	for _, r := range a.text {
		if cx >= x+w {
			break
		}
		screen.SetContent(cx, y, r, nil, st)
		cx++
	}
	for ; cx < x+w; cx++ {
		screen.SetContent(cx, y, ' ', nil, roleText.style())
	}
	if h < 2 {
		return
	}
	a.field.SetRect(x, y+1, w, 1)
	a.field.Draw(screen)
	a.field.SetRect(x, y, w, h)
}

// openKeyboard shows the on-screen keyboard over the screen, editing f.
func (m *Menu) openKeyboard(f *field) {
	labels := softkbd.Labels{
		Ok:        m.tr.T(texts.Ok),
		Cancel:    m.tr.T(texts.Cancel),
		Backspace: m.tr.T(texts.KeyBackspace),
		Shift:     m.tr.T(texts.KeyShift),
		Symbols:   m.tr.T(texts.KeySymbols),
		Letters:   m.tr.T(texts.KeyLetters),
		Space:     m.tr.T(texts.KeySpace),
	}
	kb := softkbd.New(f.label, f.GetText(), f.masked, f.maxLen, labels, func(text string, ok bool) {
		m.pages.RemovePage(pageKeyboard)
		if ok {
			f.SetText(text)
		}
		m.app.SetFocus(f)
	})
	kb.SetStyles(softkbd.Styles{
		Key:      roleKey.style(),
		Selected: roleFocus.style(),
		Latched:  roleKeyLatched.style(),
		Field:    roleField.style(),
		Cursor:   roleField.style().Reverse(true),
		More:     roleHeading.style(),
	})
	kb.SetCapFunc(func(r rune) string { return m.sub(string(r)) })
	m.gen++
	w, h := kb.Size()
	m.pages.AddPage(pageKeyboard, centred(kb, w, h), true, true)
	m.app.SetFocus(kb)
}

// centred places p, w by h cells, in the middle of the screen.
func centred(p tview.Primitive, w, h int) tview.Primitive {
	return tview.NewFlex().
		AddItem(nil, 0, 1, false).
		AddItem(tview.NewFlex().SetDirection(tview.FlexRow).
			AddItem(nil, 0, 1, false).
			AddItem(p, h, 0, true).
			AddItem(nil, 0, 1, false), w, 0, true).
		AddItem(nil, 0, 1, false)
}

// meter shows a password's strength and the reasons it is refused, updated
// as the owner types: "Sicurezza:", then the bar and the level's word in
// the level's colour (four colours distinct on the console), then the
// reasons, wrapped.
type meter struct {
	*tview.Box
	m        *Menu
	level    int // -1: nothing typed
	head     string
	reasons  *message
	barFull  rune
	barEmpty rune
}

func (m *Menu) newMeter() *meter {
	mt := &meter{Box: tview.NewBox(), m: m, reasons: m.text(""),
		barFull: m.glyphOr('█', '#'), barEmpty: m.glyphOr('░', '-')}
	mt.SetBackgroundColor(roleText.bg())
	mt.update("")
	return mt
}

// update rates pw. Status and PasswordStrength never block, so this runs on
// the UI goroutine.
// It says the screen changed: the meter stands beside the field.
func (mt *meter) update(pw string) bool {
	if pw == "" {
		mt.level = -1
		mt.reasons.set(roleText, mt.m.tr.T(texts.StrengthEmpty))
		return true
	}
	s, reasons := mt.m.core.PasswordStrength(pw)
	if int(s) < 0 || int(s) >= len(strengthRoles) {
		s = pwpolicy.StrengthRisky
	}
	mt.level = int(s)
	mt.head = strings.Repeat(string(mt.barFull), 3*(int(s)+1)) + strings.Repeat(string(mt.barEmpty), 3*(3-int(s))) + " " + mt.m.tr.Strength(s)
	mt.reasons.set(roleText, mt.m.tr.Reasons(reasons))
	return true
}

// height is the rows the meter takes at width.
func (mt *meter) height(width int) int {
	if mt.level < 0 {
		return mt.reasons.height(width)
	}
	return 1 + mt.reasons.height(width)
}

func (mt *meter) Draw(screen tcell.Screen) {
	mt.Box.DrawForSubclass(screen, mt)
	x, y, w, h := mt.GetInnerRect()
	if mt.level >= 0 && h > 0 {
		cx := x
		put := func(s string, st tcell.Style) {
			for _, r := range s {
				if cx < x+w {
					screen.SetContent(cx, y, r, nil, st)
				}
				cx++
			}
		}
		put(mt.m.tr.T(texts.Strength)+" ", roleText.style())
		put(" "+mt.head+" ", strengthRoles[mt.level].style())
		y, h = y+1, h-1
	}
	mt.reasons.SetRect(x, y, w, h)
	mt.reasons.Draw(screen)
}

// doneOnEnter makes an input field's done handler that runs f on Enter
// (Tab and the arrows keep moving between fields).
func doneOnEnter(f func()) func(tcell.Key) {
	return func(k tcell.Key) {
		if k == tcell.KeyEnter {
			f()
		}
	}
}

// chain makes Tab leave each form from its last element for the next
// item's first, and Backtab leave it from its first for the previous
// item's last (a tview form keeps Tab to itself, a list moves its
// selection with it), so the keyboard reaches everything on a screen. The
// items are forms and lists.
func (m *Menu) chain(items ...tview.Primitive) {
	n := len(items)
	count := func(f *form) int { return f.GetFormItemCount() + f.GetButtonCount() }
	current := func(f *form) int {
		item, button := f.GetFocusedItemIndex()
		if item >= 0 {
			return item
		}
		if button >= 0 {
			return f.GetFormItemCount() + button
		}
		return -1
	}
	enter := func(p tview.Primitive, last bool) func() {
		return func() {
			if f, ok := p.(*form); ok {
				if last {
					f.SetFocus(count(f) - 1)
				} else {
					f.SetFocus(0)
				}
			}
			m.app.SetFocus(p)
		}
	}
	for i, p := range items {
		next, prev := enter(items[(i+1)%n], false), enter(items[(i+n-1)%n], true)
		switch p := p.(type) {
		case *list:
			p.next, p.prev = next, prev
		case *form:
			arrows := p.GetInputCapture()
			p.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
				if arrows != nil {
					if ev = arrows(ev); ev == nil {
						return nil
					}
				}
				switch ev.Key() {
				case tcell.KeyTab:
					if current(p) == count(p)-1 {
						next()
						return nil
					}
				case tcell.KeyBacktab:
					if current(p) == 0 {
						prev()
						return nil
					}
				}
				return ev
			})
		}
	}
}

// list is a tview list with the menu's look, whose items may each have
// their own roles (a method that cannot be chosen, a method set up or
// not). The selected item shows the focus style while the list has the
// focus, and a quieter one when the focus is elsewhere, so the owner always
// sees where the keys go. Item texts are never parsed for style tags.
type list struct {
	*tview.List
	roles []itemRoles
	next  func() // Tab: where the focus goes after the list (nil: stays)
	prev  func() // Backtab
}

type itemRoles struct{ main, second role }

// list makes a list with the menu's look.
func (m *Menu) list() *list {
	l := &list{List: tview.NewList().SetUseStyleTags(false, false).SetWrapAround(false)}
	l.SetMainTextStyle(roleItem.style()).SetSecondaryTextStyle(roleSecondary.style())
	l.SetHighlightFullLine(true)
	l.SetBackgroundColor(roleText.bg())
	return l
}

// height is the rows the list's items take: two each, the second line's
// row kept even when empty.
func (l *list) height(int) int { return 2 * l.GetItemCount() }

// add appends an item whose lines are in roles main and second.
func (l *list) add(main, second string, mainRole, secondRole role, selected func()) *list {
	l.roles = append(l.roles, itemRoles{mainRole, secondRole})
	if second != "" {
		second = "  " + second // under the item's text, past its mark
	}
	l.AddItem(main, second, 0, selected)
	return l
}

// item appends an item in the list's usual roles.
func (l *list) item(main, second string, selected func()) *list {
	return l.add(main, second, roleItem, roleSecondary, selected)
}

// clear removes every item.
func (l *list) clear() {
	l.roles = l.roles[:0]
	l.Clear()
}

// Draw draws the list, then gives each item that is not selected its roles.
func (l *list) Draw(screen tcell.Screen) {
	selected := roleItemIdle
	if l.HasFocus() {
		selected = roleFocus
	}
	l.SetSelectedStyle(selected.style())
	l.List.Draw(screen)
	x, y, w, h := l.GetInnerRect()
	offset, _ := l.GetOffset()
	row := y
	for i := offset; i < l.GetItemCount() && i < len(l.roles) && row < y+h; i++ {
		_, second := l.GetItemText(i)
		paint := func(r role) {
			for cx := x; cx < x+w; cx++ {
				c, comb, _, _ := screen.GetContent(cx, row)
				screen.SetContent(cx, row, c, comb, r.style())
			}
		}
		if i != l.GetCurrentItem() && l.roles[i].main != roleItem {
			paint(l.roles[i].main)
		}
		row++
		switch {
		case row >= y+h || second == "":
		case i == l.GetCurrentItem():
			paint(selected) // the item's two lines are one block
		case l.roles[i].second != roleSecondary:
			paint(l.roles[i].second)
		}
		row++ // the second line takes its row even when empty
	}
}

// InputHandler lets Tab and Backtab leave the list (a tview list keeps them
// to move its selection, and the arrows do that), so the keyboard reaches
// the buttons below it.
func (l *list) InputHandler() func(*tcell.EventKey, func(tview.Primitive)) {
	inner := l.List.InputHandler()
	return func(ev *tcell.EventKey, setFocus func(tview.Primitive)) {
		switch {
		case ev.Key() == tcell.KeyTab && l.next != nil:
			l.next()
		case ev.Key() == tcell.KeyBacktab && l.prev != nil:
			l.prev()
		default:
			inner(ev, setFocus)
		}
	}
}

// dropDown is a tview drop-down whose Esc, while its list is open, closes
// only the list: tview's ends the whole form there (its "finished" with
// Esc is the form's cancel), losing the answers typed.
type dropDown struct {
	*tview.DropDown
	finished   func(tcell.Key)
	labelWidth int // the form's, for the marker's place
	marker     rune
	// opened is where the press that opened the list was, until its
	// release.
	opened *[2]int
}

func (m *Menu) dropDown(label string, options []string, current int) *dropDown {
	d := &dropDown{DropDown: tview.NewDropDown(), marker: m.glyphOr('▼', 'v')}
	d.SetLabel(label+" ").SetOptions(options, nil).SetCurrentOption(current)
	d.SetListStyles(roleField.style(), roleFocus.style())
	d.SetFocusedStyle(roleFieldFocus.style()).SetFieldStyle(roleField.style())
	d.SetPrefixStyle(roleFieldFocus.style())
	return d
}

// SetFormAttributes keeps the label's width, which places the marker.
func (d *dropDown) SetFormAttributes(labelWidth int, labelColor, bgColor, fieldTextColor, fieldBgColor tcell.Color) tview.FormItem {
	d.labelWidth = labelWidth
	d.DropDown.SetFormAttributes(labelWidth, labelColor, bgColor, fieldTextColor, fieldBgColor)
	return d
}

// Draw draws the drop-down with a ▼ at its field's right end, so that it
// reads as one: the question is chosen from a list.
func (d *dropDown) Draw(screen tcell.Screen) {
	d.DropDown.Draw(screen)
	x, y, w, _ := d.GetRect()
	lw := d.labelWidth
	if lw <= 0 {
		lw = tview.TaggedStringWidth(d.GetLabel())
	}
	fx := x + lw + d.GetFieldWidth() - 1
	if fx < x+w {
		st := roleField.style()
		if d.HasFocus() {
			st = roleFieldFocus.style()
		}
		screen.SetContent(fx, y, d.marker, nil, st)
	}
}

// MouseHandler keeps the release of the click that opened the list from
// choosing the option under it: tview chooses on release (a press, a drag,
// a release), and a list that opens over its field (no room below) has an
// option right under the pointer. A click opens the list; the next click
// chooses.
func (d *dropDown) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	inner := d.DropDown.MouseHandler()
	return func(action tview.MouseAction, ev *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		x, y := ev.Position()
		switch action {
		case tview.MouseLeftDown:
			d.opened = nil
			if !d.IsOpen() && d.InRect(x, y) {
				d.opened = &[2]int{x, y}
			}
		case tview.MouseLeftUp:
			if o := d.opened; o != nil && d.IsOpen() && o[0] == x && o[1] == y {
				d.opened = nil
				return true, d
			}
			d.opened = nil
		}
		consumed, capture := inner(action, ev, setFocus)
		if capture == d.DropDown {
			capture = d
		}
		return consumed, capture
	}
}

// SetFinishedFunc keeps the form's handler, to leave it out on that Esc.
func (d *dropDown) SetFinishedFunc(h func(tcell.Key)) tview.FormItem {
	d.finished = h
	d.DropDown.SetFinishedFunc(h)
	return d
}

func (d *dropDown) InputHandler() func(*tcell.EventKey, func(tview.Primitive)) {
	inner := d.DropDown.InputHandler()
	return func(ev *tcell.EventKey, setFocus func(tview.Primitive)) {
		if ev.Key() == tcell.KeyEscape && d.IsOpen() {
			d.DropDown.SetFinishedFunc(nil)
			inner(ev, setFocus)
			d.DropDown.SetFinishedFunc(d.finished)
			setFocus(d) // back on the drop-down, whatever the list did
			return
		}
		inner(ev, setFocus)
	}
}
