package menu

import (
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
	role role
	text string
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
func (msg *message) add(r role, s string) *message {
	if s != "" {
		msg.parts = append(msg.parts, messagePart{r, msg.sub(s)})
	}
	return msg
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
	role  role
	text  string
	width int // the band's width, for banded roles
}

func (msg *message) lines(width int) []messageLine {
	var out []messageLine
	for _, p := range msg.parts {
		w, pad := width, 0
		if msg.banded(p.role) {
			w, pad = width-2, 2
		}
		ls := wrap(p.text, w)
		band := 0
		for _, l := range ls {
			band = max(band, utf8.RuneCountInString(l)+pad)
		}
		for _, l := range ls {
			out = append(out, messageLine{p.role, l, band})
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
		lx := x
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
func (s *stack) auto(p sized) *stack {
	s.items = append(s.items, stackItem{p: p, auto: p.height})
	s.AddItem(p, 1, 0, false)
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

// heightFor is the rows the stack needs at width: a filling item one.
func (s *stack) heightFor(width int) int {
	n := 0
	for _, it := range s.items {
		switch {
		case it.auto != nil:
			n += it.auto(width)
		case it.fill:
			n++
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

// frame is a screen: a titled border around the whole screen, its body in a
// column centred in it, as wide as the frame up to maxColumn.
type frame struct {
	*tview.Box
	body tview.Primitive
	wide bool // the body takes the frame's whole width (App Scan QR)
}

func (m *Menu) frame(title texts.ID, body tview.Primitive) *frame {
	f := &frame{Box: tview.NewBox(), body: body}
	f.SetBorder(true).SetTitle(" " + m.tr.T(title) + " ")
	f.SetBorderStyle(roleBorder.style()).SetTitleColor(roleHeading.fg())
	f.SetBackgroundColor(roleText.bg())
	f.SetBorderPadding(0, 0, 1, 1)
	return f
}

// Draw draws the frame and the body in its column.
func (f *frame) Draw(screen tcell.Screen) {
	f.Box.DrawForSubclass(screen, f)
	x, y, w, h := f.GetInnerRect()
	cw := w
	if !f.wide {
		cw = min(w, maxColumn)
	}
	f.body.SetRect(x+(w-cw)/2, y, cw, h)
	f.body.Draw(screen)
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

// root is the application's root: the menu's pages, or, on a screen below
// 80x25, only a sentence saying it is too small (input is dropped
// meanwhile: nobody should act on a screen they cannot see whole). In the
// demo it draws a help line on the bottom border.
type root struct {
	*tview.Pages
	m     *Menu
	small bool
	hint  struct{ x, y, w int } // the help line's cells, when drawn
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
	r.Pages.Draw(screen)
	if r.m.opts.DemoHelp != "" {
		label := []rune(r.m.tr.T(texts.DemoHelp))
		x := w - 2 - len(label)
		r.hint.x, r.hint.y, r.hint.w = x, h-1, len(label)
		for i, c := range label {
			screen.SetContent(x+i, h-1, c, nil, roleHint.style())
		}
	}
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

// showDemoHelp shows the demo's hints (the daemon's text) over the screen.
func (m *Menu) showDemoHelp() {
	if m.pages.HasPage(pageHelp) {
		return
	}
	m.dialogPage(pageHelp, m.tr.T(texts.DemoHelpTitle), m.opts.DemoHelp, []texts.ID{texts.Ok}, nil)
}
