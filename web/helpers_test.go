package web

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"html/template"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"nvrmenu/internal/certfp"
	"nvrmenu/internal/payload"
	"nvrmenu/recovery"
	"nvrmenu/texts"
)

const (
	testSerial   = "NVRTEST0000001"
	testPassword = "Tr0vata!Ieri"
	deviceHost   = "192.0.2.10"
)

// testKDF is argon2id at its cheapest: the tests count and compare, they
// do not measure.
var testKDF = recovery.KDFParams{MemoryKiB: 8, Time: 1, Threads: 1}

// testClock is the core's clock, moved by the tests.
type testClock struct {
	mu      sync.Mutex
	t       time.Time
	elapsed time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Elapsed() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.elapsed
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.elapsed += d
}

// harness is a web door on a real core.
type harness struct {
	t      testing.TB
	core   *recovery.Core
	srv    *Server
	clock  *testClock
	vendor payload.PrivateKey
	log    *bytes.Buffer
	logMu  *sync.Mutex
}

type harnessOptions struct {
	activated    bool
	noActivation bool // web.activation = false
	throttle     recovery.ThrottlePolicy
	clientHeader string
	frontUID     uint32
	hosts        []string
	lang         string
	kdfQueue     int
	appURL       string // recovery.app_url
}

func newHarness(t testing.TB, o harnessOptions) *harness {
	t.Helper()
	vendor, err := payload.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub := vendor.Public()
	h := &harness{t: t, clock: &testClock{t: time.Date(2027, 3, 14, 9, 30, 0, 0, time.UTC)}, vendor: vendor, log: &bytes.Buffer{}, logMu: &sync.Mutex{}}
	if o.throttle == (recovery.ThrottlePolicy{}) {
		o.throttle = recovery.ThrottlePolicy{Burst: 10000, Every: time.Millisecond}
	}
	h.core, err = recovery.Open(recovery.Options{
		StateDir:           t.TempDir(),
		Serial:             testSerial,
		KDF:                testKDF,
		Clock:              h.clock,
		VendorKey:          &pub,
		RecoveryAddress:    "pw_recovery@example.com",
		AppURL:             o.appURL,
		NetworkActivation:  !o.noActivation,
		Throttle:           o.throttle,
		MaxNetworkKDFQueue: o.kdfQueue,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.core.Close() })
	if o.activated {
		s, err := h.core.Console().Activate(testPassword)
		if err != nil {
			t.Fatal(err)
		}
		s.Logout()
	}
	h.srv, err = New(Options{
		Doors:           func(c recovery.Caller) Door { return h.core.Door(c) },
		Language:        o.lang,
		Hosts:           o.hosts,
		ClientHeader:    o.clientHeader,
		FrontUID:        o.frontUID,
		Model:           "DS-TEST",
		Firmware:        "v-test",
		CertFingerprint: testFingerprint,
		SelfSigned:      true,
		Logger:          slog.New(slog.NewTextHandler(lockedWriter{h.logMu, h.log}, &slog.HandlerOptions{Level: slog.LevelDebug})),
		LocalAddrs:      func() []netip.Addr { return []netip.Addr{netip.MustParseAddr(deviceHost)} },
		Clock:           h.clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (h *harness) logText() string {
	h.logMu.Lock()
	defer h.logMu.Unlock()
	return h.log.String()
}

// client is one browser or tool: its address and its cookies.
type client struct {
	h       *harness
	addr    string
	cookies map[string]string
	lang    string
	header  http.Header // added to every request
}

func (h *harness) client(addr string) *client {
	return &client{h: h, addr: addr, cookies: map[string]string{}, header: http.Header{}}
}

// do sends r through the door as this client and keeps its cookies.
func (c *client) do(r *http.Request) *httptest.ResponseRecorder {
	r.RemoteAddr = c.addr + ":40000"
	if r.Host == "example.com" || r.Host == "" {
		r.Host = deviceHost + ":8443"
	}
	for k, v := range c.cookies {
		r.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	if c.lang != "" {
		r.Header.Set("Accept-Language", c.lang)
	}
	for k, vs := range c.header {
		r.Header[k] = vs
	}
	w := httptest.NewRecorder()
	c.h.srv.ServeHTTP(w, r)
	// Every page and message the door sends is held to the catalogue's
	// rule: no format verb left unfilled.
	if ct := w.Header().Get("Content-Type"); strings.HasPrefix(ct, "text/") || strings.HasPrefix(ct, "application/json") {
		if v := texts.Unfilled(w.Body.String()); v != "" {
			c.h.t.Errorf("%s %s shows an unfilled format verb %q:\n%s", r.Method, r.URL, v, w.Body.String())
		}
	}
	for _, ck := range w.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return w
}

func (c *client) get(path string) *httptest.ResponseRecorder {
	return c.do(httptest.NewRequest("GET", path, nil))
}

func (c *client) post(path string, form url.Values) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(r)
}

// upload posts file as the multipart field "guid" to path.
func (c *client) upload(path string, file []byte) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("guid", testSerial+"_20270314_093000.nvrguid")
	fw.Write(file)
	mw.Close()
	r := httptest.NewRequest("POST", path, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(r)
}

// api calls the JSON API: body is marshalled unless it is []byte.
func (c *client) api(method, path string, body any, token string) *httptest.ResponseRecorder {
	var rd io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ct = bytes.NewReader(b), "application/octet-stream"
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	r := httptest.NewRequest(method, path, rd)
	if rd != nil {
		r.Header.Set("Content-Type", ct)
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return c.do(r)
}

// decode reads a JSON response body.
func decode[T any](t testing.TB, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("response %d %q: %v", w.Code, w.Body.String(), err)
	}
	return v
}

// problemOf is an API error response.
func wantStatus(t testing.TB, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body:\n%s", w.Code, status, w.Body.String())
	}
}

func wantRedirect(t testing.TB, w *httptest.ResponseRecorder, to string) {
	t.Helper()
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != to {
		t.Fatalf("got %d to %q, want 303 to %q; body:\n%s", w.Code, w.Header().Get("Location"), to, w.Body.String())
	}
}

func wantBody(t testing.TB, w *httptest.ResponseRecorder, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(w.Body.String(), s) {
			t.Fatalf("body lacks %q:\n%s", s, w.Body.String())
		}
	}
}

// setUpAll logs in from the console and sets up the three methods:
// returns the GUID file and the answers.
func (h *harness) setUpAll() (guid []byte, answers [3]string) {
	h.t.Helper()
	s, err := h.core.Console().Login(recovery.AdminUser, testPassword)
	if err != nil {
		h.t.Fatal(err)
	}
	defer s.Logout()
	e, err := s.NewGUIDExport()
	if err != nil {
		h.t.Fatal(err)
	}
	if err := s.ConfirmGUIDExport(e); err != nil {
		h.t.Fatal(err)
	}
	answers = [3]string{"Fido", "Roma", "Rossi"}
	if err := s.SetSecurityQuestions([3]recovery.QuestionAnswer{{ID: "first-pet", Answer: answers[0]}, {ID: "birth-city", Answer: answers[1]}, {ID: "mother-maiden-name", Answer: answers[2]}}); err != nil {
		h.t.Fatal(err)
	}
	if err := s.SetRecoveryEmail("mario.rossi@example.com"); err != nil {
		h.t.Fatal(err)
	}
	return e.Data(), answers
}

// issue answers a challenge payload as the vendor does.
func (h *harness) issue(payload string) string {
	h.t.Helper()
	c, err := h.vendor.Open(payload)
	if err != nil {
		h.t.Fatal(err)
	}
	return c.Code
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

// testFingerprint is the web door's certificate fingerprint in the tests.
var testFingerprint = certfp.Of([]byte("test certificate"))

// tr is the Italian catalogue's text of id, as the pages (Italian by
// default) show it, HTML-escaped.
func (h *harness) tr(id texts.ID) string {
	return template.HTMLEscapeString(mustCatalogue("it").T(id))
}
