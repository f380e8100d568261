package menu

import (
	"net/netip"
	"testing"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// webDoor is the core as a browser at 192.0.2.20 sees it.
func (h *harness) webDoor() *recovery.Door {
	return h.rc.Door(recovery.Caller{Door: "web", Class: recovery.ClassNetwork, Addr: netip.MustParseAddr("192.0.2.20")})
}

// TestPasswordChangedFromTheWeb: the owner at the recorder is on the
// account screen when the password is changed from the web page: the menu
// goes back to the login screen and says why.
func TestPasswordChangedFromTheWeb(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	h.waitScreen("login")
	h.typeText(testPassword)
	h.key(tcell.KeyEnter)
	h.waitScreen("account")
	s, err := h.webDoor().Login(recovery.AdminUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ChangePassword(testPassword, "Nuova#Parola42"); err != nil {
		t.Fatal(err)
	}
	h.waitScreen("login")
	h.waitText(h.m.tr.F(texts.PasswordChangedByWeb, "192.0.2.20"))
	if onUI(h, func() bool { return h.m.session != nil }) {
		t.Fatal("the menu kept a session the change ended")
	}
	// Afterwards the login screen says who set the password, until the
	// console sets it again.
	h.m.app.QueueUpdateDraw(func() { h.m.showLogin("") })
	h.waitText(h.m.tr.F(texts.PasswordSetByWeb, "192.0.2.20"))
}

// TestActivatedFromTheWeb: a device activated from the web page while the
// console shows its activation screen: the console says so.
func TestActivatedFromTheWeb(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	h.waitScreen("activation")
	if _, err := h.webDoor().Activate(testPassword); err != nil {
		t.Fatal(err)
	}
	h.waitScreen("login")
	h.waitText(h.m.tr.F(texts.ActivatedByWeb, "192.0.2.20"))
}

// TestMethodsChangedFromTheWeb: security questions set up from the web
// page show as set up on the console's account screen at once.
func TestMethodsChangedFromTheWeb(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	h.waitScreen("login")
	h.typeText(testPassword)
	h.key(tcell.KeyEnter)
	h.waitScreen("account")
	gen := onUI(h, func() int { return h.m.gen })
	s, err := h.webDoor().Login(recovery.AdminUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	cat := recovery.QuestionCatalogue()
	if err := s.SetSecurityQuestions([3]recovery.QuestionAnswer{{ID: cat[0], Answer: "uno"}, {ID: cat[1], Answer: "due"}, {ID: cat[2], Answer: "tre"}}); err != nil {
		t.Fatal(err)
	}
	h.waitFor(func(string) bool {
		return onUI(h, func() bool { return h.m.gen != gen && h.m.screenName == "account" })
	}, "the account screen shown again")
	if got := h.core.Journey().Method(recovery.MethodQuestions); !got.Usable {
		t.Fatalf("questions %v", got)
	}
	// The console's session is untouched by a set-up elsewhere.
	if !onUI(h, func() bool { return h.m.session != nil && h.m.session.Active() }) {
		t.Fatal("the console's session ended")
	}
}
