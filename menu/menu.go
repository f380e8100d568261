package menu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/internal/certfp"
	"nvrmenu/internal/dirlock"
	"nvrmenu/recovery"
	"nvrmenu/texts"
	"nvrmenu/usb"
)

// Options configure a Menu. Core is required.
type Options struct {
	// Core is the recovery core; it may be nil only with Fault set.
	Core Core
	// Fault, when set, is why the recorder cannot offer the menu: Run then
	// shows only a screen saying so, with FaultDetail (e.g. the file to
	// look at), until Stop. The daemon uses it rather than exiting, which
	// would leave a blank console restarted by init every second.
	Fault       Fault
	FaultDetail string
	// FaultPrev is the previous state file's path, when there is one
	// (FaultState): the screen says how to go back to it.
	FaultPrev string
	// FaultHolder is who holds the state directory (FaultLocked).
	FaultHolder dirlock.Holder
	// FaultFix is the one command that fixes the fault (FaultStateDir).
	FaultFix string
	// Sticks is the USB watcher; nil means the recorder has no USB port
	// the menu may use (the GUID and export screens say no stick is in).
	Sticks Sticks
	// Language is "it" (the default) or "en".
	Language string
	// QRBlocks is "half" (the default: half blocks, square modules) or
	// "full" (two full blocks per module, for fonts without half blocks).
	QRBlocks string
	// Mouse gives PS/2 packets, as /dev/input/mice does; nil means no
	// pointer. When it fails the menu goes on keyboard-only and logs it once.
	Mouse io.Reader
	// AllowQuit lets Ctrl-C end Run (the demo); on a recorder it does
	// nothing.
	AllowQuit bool
	// TerminalMouse asks the terminal for mouse reports (xterm and the
	// like). Leave it off on the Linux console, whose reports tcell
	// misreads as keys.
	TerminalMouse bool
	// Logger receives one line per notable event; never secrets. Default:
	// discard.
	Logger *slog.Logger
	// Display is what the daemon found out about the screen; the zero
	// value is a terminal emulator that draws every rune.
	Display Display
	// CertFingerprint is the SHA-256 fingerprint of the web door's
	// certificate, shown on the account screen so an installer can
	// compare it with the browser's; "" when there is no web door.
	CertFingerprint certfp.Fingerprint
	// DemoHelp, when set (the demo), is help for a newcomer in the
	// daemon's words: every screen then shows "F1: aiuto della demo" at
	// the end of its footer, and F1 or a click there shows this text.
	DemoHelp string
	// Model is the recorder's model, in the title bar beside its serial
	// (the core's); "" shows the serial alone. Serial is the serial the
	// fault screen shows, with no core to ask.
	Model, Serial string
	// Ready, when set, is called once, on a goroutine of its own, after
	// the first frame is on screen: the daemon starts its network doors
	// then, so that nothing of theirs stands before that frame.
	Ready func()
	// Addresses are the recorder's network addresses, which the
	// activation screen shows beside the web page's fingerprint, so that
	// an installer activating it from the LAN can compare them.
	Addresses []string
}

// Display describes the screen the menu draws on, as the daemon set it up.
// The menu never opens the console itself.
type Display struct {
	// Console is set on a Linux virtual console whose 16-colour palette the
	// daemon has set: the menu then draws with the console's colours.
	Console bool
	// HasGlyph reports whether the font on screen can draw r; nil means it
	// can draw every rune (a terminal emulator). No cell ever holds a rune
	// it refuses: the menu draws a look-alike, or '?'.
	HasGlyph func(r rune) bool
	// Substitute makes text drawable with the font on screen, before
	// layout (an "…" becoming "..." is wider): catalogue texts, question
	// texts, stick and file names, addresses, the on-screen keyboard's
	// keys. nil with HasGlyph set: the menu's own substitutes for the runes
	// HasGlyph refuses ("..." for "…", "E'" for "È"); nil without: none.
	// The daemon sets it only on a virtual console, from the console's
	// Unicode map.
	Substitute func(string) string
	// CellWidth and CellHeight are a character cell's size in pixels, 0
	// when unknown: the pointer moves one cell per that many mouse counts.
	CellWidth, CellHeight int
}

// Menu is the running menu. Its screens live on the tview event goroutine;
// the other goroutines (work, stick events, mouse) talk to it through post.
type Menu struct {
	opts  Options
	core  Core
	tr    *catalogue
	sub   func(string) string // Display's substitutes, before layout
	log   *slog.Logger
	app   *tview.Application
	pages *tview.Pages
	root  *root

	ctx    context.Context
	cancel context.CancelFunc

	updates chan func()
	pointer pointer
	running atomic.Bool // tview's loop has drawn its first frame
	// afterFrame, if set before Run, is called after every frame (on the
	// UI goroutine): benchmarks time frames with it.
	afterFrame func()
	// webDoorMsg is the activation screen's words on the web door, said
	// again in place when the door comes up (SetWebDoor); nil elsewhere.
	webDoorMsg *message
	// edit is the key being handled when it only edits the focused field:
	// its frame redraws that field alone (fieldOnly). UI goroutine.
	edit struct {
		field     *field // the field the key went to; nil: a whole frame
		gen       int    // m.gen when the key came
		elsewhere bool   // the field's change touched the screen elsewhere
		drawOnly  *field // the frame being drawn is this field's alone
	}

	// The fields below belong to the UI goroutine.
	session    *recovery.Session
	sticks     []usb.Stick
	onSticks   func() // the current screen's reaction to a stick change
	busy       int
	screenName string // for logs and tests
	gen        int    // bumped whenever what is on screen changes
	clickGen   int    // gen when the last click was delivered
	clickX     int    // where it was
	clickY     int
	idleTimer  *time.Timer
	// after runs f once d has passed, on its own goroutine: time.AfterFunc,
	// replaced by tests that move the core's clock themselves.
	after    func(d time.Duration, f func()) *time.Timer
	selected map[string]int // each list screen's selection, kept across its sub-steps
	// focusMoved is set while a field's Enter put the focus on a field to
	// correct: the form's own move to the next element is skipped.
	focusMoved bool
	// droppedKeys counts the keys dropped on a screen too small (tests).
	droppedKeys int
	lockSeq     int         // the login lock's countdown: only the latest one runs
	lockTimer   *time.Timer // its timer, stopped when another starts
	current     *frame      // the screen on show, for the title bar and footer
	// hub is where the account's sub-screens were opened from (the
	// account, the set-up at activation, a finished reset), for the title
	// bar's trail.
	hub []texts.ID
}

// New makes a menu; Run shows it.
func New(opts Options) (*Menu, error) {
	if opts.Core == nil && opts.Fault == NoFault {
		return nil, errors.New("menu: no recovery core")
	}
	shared, err := texts.New(opts.Language)
	if err != nil {
		return nil, err
	}
	sub := substituter(opts.Display)
	tr := &catalogue{c: shared, sub: sub}
	switch opts.QRBlocks {
	case "":
		opts.QRBlocks = qrHalf
	case qrHalf, qrFull:
	default:
		return nil, errors.New(`menu: qr blocks must be "half" or "full"`)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Menu{
		opts:     opts,
		core:     opts.Core,
		tr:       tr,
		sub:      sub,
		log:      log,
		app:      tview.NewApplication(),
		pages:    tview.NewPages(),
		ctx:      ctx,
		cancel:   cancel,
		updates:  make(chan func(), 16),
		after:    time.AfterFunc,
		selected: map[string]int{},
	}
	applyTheme()
	m.root = &root{Pages: m.pages, m: m}
	m.app.SetRoot(m.root, true)
	// While work runs behind the busy overlay, keys and clicks are dropped;
	// the pointer still moves.
	m.app.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
		if m.busy > 0 {
			return nil
		}
		// tview quits on Ctrl-C: on a recorder that would leave the
		// console to init's mercy; only the demo allows it.
		if ev.Key() == tcell.KeyCtrlC && !m.opts.AllowQuit {
			return nil
		}
		if m.root.small && ev.Key() != tcell.KeyCtrlC {
			m.droppedKeys++
			return nil // nothing is acted on unseen
		}
		m.touch()
		m.edit.field, m.edit.elsewhere = nil, false
		if f, ok := m.app.GetFocus().(*field); ok && editsText(ev) {
			m.edit.field, m.edit.gen = f, m.gen
		}
		return ev
	})
	m.app.SetMouseCapture(func(ev *tcell.EventMouse, action tview.MouseAction) (*tcell.EventMouse, tview.MouseAction) {
		if action == tview.MouseMove {
			return ev, action
		}
		if m.busy > 0 {
			return nil, action
		}
		m.touch()
		x, y := ev.Position()
		switch action {
		case tview.MouseLeftClick:
		case tview.MouseLeftDoubleClick:
			// We use no double clicks: tview makes one of any second click
			// within half a second. A double click's second half on the
			// same cell, after its first half changed the screen, would act
			// on a screen the owner has not seen yet: dropped. Any other is
			// a click of its own.
			if m.gen != m.clickGen && x == m.clickX && y == m.clickY {
				return nil, action
			}
			action = tview.MouseLeftClick
		default:
			return ev, action
		}
		m.clickGen, m.clickX, m.clickY = m.gen, x, y
		return ev, action
	})
	m.app.SetBeforeDrawFunc(func(screen tcell.Screen) bool {
		if f := m.edit.drawOnly; f != nil {
			// On the last frame's cells (display.Clear kept them): the
			// field, the pointer over it. tview shows the frame.
			m.edit.drawOnly = nil
			f.Draw(screen)
			m.afterDraw(screen)
			return true
		}
		m.pointer.avoid = rect{} // the QR view sets it again if drawn
		return false
	})
	m.app.SetAfterDrawFunc(m.afterDraw)
	return m, nil
}

// editsText reports whether ev is a key an input field takes as an edit of
// its text or a move of its cursor, and nothing else: no Enter, Tab or Esc
// (which act, or move the focus), no F2 (the keyboard).
func editsText(ev *tcell.EventKey) bool {
	switch ev.Key() {
	case tcell.KeyRune:
		return ev.Modifiers()&(tcell.ModAlt|tcell.ModCtrl) == 0
	case tcell.KeyBackspace, tcell.KeyBackspace2, tcell.KeyDelete,
		tcell.KeyLeft, tcell.KeyRight, tcell.KeyHome, tcell.KeyEnd,
		tcell.KeyCtrlA, tcell.KeyCtrlE, tcell.KeyCtrlK, tcell.KeyCtrlU, tcell.KeyCtrlW:
		return true
	}
	return false
}

// fieldOnly decides, as tview starts a frame (display.Clear, under tview's
// lock), whether the frame is a key's that only edited the focused field:
// the key edits text (editsText), the field still has the focus, no screen,
// dialog or overlay came or went since the key came (gen), and what the
// field's change ran touched nothing else on the screen (field.onChange).
// Such a frame draws the field alone, over the last frame's cells: a whole
// frame is every cell of the screen two or three times over, the field one
// row. Any other frame is drawn whole.
func (m *Menu) fieldOnly() bool {
	f := m.edit.field
	m.edit.field = nil
	if f == nil || m.edit.elsewhere || m.edit.gen != m.gen || !f.HasFocus() || m.root.small {
		return false
	}
	m.edit.drawOnly = f
	return true
}

// afterDraw ends every frame, whole or a field's: the first frame starts
// what waits for it, the pointer is drawn over the cells.
func (m *Menu) afterDraw(screen tcell.Screen) {
	if !m.running.Load() {
		// The first frame: tview runs. A Stop that came before could
		// not stop it (tview would have made a screen of its own).
		m.running.Store(true)
		if m.ctx.Err() != nil {
			go m.app.Stop() // not here: tview holds its lock
		}
		if m.opts.Ready != nil {
			// tview calls this before it shows the frame: what is
			// posted now runs once the frame is out (and not at all
			// if the menu stops first).
			go m.post(func() { go m.opts.Ready() })
		}
	}
	m.pointer.draw(screen)
	if m.afterFrame != nil {
		m.afterFrame()
	}
}

// Run draws the menu on screen (nil: the terminal tview opens) until Stop.
// It returns tview's error, if any.
func (m *Menu) Run(screen tcell.Screen) error {
	if screen != nil {
		// Every cell passes through the display: the console's colours,
		// the font's glyphs.
		d := newDisplay(screen, m.opts.Display)
		d.keep = m.fieldOnly
		m.app.SetScreen(d)
	}
	m.app.EnableMouse(m.opts.TerminalMouse)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); m.pump() }()
	if m.opts.Sticks != nil {
		// Subscribe first: a stick plugged in between is then in both.
		sub := m.opts.Sticks.Subscribe()
		m.sticks = m.opts.Sticks.Sticks()
		wg.Add(1)
		m.goSafe(func() { defer wg.Done(); m.watchSticks(sub) })
	}
	if m.core != nil {
		sub := m.core.Subscribe()
		wg.Add(1)
		m.goSafe(func() { defer wg.Done(); m.watchCore(sub) })
	}
	if m.opts.Mouse != nil {
		m.pointer.enabled.Store(true)
		// Not waited for: a read on a device cannot be interrupted; the
		// daemon closes the device when Run returns.
		m.goSafe(func() { m.readMouse(m.opts.Mouse) })
	}
	m.showStart()
	err := m.app.Run()
	m.cancel()
	for _, t := range []*time.Timer{m.idleTimer, m.lockTimer} {
		if t != nil {
			t.Stop()
		}
	}
	wg.Wait()
	return err
}

// Stop ends Run. It is safe from any goroutine, and before Run: Run then
// returns after its first frame.
func (m *Menu) Stop() {
	m.cancel()
	// Stopping tview before its loop runs makes its Run open a terminal
	// of its own; the first frame stops it instead (see New).
	if m.running.Load() {
		m.app.Stop()
	}
}

// SetWebDoor tells the menu the web door's certificate and addresses once
// the door runs (the daemon starts it after the first frame): a screen
// that shows them says them at once, in place, without touching what the
// owner was typing. Safe from any goroutine.
func (m *Menu) SetWebDoor(fp certfp.Fingerprint, addresses []string) {
	m.post(func() {
		m.opts.CertFingerprint, m.opts.Addresses = fp, addresses
		if m.webDoorMsg != nil {
			m.webDoorMsg.set(roleText, m.webDoorText())
		}
	})
}

// post runs f on the UI goroutine and redraws. It never blocks once the menu
// is stopping. Work goroutines use it to hand back their results.
func (m *Menu) post(f func()) {
	select {
	case m.updates <- f:
	case <-m.ctx.Done():
	}
}

// pump forwards posted functions to tview one at a time, in order.
func (m *Menu) pump() {
	for {
		select {
		case f := <-m.updates:
			done := make(chan struct{})
			go func() {
				m.app.QueueUpdateDraw(f)
				close(done)
			}()
			select {
			case <-done:
			case <-m.ctx.Done():
				return
			}
		case <-m.ctx.Done():
			return
		}
	}
}

// watchSticks turns the watcher's events into a refresh of the screen that
// shows sticks, if any.
func (m *Menu) watchSticks(sub *usb.Subscription) {
	defer sub.Close()
	for {
		select {
		case _, ok := <-sub.Ready():
			if !ok {
				return
			}
			evs := sub.Events()
			if len(evs) == 0 {
				continue
			}
			sticks := m.opts.Sticks.Sticks()
			m.post(func() {
				m.sticks = sticks
				if m.onSticks != nil {
					m.onSticks()
				}
			})
		case <-m.ctx.Done():
			return
		}
	}
}

// do runs work off the UI goroutine behind the busy overlay, then the
// function it returns on the UI goroutine. Call it on the UI goroutine.
func (m *Menu) do(work func() func()) {
	m.showBusy()
	m.goSafe(func() {
		next := work()
		m.post(func() {
			m.hideBusy()
			if next != nil {
				next()
			}
		})
	})
}

// goSafe runs f on a new goroutine. A panic there is logged with its stack
// and raised again on the UI goroutine, where tview restores the terminal
// before passing it on to Run's caller: a recorder's console is never left
// in raw mode.
func (m *Menu) goSafe(f func()) {
	go func() {
		defer func() {
			if p := recover(); p != nil {
				m.log.Error("panic", "value", fmt.Sprint(p), "stack", string(debug.Stack()))
				m.post(func() { panic(p) })
			}
		}()
		f()
	}()
}

// show replaces the current screen with p, focusing focus (p if nil).
func (m *Menu) show(name string, p, focus tview.Primitive) {
	m.gen++
	m.onSticks = nil
	m.webDoorMsg = nil
	m.screenName = name
	for _, overlay := range []string{pageKeyboard, pageDialog} {
		m.pages.RemovePage(overlay)
	}
	m.current, _ = p.(*frame)
	m.pages.AddAndSwitchToPage(pageMain, p, true)
	if m.busy > 0 {
		m.pages.ShowPage(pageBusy)
		m.pages.SendToFront(pageBusy)
	}
	if focus == nil {
		focus = p
	}
	m.app.SetFocus(focus)
	m.log.Debug("screen", "name", name)
}

// showStart shows activation on a new device and login on any other,
// ending the admin session if one is open.
func (m *Menu) showStart() {
	if m.opts.Fault != NoFault {
		m.showFault()
		return
	}
	m.logout()
	if !m.core.Status().Activated {
		m.showActivation()
		return
	}
	m.showLogin("")
}

// login makes s the admin session and arms the idle logout.
func (m *Menu) login(s *recovery.Session) {
	m.session = s
	delete(m.selected, "account") // a new session starts at the top
	delete(m.selected, "setup")
	m.touch()
}

// logout ends the admin session, if any.
func (m *Menu) logout() {
	if m.session != nil {
		m.session.Logout()
		m.session = nil
	}
	if m.idleTimer != nil {
		m.idleTimer.Stop()
	}
}

// touch records input: the core counts the admin session as used (it
// decides when an unattended one ends), and the one timer that brings the
// login screen back when it does is moved on. With no session open no
// timer runs.
func (m *Menu) touch() {
	if m.session == nil {
		return
	}
	m.session.Touch()
	m.armIdle()
}

// armIdle sets the idle timer for when the core would end the session.
func (m *Menu) armIdle() {
	left := m.session.Expiry()
	if m.idleTimer == nil {
		m.idleTimer = time.AfterFunc(left, m.idleFired)
		return
	}
	m.idleTimer.Reset(left)
}

// idleFired runs on the timer's goroutine: the check and the logout happen
// on the UI goroutine, where input may have come meanwhile.
func (m *Menu) idleFired() {
	m.post(func() {
		if m.session == nil {
			return
		}
		if m.session.Active() {
			m.armIdle()
			return
		}
		m.log.Info("admin session ended after inactivity")
		m.logout()
		m.showLogin(m.tr.T(texts.IdleLoggedOut))
	})
}

const (
	pageMain     = "main"
	pageBusy     = "busy"
	pageDialog   = "dialog"
	pageKeyboard = "keyboard"
	pageHelp     = "help"
)
