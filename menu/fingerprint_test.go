package menu

import (
	"strings"
	"testing"

	"nvrmenu/internal/certfp"
	"nvrmenu/texts"
)

// TestAccountShowsTheWebFingerprint: the installer compares the web
// door's certificate with what the browser shows, on the account screen.
func TestAccountShowsTheWebFingerprint(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, noStart: true})
	h.m.opts.CertFingerprint = certfp.Of([]byte("a certificate"))
	fp := h.m.opts.CertFingerprint.String()
	go func() { h.done <- h.m.Run(h.sim) }()
	t.Cleanup(h.stop)
	h.resize(80, 25)
	h.waitScreen("login")
	h.clickField(h.tr(texts.Password))
	h.typeByClicks(testPassword)
	h.clickButton(h.tr(texts.Login))
	h.waitScreen("account")
	h.waitText(strings.TrimSpace(strings.Split(h.tr(texts.WebCertFingerprint), "%s")[0]), fp[:47], fp[48:])
}

// TestActivationShowsTheWebDoor (#20.4): a recorder not yet activated shows
// its web page's addresses and its certificate's fingerprint on the
// activation screen, for the installer to compare with what `nvr-sadp
// activate` shows before anything is sent; the account screen shows the
// same. Without a web door, neither says anything of it.
func TestActivationShowsTheWebDoor(t *testing.T) {
	for _, door := range []bool{true, false} {
		h := newHarness(t, harnessOptions{noStart: true, lang: "en"})
		if door {
			h.m.opts.CertFingerprint = certfp.Of([]byte("a certificate"))
			h.m.opts.Addresses = []string{"https://192.0.2.10:8443/", "https://[2001:db8::10]:8443/"}
		}
		fp := h.m.opts.CertFingerprint.String()
		go func() { h.done <- h.m.Run(h.sim) }()
		t.Cleanup(h.stop)
		h.resize(100, 37)
		h.waitScreen("activation")
		label := strings.TrimSpace(strings.Split(h.tr(texts.WebCertFingerprint), "%s")[0])
		addrs := h.m.tr.F(texts.WebDoorAddresses, "https://192.0.2.10:8443/, https://[2001:db8::10]:8443/")
		if !door {
			if s := h.screen(); strings.Contains(s, label) {
				t.Fatalf("no web door, yet the activation screen speaks of one:\n%s", s)
			}
			continue
		}
		h.waitText(addrs, label, fp[:47], fp[48:])
	}
}
