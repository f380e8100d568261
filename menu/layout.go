package menu

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/texts"
)

// The screen sizes the layouts are made for. Below the minimum the menu
// shows only a sentence saying so: a cut-off form is worse than none.
const (
	minWidth, minHeight = 80, 25
	// maxColumn is the widest a screen's column of text and forms gets, so
	// that lines stay readable on a 240-column console; up to it the column
	// is the whole frame.
	maxColumn = 120
)

// wrap breaks text into lines of at most width cells, at spaces only: never
// inside a word, so "e-mail" stays whole (tview's own wrapping breaks after
// a hyphen). A word longer than the line is cut. "\n" starts a new line.
func wrap(text string, width int) []string {
	if width < 1 {
		return nil
	}
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line, n := "", 0
		for _, word := range strings.Fields(para) {
			wn := utf8.RuneCountInString(word)
			for wn > width { // a word wider than the line
				if n > 0 {
					lines = append(lines, line)
					line, n = "", 0
				}
				cut := string([]rune(word)[:width])
				lines = append(lines, cut)
				word = word[len(cut):]
				wn -= width
			}
			switch {
			case wn == 0:
			case n == 0:
				line, n = word, wn
			case n+1+wn <= width:
				line, n = line+" "+word, n+1+wn
			default:
				lines = append(lines, line)
				line, n = word, wn
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// message is text the menu writes on a screen: paragraphs, each in the
// style of its role, wrapped to the width they get. set replaces all of it:
// a new message never stands beside a stale one.
type message struct {
	*tview.Box
	sub   func(string) string
	parts []messagePart
	align int
	bg    role // whose background fills the box
}

type messagePart struct {
	role   role
	text   string
	indent int // cells every line of it starts right of the others
	hang   int // cells its lines after the first start further in
}

// text makes a message of body text.
func (m *Menu) text(s string) *message { return m.note(roleText, s) }

// note makes a message in role r's style.
func (m *Menu) note(r role, s string) *message {
	msg := &message{Box: tview.NewBox(), sub: m.sub, bg: roleText}
	msg.Box.SetBackgroundColor(roleText.bg())
	return msg.set(r, s)
}

// set replaces the message with s in role r's style ("" empties it).
func (msg *message) set(r role, s string) *message {
	msg.parts = msg.parts[:0]
	return msg.add(r, s)
}

// add appends s as a paragraph of its own, in role r's style.
func (msg *message) add(r role, s string) *message { return msg.addIndented(r, s, 0) }

// addIndented appends s as a paragraph whose lines all start indent cells
// in: a hint under its label.
func (msg *message) addIndented(r role, s string, indent int) *message {
	if s != "" {
		msg.parts = append(msg.parts, messagePart{role: r, text: msg.sub(s), indent: indent})
	}
	return msg
}

// addHanging appends s as a paragraph whose lines after the first start
// hang cells in: a hint after its label, on a short screen.
func (msg *message) addHanging(r role, s string, hang int) *message {
	if s != "" {
		msg.parts = append(msg.parts, messagePart{role: r, text: msg.sub(s), hang: hang})
	}
	return msg
}

// has reports whether a paragraph of the message is in role r.
func (msg *message) has(r role) bool {
	for _, p := range msg.parts {
		if p.role == r {
			return true
		}
	}
	return false
}

// onBackground makes the message's background that of role r (a dialog's).
func (msg *message) onBackground(r role) *message {
	msg.bg = r
	msg.Box.SetBackgroundColor(r.bg())
	return msg
}

// String is the message's text, its paragraphs on lines of their own.
func (msg *message) String() string {
	var b []string
	for _, p := range msg.parts {
		b = append(b, p.text)
	}
	return strings.Join(b, "\n")
}

// banded reports whether a paragraph in role r is drawn as a band of its
// own background, with a cell of room on each side: an error in red on the
// screen's blue.
func (msg *message) banded(r role) bool { return styleTable[r].bg != styleTable[msg.bg].bg }

type messageLine struct {
	role   role
	text   string
	width  int // the band's width, for banded roles
	indent int
}

func (msg *message) lines(width int) []messageLine {
	var out []messageLine
	for _, p := range msg.parts {
		w, pad := width-p.indent, 0
		if msg.banded(p.role) {
			w, pad = w-2, 2
		}
		ls := wrap(p.text, w)
		if p.hang > 0 && len(ls) > 1 {
			rest := wrap(strings.Join(ls[1:], " "), w-p.hang)
			ls = append(ls[:1], rest...)
		}
		band := 0
		for _, l := range ls {
			band = max(band, utf8.RuneCountInString(l)+pad)
		}
		for i, l := range ls {
			in := p.indent
			if i > 0 {
				in += p.hang
			}
			out = append(out, messageLine{p.role, l, band, in})
		}
	}
	return out
}

// height is how many rows the message takes at width.
func (msg *message) height(width int) int { return len(msg.lines(width)) }

// Draw draws the wrapped lines, a banded role's on its band.
func (msg *message) Draw(screen tcell.Screen) {
	msg.Box.DrawForSubclass(screen, msg)
	x, y, w, h := msg.GetInnerRect()
	for i, l := range msg.lines(w) {
		if i >= h {
			break
		}
		style := l.role.style()
		n := utf8.RuneCountInString(l.text)
		lx := x + l.indent
		if msg.align == tview.AlignCenter {
			lx = x + (w-max(n, l.width))/2
		}
		if msg.banded(l.role) {
			for bx := 0; bx < l.width && lx+bx < x+w; bx++ {
				screen.SetContent(lx+bx, y+i, ' ', nil, style)
			}
			lx++
		}
		for _, r := range l.text {
			if lx >= x+w {
				break
			}
			screen.SetContent(lx, y+i, r, nil, style)
			lx++
		}
	}
}

// stack lays its items out top to bottom: fixed heights, the wrapped
// height of a message at the width it gets, or a share of what is left.
// Heights follow the width at every frame, so a resize reflows everything.
type stack struct {
	*tview.Flex
	items []stackItem
}

type stackItem struct {
	p     tview.Primitive
	fixed int
	auto  func(width int) int // a message's height
	fill  bool
}

func (m *Menu) rows() *stack {
	return &stack{Flex: tview.NewFlex().SetDirection(tview.FlexRow)}
}

// fixed adds p, h rows high.
func (s *stack) fixed(p tview.Primitive, h int, focus bool) *stack {
	s.items = append(s.items, stackItem{p: p, fixed: h})
	s.AddItem(p, h, 0, focus)
	return s
}

// fill adds p, taking a share of the rows the other items leave.
func (s *stack) fill(p tview.Primitive, focus bool) *stack {
	s.items = append(s.items, stackItem{p: p, fill: true})
	s.AddItem(p, 0, 1, focus)
	return s
}

// sized is a primitive whose height follows its width: a message, the
// strength meter.
type sized interface {
	tview.Primitive
	height(width int) int
}

// auto adds p, as high as it needs at the width it gets.
func (s *stack) auto(p sized) *stack { return s.sized(p, false) }

// sized adds p, as high as it needs at the width it gets, taking the
// focus when the stack gets it if focus is set: a form.
func (s *stack) sized(p sized, focus bool) *stack {
	s.items = append(s.items, stackItem{p: p, auto: p.height})
	s.AddItem(p, 1, 0, focus)
	return s
}

// gap adds h empty rows.
func (s *stack) gap(h int) *stack {
	s.items = append(s.items, stackItem{fixed: h})
	s.AddItem(nil, h, 0, false)
	return s
}

// resize gives the fixed item p a new height.
func (s *stack) resize(p tview.Primitive, h int) {
	for i := range s.items {
		if s.items[i].p == p {
			s.items[i].fixed = h
		}
	}
	s.ResizeItem(p, h, 0)
}

// heightFor is the rows the stack needs at width: a filling item as many
// as it has rows to show (a list's items), else one.
func (s *stack) heightFor(width int) int {
	n := 0
	for _, it := range s.items {
		switch {
		case it.auto != nil:
			n += it.auto(width)
		case it.fill:
			if p, ok := it.p.(sized); ok {
				n += max(1, p.height(width))
			} else {
				n++
			}
		default:
			n += it.fixed
		}
	}
	return n
}

// Draw sizes the messages for the width, then draws.
func (s *stack) Draw(screen tcell.Screen) {
	_, _, w, _ := s.GetInnerRect()
	for _, it := range s.items {
		if it.auto != nil {
			s.ResizeItem(it.p, it.auto(w), 0)
		}
	}
	s.Flex.Draw(screen)
}

// frame is a screen, in the area between the title bar and the footer
// (root draws those): its form or list in a panel centred in the area, a
// titled box as wide as the screen asks up to the area's width less its
// margins, and as high as its content at that width. A panel taller than
// the area takes the whole height and its filling items shrink. A wide
// frame (App Scan QR) gives the whole area to its body, which lays itself
// out.
type frame struct {
	*tview.Box
	m     *Menu
	title texts.ID
	body  tview.Primitive
	panel *panel
	wide  bool // the body takes the whole area (App Scan QR)
	// width is the panel's width the screen asks for, its border
	// included; the area's width less the margins when smaller.
	width int
	// back says Esc goes back from this screen (the footer says so).
	back bool
}

// Panel widths: a login box, and every other screen's, which keeps lines of
// text at about 90 characters on the widest screens.
const (
	panelLogin = 56
	panelWide  = 96
)

func (m *Menu) frame(title texts.ID, body tview.Primitive) *frame {
	f := &frame{Box: tview.NewBox(), m: m, title: title, body: body, width: panelWide, back: true}
	f.SetBackgroundColor(roleText.bg())
	f.panel = m.panel(m.tr.T(title), body)
	return f
}

// Draw draws the area's background, then the panel centred in it (or the
// wide body over all of it).
func (f *frame) Draw(screen tcell.Screen) {
	f.Box.DrawForSubclass(screen, f)
	x, y, w, h := f.GetInnerRect()
	if f.wide {
		f.body.SetRect(x, y, w, h)
		f.body.Draw(screen)
		return
	}
	pw := min(f.width, w-2*panelMarginX)
	ph := min(h, f.panel.heightFor(pw))
	// Centred, a little above the middle as a television's menus sit.
	top := y + (h-ph)*2/5
	f.panel.SetRect(x+(w-pw)/2, top, pw, ph)
	f.panel.Draw(screen)
}

func (f *frame) Focus(delegate func(tview.Primitive)) { delegate(f.body) }
func (f *frame) HasFocus() bool                       { return f.body.HasFocus() }

func (f *frame) InputHandler() func(*tcell.EventKey, func(tview.Primitive)) {
	return f.WrapInputHandler(func(ev *tcell.EventKey, setFocus func(tview.Primitive)) {
		if f.body.HasFocus() {
			if h := f.body.InputHandler(); h != nil {
				h(ev, setFocus)
			}
		}
	})
}

func (f *frame) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	return f.WrapMouseHandler(func(action tview.MouseAction, ev *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		if !f.InRect(ev.Position()) {
			return false, nil
		}
		if h := f.body.MouseHandler(); h != nil {
			if consumed, capture := h(action, ev, setFocus); consumed {
				return true, capture
			}
		}
		return true, nil
	})
}

func (f *frame) PasteHandler() func(string, func(tview.Primitive)) {
	return f.WrapPasteHandler(func(text string, setFocus func(tview.Primitive)) {
		if h := f.body.PasteHandler(); h != nil && f.body.HasFocus() {
			h(text, setFocus)
		}
	})
}

// Margins: the panel keeps at least panelMarginX columns from the sides of
// the screen; inside its border, padX columns and padY rows of room.
const (
	panelMarginX = 2
	padX, padY   = 3, 1
)

// panel is a titled box around a body: a screen's, or App Scan QR's text
// column. Its title sits in the top border, in the heading's colour.
type panel struct {
	*tview.Box
	title string
	body  tview.Primitive
}

func (m *Menu) panel(title string, body tview.Primitive) *panel {
	p := &panel{Box: tview.NewBox(), title: title, body: body}
	p.SetBackgroundColor(roleText.bg())
	return p
}

// heightFor is the panel's height at width w, border and room included:
// its body's height at the width it gets.
func (p *panel) heightFor(w int) int {
	inner := w - 2 - 2*padX
	n := 1
	if s, ok := p.body.(interface{ heightFor(int) int }); ok {
		n = s.heightFor(inner)
	}
	return n + 2 + 2*padY
}

// Draw draws the box (a single line, its title in the top one), then the
// body inside it; a panel too low for its room gives that up first.
func (p *panel) Draw(screen tcell.Screen) {
	p.Box.DrawForSubclass(screen, p)
	x, y, w, h := p.GetRect()
	if w < 2 || h < 2 {
		return
	}
	line := rolePanel.style()
	for cx := x + 1; cx < x+w-1; cx++ {
		screen.SetContent(cx, y, '─', nil, line)
		screen.SetContent(cx, y+h-1, '─', nil, line)
	}
	for cy := y + 1; cy < y+h-1; cy++ {
		screen.SetContent(x, cy, '│', nil, line)
		screen.SetContent(x+w-1, cy, '│', nil, line)
	}
	screen.SetContent(x, y, '┌', nil, line)
	screen.SetContent(x+w-1, y, '┐', nil, line)
	screen.SetContent(x, y+h-1, '└', nil, line)
	screen.SetContent(x+w-1, y+h-1, '┘', nil, line)
	if p.title != "" {
		cx := x + 2
		for _, r := range " " + p.title + " " {
			if cx >= x+w-2 {
				break
			}
			screen.SetContent(cx, y, r, nil, roleHeading.style())
			cx++
		}
	}
	pad := padY
	if h < p.heightFor(w) {
		pad = 0
	}
	p.body.SetRect(x+1+padX, y+1+pad, max(0, w-2-2*padX), max(0, h-2-2*pad))
	p.body.Draw(screen)
}

func (p *panel) Focus(delegate func(tview.Primitive)) { delegate(p.body) }
func (p *panel) HasFocus() bool                       { return p.body.HasFocus() }

func (p *panel) InputHandler() func(*tcell.EventKey, func(tview.Primitive)) {
	return p.WrapInputHandler(func(ev *tcell.EventKey, setFocus func(tview.Primitive)) {
		if p.body.HasFocus() {
			if h := p.body.InputHandler(); h != nil {
				h(ev, setFocus)
			}
		}
	})
}

func (p *panel) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	return p.WrapMouseHandler(func(action tview.MouseAction, ev *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		if !p.InRect(ev.Position()) {
			return false, nil
		}
		if h := p.body.MouseHandler(); h != nil {
			if consumed, capture := h(action, ev, setFocus); consumed {
				return true, capture
			}
		}
		return true, nil
	})
}

// trail is where a screen titled title is, as the title bar says it: the
// screens the owner came through, then this one.
func (m *Menu) trail(title texts.ID) []texts.ID {
	switch title {
	case texts.ForgotPassword:
		return []texts.ID{texts.TitleLogin, title}
	case texts.MethodEmail, texts.MethodGUID, texts.MethodQuestions, texts.TitleNewPassword, texts.TitleResetDone:
		return []texts.ID{texts.ForgotPassword, title}
	case texts.AppScanQR:
		return []texts.ID{texts.ForgotPassword, texts.MethodEmail, title}
	case texts.TitleSetup:
		return []texts.ID{texts.TitleActivation, title}
	case texts.ChangePassword, texts.SetQuestions, texts.SetEmail, texts.TitleGUIDExport:
		return append(slices.Clone(m.hub), title)
	}
	return []texts.ID{title}
}

// root is the application's root: the title bar (the recorder, and where
// the owner is), the menu's pages in the area below it, and the footer
// (what the keys and the mouse do); or, on a screen below 80x25, only a
// sentence saying it is too small (input is dropped meanwhile: nobody
// should act on a screen they cannot see whole). In the demo the footer
// ends with the help's key.
type root struct {
	*tview.Pages
	m     *Menu
	small bool
	hint  struct{ x, y, w int } // the demo help's cells, when drawn
}

func (r *root) Draw(screen tcell.Screen) {
	w, h := screen.Size()
	r.small = w < minWidth || h < minHeight
	r.hint.w = 0
	if r.small {
		bg := roleText.style()
		for y := range h {
			for x := range w {
				screen.SetContent(x, y, ' ', nil, bg)
			}
		}
		msg := r.m.note(roleError, r.m.tr.F(texts.ScreenTooSmall, w, h))
		msg.align = tview.AlignCenter
		mh := msg.height(w)
		msg.SetRect(0, max(0, (h-mh)/2), w, mh)
		msg.Draw(screen)
		return
	}
	r.Pages.SetRect(0, 1, w, h-2)
	r.drawPages(screen)
	r.drawTitleBar(screen, w)
	r.drawFooter(screen, w, h-1)
}

// drawPages draws the screen and what is over it. A dialog, the busy sign
// or the demo's help stands alone on the screen's blue, the screen under it
// left out (the title bar still says where the owner is): half a form
// peeking out beside a dialog reads as one text with it. The on-screen
// keyboard keeps the form it types into in view.
func (r *root) drawPages(screen tcell.Screen) {
	names := r.Pages.GetPageNames(true)
	modal := slices.ContainsFunc(names, func(n string) bool { return n == pageDialog || n == pageBusy || n == pageHelp })
	if !modal {
		r.Pages.Draw(screen)
		return
	}
	x, y, w, h := r.Pages.GetInnerRect()
	bg := roleText.style()
	for cy := y; cy < y+h; cy++ {
		for cx := x; cx < x+w; cx++ {
			screen.SetContent(cx, cy, ' ', nil, bg)
		}
	}
	for _, n := range slices.Backward(names) { // front first: drawn last
		if n == pageMain || n == pageKeyboard {
			continue
		}
		p := r.Pages.GetPage(n)
		p.SetRect(x, y, w, h)
		p.Draw(screen)
	}
}

// drawTitleBar draws row 0: the recorder's model and serial on the left,
// the screen's trail on the right, cut at its start when the row is short.
func (r *root) drawTitleBar(screen tcell.Screen, w int) {
	put := func(x int, s string, st tcell.Style) int {
		for _, c := range s {
			if x >= w {
				break
			}
			screen.SetContent(x, 0, c, nil, st)
			x++
		}
		return x
	}
	put(0, strings.Repeat(" ", w), roleTitleBar.style())
	device := " " + r.m.deviceName()
	f := r.m.current
	if f == nil {
		put(0, device, roleTitleBar.style())
		return
	}
	var parts []string
	for _, id := range r.m.trail(f.title) {
		parts = append(parts, r.m.tr.T(id))
	}
	// Short of room: the screen's own title without the ones before it,
	// then the serial alone, then the title cut at its start.
	width := func(s string) int { return utf8.RuneCountInString(s) }
	place := strings.Join(parts, " » ") + " "
	if width(device)+3+width(place) > w {
		place = parts[len(parts)-1] + " "
	}
	if width(device)+3+width(place) > w {
		device = " " + r.m.serial()
	}
	if room := w - width(device) - 3; width(place) > room && room > 4 {
		place = r.m.sub("…") + string([]rune(place)[width(place)-room+width(r.m.sub("…")):])
	}
	put(0, device, roleTitleBar.style())
	if n := width(place); n <= w-width(device)-3 {
		put(w-n, place, roleTitleBarPlace.style())
	}
}

// serial is the recorder's serial number.
func (m *Menu) serial() string {
	if m.core != nil {
		return m.core.Serial()
	}
	return m.opts.Serial
}

// deviceName is the title bar's recorder: its model and serial.
func (m *Menu) deviceName() string {
	serial := m.serial()
	model := m.opts.Model
	if serial == "" {
		return m.sub(model)
	}
	if model == "" {
		return m.tr.F(texts.TitleBarSerial, serial)
	}
	return m.tr.F(texts.TitleBarDevice, m.sub(model), serial)
}

// footerKey is one of the footer's hints: a key and what it does.
type footerKey struct{ key, does texts.ID }

// drawFooter draws the last row: what the keys and the mouse do on this
// screen (a list's or a form's), as many as fit, and in the demo the
// help's key at the right end.
func (r *root) drawFooter(screen tcell.Screen, w, y int) {
	x := 0
	put := func(s string, st tcell.Style) {
		for _, c := range s {
			if x < w {
				screen.SetContent(x, y, c, nil, st)
			}
			x++
		}
	}
	put(strings.Repeat(" ", w), roleFooter.style())
	right := w
	if r.m.opts.DemoHelp != "" {
		label := []rune(r.m.tr.T(texts.DemoHelp))
		right = w - 1 - len(label)
		r.hint.x, r.hint.y, r.hint.w = right, y, len(label)
		for i, c := range label {
			screen.SetContent(right+i, y, c, nil, roleHint.style())
		}
	}
	x = 1
	for _, k := range r.m.footerKeys() {
		key, does := " "+r.m.tr.T(k.key)+" ", " "+r.m.tr.T(k.does)+"  "
		if x+utf8.RuneCountInString(key)+utf8.RuneCountInString(does) > right-1 {
			break
		}
		put(key, roleKeycap.style())
		put(does, roleFooter.style())
	}
}

// footerKeys are the hints for the screen on show: a list's (the arrows
// choose, Enter opens) or a form's (Tab moves, Enter confirms, F2 opens the
// on-screen keyboard), Esc when it goes back, and the mouse.
func (m *Menu) footerKeys() []footerKey {
	if m.opts.Fault != NoFault {
		return nil // the fault screen takes no input: no key to offer
	}
	var keys []footerKey
	isList := m.current != nil && focusedList(m.current)
	if isList {
		keys = append(keys, footerKey{texts.KeyArrows, texts.DoChoose}, footerKey{texts.KeyEnter, texts.DoOpen})
	} else {
		keys = append(keys, footerKey{texts.KeyTab, texts.DoNext}, footerKey{texts.KeyEnter, texts.DoConfirm})
	}
	if m.current != nil && m.current.back {
		keys = append(keys, footerKey{texts.KeyEsc, texts.DoBack})
	}
	if !isList {
		keys = append(keys, footerKey{texts.KeyF2, texts.DoKeyboard})
	}
	if m.pointer.enabled.Load() || m.opts.TerminalMouse {
		keys = append(keys, footerKey{texts.KeyMouse, texts.DoClick})
	}
	return keys
}

// focusedList reports whether the focus is on a list under p. (Not through
// the application, whose lock is held while it draws.)
func focusedList(p tview.Primitive) bool {
	switch p := p.(type) {
	case *list:
		return p.HasFocus()
	case *frame:
		return focusedList(p.body)
	case *panel:
		return focusedList(p.body)
	case *stack:
		for _, it := range p.items {
			if it.p != nil && focusedList(it.p) {
				return true
			}
		}
	}
	return false
}

func (r *root) InputHandler() func(*tcell.EventKey, func(tview.Primitive)) {
	inner := r.Pages.InputHandler()
	return func(ev *tcell.EventKey, setFocus func(tview.Primitive)) {
		switch {
		case r.small:
			return
		case ev.Key() == tcell.KeyF1 && r.m.opts.DemoHelp != "":
			r.m.showDemoHelp()
			return
		}
		inner(ev, setFocus)
	}
}

func (r *root) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	inner := r.Pages.MouseHandler()
	return func(action tview.MouseAction, ev *tcell.EventMouse, setFocus func(tview.Primitive)) (bool, tview.Primitive) {
		if r.small {
			return true, nil
		}
		x, y := ev.Position()
		if r.hint.w > 0 && y == r.hint.y && x >= r.hint.x && x < r.hint.x+r.hint.w {
			if action == tview.MouseLeftClick {
				r.m.showDemoHelp()
			}
			return true, nil
		}
		return inner(action, ev, setFocus)
	}
}

// showDemoHelp shows the demo's hints (the daemon's text) over the screen,
// laid out for its width: each hint's label on a line of its own, the hint
// under it, wrapped at spaces, its lines indented.
func (m *Menu) showDemoHelp() {
	if m.pages.HasPage(pageHelp) {
		return
	}
	title, hints := parseHelp(m.opts.DemoHelp)
	msg := m.note(roleDialog, title).onBackground(roleDialog)
	longest := utf8.RuneCountInString(title)
	for _, h := range hints {
		longest = max(longest, utf8.RuneCountInString(h.text)+2)
	}
	// Each label on its own line, when that leaves the dialog on the
	// screen; on a shorter one, the hint follows its label.
	sw, sh := unpack(m.pointer.size.Load())
	width := min(longest+6, max(sw-4, minWidth-4))
	spacious := m.note(roleDialog, title).onBackground(roleDialog)
	for _, h := range hints {
		spacious.add(roleHeading, h.label).addIndented(roleDialog, h.text, 2)
	}
	if sh == 0 || spacious.height(width-6)+9 <= sh {
		msg = spacious
	} else {
		for _, h := range hints {
			msg.addHanging(roleDialog, h.label+": "+h.text, 2)
		}
	}
	m.messageDialog(pageHelp, m.tr.T(texts.DemoHelpTitle), msg, width, []texts.ID{texts.Ok}, nil)
}

// hint is one of the demo's hints.
type hint struct{ label, text string }

// parseHelp reads the demo's hints as the daemon writes them: a first line,
// then one hint a line, two spaces in, its label ending in ':' and the hint
// after spaces; a line indented further goes on with the hint above.
func parseHelp(s string) (title string, hints []hint) {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	title = strings.TrimSpace(lines[0])
	for _, l := range lines[1:] {
		switch {
		case strings.TrimSpace(l) == "":
		case !strings.HasPrefix(l, "   ") && strings.Contains(l, ":"):
			label, text, _ := strings.Cut(strings.TrimSpace(l), ":")
			hints = append(hints, hint{strings.TrimSpace(label), strings.Join(strings.Fields(text), " ")})
		case len(hints) > 0:
			hints[len(hints)-1].text += " " + strings.Join(strings.Fields(l), " ")
		default:
			title += " " + strings.TrimSpace(l)
		}
	}
	return title, hints
}
