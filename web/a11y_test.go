package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestEveryInputIsLabelled renders every page and checks that each
// visible input and drop-down has a label naming it, and that nothing
// loads a script inline or from elsewhere.
func TestEveryInputIsLabelled(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	pages := everyPage(h)
	input := regexp.MustCompile(`<(input|select)\b[^>]*>`)
	id := regexp.MustCompile(`\bid="([^"]+)"`)
	for path, html := range pages {
		if !strings.Contains(html, "<main>") {
			t.Errorf("%s: not a page:\n%s", path, html)
			continue
		}
		for _, tag := range input.FindAllString(html, -1) {
			if strings.Contains(tag, `type="hidden"`) {
				continue
			}
			m := id.FindStringSubmatch(tag)
			if m == nil || !strings.Contains(html, `<label for="`+m[1]+`"`) {
				t.Errorf("%s: %s has no label", path, tag)
			}
		}
		if strings.Contains(html, "<script>") || regexp.MustCompile(`(src|href)="(https?:)?//`).MatchString(html) {
			t.Errorf("%s: an inline script or an external resource", path)
		}
	}
}

// setUpAllFrom sets up the questions and the e-mail through client c's
// pages (the GUID is set up by the test that needs it).
func (h *harness) setUpAllFrom(c *client) {
	h.t.Helper()
	wantRedirect(h.t, c.post("/account/questions", url.Values{"question1": {"first-pet"}, "answer1": {"Fido"}, "question2": {"birth-city"}, "answer2": {"Roma"}, "question3": {"first-car"}, "answer3": {"Panda"}}), "/account?notice=questions-saved")
	w := c.post("/account/email", url.Values{"email": {"mario.rossi@example.com"}, "confirm": {"mario.rossi@example.com"}})
	wantStatus(h.t, w, http.StatusOK)
	wantBody(h.t, w, "salvato: mario.rossi@example.com")
}

// everyPage renders every page the door has, by its address, as an owner
// meets them: activation, set-up, the account, the forgot-password page
// in each mode, the new password and "Password ripristinata".
func everyPage(h *harness) map[string]string {
	h.t.Helper()
	c := h.client("192.0.2.40")
	pages := map[string]string{"/activate": c.get("/activate").Body.String()}
	c.post("/activate", url.Values{"password": {testPassword}, "confirm": {testPassword}})
	h.setUpAllFrom(c)
	for _, p := range []string{"/account", "/account/questions", "/account/email", "/account/password", "/account/reauth?next=/account"} {
		pages[p] = c.get(p).Body.String()
	}
	c.post("/account/guid/export", nil)
	pages["/account/guid"] = c.get("/account/guid").Body.String()
	c.post("/account/guid/confirm", nil)
	c.post("/logout", nil)
	for _, p := range []string{"/login", "/forgot", "/forgot?mode=questions", "/forgot?mode=guid", "/forgot?mode=email"} {
		pages[p] = c.get(p).Body.String()
	}
	c.post("/forgot/email/show", nil)
	pages["/forgot?mode=email&qr=1"] = c.get("/forgot?mode=email&qr=1").Body.String()
	c.post("/forgot/questions", url.Values{"answer1": {"Fido"}, "answer2": {"Roma"}, "answer3": {"Panda"}})
	pages["/reset"] = c.get("/reset").Body.String()
	c.post("/reset", url.Values{"password": {"Nuova!Pass9"}, "confirm": {"Nuova!Pass9"}})
	pages["/done"] = c.get("/done").Body.String()
	return pages
}
