package menu

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

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
