package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"nvrmenu/apitype"
	"nvrmenu/recovery"
)

// everyPath is one request of every kind the door answers.
var everyPath = []struct{ method, path string }{
	{"GET", "/"}, {"GET", "/login"}, {"POST", "/login"}, {"POST", "/logout"},
	{"GET", "/activate"}, {"POST", "/activate"}, {"GET", "/forgot"}, {"GET", "/forgot?mode=email"},
	{"POST", "/forgot/guid"}, {"POST", "/forgot/questions"}, {"POST", "/forgot/email"},
	{"POST", "/forgot/email/show"}, {"POST", "/forgot/email/new"}, {"POST", "/forgot/email/export"},
	{"GET", "/forgot/email/qr.png"}, {"GET", "/reset"}, {"POST", "/reset"}, {"GET", "/done"},
	{"GET", "/account"}, {"GET", "/account/guid"}, {"POST", "/account/guid/export"}, {"GET", "/account/guid/file"},
	{"POST", "/account/guid/confirm"}, {"GET", "/account/questions"}, {"POST", "/account/questions"},
	{"POST", "/account/questions/clear"}, {"GET", "/account/email"}, {"POST", "/account/email"},
	{"POST", "/account/email/clear"}, {"GET", "/account/password"}, {"POST", "/account/password"},
	{"GET", "/account/reauth"}, {"POST", "/account/reauth"}, {"GET", "/static/style.css"}, {"GET", "/static/strength.js"},
	{"GET", "/nowhere"}, {"DELETE", "/login"},
	{"GET", "/api/v1/device"}, {"POST", "/api/v1/password/strength"}, {"POST", "/api/v1/activate"},
	{"POST", "/api/v1/login"}, {"POST", "/api/v1/logout"}, {"POST", "/api/v1/recovery/guid"},
	{"GET", "/api/v1/recovery/questions"}, {"POST", "/api/v1/recovery/questions"},
	{"POST", "/api/v1/recovery/email/challenge"}, {"POST", "/api/v1/recovery/email/challenge/new"},
	{"GET", "/api/v1/recovery/email/qr.png"}, {"POST", "/api/v1/recovery/email/verify"},
	{"POST", "/api/v1/recovery/reset"}, {"GET", "/api/v1/account"}, {"POST", "/api/v1/account/reauth"},
	{"POST", "/api/v1/account/password"}, {"POST", "/api/v1/account/guid/export"}, {"GET", "/api/v1/account/guid/export"},
	{"POST", "/api/v1/account/guid/confirm"}, {"PUT", "/api/v1/account/questions"}, {"DELETE", "/api/v1/account/questions"},
	{"PUT", "/api/v1/account/email"}, {"DELETE", "/api/v1/account/email"}, {"GET", "/api/v1/nowhere"},
}

// TestHeadersOnEveryResponse: the same security headers on every answer,
// whatever the path, method or outcome; no HSTS while self-signed.
func TestHeadersOnEveryResponse(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.20")
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
	}
	check := func(t *testing.T, w *httptest.ResponseRecorder) {
		t.Helper()
		for k, v := range want {
			if got := w.Header().Get(k); !strings.HasPrefix(got, v) {
				t.Errorf("%s: %q, want %q", k, got, v)
			}
		}
		if w.Header().Get("Strict-Transport-Security") != "" {
			t.Error("HSTS sent with a self-signed certificate")
		}
		if strings.Contains(w.Body.String(), "goroutine ") || strings.Contains(w.Body.String(), ".go:") {
			t.Errorf("a stack trace reached the client:\n%s", w.Body.String())
		}
	}
	for _, p := range everyPath {
		t.Run(p.method+" "+p.path, func(t *testing.T) {
			r := httptest.NewRequest(p.method, p.path, strings.NewReader("x=1"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			check(t, c.do(r))
		})
	}
	t.Run("foreign host", func(t *testing.T) {
		r := httptest.NewRequest("GET", "/login", nil)
		r.Host = "evil.example"
		check(t, c.do(r))
	})
}

// TestHostAllowList is the defence against DNS rebinding: only the
// device's own addresses, localhost and the configured names.
func TestHostAllowList(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, hosts: []string{"nvr-ingresso.lan"}})
	c := h.client("192.0.2.20")
	for _, tc := range []struct {
		host string
		ok   bool
	}{
		{deviceHost, true}, {deviceHost + ":8443", true}, {"localhost", true}, {"LOCALHOST:8443", true},
		{"127.0.0.1:8443", true}, {"[::1]:8443", true}, {"nvr-ingresso.lan", true}, {"NVR-Ingresso.lan:443", true},
		{"evil.example", false}, {"evil.example:8443", false}, {"192.0.2.99", false}, {"nvr-ingresso.lan.evil.example", false},
		{"localhost.evil.example", false}, {"", false}, {deviceHost + ":99999", false}, {"[fe80::1%25eth0]:8443", false},
		{"nvr-ingresso.lan:", false},
	} {
		t.Run(tc.host, func(t *testing.T) {
			for _, path := range []string{"/login", "/api/v1/device"} {
				r := httptest.NewRequest("GET", path, nil)
				r.Host = tc.host
				if tc.host == "" {
					r.Host = ""
				}
				w := httptest.NewRecorder()
				r.RemoteAddr = "192.0.2.20:40000"
				h.srv.ServeHTTP(w, r)
				if got := w.Code != http.StatusMisdirectedRequest; got != tc.ok {
					t.Errorf("%s with Host %q: status %d, want allowed=%v", path, tc.host, w.Code, tc.ok)
				}
			}
		})
	}
	_ = c
	// Refused before anything: no core call, so no audit line.
	if strings.Contains(h.logText(), "unexpected") {
		t.Errorf("log: %s", h.logText())
	}
}

// TestCrossOriginRequestsRefused: a page on another site cannot make the
// browser change anything, even with a Host the device answers to.
func TestCrossOriginRequestsRefused(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	for _, tc := range []struct {
		name    string
		headers map[string]string
	}{
		{"sec-fetch-site cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"sec-fetch-site same-site", map[string]string{"Sec-Fetch-Site": "same-site"}},
		{"origin of another host", map[string]string{"Origin": "https://evil.example"}},
		{"origin of another port", map[string]string{"Origin": "https://" + deviceHost + ":9999"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := h.client("192.0.2.20")
			for _, p := range []string{"/activate", "/api/v1/activate", "/login"} {
				body := "password=" + testPassword + "&confirm=" + testPassword
				ct := "application/x-www-form-urlencoded"
				if strings.HasPrefix(p, "/api/") {
					body, ct = `{"password":"`+testPassword+`"}`, "application/json"
				}
				r := httptest.NewRequest("POST", p, strings.NewReader(body))
				r.Header.Set("Content-Type", ct)
				for k, v := range tc.headers {
					r.Header.Set(k, v)
				}
				w := c.do(r)
				wantStatus(t, w, http.StatusForbidden)
				if strings.HasPrefix(p, "/api/") {
					if pb := decode[apitype.Error](t, w); pb.Error.Code != "cross-origin" {
						t.Errorf("code %q, want cross-origin", pb.Error.Code)
					}
				}
			}
			if h.core.Console().Status().Activated {
				t.Fatal("a cross-origin request activated the device")
			}
		})
	}
	// The same request from the door's own page goes through.
	c := h.client("192.0.2.20")
	c.header.Set("Origin", "https://"+deviceHost+":8443")
	wantRedirect(t, c.post("/activate", url.Values{"password": {testPassword}, "confirm": {testPassword}}), "/account?notice=activated")
}

// TestCookies: __Host- prefix, Secure, HttpOnly, SameSite=Strict; the
// value is the core's 128-bit token.
func TestCookies(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.20")
	w := c.post("/login", url.Values{"user": {"admin"}, "password": {testPassword}})
	cookies := w.Result().Cookies()
	if len(cookies) == 0 {
		t.Fatal("no cookie set at login")
	}
	for _, ck := range cookies {
		if !strings.HasPrefix(ck.Name, "__Host-") || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.Domain != "" {
			t.Errorf("cookie %+v: want __Host-, Secure, HttpOnly, SameSite=Strict, Path=/, no Domain", ck)
		}
		if ck.Name == sessionCookie && len(ck.Value) != 22 {
			t.Errorf("session token %d characters, want 22 (128 bits, base64url)", len(ck.Value))
		}
	}
}

// TestBodyLimits: 16 KiB for a form or JSON body, 4 KiB of GUID file and
// its form for the upload; more is refused.
func TestBodyLimits(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.20")
	big := strings.Repeat("a", MaxBodyBytes)
	for _, tc := range []struct {
		name, path, ct, body string
		status               int
	}{
		{"form at the limit", "/login", "application/x-www-form-urlencoded", "user=admin&password=" + big[:MaxBodyBytes-20], http.StatusBadRequest},
		{"form over the limit", "/login", "application/x-www-form-urlencoded", "user=admin&password=" + big, http.StatusRequestEntityTooLarge},
		{"JSON over the limit", "/api/v1/login", "application/json", `{"user":"admin","password":"` + big + `"}`, http.StatusRequestEntityTooLarge},
		{"upload over the limit", "/forgot/guid", "multipart/form-data; boundary=x", strings.Repeat("b", MaxUploadBytes+1), http.StatusRequestEntityTooLarge},
		{"raw GUID over the limit", "/api/v1/recovery/guid", "application/octet-stream", strings.Repeat("b", MaxUploadBytes+1), http.StatusRequestEntityTooLarge},
		{"raw GUID one byte over a GUID file", "/api/v1/recovery/guid", "application/octet-stream", strings.Repeat("b", recovery.MaxGUIDFileLen+1), http.StatusUnprocessableEntity},
		{"too many form fields", "/login", "application/x-www-form-urlencoded", strings.Repeat("a=1&", 20), http.StatusBadRequest},
		{"a field twice", "/login", "application/x-www-form-urlencoded", "user=admin&user=root&password=x", http.StatusBadRequest},
		{"form with the wrong type", "/login", "text/plain", "user=admin&password=x", http.StatusBadRequest},
		{"JSON with the wrong type", "/api/v1/login", "text/plain", `{"user":"admin","password":"x"}`, http.StatusBadRequest},
		{"JSON with an unknown field", "/api/v1/login", "application/json", `{"user":"admin","password":"x","admin":true}`, http.StatusBadRequest},
		{"JSON with two values", "/api/v1/login", "application/json", `{"user":"admin","password":"x"}{}`, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", tc.path, strings.NewReader(tc.body))
			r.Header.Set("Content-Type", tc.ct)
			wantStatus(t, c.do(r), tc.status)
		})
	}
}

// countingReader counts what the door reads of a body.
type countingReader struct {
	n, limit int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n >= c.limit {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > c.limit-c.n {
		n = c.limit - c.n
	}
	for i := range p[:n] {
		p[i] = 'G'
	}
	c.n += n
	return int(n), nil
}

// TestHugeUploadRefusedWithMemoryFlat: a 5 MiB upload, with and without
// its length announced, is refused having read at most the limit, and
// allocating far less than it.
func TestHugeUploadRefusedWithMemoryFlat(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	h.setUpAll()
	c := h.client("192.0.2.20")
	const size = 5 << 20
	for _, tc := range []struct {
		name, path, ct string
		announced      bool
		limit          int64
	}{
		{"page upload, length announced", "/forgot/guid", "multipart/form-data; boundary=x", true, MaxUploadBytes},
		{"page upload, chunked", "/forgot/guid", "multipart/form-data; boundary=x", false, MaxUploadBytes},
		{"API upload, length announced", "/api/v1/recovery/guid", "application/octet-stream", true, MaxUploadBytes},
		{"API upload, chunked", "/api/v1/recovery/guid", "application/octet-stream", false, MaxUploadBytes},
		{"form, chunked", "/login", "application/x-www-form-urlencoded", false, MaxBodyBytes},
		{"JSON, chunked", "/api/v1/login", "application/json", false, MaxBodyBytes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &countingReader{limit: size}
			r := httptest.NewRequest("POST", tc.path, body)
			r.Header.Set("Content-Type", tc.ct)
			r.ContentLength = -1
			if tc.announced {
				r.ContentLength = size
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			w := c.do(r)
			runtime.ReadMemStats(&after)
			if w.Code != http.StatusRequestEntityTooLarge && (tc.announced || w.Code != http.StatusUnprocessableEntity) {
				// Chunked, a multipart body without its boundary is
				// refused as no GUID file before the limit.
				t.Errorf("status %d, want 413", w.Code)
			}
			if body.n > tc.limit+1 {
				t.Errorf("read %d bytes of a %d-byte body, want at most %d", body.n, size, tc.limit+1)
			}
			if tc.announced && body.n != 0 {
				t.Errorf("read %d bytes of a body announced as too large, want 0", body.n)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
				t.Errorf("allocated %d bytes refusing it, want under 1 MiB", alloc)
			}
			if w.Header().Get("Connection") != "close" {
				t.Errorf("Connection %q, want close: the rest of the body is never read", w.Header().Get("Connection"))
			}
		})
	}
}

// TestNoSecretInURLsOrLogs: every address the pages link to or send to is
// free of tokens, and no token or password reaches the log.
func TestNoSecretInURLsOrLogs(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	_, answers := h.setUpAll()
	c := h.client("192.0.2.20")
	var pages []string
	keep := func(w *httptest.ResponseRecorder) *httptest.ResponseRecorder {
		pages = append(pages, w.Body.String(), w.Header().Get("Location"))
		return w
	}
	keep(c.post("/login", url.Values{"user": {"admin"}, "password": {"Sbagliata!1"}}))
	keep(c.post("/forgot/questions", url.Values{"answer1": {answers[0]}, "answer2": {answers[1]}, "answer3": {answers[2]}}))
	ticket := c.cookies[ticketCookie]
	keep(c.get("/reset"))
	keep(c.post("/reset", url.Values{"password": {"Nuova!Pass9"}, "confirm": {"Nuova!Pass9"}}))
	session := c.cookies[sessionCookie]
	keep(c.get("/account"))
	keep(c.post("/account/guid/export", nil))
	keep(c.get("/account/guid"))
	keep(c.get("/forgot?mode=email"))
	if ticket == "" || session == "" {
		t.Fatal("no ticket or session cookie")
	}
	for _, secret := range []string{ticket, session, "Sbagliata!1", "Nuova!Pass9", answers[0], answers[1], testPassword} {
		for _, p := range pages {
			if strings.Contains(p, secret) {
				t.Errorf("secret %q in a page or a redirect", secret)
			}
		}
		if strings.Contains(h.logText(), secret) {
			t.Errorf("secret %q in the log", secret)
		}
	}
}

// TestClientInputIsEscaped: what the client sends reaches HTML only
// escaped.
func TestClientInputIsEscaped(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	c := h.client("192.0.2.20")
	evil := `"><script>alert(1)</script>`
	w := c.post("/login", url.Values{"user": {evil}, "password": {"x"}})
	if strings.Contains(w.Body.String(), "<script>alert") {
		t.Fatalf("the user name reached the page unescaped:\n%s", w.Body.String())
	}
	wantBody(t, w, "&lt;script&gt;alert(1)&lt;/script&gt;")
	// Query values the pages use are never echoed raw either.
	w = c.get("/forgot?mode=" + url.QueryEscape(evil) + "&notice=" + url.QueryEscape(evil))
	if strings.Contains(w.Body.String(), "<script>alert") {
		t.Fatal("a query value reached the page unescaped")
	}
	w = c.get("/account/reauth?next=" + url.QueryEscape("https://evil.example/"))
	if strings.Contains(w.Body.String(), "evil.example") {
		t.Fatal("the reauth page took a foreign next address")
	}
}

// TestPanicsReachNoClient: a panic in a handler is logged with its stack,
// and the client gets the plain "unexpected" page.
func TestPanicsReachNoClient(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	h.srv.opts.Doors = func(recovery.Caller) Door { panic("boom in the core") }
	c := h.client("192.0.2.20")
	for _, p := range []string{"/login", "/api/v1/device"} {
		w := c.get(p)
		wantStatus(t, w, http.StatusInternalServerError)
		if strings.Contains(w.Body.String(), "boom") || strings.Contains(w.Body.String(), "goroutine") {
			t.Fatalf("%s: the panic reached the client:\n%s", p, w.Body.String())
		}
	}
	if !strings.Contains(h.logText(), "boom in the core") || !strings.Contains(h.logText(), "stack") {
		t.Fatalf("the panic is not in the log:\n%s", h.logText())
	}
}

// TestClientAddress: the core learns the TCP peer; the configured header
// is believed only off TCP (the firmware's web server on the socket), and
// there only from the front server's user (FrontUID, as the kernel names
// the process that connected).
func TestClientAddress(t *testing.T) {
	const front, other = 33, 1000
	h := newHarness(t, harnessOptions{clientHeader: "X-Forwarded-For", frontUID: front})
	for _, tc := range []struct {
		name, remote, header, want string
		peer                       int // the socket peer's uid; -1: none known
		status                     int
	}{
		{"tcp peer", "192.0.2.20:40000", "", "192.0.2.20", -1, http.StatusSeeOther},
		{"tcp peer ignores the header", "192.0.2.20:40000", "198.51.100.7", "192.0.2.20", -1, http.StatusSeeOther},
		{"socket with the header", "@", "203.0.113.5, 198.51.100.7", "198.51.100.7", front, http.StatusSeeOther},
		{"socket without the header", "@", "", "", front, http.StatusBadRequest},
		{"socket with garbage", "", "not-an-address", "", front, http.StatusBadRequest},
		{"socket from another user", "@", "198.51.100.7", "", other, http.StatusBadRequest},
		{"socket from another user, no header", "@", "", "", other, http.StatusBadRequest},
		{"socket, peer unknown", "@", "198.51.100.7", "", -1, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			h.srv.opts.Doors = func(c recovery.Caller) Door { got = c.Addr.String(); return h.core.Door(c) }
			r := httptest.NewRequest("GET", "/", nil)
			if tc.peer >= 0 {
				r = r.WithContext(context.WithValue(r.Context(), peerUIDKey{}, uint32(tc.peer)))
			}
			r.Host = deviceHost
			r.RemoteAddr = tc.remote
			if tc.header != "" {
				r.Header.Set("X-Forwarded-For", tc.header)
			}
			w := httptest.NewRecorder()
			h.srv.ServeHTTP(w, r)
			if w.Code != tc.status || got != tc.want {
				t.Errorf("status %d, address %q; want %d, %q", w.Code, got, tc.status, tc.want)
			}
		})
	}
}

func TestLanguage(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	for _, tc := range []struct {
		accept, query, want string
	}{
		{"", "", "Password dimenticata"},
		{"en-GB,en;q=0.9", "", "Forgot password"},
		{"de-DE, it;q=0.5, en;q=0.3", "", "Password dimenticata"},
		{"en", "it", "Password dimenticata"},
		{"", "en", "Forgot password"},
	} {
		c := h.client("192.0.2.20")
		c.lang = tc.accept
		path := "/login"
		if tc.query != "" {
			path += "?lang=" + tc.query
		}
		w := c.get(path)
		wantBody(t, w, tc.want)
		if tc.query != "" {
			// The switch is remembered.
			c.lang = ""
			wantBody(t, c.get("/login"), tc.want)
		}
	}
}
