package menu

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

func TestLoginBySoftKeyboardClicksAlone(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	h.waitScreen("login")
	h.clickField(h.tr(texts.Password))
	h.typeByClicks(testPassword)
	s := h.screen()
	if strings.Contains(s, testPassword) {
		t.Fatalf("password shown on screen:\n%s", s)
	}
	h.waitText(strings.Repeat("*", len(testPassword)))
	h.clickButton(h.tr(texts.Login))
	h.waitScreen("account")
	h.waitText(h.tr(texts.TitleAccount), h.tr(texts.StateNotSetUp))
}

func TestLoginWrongPasswordAndLockout(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, lang: "en"})
	h.waitScreen("login")
	h.lockLogin()
	// The right password is refused while locked, and the time left shows.
	h.typeText(testPassword)
	h.key(tcell.KeyEnter)
	h.waitText("Too many failed tries: locked for")
	if h.core.Journey().LoginRefused == nil {
		t.Fatal("login not locked")
	}
}

// lockLogin types wrong passwords on the English login screen until the
// login locks, checking the tries left shown after each.
func (h *harness) lockLogin() {
	h.t.Helper()
	max := recovery.DefaultLockoutPolicy().MaxFailures[recovery.MethodLogin]
	if max == 0 {
		max = recovery.DefaultLockoutPolicy().DefaultMaxFailures
	}
	for i := 1; i < max; i++ {
		h.typeText("Wrong!pw9x")
		h.key(tcell.KeyEnter)
		h.waitText("Wrong user name or password.", h.m.tr.F(texts.TriesLeft, max-i))
		h.waitScreen("login")
	}
	h.typeText("Wrong!pw9x")
	h.key(tcell.KeyEnter)
	h.waitText("Locked for")
	h.waitScreen("login")
}

// TestLockCountdown: the time a login lock has left counts down on the
// login screen, minute by minute, and clears when the lock ends; what the
// owner typed meanwhile stays.
func TestLockCountdown(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, lang: "en"})
	type timer struct {
		d time.Duration
		f func()
	}
	timers := make(chan timer, 16)
	h.onUI(func() bool {
		h.m.after = func(d time.Duration, f func()) *time.Timer {
			timers <- timer{d, f}
			return nil
		}
		return true
	})
	// fire moves the core's clock to when the menu's timer would fire,
	// and fires it.
	fire := func() {
		t.Helper()
		select {
		case tm := <-timers:
			if tm.d <= 0 || tm.d > time.Minute {
				t.Fatalf("countdown timer of %v, want within a minute", tm.d)
			}
			h.clock.advance(tm.d)
			tm.f()
		case <-time.After(30 * time.Second):
			t.Fatal("no countdown timer armed")
		}
	}
	h.waitScreen("login")
	h.lockLogin()
	var left time.Duration
	if p := h.core.Journey().LoginRefused; p != nil {
		left = p.Lock()
	}
	if left <= 0 {
		t.Fatal("login not locked")
	}
	minutes := int((left + time.Minute - 1) / time.Minute)
	h.typeText("half typed")
	typed := func() string { return onUI(h, func() string { return h.m.app.GetFocus().(*field).GetText() }) }
	h.waitFor(func(string) bool { return typed() == "half typed" }, "the password typed")
	fire()
	h.waitText(h.m.tr.F(texts.LockedFor, h.m.tr.F(texts.Minutes, minutes-1)))
	fire()
	h.waitText(h.m.tr.F(texts.LockedFor, h.m.tr.F(texts.Minutes, minutes-2)))
	// The rest of the lock at once: the next timer clears the line.
	h.clock.advance(time.Duration(minutes-3) * time.Minute)
	fire()
	h.waitFor(func(s string) bool { return !strings.Contains(s, "Locked for") }, "lock line cleared")
	select {
	case tm := <-timers:
		t.Fatalf("a countdown timer (%v) armed after the lock ended", tm.d)
	default:
	}
	if got := typed(); got != "half typed" {
		t.Fatalf("password field holds %q after the countdown, want what was typed", got)
	}
}

// TestSlowCheckKeepsDrawing runs a real argon2id of recorder cost: the busy
// overlay is drawn while it runs and the pointer keeps moving.
func TestSlowCheckKeepsDrawing(t *testing.T) {
	r, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	h := newHarness(t, harnessOptions{activated: true, mouse: r, kdf: recovery.KDFParams{MemoryKiB: 64 * 1024, Time: 4, Threads: 1}})
	mouse := &ps2Mouse{t: t, w: w, x: 40, y: 12}
	h.waitScreen("login")
	h.typeText(testPassword)
	h.key(tcell.KeyEnter)
	h.waitText(h.tr(texts.Working))
	mouse.moveTo(3, 3)
	h.waitScreen("account")
	h.waitFor(func(string) bool { return h.pointerAt(3, 3) }, "pointer moved")
}

func TestIdleAdminIsLoggedOut(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, idle: 300 * time.Millisecond})
	h.waitScreen("login")
	h.typeText(testPassword)
	h.key(tcell.KeyEnter)
	h.waitScreen("account")
	h.waitText(h.tr(texts.IdleLoggedOut))
	h.waitScreen("login")
	if onUI(h, func() bool { return h.m.session != nil }) {
		t.Fatal("session still open after the idle logout")
	}
}

func TestCtrlCDoesNotStopTheRecorderMenu(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	h.waitScreen("login")
	h.sim.InjectKey(tcell.KeyCtrlC, 0, tcell.ModCtrl)
	h.typeText("abc")
	h.waitText("***")
}

// TestDoubleClicks: tview turns any second click within half a second into a
// double click, which no widget here answers. The menu makes it a click of
// its own, except a second half on the same cell after the first half
// changed the screen: that one would act on a screen the owner has not seen.
func TestDoubleClicks(t *testing.T) {
	// Every second click is a double click for tview during this test,
	// however slow the machine: both rules are then tested for sure.
	interval := tview.DoubleClickInterval
	tview.DoubleClickInterval = time.Hour
	t.Cleanup(func() { tview.DoubleClickInterval = interval })
	h := newHarness(t, harnessOptions{activated: true, noVendor: true})
	h.setupGUID(t.TempDir())
	h.waitScreen("login")
	forgot := h.tr(texts.ForgotPassword)

	// Two quick clicks on "Password Dimenticata": the first opens the
	// methods, whose "Verifica mediante GUID" lies under the same cell;
	// the second must not open it.
	x, y := h.waitFind(forgot, true)
	h.click(x, y)
	h.click(x, y)
	// A key after the clicks is handled after them: once it has moved the
	// methods' selection (from GUID to the questions), both clicks are done.
	h.key(tcell.KeyDown)
	h.waitFor(func(string) bool {
		return h.onUI(func() bool {
			l, ok := h.focusedList()
			return ok && h.m.screenName == "forgot" && l.GetCurrentItem() == 2
		})
	}, "the methods' list, its selection moved down by the key")

	// A second click elsewhere, a double click for tview, is a click: it
	// reaches the button.
	h.key(tcell.KeyEscape)
	h.waitScreen("login")
	h.waitText(forgot)
	h.click(2, 1) // on the frame's text, which does nothing
	h.click(x, y) // the button, where it was before
	h.waitScreen("forgot")
}

// TestStopBeforeRun: a SIGTERM can reach the daemon between making the menu
// and running it; Run must then return on the screen it was given, not open
// a terminal of its own.
func TestStopBeforeRun(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, noStart: true})
	h.m.Stop()
	done := make(chan error, 1)
	go func() { done <- h.m.Run(h.sim) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run after Stop: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run after Stop did not return")
	}
}
