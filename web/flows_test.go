package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"

	"golang.org/x/net/html"
)

func TestActivationFromThePage(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	c := h.client("192.0.2.20")
	wantRedirect(t, c.get("/"), "/activate")
	w := c.get("/activate")
	wantStatus(t, w, 200)
	wantBody(t, w, "Registratore "+testSerial+" non attivato", `name="password"`, `name="confirm"`, "/static/strength.js")
	wantStatus(t, c.post("/activate", url.Values{"password": {testPassword}, "confirm": {"other"}}), http.StatusUnprocessableEntity)
	w = c.post("/activate", url.Values{"password": {"short"}, "confirm": {"short"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantBody(t, w, "almeno 8 caratteri")
	wantRedirect(t, c.post("/activate", url.Values{"password": {testPassword}, "confirm": {testPassword}}), "/account?notice=activated")
	st := h.core.Console().Status()
	if !st.Activated || st.PasswordBy != "web" || st.PasswordFrom != "192.0.2.20" {
		t.Fatalf("status after web activation: %+v", st)
	}
	w = c.get("/account?notice=activated")
	wantStatus(t, w, 200)
	wantBody(t, w, "Registratore attivato.", "Esporta file GUID", "Non impostato")
}

func TestActivationTurnedOff(t *testing.T) {
	h := newHarness(t, harnessOptions{noActivation: true})
	c := h.client("192.0.2.20")
	w := c.get("/activate")
	wantStatus(t, w, 200)
	wantBody(t, w, "attivare il registratore dal suo monitor")
	if strings.Contains(w.Body.String(), `name="password"`) {
		t.Fatal("the activation form is offered with activation off")
	}
	w = c.post("/activate", url.Values{"password": {testPassword}, "confirm": {testPassword}})
	wantStatus(t, w, http.StatusForbidden)
	if h.core.Console().Status().Activated {
		t.Fatal("activated with web.activation off")
	}
}

func TestLoginAndLogout(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.20")
	wantRedirect(t, c.get("/"), "/login")
	wantRedirect(t, c.get("/account"), "/login")
	w := c.post("/login", url.Values{"user": {"admin"}, "password": {"wrong-one-1"}})
	wantStatus(t, w, http.StatusUnauthorized)
	wantBody(t, w, "Tentativi rimasti: 4.")
	wantRedirect(t, c.post("/login", url.Values{"user": {"admin"}, "password": {testPassword}}), "/account")
	wantStatus(t, c.get("/account"), 200)
	wantRedirect(t, c.post("/logout", nil), "/login?notice=logged-out")
	if _, ok := c.cookies[sessionCookie]; ok {
		t.Fatal("session cookie kept after logout")
	}
	wantRedirect(t, c.get("/account"), "/login")
}

// TestResetByQuestionsOffersAFreshGUIDExport: a reset by the questions
// expires the GUID file too, and "Password ripristinata" says so and
// offers a fresh export, as the console and nvr-sadp do.
func TestResetByQuestionsOffersAFreshGUIDExport(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	_, answers := h.setUpAll()
	c := h.client("192.0.2.20")
	w := c.get("/forgot")
	wantStatus(t, w, 200)
	wantBody(t, w, "Modalità di verifica", h.tr(texts.MethodQuestions), h.tr(texts.MethodGUID), h.tr(texts.MethodEmail))
	w = c.get("/forgot?mode=questions")
	wantBody(t, w, "Come si chiamava il tuo primo animale domestico?", `name="answer3"`)
	w = c.post("/forgot/questions", url.Values{"answer1": {"x1"}, "answer2": {"y2"}, "answer3": {"z3"}})
	wantStatus(t, w, http.StatusForbidden)
	wantBody(t, w, "Le risposte non corrispondono.", "Tentativi rimasti: 4.")
	wantRedirect(t, c.post("/forgot/questions", url.Values{"answer1": {answers[0]}, "answer2": {answers[1]}, "answer3": {answers[2]}}), "/reset")
	w = c.get("/reset")
	wantStatus(t, w, 200)
	wantBody(t, w, "Nuova password", "Conferma password")
	wantRedirect(t, c.post("/reset", url.Values{"password": {"Nuova!Pass9"}, "confirm": {"Nuova!Pass9"}}), "/done")
	w = c.get("/done")
	wantBody(t, w, "Password ripristinata", h.tr(texts.GUIDExpiredOffer), `id="export-now"`)
	if _, err := h.core.Console().Login("admin", "Nuova!Pass9"); err != nil {
		t.Fatalf("the new password does not log in: %v", err)
	}
}

func TestResetByGUIDOffersAFreshExport(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	guid, _ := h.setUpAll()
	c := h.client("192.0.2.20")
	w := c.get("/forgot?mode=guid")
	wantBody(t, w, `type="file"`, "Sfoglia", `enctype="multipart/form-data"`)
	w = c.upload("/forgot/guid", []byte("not a guid file"))
	wantStatus(t, w, http.StatusUnprocessableEntity)
	wantRedirect(t, c.upload("/forgot/guid", guid), "/reset")
	wantRedirect(t, c.post("/reset", url.Values{"password": {"Nuova!Pass9"}, "confirm": {"Nuova!Pass9"}}), "/done")
	w = c.get("/done")
	wantBody(t, w, "Il file GUID precedente non vale più", `id="export-now"`)
	wantRedirect(t, c.post("/account/guid/export", nil), "/account/guid")
	w = c.get("/account/guid")
	wantBody(t, w, "Scarica il file GUID", "Ho salvato il file")
	file := c.get("/account/guid/file")
	wantStatus(t, file, 200)
	if !strings.Contains(file.Header().Get("Content-Disposition"), "attachment; filename=\""+testSerial+"_") {
		t.Fatalf("Content-Disposition %q", file.Header().Get("Content-Disposition"))
	}
	// Until confirmed, the new file is not the valid one.
	if _, err := h.core.Console().VerifyGUIDFile(file.Body.Bytes()); err == nil {
		t.Fatal("the downloaded GUID works before it was confirmed")
	}
	wantRedirect(t, c.post("/account/guid/confirm", nil), "/account?notice=guid-saved")
	if _, err := h.core.Console().VerifyGUIDFile(file.Body.Bytes()); err != nil {
		t.Fatalf("the confirmed GUID file: %v", err)
	}
	if _, err := h.core.Console().VerifyGUIDFile(guid); err == nil {
		t.Fatal("the used GUID file still works")
	}
}

func TestResetByEmail(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	h.setUpAll()
	c := h.client("192.0.2.20")
	w := c.get("/forgot?mode=email")
	// No recovery.app_url: the QR is photographed (TestEmailQRLink).
	wantBody(t, w, "m***i@example.com", "Esporta il codice QR", "Mostra il codice QR da fotografare con il telefono", "Codice di verifica")
	// No challenge yet: the QR image is not there, and a GET makes none.
	wantStatus(t, c.get("/forgot/email/qr.png"), http.StatusNotFound)
	if h.core.Door(recovery.Caller{Door: "web", Class: recovery.ClassNetwork, Addr: mustAddr("192.0.2.20")}).Journey().Method(recovery.MethodEmail).ChallengePending {
		t.Fatal("a GET made a challenge")
	}
	wantRedirect(t, c.post("/forgot/email/show", nil), "/forgot?mode=email&qr=1")
	w = c.get("/forgot?mode=email&qr=1")
	src := regexp.MustCompile(`<img src="([^"]+)"`).FindStringSubmatch(w.Body.String())
	if src == nil {
		t.Fatalf("no QR image on the page:\n%s", w.Body.String())
	}
	png := c.get(strings.ReplaceAll(src[1], "&amp;", "&"))
	wantStatus(t, png, 200)
	if png.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("QR content type %q", png.Header().Get("Content-Type"))
	}
	export := c.post("/forgot/email/export", nil)
	wantStatus(t, export, 200)
	if cd := export.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="QR-`+testSerial+"-") {
		t.Fatalf("export Content-Disposition %q", cd)
	}
	ch, err := h.core.Door(recovery.Caller{Door: "web", Class: recovery.ClassNetwork, Addr: mustAddr("192.0.2.20")}).EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	w = c.post("/forgot/email", url.Values{"code": {"ABCD-EFGH"}})
	wantStatus(t, w, http.StatusForbidden)
	wantBody(t, w, "Codice di verifica errato.", "Tentativi rimasti: 4.")
	wantRedirect(t, c.post("/forgot/email", url.Values{"code": {h.issue(ch.Payload)}}), "/reset")
	wantRedirect(t, c.post("/reset", url.Values{"password": {"Nuova!Pass9"}, "confirm": {"Nuova!Pass9"}}), "/done")
}

// TestEmailQRLink: with recovery.app_url the QR code is the vendor's page,
// the words say to scan it with the phone's camera, and the page under it
// links there, for an owner on a phone (who cannot scan its own screen);
// without it the QR holds text a camera cannot act on: the words say to
// photograph it or export it and mail it, and there is no link. The words
// are the journey's (journey.WordsForQR), before the QR is shown too.
func TestEmailQRLink(t *testing.T) {
	cat, _ := texts.New("it")
	for _, app := range []string{"https://recover.vendor.example/r/", ""} {
		h := newHarness(t, harnessOptions{activated: true, appURL: app})
		h.setUpAll()
		c := h.client("192.0.2.21")
		words, other := journey.WordsForQR(true), journey.WordsForQR(false)
		if app == "" {
			words, other = other, words
		}
		before := c.get("/forgot?mode=email").Body.String()
		wantRedirect(t, c.post("/forgot/email/show", nil), "/forgot?mode=email&qr=1")
		body := c.get("/forgot?mode=email&qr=1").Body.String()
		for _, w := range []struct {
			page, text string
		}{
			{before, cat.T(words.Show)},
			{body, cat.T(words.Show)},
			{body, html.EscapeString(cat.T(words.Alt))},
			{body, html.EscapeString(cat.F(words.Send, "pw_recovery@example.com"))},
		} {
			if !strings.Contains(w.page, w.text) {
				t.Errorf("app URL %q: the page lacks %q:\n%s", app, w.text, w.page)
			}
		}
		for _, id := range []texts.ID{other.Show, other.Alt} {
			if strings.Contains(body, html.EscapeString(cat.T(id))) {
				t.Errorf("app URL %q: the page says %q", app, cat.T(id))
			}
		}
		link := regexp.MustCompile(`<a href="([^"]+)" rel="noreferrer" id="qr-link">`).FindStringSubmatch(body)
		ch, ok, err := h.core.Door(recovery.Caller{Door: "web", Class: recovery.ClassNetwork, Addr: mustAddr("192.0.2.21")}).PendingEmailChallenge()
		if err != nil || !ok {
			t.Fatalf("no pending challenge: %v", err)
		}
		switch {
		case app == "" && link != nil:
			t.Errorf("without an app URL the page links to %q", link[1])
		case app != "" && (link == nil || link[1] != ch.Payload || !strings.HasPrefix(link[1], "HTTPS://RECOVER.VENDOR.EXAMPLE/R/")):
			t.Errorf("app URL %q: link %q, want the QR code's URL %q\n%s", app, link, ch.Payload, body)
		}
	}
}
