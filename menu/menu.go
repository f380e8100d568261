package menu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"sync"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/recovery"
	"nvrmenu/usb"
)

// Options configure a Menu. Core is required.
type Options struct {
	Core Core
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
	// TerminalMouse asks the terminal for mouse reports (xterm and the
	// like). Leave it off on the Linux console, whose reports tcell
	// misreads as keys.
	TerminalMouse bool
	// Logger receives one line per notable event; never secrets. Default:
	// discard.
	Logger *slog.Logger
}

// Menu is the running menu. Its screens live on the tview event goroutine;
// the other goroutines (work, stick events, mouse) talk to it through post.
type Menu struct {
	opts  Options
	core  Core
	tr    *catalogue
	log   *slog.Logger
	app   *tview.Application
	pages *tview.Pages

	ctx    context.Context
	cancel context.CancelFunc

	updates chan func()
	pointer pointer
	// afterFrame, if set before Run, is called after every frame (on the
	// UI goroutine): benchmarks time frames with it.
	afterFrame func()

	// The fields below belong to the UI goroutine.
	session    *recovery.Session
	sticks     []usb.Stick
	onSticks   func() // the current screen's reaction to a stick change
	busy       int
	screenName string // for logs and tests
}

// New makes a menu; Run shows it.
func New(opts Options) (*Menu, error) {
	if opts.Core == nil {
		return nil, errors.New("menu: no recovery core")
	}
	tr, err := newCatalogue(opts.Language)
	if err != nil {
		return nil, err
	}
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
		opts:    opts,
		core:    opts.Core,
		tr:      tr,
		log:     log,
		app:     tview.NewApplication(),
		pages:   tview.NewPages(),
		ctx:     ctx,
		cancel:  cancel,
		updates: make(chan func(), 16),
	}
	applyTheme()
	m.app.SetRoot(m.pages, true)
	// While work runs behind the busy overlay, keys and clicks are dropped;
	// the pointer still moves.
	m.app.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
		if m.busy > 0 {
			return nil
		}
		return ev
	})
	m.app.SetMouseCapture(func(ev *tcell.EventMouse, action tview.MouseAction) (*tcell.EventMouse, tview.MouseAction) {
		if m.busy > 0 && action != tview.MouseMove {
			return nil, action
		}
		// We never use double clicks: tview turns a second click within
		// half a second into one, which would eat every other key of the
		// on-screen keyboard.
		if action == tview.MouseLeftDoubleClick {
			action = tview.MouseLeftClick
		}
		return ev, action
	})
	m.app.SetAfterDrawFunc(func(screen tcell.Screen) {
		m.pointer.draw(screen)
		if m.afterFrame != nil {
			m.afterFrame()
		}
	})
	return m, nil
}

// Run draws the menu on screen (nil: the terminal tview opens) until Stop.
// It returns tview's error, if any.
func (m *Menu) Run(screen tcell.Screen) error {
	if screen != nil {
		m.app.SetScreen(screen)
	}
	m.app.EnableMouse(m.opts.TerminalMouse)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); m.pump() }()
	if m.opts.Sticks != nil {
		m.sticks = m.opts.Sticks.Sticks()
		sub := m.opts.Sticks.Subscribe()
		wg.Add(1)
		go func() { defer wg.Done(); m.watchSticks(sub) }()
	}
	if m.opts.Mouse != nil {
		m.pointer.enabled.Store(true)
		// Not waited for: a read on a device cannot be interrupted; the
		// daemon closes the device when Run returns.
		go m.readMouse(m.opts.Mouse)
	}
	m.showStart()
	err := m.app.Run()
	m.cancel()
	wg.Wait()
	return err
}

// Stop ends Run. It is safe from any goroutine.
func (m *Menu) Stop() {
	m.cancel()
	m.app.Stop()
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
	m.onSticks = nil
	m.screenName = name
	for _, overlay := range []string{pageKeyboard, pageDialog} {
		m.pages.RemovePage(overlay)
	}
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

// showStart shows activation on a new device and login on any other.
func (m *Menu) showStart() {
	if m.session != nil {
		m.session.Logout()
		m.session = nil
	}
	if !m.core.Status().Activated {
		m.showActivation()
		return
	}
	m.showLogin("")
}

const (
	pageMain     = "main"
	pageBusy     = "busy"
	pageDialog   = "dialog"
	pageKeyboard = "keyboard"
)
