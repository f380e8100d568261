package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// The pages show the owner's journey as the core decides and words it;
// these tests hold them to it.

// networkJourney is the journey as the pages' door sees it: the core's
// answer the page must show.
func (h *harness) networkJourney() journey.Journey {
	return h.core.Door(recovery.Caller{Door: DoorPages, Class: recovery.ClassNetwork, Addr: mustAddr("192.0.2.50")}).Journey()
}

// modeOption is the mode drop-down's option for method m, and whether it
// is disabled.
func modeOption(t *testing.T, page string, m journey.Method) (text string, disabled bool) {
	t.Helper()
	opt := regexp.MustCompile(`<option value="` + string(m) + `"([^>]*)>([^<]*)</option>`).FindStringSubmatch(page)
	if opt == nil {
		t.Fatalf("no option for %s in the mode drop-down:\n%s", m, page)
	}
	return html.UnescapeString(opt[2]), strings.Contains(opt[1], "disabled")
}

// whyListed is the list's line under the drop-down for method m, "" if
// none.
func whyListed(page string, m journey.Method) string {
	li := regexp.MustCompile(`<li id="why-` + string(m) + `">(.*?)</li>`).FindStringSubmatch(page)
	if li == nil {
		return ""
	}
	return html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(li[1], ""))
}

// TestForgotSaysWhyEachMethodCannotBeChosen: every method the core says
// cannot be used now is disabled in the "Modalità di verifica" drop-down
// and listed under it, both with the journey's words for why: locked
// (with the time left), expired, not set up. A usable one is neither.
func TestForgotSaysWhyEachMethodCannotBeChosen(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	h.setUpAll()
	c := h.client("192.0.2.50")
	it := mustCatalogue("it")

	// All three usable: nothing disabled, nothing listed.
	page := c.get("/forgot").Body.String()
	for _, m := range journey.Recovery {
		if text, disabled := modeOption(t, page, m); disabled || text != m.Label(it) {
			t.Errorf("%s with every method usable: option %q, disabled %v; want %q, enabled", m, text, disabled, m.Label(it))
		}
		if li := whyListed(page, m); li != "" {
			t.Errorf("%s usable, yet listed: %q", m, li)
		}
	}

	// The questions locked by wrong answers from the LAN; the page that
	// answers the try that locks says so at once.
	var w string
	for range 5 {
		w = c.post("/forgot/questions", url.Values{"answer1": {"xx"}, "answer2": {"yy"}, "answer3": {"zz"}}).Body.String()
	}
	// The GUID file expired by a password change at the console, the
	// e-mail removed there.
	s, err := h.core.Console().Login(recovery.AdminUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ChangePassword(testPassword, "Nuova!Pass9"); err != nil {
		t.Fatal(err)
	}
	if err := s.ClearRecoveryEmail(); err != nil {
		t.Fatal(err)
	}
	s.Logout()

	j := h.networkJourney()
	for _, tc := range []struct {
		m    journey.Method
		code texts.Code
	}{
		{journey.Questions, texts.CodeLocked},
		{journey.GUID, texts.CodeGUIDExpired},
		{journey.Email, texts.CodeNotSetUp},
	} {
		st := j.Method(tc.m)
		if st.Usable || st.Why == nil || st.Why.Code != tc.code {
			t.Fatalf("the core's journey for %s: %+v, want not usable for %s", tc.m, st, tc.code)
		}
	}
	// The page that answered the locking try: the lock, in the list.
	if got, want := whyListed(w, journey.Questions), journey.Questions.Label(it)+": "+j.Method(journey.Questions).Words(it); got != want {
		t.Errorf("the locking try's page lists %q, want %q", got, want)
	}
	for _, lang := range []string{"it", "en"} {
		c.lang = lang
		tr := mustCatalogue(lang)
		page := c.get("/forgot").Body.String()
		for _, st := range j.Methods {
			why := st.Words(tr)
			if st.Why.Code == texts.CodeLocked && !strings.Contains(why, tr.F(texts.Minutes, 30)) {
				t.Errorf("%s: the lock's words %q lack the time left", lang, why)
			}
			text, disabled := modeOption(t, page, st.Method)
			if want := st.Method.Label(tr) + " — " + why; text != want || !disabled {
				t.Errorf("%s: option for %s %q, disabled %v; want %q, disabled", lang, st.Method, text, disabled, want)
			}
			if got, want := whyListed(page, st.Method), st.Method.Label(tr)+": "+why; got != want {
				t.Errorf("%s: listed for %s %q, want %q", lang, st.Method, got, want)
			}
		}
		// No mode can be opened, not even by its address.
		if p := c.get("/forgot?mode=questions").Body.String(); strings.Contains(p, `action="/forgot/questions"`) {
			t.Errorf("%s: the locked questions' form is offered", lang)
		}
	}
}

// TestEmailSavedShowsTheAddressInFullOnce: the reserved address is shown
// whole once, on the page that answers the form that saved it, never in a
// URL; every later page shows it masked, and the old notice address shows
// nothing.
func TestEmailSavedShowsTheAddressInFullOnce(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.51")
	wantRedirect(t, c.post("/login", url.Values{"user": {"admin"}, "password": {testPassword}}), "/account")
	const addr = "mario.rossi@example.com"
	w := c.post("/account/email", url.Values{"email": {addr}, "confirm": {addr}})
	wantStatus(t, w, http.StatusOK)
	if loc := w.Header().Get("Location"); loc != "" {
		t.Fatalf("saved with a redirect to %q", loc)
	}
	it := mustCatalogue("it")
	saved := regexp.MustCompile(`(?s)<p class="notice" role="status">(.*?)</p>`).FindStringSubmatch(w.Body.String())
	if saved == nil || html.UnescapeString(saved[1]) != it.F(texts.EmailSaved, addr) {
		t.Fatalf("the notice after saving: %q, want %q", saved, it.F(texts.EmailSaved, addr))
	}
	// The page is the account page, with the method set up.
	wantBody(t, w, "<h1>"+h.tr(texts.TitleAccount)+"</h1>", it.F(texts.StateSetUpEmail, "m***i@example.com"), h.tr(texts.WebChangeEmail))
	if strings.Contains(w.Body.String(), "%s") || strings.Contains(w.Body.String(), "%!") {
		t.Fatalf("a format verb reached the page:\n%s", w.Body.String())
	}
	for _, p := range []string{"/account", "/account?notice=email-saved", "/account/email"} {
		body := c.get(p).Body.String()
		if strings.Contains(body, addr) || strings.Contains(body, "%s") {
			t.Errorf("%s shows the whole address or a format verb:\n%s", p, body)
		}
		wantBody(t, c.get(p), "m***i@example.com")
	}
	// English too.
	c.lang = "en"
	w = c.post("/account/email", url.Values{"email": {"anna@example.org"}, "confirm": {"anna@example.org"}})
	wantBody(t, w, html.EscapeString(strings.SplitN(mustCatalogue("en").F(texts.EmailSaved, "anna@example.org"), "\n", 2)[0]))
}

// TestOneSubmitButtonPerForm: on every page each form has one button, no
// two buttons say the same, and every button says something of its own
// (none is a bare "Ok").
func TestOneSubmitButtonPerForm(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	form := regexp.MustCompile(`(?s)<form\b.*?</form>`)
	button := regexp.MustCompile(`(?s)<button\b[^>]*>(.*?)</button>`)
	for path, page := range everyPage(h) {
		seen := map[string]bool{}
		for _, f := range form.FindAllString(page, -1) {
			if n := len(button.FindAllString(f, -1)); n != 1 {
				t.Errorf("%s: a form with %d buttons:\n%s", path, n, f)
			}
		}
		for _, b := range button.FindAllStringSubmatch(page, -1) {
			words := html.UnescapeString(b[1])
			if seen[words] {
				t.Errorf("%s: two buttons say %q", path, words)
			}
			seen[words] = true
			if words == mustCatalogue("it").T(texts.Ok) {
				t.Errorf("%s: a button says only %q", path, words)
			}
		}
	}
}

// TestModeChoiceWithoutScript: the mode drop-down's form works without
// JavaScript through its own button, which says what it does (not another
// "Avanti"); the same-origin script that sends the choice when it is made
// and hides that button is loaded, and is a file of the door's.
func TestModeChoiceWithoutScript(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	h.setUpAll()
	c := h.client("192.0.2.52")
	for _, path := range []string{"/forgot", "/forgot?mode=questions"} {
		page := c.get(path).Body.String()
		mode := regexp.MustCompile(`(?s)<form method="get" action="/forgot" class="mode">.*?</form>`).FindString(page)
		if mode == "" {
			t.Fatalf("%s: no mode form:\n%s", path, page)
		}
		if !strings.Contains(mode, `<select id="mode" name="mode" data-submit-on-change>`) {
			t.Errorf("%s: the drop-down is not marked to send itself:\n%s", path, mode)
		}
		want := `<div class="actions" data-without-script><button type="submit" id="mode-choose">` + h.tr(texts.WebChooseModeButton) + `</button></div>`
		if !strings.Contains(mode, want) {
			t.Errorf("%s: the mode's button is not %q:\n%s", path, want, mode)
		}
		if strings.Contains(mode, h.tr(texts.WebNext)) {
			t.Errorf("%s: the mode's form says %q", path, h.tr(texts.WebNext))
		}
		wantBody(t, c.get(path), `<script src="/static/choose.js" defer></script>`)
	}
	// What the form sends without a script opens the mode.
	wantBody(t, c.get("/forgot?mode=questions"), `action="/forgot/questions"`, h.tr(texts.WebNext))
	js := c.get("/static/choose.js")
	wantStatus(t, js, http.StatusOK)
	wantBody(t, js, "data-submit-on-change", "data-without-script")
}

// TestAccountButtonsSayWhatTheyDo: each method's button on the account
// page says what it does — set it up, or change or replace what is set up
// — and never only repeats its row's name.
func TestAccountButtonsSayWhatTheyDo(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.53")
	wantRedirect(t, c.post("/login", url.Values{"user": {"admin"}, "password": {testPassword}}), "/account")
	row := regexp.MustCompile(`(?s)<th scope="row">(.*?)</th>.*?<td>.*?id="([a-z-]+)">(.*?)</(?:a|button)>`)
	buttons := func(lang string) map[string]string {
		t.Helper()
		c.lang = lang
		out := map[string]string{}
		for _, m := range row.FindAllStringSubmatch(c.get("/account").Body.String(), -1) {
			if m[1] == m[3] {
				t.Errorf("%s: the %s button only repeats its row's name %q", lang, m[2], m[1])
			}
			out[m[2]] = html.UnescapeString(m[3])
		}
		return out
	}
	want := func(lang string, ids map[string]texts.ID) {
		t.Helper()
		got, tr := buttons(lang), mustCatalogue(lang)
		for id, text := range ids {
			if got[id] != tr.T(text) {
				t.Errorf("%s: button %s says %q, want %q", lang, id, got[id], tr.T(text))
			}
		}
	}
	notSetUp := map[string]texts.ID{"guid-export": texts.WebExportGUID, "questions-set": texts.WebSetUpQuestions, "email-set": texts.WebSetUpEmail}
	want("it", notSetUp)
	want("en", notSetUp)
	h.setUpAll()
	setUp := map[string]texts.ID{"guid-export": texts.WebExportNewGUID, "questions-set": texts.WebChangeQuestions, "email-set": texts.WebChangeEmail}
	want("it", setUp)
	want("en", setUp)
	// A password change expires the GUID file: a new one is still what
	// the button makes.
	s, err := h.core.Console().Login(recovery.AdminUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ChangePassword(testPassword, "Nuova!Pass9"); err != nil {
		t.Fatal(err)
	}
	s.Logout()
	wantRedirect(t, c.post("/login", url.Values{"user": {"admin"}, "password": {"Nuova!Pass9"}}), "/account")
	if !h.networkJourney().Method(journey.GUID).Expired {
		t.Fatal("the GUID file did not expire with the password")
	}
	want("it", map[string]texts.ID{"guid-export": texts.WebExportNewGUID})
}
