package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"nvrmenu/recovery"
)

// TestAccountPages: the set-up pages change what they say they change,
// and refuse what the core refuses, in words.
func TestAccountPages(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.41")
	wantRedirect(t, c.post("/login", url.Values{"user": {"admin"}, "password": {testPassword}}), "/account")
	w := c.post("/account/questions", url.Values{"question1": {"first-pet"}, "answer1": {"Fido"}, "question2": {"first-pet"}, "answer2": {"Roma"}, "question3": {"first-car"}, "answer3": {"Panda"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, "Domanda 2: scegliere tre domande diverse")
	w = c.post("/account/questions", url.Values{"question1": {"first-pet"}, "answer1": {"F"}, "question2": {"birth-city"}, "answer2": {"Roma"}, "question3": {"first-car"}, "answer3": {"Panda"}})
	wantBody(t, w, "Risposta 1 troppo corta")
	h.setUpAllFrom(c)
	wantBody(t, c.get("/account"), "Impostato: m***i@example.com")
	w = c.post("/account/email", url.Values{"email": {"a@example.com"}, "confirm": {"b@example.com"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, "I due indirizzi non coincidono")
	w = c.post("/account/email", url.Values{"email": {"\"x\"@example.com"}, "confirm": {"\"x\"@example.com"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, "Indirizzo e-mail non valido")
	wantRedirect(t, c.post("/account/email/clear", nil), "/account?notice=email-cleared")
	wantRedirect(t, c.post("/account/questions/clear", nil), "/account?notice=questions-cleared")
	if j := h.core.Console().Journey(); j.Method(recovery.MethodEmail).SetUp || j.Method(recovery.MethodQuestions).SetUp {
		t.Fatalf("methods after clearing: %+v", j.Methods)
	}
	w = c.post("/account/password", url.Values{"current": {"Sbagliata!1"}, "password": {"Nuova!Pass9"}, "confirm": {"Nuova!Pass9"}})
	wantStatus(t, w, http.StatusUnauthorized)
	wantBody(t, w, "Tentativi rimasti: 4.")
	w = c.post("/account/password", url.Values{"current": {testPassword}, "password": {"Nuova!Pass9"}, "confirm": {"Nuova!Pass8"}})
	wantBody(t, w, "Le due password non coincidono")
	old := c.cookies[sessionCookie]
	wantRedirect(t, c.post("/account/password", url.Values{"current": {testPassword}, "password": {"Nuova!Pass9"}, "confirm": {"Nuova!Pass9"}}), "/account?notice=password-changed")
	if c.cookies[sessionCookie] == old || c.cookies[sessionCookie] == "" {
		t.Fatal("the session cookie was not renewed with the password")
	}
	wantBody(t, c.get("/account?notice=password-changed"), "Password modificata.")
	// The GUID page without a pending export goes back to the account.
	wantRedirect(t, c.get("/account/guid"), "/account")
	wantStatus(t, c.get("/account/guid/file"), http.StatusNotFound)
}

// TestErrorPages: unknown paths and methods get the door's own page,
// in the page's language, with the door's headers.
func TestErrorPages(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.42")
	w := c.get("/nowhere")
	wantStatus(t, w, http.StatusNotFound)
	wantBody(t, w, "Pagina non trovata.")
	r := c.do(newRequest("PUT", "/login"))
	wantStatus(t, r, http.StatusMethodNotAllowed)
	if !strings.Contains(r.Header().Get("Allow"), "POST") {
		t.Errorf("Allow %q", r.Header().Get("Allow"))
	}
	c.lang = "en"
	wantBody(t, c.get("/nowhere"), "Page not found.")
	wantStatus(t, c.get("/reset"), http.StatusForbidden)
	wantBody(t, c.get("/reset"), "Start the verification again")
}

func newRequest(method, path string) *http.Request {
	r, _ := http.NewRequest(method, "https://"+deviceHost+path, nil)
	return r
}

// TestEveryNoticeShowsWhole: each confirmation a redirect names is shown
// on the pages it goes to with no format verb left in it (the literal %s
// the page once showed after the reserved e-mail was saved): the client
// holds every page to texts.Unfilled.
func TestEveryNoticeShowsWhole(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.42")
	wantRedirect(t, c.post("/login", url.Values{"user": {"admin"}, "password": {testPassword}}), "/account")
	for key := range notices {
		for _, page := range []string{"/account", "/login"} {
			w := c.get(page + "?notice=" + key)
			if w.Code != http.StatusOK {
				t.Errorf("%s?notice=%s: %d", page, key, w.Code)
			}
		}
	}
}
