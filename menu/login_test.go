package menu

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/recovery"
)

func TestLoginBySoftKeyboardClicksAlone(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	h.waitScreen("login")
	h.clickField(h.tr(msgPassword))
	h.typeByClicks(testPassword)
	s := h.screen()
	if strings.Contains(s, testPassword) {
		t.Fatalf("password shown on screen:\n%s", s)
	}
	h.waitText(strings.Repeat("*", len(testPassword)))
	h.clickButton(h.tr(msgLogin))
	h.waitScreen("account")
	h.waitText(h.tr(msgTitleAccount), h.tr(msgStateNotSetUp))
}

func TestLoginWrongPasswordAndLockout(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, lang: "en"})
	h.waitScreen("login")
	max := recovery.DefaultLockoutPolicy().MaxFailures[recovery.MethodLogin]
	if max == 0 {
		max = recovery.DefaultLockoutPolicy().DefaultMaxFailures
	}
	for i := 1; i < max; i++ {
		h.typeText("Wrong!pw9x")
		h.key(tcell.KeyEnter)
		h.waitText("Wrong user name or password.", h.m.tr.tf(msgTriesLeft, max-i))
		h.waitScreen("login")
	}
	h.typeText("Wrong!pw9x")
	h.key(tcell.KeyEnter)
	h.waitText("Locked for")
	// The right password is refused while locked, and the time left shows.
	h.typeText(testPassword)
	h.key(tcell.KeyEnter)
	h.waitText("Too many failed tries: locked for")
	if h.core.Status().Locked[recovery.MethodLogin] == 0 {
		t.Fatal("login not locked")
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
	h.waitText(h.tr(msgWorking))
	mouse.moveTo(3, 3)
	h.waitScreen("account")
	h.waitFor(func(string) bool {
		return onUI(h, func() bool {
			cells, sw, _ := h.sim.GetContents()
			_, _, attrs := cells[3*sw+3].Style.Decompose()
			return attrs&tcell.AttrReverse != 0
		})
	}, "pointer moved")
}

func TestIdleAdminIsLoggedOut(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, idle: 300 * time.Millisecond})
	h.waitScreen("login")
	h.typeText(testPassword)
	h.key(tcell.KeyEnter)
	h.waitScreen("account")
	h.waitText(h.tr(msgIdleLoggedOut))
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
	h := newHarness(t, harnessOptions{activated: true, noVendor: true})
	h.setupGUID(t.TempDir())
	h.waitScreen("login")
	forgot := h.tr(msgForgotPassword)

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
			l, ok := h.m.app.GetFocus().(*tview.List)
			return ok && h.m.screenName == "forgot" && l.GetCurrentItem() == 2
		})
	}, "the methods' list, its selection moved down by the key")

	// A second click elsewhere, within half a second of the first, is a
	// click: it reaches the button.
	h.key(tcell.KeyEscape)
	h.waitScreen("login")
	h.waitText(forgot)
	h.click(2, 1) // on the frame's text, which does nothing
	h.click(x, y) // the button, where it was before
	h.waitScreen("forgot")
}
