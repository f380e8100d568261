package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"nvrmenu/apitype"
	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
)

// TestAPIWholeFlow drives every endpoint as the installer's tool would:
// activation, set-up of the three methods, a reset by each proof.
func TestAPIWholeFlow(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	c := h.client("192.0.2.30")
	dev := decode[apitype.Device](t, c.api("GET", "/api/v1/device", nil, ""))
	if dev.Serial != testSerial || dev.Model != "DS-TEST" || dev.Firmware != "v-test" || dev.Activated || !dev.ActivationAllowed ||
		dev.CertFingerprint != testFingerprint.String() || dev.PasswordPolicy != (apitype.PasswordPolicy{MinLength: 8, MaxLength: 16}) || dev.Journey.Method("guid").Why == nil || dev.Journey.Method("guid").Why.Code != "not-activated" {
		t.Fatalf("device before activation: %+v", dev)
	}
	st := decode[apitype.Strength](t, c.api("POST", "/api/v1/password/strength", apitype.Password{Password: "abc"}, ""))
	if st.Strength != "risky" || len(st.Reasons) == 0 || st.Refusal == "" {
		t.Fatalf("strength of abc: %+v", st)
	}
	w := c.api("POST", "/api/v1/activate", apitype.Password{Password: testPassword}, "")
	wantStatus(t, w, http.StatusCreated)
	tok := decode[apitype.Session](t, w)
	if len(tok.Token) != 22 || tok.ExpiresInSeconds != 300 {
		t.Fatalf("activation token %+v", tok)
	}
	if st := h.core.Console().Status(); st.PasswordBy != DoorAPI || st.PasswordFrom != "192.0.2.30" {
		t.Fatalf("activated by %s from %s", st.PasswordBy, st.PasswordFrom)
	}
	wantStatus(t, c.api("POST", "/api/v1/activate", apitype.Password{Password: testPassword}, ""), http.StatusConflict)

	// Set-up, with the bearer token (no cookie).
	c.cookies = map[string]string{}
	w = c.api("POST", "/api/v1/account/guid/export", nil, tok.Token)
	wantStatus(t, w, http.StatusCreated)
	w = c.api("GET", "/api/v1/account/guid/export", nil, tok.Token)
	wantStatus(t, w, http.StatusOK)
	guid := w.Body.Bytes()
	if !strings.Contains(w.Header().Get("Content-Disposition"), ".nvrguid") {
		t.Fatalf("GUID download without its name: %q", w.Header().Get("Content-Disposition"))
	}
	acc := decode[apitype.Account](t, c.api("GET", "/api/v1/account", nil, tok.Token))
	if acc.PendingExport == "" || acc.Journey.Method("guid").SetUp {
		t.Fatalf("account with a pending export: %+v", acc)
	}
	wantStatus(t, c.api("POST", "/api/v1/account/guid/confirm", nil, tok.Token), http.StatusNoContent)
	wantStatus(t, c.api("POST", "/api/v1/account/guid/confirm", nil, tok.Token), http.StatusNotFound)
	qs := map[string]any{"questions": []map[string]string{{"id": "first-pet", "answer": "Fido"}, {"id": "birth-city", "answer": "Roma"}, {"id": "first-car", "answer": "Panda"}}}
	wantStatus(t, c.api("PUT", "/api/v1/account/questions", qs, tok.Token), http.StatusNoContent)
	wantStatus(t, c.api("PUT", "/api/v1/account/email", map[string]string{"address": "mario.rossi@example.com"}, tok.Token), http.StatusNoContent)
	acc = decode[apitype.Account](t, c.api("GET", "/api/v1/account", nil, tok.Token))
	for _, m := range journey.Recovery {
		if st := acc.Journey.Method(m); !st.SetUp || !st.Usable {
			t.Fatalf("method %s after set-up: %+v", m, acc)
		}
	}
	if strings.Join(acc.QuestionIDs, ",") != "first-pet,birth-city,first-car" || acc.Journey.Method("email").MaskedEmail != "m***i@example.com" {
		t.Fatalf("account: %+v", acc)
	}
	wantStatus(t, c.api("POST", "/api/v1/logout", nil, tok.Token), http.StatusNoContent)
	wantStatus(t, c.api("GET", "/api/v1/account", nil, tok.Token), http.StatusUnauthorized)

	// Reset by the GUID file, as the raw body.
	w = c.api("POST", "/api/v1/recovery/guid", guid, "")
	wantStatus(t, w, http.StatusOK)
	tk := decode[apitype.Ticket](t, w)
	if tk.Method != "guid" || len(tk.Ticket) != 22 {
		t.Fatalf("ticket %+v", tk)
	}
	w = c.api("POST", "/api/v1/recovery/reset", map[string]string{"ticket": tk.Ticket, "password": "short"}, "")
	wantStatus(t, w, http.StatusUnprocessableEntity)
	if pb := decode[apitype.Error](t, w); pb.Error.Code != "password-refused" || !strings.Contains(pb.Message, "almeno 8 caratteri") {
		t.Fatalf("refused password: %+v", pb)
	}
	w = c.api("POST", "/api/v1/recovery/reset", map[string]string{"ticket": tk.Ticket, "password": "Nuova!Pass9"}, "")
	wantStatus(t, w, http.StatusOK)
	tok = decode[apitype.Session](t, w)
	wantStatus(t, c.api("POST", "/api/v1/recovery/reset", map[string]string{"ticket": tk.Ticket, "password": "Altra!Pass8"}, ""), http.StatusForbidden)
	wantStatus(t, c.api("POST", "/api/v1/recovery/guid", guid, ""), http.StatusForbidden)

	// Reset by the questions.
	q := decode[struct {
		Questions []apitype.Question `json:"questions"`
	}](t, c.api("GET", "/api/v1/recovery/questions", nil, ""))
	if len(q.Questions) != 3 || q.Questions[0].ID != "first-pet" || !strings.Contains(q.Questions[0].Text, "animale") {
		t.Fatalf("questions %+v", q)
	}
	w = c.api("POST", "/api/v1/recovery/questions", map[string]any{"answers": []string{"fido", "roma", "panda"}}, "")
	wantStatus(t, w, http.StatusOK)
	tk = decode[apitype.Ticket](t, w)
	wantStatus(t, c.api("POST", "/api/v1/recovery/reset", map[string]string{"ticket": tk.Ticket, "password": "Terza!Pass7"}, ""), http.StatusOK)

	// Reset by the e-mail code.
	wantStatus(t, c.api("GET", "/api/v1/recovery/email/qr.png", nil, ""), http.StatusNotFound)
	ch := decode[apitype.Challenge](t, c.api("POST", "/api/v1/recovery/email/challenge", nil, ""))
	if ch.MaskedEmail != "m***i@example.com" || ch.TriesLeft != 5 || ch.RecoveryAddress != "pw_recovery@example.com" || !strings.HasPrefix(ch.QRFileName, "QR-"+testSerial) {
		t.Fatalf("challenge %+v", ch)
	}
	again := decode[apitype.Challenge](t, c.api("POST", "/api/v1/recovery/email/challenge", nil, ""))
	if again.Payload != ch.Payload {
		t.Fatal("asking again made another challenge")
	}
	png := c.api("GET", "/api/v1/recovery/email/qr.png", nil, "")
	wantStatus(t, png, http.StatusOK)
	if png.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("QR type %q", png.Header().Get("Content-Type"))
	}
	w = c.api("POST", "/api/v1/recovery/email/verify", map[string]string{"code": "ZZZZ-ZZZZ"}, "")
	wantStatus(t, w, http.StatusForbidden)
	if pb := decode[apitype.Error](t, w); pb.Error.Code != "wrong-code" || !pb.Error.Counted || pb.Error.TriesLeft != 4 {
		t.Fatalf("wrong code: %+v", pb)
	}
	w = c.api("POST", "/api/v1/recovery/email/verify", map[string]string{"code": h.issue(ch.Payload)}, "")
	wantStatus(t, w, http.StatusOK)
	tk = decode[apitype.Ticket](t, w)
	wantStatus(t, c.api("POST", "/api/v1/recovery/reset", map[string]string{"ticket": tk.Ticket, "password": "Quarta!Pass6"}, ""), http.StatusOK)
	renewed := decode[apitype.Challenge](t, c.api("POST", "/api/v1/recovery/email/challenge/new", nil, ""))
	if renewed.Payload == ch.Payload {
		t.Fatal("a new challenge kept the old payload")
	}

	// Login, change of password (a new token), the old one dead.
	w = c.api("POST", "/api/v1/login", map[string]string{"user": "admin", "password": "Quarta!Pass6"}, "")
	wantStatus(t, w, http.StatusOK)
	tok = decode[apitype.Session](t, w)
	w = c.api("POST", "/api/v1/account/password", map[string]string{"current": "Quarta!Pass6", "password": "Quinta!Pass5"}, tok.Token)
	wantStatus(t, w, http.StatusOK)
	fresh := decode[apitype.Session](t, w)
	if fresh.Token == tok.Token {
		t.Fatal("the password change kept the token")
	}
	wantStatus(t, c.api("GET", "/api/v1/account", nil, tok.Token), http.StatusUnauthorized)
	wantStatus(t, c.api("GET", "/api/v1/account", nil, fresh.Token), http.StatusOK)
	wantStatus(t, c.api("DELETE", "/api/v1/account/email", nil, fresh.Token), http.StatusNoContent)
	wantStatus(t, c.api("DELETE", "/api/v1/account/questions", nil, fresh.Token), http.StatusNoContent)
	acc = decode[apitype.Account](t, c.api("GET", "/api/v1/account", nil, fresh.Token))
	if acc.Journey.Method("email").SetUp || acc.Journey.Method("questions").SetUp {
		t.Fatalf("after clearing: %+v", acc)
	}
}

// TestAPIErrors: each refusal has its status, its stable code and the
// message in the request's language; waits carry Retry-After.
func TestAPIErrors(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	h.setUpAll()
	c := h.client("192.0.2.31")
	login := func(pw string) map[string]string { return map[string]string{"user": "admin", "password": pw} }
	for _, tc := range []struct {
		name, method, path string
		body               any
		token              string
		status             int
		code               string
	}{
		{"wrong password", "POST", "/api/v1/login", login("Sbagliata!1"), "", 401, "wrong-password"},
		{"no session", "GET", "/api/v1/account", nil, "", 401, "session-ended"},
		{"forged session", "GET", "/api/v1/account", nil, "AAAAAAAAAAAAAAAAAAAAAA", 401, "session-ended"},
		{"bad ticket", "POST", "/api/v1/recovery/reset", map[string]string{"ticket": "nope", "password": "Nuova!Pass9"}, "", 403, "ticket-invalid"},
		{"malformed GUID", "POST", "/api/v1/recovery/guid", []byte("hello"), "", 422, "guid-malformed"},
		{"incomplete answers", "POST", "/api/v1/recovery/questions", map[string]any{"answers": []string{"a", "", ""}}, "", 422, "answer-too-short"},
		{"wrong answers", "POST", "/api/v1/recovery/questions", map[string]any{"answers": []string{"aa", "bb", "cc"}}, "", 403, "wrong-answers"},
		{"malformed code", "POST", "/api/v1/recovery/email/verify", map[string]string{"code": "12"}, "", 422, "code-malformed"},
		{"code without challenge", "POST", "/api/v1/recovery/email/verify", map[string]string{"code": "ABCD-EFGH"}, "", 409, "no-challenge"},
		{"already activated", "POST", "/api/v1/activate", apitype.Password{Password: testPassword}, "", 409, "already-activated"},
		{"unknown endpoint", "GET", "/api/v1/nowhere", nil, "", 404, "not-found"},
		{"wrong method", "DELETE", "/api/v1/login", nil, "", 405, "method-not-allowed"},
		{"bad JSON", "POST", "/api/v1/login", []byte("{"), "", 400, "bad-request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := c.api(tc.method, tc.path, tc.body, tc.token)
			wantStatus(t, w, tc.status)
			pb := decode[apitype.Error](t, w)
			if string(pb.Error.Code) != tc.code || pb.Message == "" {
				t.Fatalf("got %+v, want code %s with a message", pb, tc.code)
			}
			if w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", w.Header().Get("Content-Type"))
			}
		})
	}
	// English on request.
	c.lang = "en"
	pb := decode[apitype.Error](t, c.api("POST", "/api/v1/login", login("Sbagliata!2"), ""))
	if !strings.Contains(pb.Message, "Tries left") {
		t.Fatalf("English message %q", pb.Message)
	}
}

// TestLocksGiveTimeAndTriesLeft: the pages and the API say what the
// console says: tries left, then the time locked, with Retry-After.
func TestLocksGiveTimeAndTriesLeft(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.32")
	for i := 4; i >= 1; i-- {
		pb := decode[apitype.Error](t, c.api("POST", "/api/v1/login", map[string]string{"user": "admin", "password": "Sbagliata!1"}, ""))
		if pb.Error.TriesLeft != i || !strings.Contains(pb.Message, "Tentativi rimasti: "+strconv.Itoa(i)) {
			t.Fatalf("try %d: %+v", 5-i, pb)
		}
	}
	w := c.api("POST", "/api/v1/login", map[string]string{"user": "admin", "password": "Sbagliata!1"}, "")
	pb := decode[apitype.Error](t, w)
	if pb.Error.LockSeconds != 1800 || !strings.Contains(pb.Message, "Bloccato per 30 min") {
		t.Fatalf("fifth try: %+v", pb)
	}
	h.clock.Advance(10 * time.Minute)
	w = c.api("POST", "/api/v1/login", map[string]string{"user": "admin", "password": testPassword}, "")
	wantStatus(t, w, http.StatusLocked)
	if w.Header().Get("Retry-After") != "1200" {
		t.Fatalf("Retry-After %q, want 1200", w.Header().Get("Retry-After"))
	}
	page := c.get("/login")
	wantBody(t, page, "Troppi tentativi falliti: bloccato per 20 min.")
	dev := decode[apitype.Device](t, c.api("GET", "/api/v1/device", nil, ""))
	if p := dev.Journey.LoginRefused; p == nil || p.Code != "locked" || p.LockSeconds != 1200 {
		t.Fatalf("device login_refused %+v, want locked for 1200 s", p)
	}
	// The console is another class: the owner at the recorder logs in.
	if _, err := h.core.Console().Login("admin", testPassword); err != nil {
		t.Fatalf("the network's lock reached the console: %v", err)
	}
}

// TestThrottleAndBusy: one address asking too fast gets 429, a full
// argon2id queue 503, both with Retry-After.
func TestThrottleAndBusy(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, throttle: recovery.DefaultThrottlePolicy()})
	c := h.client("192.0.2.33")
	var w = c.api("POST", "/api/v1/login", map[string]string{"user": "admin", "password": "Wrong!pw9x"}, "")
	for i := 0; i < 10 && w.Code != http.StatusTooManyRequests; i++ {
		w = c.api("POST", "/api/v1/login", map[string]string{"user": "admin", "password": "Wrong!pw9x"}, "")
	}
	wantStatus(t, w, http.StatusTooManyRequests)
	if pb := decode[apitype.Error](t, w); pb.Error.Code != "throttled" || w.Header().Get("Retry-After") == "" {
		t.Fatalf("throttled: %+v, Retry-After %q", pb, w.Header().Get("Retry-After"))
	}
	page := c.post("/login", map[string][]string{"user": {"admin"}, "password": {"Wrong!pw9x"}})
	wantStatus(t, page, http.StatusTooManyRequests)
	wantBody(t, page, "Troppe richieste in poco tempo")

	h.srv.opts.Doors = func(cl recovery.Caller) Door { return busyDoor{h.core.Door(cl)} }
	w = c.api("POST", "/api/v1/login", map[string]string{"user": "admin", "password": "Wrong!pw9x"}, "")
	wantStatus(t, w, http.StatusServiceUnavailable)
	if pb := decode[apitype.Error](t, w); pb.Error.Code != "busy" || w.Header().Get("Retry-After") != "2" {
		t.Fatalf("busy: %+v, Retry-After %q", pb, w.Header().Get("Retry-After"))
	}
}

// busyDoor is a core whose argon2id queue is full.
type busyDoor struct{ Door }

func (busyDoor) Login(string, string) (*recovery.Session, error) { return nil, recovery.ErrBusy }

// TestReauthenticationForRecoveryChanges: more than 10 minutes after the
// password was typed, a recovery change asks for it again.
func TestReauthenticationForRecoveryChanges(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.34")
	tok := decode[apitype.Session](t, c.api("POST", "/api/v1/login", map[string]string{"user": "admin", "password": testPassword}, ""))
	for range 3 {
		h.clock.Advance(4 * time.Minute)
		wantStatus(t, c.api("GET", "/api/v1/account", nil, tok.Token), http.StatusOK)
	}
	w := c.api("PUT", "/api/v1/account/email", map[string]string{"address": "a.b@example.com"}, tok.Token)
	wantStatus(t, w, http.StatusForbidden)
	if pb := decode[apitype.Error](t, w); pb.Error.Code != "reauth-required" {
		t.Fatalf("got %+v", pb)
	}
	// The pages send the owner to the password prompt and back.
	wantRedirect(t, c.post("/account/email", map[string][]string{"email": {"a.b@example.com"}, "confirm": {"a.b@example.com"}}), "/account/reauth?next=%2Faccount%2Femail")
	w = c.get("/account/reauth?next=%2Faccount%2Femail")
	wantBody(t, w, "digitare di nuovo la password")
	wantRedirect(t, c.post("/account/reauth", map[string][]string{"password": {testPassword}, "next": {"/account/email"}}), "/account/email?notice=reauth-done")
	w = c.post("/account/email", map[string][]string{"email": {"a.b@example.com"}, "confirm": {"a.b@example.com"}})
	wantStatus(t, w, http.StatusOK)
	wantBody(t, w, "salvato: a.b@example.com")
	wantStatus(t, c.api("POST", "/api/v1/account/reauth", apitype.Password{Password: "Sbagliata!1"}, tok.Token), http.StatusUnauthorized)
	wantStatus(t, c.api("POST", "/api/v1/account/reauth", apitype.Password{Password: testPassword}, tok.Token), http.StatusNoContent)
}

// TestSessionTimeoutsAndEveryDoorEnds: the core's 5-minute idle and
// 30-minute limits end web sessions; a password change from the console
// ends them all.
func TestSessionTimeoutsAndEveryDoorEnds(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.35")
	tok := decode[apitype.Session](t, c.api("POST", "/api/v1/login", map[string]string{"user": "admin", "password": testPassword}, ""))
	h.clock.Advance(5*time.Minute + time.Second)
	wantStatus(t, c.api("GET", "/api/v1/account", nil, tok.Token), http.StatusUnauthorized)

	tok = decode[apitype.Session](t, c.api("POST", "/api/v1/login", map[string]string{"user": "admin", "password": testPassword}, ""))
	for range 6 { // 27 minutes, never idle for 5
		h.clock.Advance(4*time.Minute + 30*time.Second)
		wantStatus(t, c.api("GET", "/api/v1/account", nil, tok.Token), http.StatusOK)
	}
	h.clock.Advance(3*time.Minute + 30*time.Second) // 30.5 minutes since the login
	wantStatus(t, c.api("GET", "/api/v1/account", nil, tok.Token), http.StatusUnauthorized)

	wantRedirect(t, c.post("/login", map[string][]string{"user": {"admin"}, "password": {testPassword}}), "/account")
	s, err := h.core.Console().Login("admin", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ChangePassword(testPassword, "Dalla!Console3"); err != nil {
		t.Fatal(err)
	}
	wantRedirect(t, c.get("/account"), "/login?notice=session-ended")
}
