package recorder

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"nvrmenu/apitype"
	"nvrmenu/internal/certfp"
	"nvrmenu/texts"
)

// recorderServer is an httptest TLS server playing a recorder's web door
// with handler; pin is its certificate's fingerprint.
func recorderServer(t *testing.T, handler http.HandlerFunc) (srv *httptest.Server, pin certfp.Fingerprint) {
	t.Helper()
	srv = httptest.NewUnstartedServer(handler)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, certfp.Of(srv.Certificate().Raw)
}

// sleeps records the waits a client asked for, and waits for none.
type sleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

func newClient(t *testing.T, url string, pin certfp.Fingerprint, s *sleeps) *Client {
	t.Helper()
	cfg := Config{URL: url + "/", Serial: "NVR1", Pin: pin, Lang: "it"}
	if s != nil {
		cfg.Sleep = s.sleep
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// selfSigned is a certificate of its own for 127.0.0.1, as a recorder
// (or whoever answers in its place) makes one.
func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "another"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func TestPinAccepted(t *testing.T) {
	var lang, agent string
	srv, pin := recorderServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "GET" || r.URL.Path != apitype.PathDevice {
			http.NotFound(w, r)
			return
		}
		lang, agent = r.Header.Get("Accept-Language"), r.Header.Get("User-Agent")
		writeJSON(w, 200, apitype.Device{Serial: "NVR1", Model: "NVR-DEMO"})
	})
	// A proxy in the environment is not used for a LAN device.
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:9")
	d, err := newClient(t, srv.URL, pin, nil).Device(context.Background())
	if err != nil || d.Serial != "NVR1" || d.Model != "NVR-DEMO" {
		t.Fatalf("Device: %+v, %v; want NVR1's", d, err)
	}
	if lang != "it" || agent != "nvr-sadp" {
		t.Errorf("Accept-Language %q, User-Agent %q; want it and nvr-sadp", lang, agent)
	}
}

// TestPinRefusedBeforeAnyRequest: a server whose certificate is not the
// pinned one gets no byte of the request. The server here counts what it
// reads after the handshake (and the handshake itself fails there, since
// the client aborts it).
func TestPinRefusedBeforeAnyRequest(t *testing.T) {
	_, pin := recorderServer(t, func(http.ResponseWriter, *http.Request) {})
	cert := selfSigned(t)
	presented := certfp.Of(cert.Certificate[0])

	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var handshakes, completed, received atomic.Int64
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				handshakes.Add(1)
				if conn.(*tls.Conn).Handshake() != nil {
					return
				}
				completed.Add(1)
				// A request's first bytes, then the connection closes
				// (a test of a client that sends ends at once).
				n, _ := conn.Read(make([]byte, 4096))
				received.Add(int64(n))
			}()
		}
	}()

	c := newClient(t, "https://"+ln.Addr().String(), pin, nil)
	err = c.Login(context.Background(), "Segreta!Pass9")
	var fe *FingerprintError
	if !errors.As(err, &fe) || fe.Serial != "NVR1" || fe.Pinned != pin || fe.Presented != presented || fe.Announced {
		t.Fatalf("got %v (%+v), want a FingerprintError: pinned %v, presented %v", err, fe, pin, presented)
	}
	c.Close()
	ln.Close()
	if handshakes.Load() == 0 {
		t.Fatal("no handshake began: the test proves nothing")
	}
	if completed.Load() != 0 || received.Load() != 0 {
		t.Errorf("the server completed %d handshakes and read %d bytes of requests; want none", completed.Load(), received.Load())
	}
}

func TestRefusalIsTheProblem(t *testing.T) {
	srv, pin := recorderServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 403, apitype.Error{
			Error:   texts.Problem{Code: texts.CodeWrongAnswers, Counted: true, TriesLeft: 3},
			Message: "\x1b[2JRisposte errate", // never to be printed: it is the recorder's own
		})
	})
	_, err := newClient(t, srv.URL, pin, nil).VerifyAnswers(context.Background(), [3]string{"a", "b", "c"})
	var pe *ProblemError
	if !errors.As(err, &pe) || pe.Status != 403 || pe.Problem.Code != texts.CodeWrongAnswers || !pe.Problem.Counted || pe.Problem.TriesLeft != 3 {
		t.Fatalf("got %v (%+v), want the problem wrong-answers, counted, 3 tries left", err, pe)
	}
	if strings.Contains(err.Error(), "Risposte") {
		t.Errorf("the error carries the recorder's own words: %q", err)
	}
}

// TestRetryAfter: a throttled or busy request is sent again after the
// wait the recorder asks for (Retry-After, else lock_seconds), at most
// twice, and only when that wait is short.
func TestRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name       string
		refusals   []http.Header // one refusal each, then success
		code       texts.Code
		lock       int64
		wantWaits  []time.Duration
		wantTries  int
		wantRefuse bool
	}{
		{name: "throttled, Retry-After", refusals: []http.Header{{"Retry-After": {"6"}}}, code: texts.CodeThrottled, lock: 6,
			wantWaits: []time.Duration{6 * time.Second}, wantTries: 2},
		{name: "busy twice", refusals: []http.Header{{"Retry-After": {"1"}}, {"Retry-After": {"2"}}}, code: texts.CodeBusy, lock: 1,
			wantWaits: []time.Duration{time.Second, 2 * time.Second}, wantTries: 3},
		{name: "no Retry-After: lock_seconds", refusals: []http.Header{{}}, code: texts.CodeBusy, lock: 3,
			wantWaits: []time.Duration{3 * time.Second}, wantTries: 2},
		{name: "three times: the third refusal is returned", refusals: []http.Header{{"Retry-After": {"1"}}, {"Retry-After": {"1"}}, {"Retry-After": {"1"}}}, code: texts.CodeThrottled, lock: 1,
			wantWaits: []time.Duration{time.Second, time.Second}, wantTries: 3, wantRefuse: true},
		{name: "a long wait is not waited", refusals: []http.Header{{"Retry-After": {"60"}}}, code: texts.CodeThrottled, lock: 60,
			wantTries: 1, wantRefuse: true},
		{name: "a lock is not retried", refusals: []http.Header{{"Retry-After": {"5"}}}, code: texts.CodeLocked, lock: 5,
			wantTries: 1, wantRefuse: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tries atomic.Int64
			srv, pin := recorderServer(t, func(w http.ResponseWriter, r *http.Request) {
				n := int(tries.Add(1))
				if n <= len(tc.refusals) {
					for k, v := range tc.refusals[n-1] {
						w.Header()[k] = v
					}
					writeJSON(w, 429, apitype.Error{Error: texts.Problem{Code: tc.code, LockSeconds: tc.lock}})
					return
				}
				writeJSON(w, 200, apitype.Ticket{Ticket: "T"})
			})
			var s sleeps
			c := newClient(t, srv.URL, pin, &s)
			var told []time.Duration
			c.cfg.Waiting = func(d time.Duration) { told = append(told, d) }
			ticket, err := c.VerifyCode(context.Background(), "ABCD-1234")
			var pe *ProblemError
			switch {
			case tc.wantRefuse && (!errors.As(err, &pe) || pe.Problem.Code != tc.code):
				t.Errorf("got %q, %v; want the refusal %s", ticket, err, tc.code)
			case !tc.wantRefuse && (err != nil || ticket != "T"):
				t.Errorf("got %q, %v; want the ticket after the waits", ticket, err)
			}
			if got := int(tries.Load()); got != tc.wantTries {
				t.Errorf("sent %d times, want %d", got, tc.wantTries)
			}
			if !equalDurations(s.waits, tc.wantWaits) || !equalDurations(told, tc.wantWaits) {
				t.Errorf("waited %v (told %v), want %v", s.waits, told, tc.wantWaits)
			}
		})
	}

	// Ctrl-C during the wait ends it: the context's error, not a refusal.
	srv, pin := recorderServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "5")
		writeJSON(w, 503, apitype.Error{Error: texts.Problem{Code: texts.CodeBusy, LockSeconds: 5}})
	})
	ctx, cancel := context.WithCancel(context.Background())
	c := newClient(t, srv.URL, pin, nil)
	c.cfg.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	if _, err := c.Device(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted while waiting: %v, want context.Canceled", err)
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestOversizeAnswerRefused(t *testing.T) {
	srv, pin := recorderServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n"))
		w.Write(bytes.Repeat([]byte{0}, maxAnswer))
	})
	data, err := newClient(t, srv.URL, pin, nil).QRPNG(context.Background())
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Kind != FailTooLarge || data != nil {
		t.Fatalf("an answer of %d bytes: %d bytes, %v; want FailTooLarge", maxAnswer+8, len(data), err)
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	var followed atomic.Int64
	srv, pin := recorderServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			followed.Add(1)
			writeJSON(w, 200, apitype.Session{Token: "T"})
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	})
	err := newClient(t, srv.URL, pin, nil).Login(context.Background(), "Segreta!Pass9")
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Kind != FailAnswer || ne.Status != http.StatusTemporaryRedirect {
		t.Errorf("a redirect: %v, want FailAnswer with HTTP 307", err)
	}
	if followed.Load() != 0 {
		t.Errorf("the redirect was followed %d times (with the password)", followed.Load())
	}
}

// TestAnswersThatMakeNoSense: what the API never answers is a
// FailAnswer, never taken for a success.
func TestAnswersThatMakeNoSense(t *testing.T) {
	for _, tc := range []struct {
		name string
		call func(*Client) error
		body string
	}{
		{"a session without a token", func(c *Client) error { return c.Login(context.Background(), "x") }, `{}`},
		{"a proof without a ticket", func(c *Client) error { _, err := c.VerifyCode(context.Background(), "x"); return err }, `{"method":"email"}`},
		{"two questions", func(c *Client) error { _, err := c.Questions(context.Background()); return err }, `{"questions":[{"id":"a"},{"id":"b"}]}`},
		{"not JSON", func(c *Client) error { _, err := c.Device(context.Background()); return err }, `<html>`},
		{"a QR code that is not a PNG", func(c *Client) error { _, err := c.QRPNG(context.Background()); return err }, `GIF89a`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, pin := recorderServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, tc.body) })
			var ne *NetworkError
			if err := tc.call(newClient(t, srv.URL, pin, nil)); !errors.As(err, &ne) || ne.Kind != FailAnswer {
				t.Errorf("got %v, want FailAnswer", err)
			}
		})
	}
	srv, pin := recorderServer(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad gateway", 502) })
	var ne *NetworkError
	if _, err := newClient(t, srv.URL, pin, nil).Device(context.Background()); !errors.As(err, &ne) || ne.Kind != FailAnswer || ne.Status != 502 {
		t.Errorf("HTTP 502 without the API's error: %v, want FailAnswer with its status", err)
	}
}

// TestSession: a login's token goes with the calls that need it, and a
// reset's AfterReset is kept.
func TestSession(t *testing.T) {
	var auth []string
	srv, pin := recorderServer(t, func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
		switch r.URL.Path {
		case apitype.PathReset:
			writeJSON(w, 200, map[string]any{"token": "S3", "after_reset": map[string]any{"offer_guid_export": true}})
		case apitype.PathAccount:
			writeJSON(w, 200, apitype.Account{})
		default:
			w.WriteHeader(204)
		}
	})
	c := newClient(t, srv.URL, pin, nil)
	ctx := context.Background()
	if err := c.Reset(ctx, "T", "Nuova!Pass9x"); err != nil {
		t.Fatal(err)
	}
	if a := c.AfterReset(); a == nil || !a.OfferGUIDExport {
		t.Errorf("AfterReset = %+v, want the GUID export offered", a)
	}
	c.Account(ctx)
	c.Logout(ctx)
	c.Logout(ctx) // no session: nothing sent
	want := []string{"POST " + apitype.PathReset + " ", "GET " + apitype.PathAccount + " Bearer S3", "POST " + apitype.PathLogout + " Bearer S3"}
	if strings.Join(auth, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(auth, "\n"), strings.Join(want, "\n"))
	}
}

func TestConnectFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	var ne *NetworkError
	if _, err := newClient(t, "https://"+addr, certfp.Of([]byte("x")), nil).Device(context.Background()); !errors.As(err, &ne) || ne.Kind != FailConnect {
		t.Errorf("nothing listening: %v, want FailConnect", err)
	}
	if _, err := New(Config{URL: "http://" + addr + "/", Pin: certfp.Of([]byte("x"))}); err == nil {
		t.Error("an http URL accepted")
	}
	if _, err := New(Config{URL: "https://" + addr + "/"}); err == nil {
		t.Error("a client without a pin")
	}
}
