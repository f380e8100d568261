package phone

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"nvrmenu/internal/payload"
	"nvrmenu/issuer/keyring"
	"nvrmenu/issuer/ledger"
	"nvrmenu/issuer/limits"
	"nvrmenu/issuer/service"
)

type sink struct {
	mu   sync.Mutex
	msgs []string
}

func (s *sink) Send(_ context.Context, from, to string, msg []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, to+"\n"+string(msg))
	return nil
}

func setup(t *testing.T) (*Handler, *sink, string) {
	t.Helper()
	k, _ := payload.GenerateKey(rand.Reader)
	l, err := ledger.OpenBolt(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	s := &sink{}
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	svc := service.New(service.Options{
		Keyring: keyring.New(k), Ledger: l, Sender: s, From: "pw@vendor.example",
		MaxCodeAge: 168 * time.Hour, CodeLife: 48 * time.Hour, Window: 24 * time.Hour, PerChallenge: 2, PerSerial: 5, PerAddress: 5,
		Client: limits.Bucket{Burst: 50, Every: time.Second}, Global: limits.Bucket{Burst: 50, Every: time.Second}, Clients: 100,
		Now: func() time.Time { return now },
	})
	c := payload.Content{Code: "7K2M9QXD", Serial: "NVR0012345", Email: "mario.rossi@esempio.it", Created: now.Add(-time.Hour)}
	rand.Read(c.ID[:])
	text, _ := payload.Seal(k.Public(), c, rand.Reader)
	url, _ := payload.Render(text, "https://recover.vendor.example/r/")
	return New(Options{Service: svc, Path: "/r/"}), s, url[len("HTTPS://RECOVER.VENDOR.EXAMPLE"):]
}

func do(h http.Handler, method, path string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "https://recover.vendor.example"+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestPhoneFlow(t *testing.T) {
	h, s, path := setup(t)
	if !strings.HasPrefix(path, "/R/") {
		t.Fatalf("path %q", path)
	}
	for _, p := range []string{path, strings.ToLower(path)} {
		w := do(h, "GET", p, "Accept-Language", "it-IT,it;q=0.9,en;q=0.5")
		body := w.Body.String()
		if w.Code != 200 || !strings.Contains(body, "NVR0012345") || !strings.Contains(body, "m***i@esempio.it") || !strings.Contains(body, "Invia il codice") || !strings.Contains(body, `lang="it"`) {
			t.Fatalf("GET %s: %d\n%s", p, w.Code, body)
		}
		if strings.Contains(body, "7K2M") || strings.Contains(body, "<script") || len(s.msgs) != 0 {
			t.Fatalf("the preview shows the code, has a script or mailed: %s", body)
		}
	}
	w := do(h, "GET", path, "Accept-Language", "en-GB")
	if !strings.Contains(w.Body.String(), "Send the code") {
		t.Fatalf("English page:\n%s", w.Body)
	}
	for k, want := range map[string]string{"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"} {
		if got := w.Header().Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q", csp)
	}
	// A cross-origin POST is refused before anything is sent.
	if w := do(h, "POST", path, "Sec-Fetch-Site", "cross-site"); w.Code != http.StatusForbidden || len(s.msgs) != 0 {
		t.Fatalf("cross-site POST: %d, %d mails", w.Code, len(s.msgs))
	}
	w = do(h, "POST", path, "Sec-Fetch-Site", "same-origin")
	if w.Code != 200 || len(s.msgs) != 1 || !strings.HasPrefix(s.msgs[0], "mario.rossi@esempio.it\n") || strings.Contains(w.Body.String(), "7K2M") || !strings.Contains(w.Body.String(), "m***i@esempio.it") {
		t.Fatalf("POST: %d, mails %d\n%s", w.Code, len(s.msgs), w.Body)
	}
	w = do(h, "POST", strings.ToLower(path))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "same code") {
		t.Fatalf("second POST: %d\n%s", w.Code, w.Body)
	}
	if w := do(h, "POST", path); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("third POST of one challenge: %d", w.Code)
	}
}

func TestPhoneRefusals(t *testing.T) {
	h, s, path := setup(t)
	bad := path[:len(path)-10] + "AAAAAAAAAA"
	for _, tc := range []struct {
		path string
		code int
		want string
	}{
		{"/", 200, "Scan the QR code"},
		{"/nothing", 404, "Page not found"},
		{"/r/", 404, "Page not found"},
		{"/r/x/y", 404, "Page not found"},
		{"/r/NOTBASE32!", 404, "not a valid recovery QR code"},
		{bad, 422, "altered or damaged"},
		{"/static/style.css", 200, "font-family"},
	} {
		if w := do(h, "GET", tc.path); w.Code != tc.code || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("GET %s: %d, want %d with %q\n%s", tc.path, w.Code, tc.code, tc.want, w.Body)
		}
	}
	if w := do(h, "PUT", path); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("PUT: %d", w.Code)
	}
	if w := do(h, "GET", "/healthz"); w.Code != 200 {
		t.Errorf("healthz: %d", w.Code)
	}
	if len(s.msgs) != 0 {
		t.Fatalf("refusals mailed %d", len(s.msgs))
	}
}
