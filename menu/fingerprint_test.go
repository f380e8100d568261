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
