package mailout

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"nvrmenu/internal/selfcert"
)

var testMail = Mail{
	To: "mario.rossi@esempio.it", Serial: "NVR0012345", Code: "7K2M9QXD",
	Created: time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC), Life: 48 * time.Hour, MaxLife: 168 * time.Hour,
}

func TestMailNeverPrintsCode(t *testing.T) {
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		if got := fmt.Sprintf(verb, testMail); strings.Contains(got, "7K2M") || strings.Contains(got, "mario.rossi") {
			t.Errorf("Sprintf(%q) = %q", verb, got)
		}
	}
}

// body decodes a composed message's text.
func body(t *testing.T, msg []byte) (string, string) {
	t.Helper()
	head, qp, ok := strings.Cut(string(msg), "\r\n\r\n")
	if !ok {
		t.Fatalf("no header end in %q", msg)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(qp)))
	if err != nil {
		t.Fatal(err)
	}
	return head, string(b)
}

func TestCompose(t *testing.T) {
	msg := Compose(testMail, "pw_recovery@vendor.example", time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), "vendor.example")
	head, text := body(t, msg)
	for _, want := range []string{"From: pw_recovery@vendor.example\r\n", "To: mario.rossi@esempio.it\r\n", "Auto-Submitted: auto-generated", "charset=utf-8", "Subject: Codice di verifica / Verification code: NVR0012345\r\n"} {
		if !strings.Contains(head, want) {
			t.Errorf("header lacks %q:\n%s", want, head)
		}
	}
	for _, want := range []string{"7K2M-9QXD", "registratore NVR0012345", "recorder NVR0012345", "2026-11-25 09:30 UTC", "Di solito resta valido 48 ore", "usually stays valid for 48 hours", "168 at most", "è davanti al registratore", "Password Dimenticata"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(string(msg), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
	}
}

func TestMaildir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	m := &Maildir{Dir: dir}
	for i := 0; i < 2; i++ {
		if err := m.Send(context.Background(), "a@b.example", "c@d.example", []byte("Subject: x\r\n\r\nhi\r\n")); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := os.ReadDir(filepath.Join(dir, "new"))
	tmp, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(files) != 2 || len(tmp) != 0 {
		t.Fatalf("new/ has %d files, tmp/ %d; want 2 and 0", len(files), len(tmp))
	}
	data, _ := os.ReadFile(filepath.Join(dir, "new", files[0].Name()))
	if !strings.HasPrefix(string(data), "Return-Path: <a@b.example>\r\nDelivered-To: c@d.example\r\nSubject: x") {
		t.Fatalf("file %q", data)
	}
}

// relay is a test submission server.
type relay struct {
	mu       sync.Mutex
	user     string
	got      []string
	fromTo   []string
	tlsState []bool
}

type relaySession struct {
	r    *relay
	c    *smtp.Conn
	auth bool
	from string
}

func (s *relaySession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *relaySession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != "nvr" || password != "s3cret" {
			return smtp.ErrAuthFailed
		}
		s.auth = true
		return nil
	}), nil
}
func (s *relaySession) Mail(from string, _ *smtp.MailOptions) error {
	if s.r.user != "" && !s.auth {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}
func (s *relaySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.r.mu.Lock()
	s.r.fromTo = append(s.r.fromTo, s.from+" -> "+to)
	s.r.mu.Unlock()
	return nil
}
func (s *relaySession) Data(r io.Reader) error {
	b, _ := io.ReadAll(r)
	_, tlsOn := s.c.TLSConnectionState()
	s.r.mu.Lock()
	s.r.got = append(s.r.got, string(b))
	s.r.tlsState = append(s.r.tlsState, tlsOn)
	s.r.mu.Unlock()
	return nil
}
func (s *relaySession) Reset()        {}
func (s *relaySession) Logout() error { return nil }

// startRelay runs a relay on the loopback; withTLS offers STARTTLS with a
// self-signed certificate, whose pool is returned.
func startRelay(t *testing.T, r *relay, withTLS bool) (string, *x509.CertPool) {
	t.Helper()
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &relaySession{r: r, c: c}, nil }))
	srv.Domain = "relay.test"
	srv.AllowInsecureAuth = false
	srv.ErrorLog = nilLogger{}
	var pool *x509.CertPool
	if withTLS {
		cp, kp, err := selfcert.Generate([]net.IP{net.IPv4(127, 0, 0, 1)}, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		cert, err := tls.X509KeyPair(cp, kp)
		if err != nil {
			t.Fatal(err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		pool = x509.NewCertPool()
		pool.AppendCertsFromPEM(cp)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String(), pool
}

type nilLogger struct{}

func (nilLogger) Printf(string, ...interface{}) {}
func (nilLogger) Println(...interface{})        {}

func TestRelay(t *testing.T) {
	if testing.Short() {
		t.Skip("binds real listeners; run without -short")
	}
	r := &relay{user: "nvr"}
	addr, pool := startRelay(t, r, true)
	send := func(rl *Relay) error {
		return rl.Send(context.Background(), "pw_recovery@vendor.example", "mario.rossi@esempio.it", []byte("Subject: x\r\n\r\nhi\r\n"))
	}
	tlsCfg := &tls.Config{RootCAs: pool, ServerName: "localhost"}
	if err := send(&Relay{Addr: addr, TLS: "starttls", TLSConfig: tlsCfg, Username: "nvr", Password: "s3cret", Timeout: 5 * time.Second}); err != nil {
		t.Fatalf("STARTTLS and PLAIN: %v", err)
	}
	if len(r.got) != 1 || !r.tlsState[0] || r.fromTo[0] != "pw_recovery@vendor.example -> mario.rossi@esempio.it" {
		t.Fatalf("relay got %q over TLS %v, %q", r.got, r.tlsState, r.fromTo)
	}
	if err := send(&Relay{Addr: addr, TLS: "starttls", TLSConfig: tlsCfg, Username: "nvr", Password: "wrong", Timeout: 5 * time.Second}); err == nil || Temporary(err) {
		t.Fatalf("wrong password: %v, want a permanent error", err)
	}
	if err := send(&Relay{Addr: addr, TLS: "starttls", Timeout: 5 * time.Second}); err == nil {
		t.Fatal("a relay whose certificate is not trusted was used")
	}
	// A relay that offers no STARTTLS is refused, never used in clear.
	plain := &relay{}
	plainAddr, _ := startRelay(t, plain, false)
	if err := send(&Relay{Addr: plainAddr, TLS: "starttls", Timeout: 5 * time.Second}); err == nil || !strings.Contains(err.Error(), "STARTTLS") || len(plain.got) != 0 {
		t.Fatalf("a relay without STARTTLS: %v, %d messages", err, len(plain.got))
	}
	if err := send(&Relay{Addr: plainAddr, TLS: "none", Username: "u", Password: "p"}); err == nil {
		t.Fatal("a password sent without TLS")
	}
	if err := send(&Relay{Addr: plainAddr, TLS: "none", Timeout: 5 * time.Second}); err != nil || len(plain.got) != 1 {
		t.Fatalf("tls none on a loopback relay: %v", err)
	}
}
