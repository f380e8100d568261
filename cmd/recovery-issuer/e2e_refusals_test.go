package main

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"nvrmenu/internal/payload"
	"nvrmenu/internal/pgtest"
)

// configService writes a service configuration in dir (the key there,
// SMTP and the page on free ports, the outbox and the ledger there) with
// extra TOML appended to its sections, and starts it.
func configService(t *testing.T, dir string, ledger, limits string) *serviceProc {
	t.Helper()
	cfg := fmt.Sprintf(`key_file = %q
[smtp]
listen = "127.0.0.1:0"
[phone]
listen = "127.0.0.1:0"
[mailout]
maildir = %q
[ledger]
%s
[limits]
%s
`, filepath.Join(dir, "vendor.key"), filepath.Join(dir, "outbox"), ledger, limits)
	path := filepath.Join(dir, "issuer.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return startService(t, "-config", path)
}

// keyDir makes a directory with a vendor key.
func keyDir(t *testing.T) (string, payload.PrivateKey) {
	dir := t.TempDir()
	k, _ := payload.GenerateKey(rand.Reader)
	os.WriteFile(filepath.Join(dir, "vendor.key"), payload.MarshalPrivateKey(k), 0o600)
	return dir, k
}

// seal makes a recorder's payload text for serial, made at created.
func seal(t *testing.T, pub payload.PublicKey, serial string, created time.Time) string {
	t.Helper()
	c := payload.Content{Code: "7K2M9QXD", Serial: serial, Email: e2eEmail, Created: created}
	rand.Read(c.ID[:])
	text, err := payload.Seal(pub, c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// textMail is a message with text in its body.
func textMail(text string) []byte {
	return []byte("From: owner@esempio.it\r\nTo: pw_recovery@example.com\r\nSubject: QR\r\n\r\n" + text + "\r\n")
}

// send submits msg to addr over SMTP from the local address from ("" is
// any) and returns the server's refusal, if any.
func send(addr, from string, msg []byte) error {
	d := net.Dialer{Timeout: 10 * time.Second}
	if from != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(from)}
	}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(time.Minute))
	c := smtp.NewClient(conn)
	defer c.Close()
	if err := c.SendMail("owner@esempio.it", []string{"pw_recovery@example.com"}, bytes.NewReader(msg)); err != nil {
		return err
	}
	c.Quit()
	return nil
}

// smtpCode is the reply code of a refusal, 0 for none.
func smtpCode(err error) int {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestRefusalsOverSMTP: every kind of bad mail gets a clear reply (5xx
// refused, 4xx try later) from a running service, is logged, and mails
// nothing.
func TestRefusalsOverSMTP(t *testing.T) {
	needProcesses(t)
	dir, k := keyDir(t)
	other, _ := payload.GenerateKey(rand.Reader)
	svc := configService(t, dir, fmt.Sprintf("path = %q", filepath.Join(dir, "ledger.db")),
		"per_challenge = 2\nper_client_burst = 1000\nper_client_interval = \"1s\"")
	now := time.Now()
	good := seal(t, k.Public(), "NVRREF1", now)
	raw, _ := payload.Outer(good)
	raw[len(raw)-3] ^= 0x40
	tampered := payload.Text(raw, "")
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	f, _ := zw.Create("qr.png")
	f.Write(make([]byte, 32<<20))
	zw.Close()
	var parts strings.Builder
	parts.WriteString("From: a@b.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"p\"\r\n\r\n")
	for i := 0; i < 1000; i++ {
		parts.WriteString("--p\r\nContent-Type: text/plain\r\n\r\nx\r\n")
	}
	parts.WriteString("--p\r\n\r\n" + good + "\r\n--p--\r\n")
	garbageQR, _ := payload.QRPNG("HTTPS://EXAMPLE.COM/R/NOTAPAYLOAD", 400)
	big := make([]byte, 50<<20)
	for i := range big {
		big[i] = 'A' + byte(i%26)
		if i%100 == 99 {
			big[i-1], big[i] = '\r', '\n'
		}
	}
	for _, tc := range []struct {
		name string
		msg  []byte
		code int
		word string // in the log
	}{
		{"the first mail of a challenge", textMail(good), 0, "code mailed"},
		{"the same challenge again (the same code)", textMail(good), 0, `"times":2`},
		{"the same challenge over its limit", textMail(good), 550, "challenge limit of 2"},
		{"another vendor's key", textMail(seal(t, other.Public(), "NVRREF2", now)), 550, "another vendor"},
		{"a tampered payload", textMail(tampered), 550, "altered or damaged"},
		{"a challenge older than max_code_age", textMail(seal(t, k.Public(), "NVRREF3", now.Add(-169*time.Hour))), 550, "too old"},
		{"no payload", textMail("hello"), 550, "no recovery QR code"},
		{"a zip bomb", []byte("From: a@b.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"z\"\r\n\r\n--z\r\nContent-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64lines(zipped.Bytes()) + "\r\n--z--\r\n"), 550, "no recovery QR code"},
		{"1000 MIME parts", []byte(parts.String()), 550, "too many MIME parts"},
		{"a QR code of garbage", pngMail(garbageQR), 550, "not a recovery payload"},
		{"a 50 MiB attachment", big, 552, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(outbox(t, dir))
			err := send(svc.addrs["smtp"], "", tc.msg)
			if got := smtpCode(err); got != tc.code {
				t.Fatalf("reply %d (%v), want %d\n%s", got, err, tc.code, svc.log())
			}
			if tc.word != "" && !svc.hasLog(tc.word) {
				t.Errorf("the log does not say %q:\n%s", tc.word, svc.log())
			}
			if after := len(outbox(t, dir)); (after > before) != (tc.code == 0) {
				t.Errorf("outbox went from %d to %d mails", before, after)
			}
		})
	}
	if strings.Contains(svc.log(), "7K2M") || strings.Contains(svc.log(), e2eEmail) {
		t.Errorf("the log shows the code or the whole address:\n%s", svc.log())
	}
}

func b64lines(data []byte) string {
	var b strings.Builder
	w := newB64Writer(&b)
	w.Write(data)
	w.Close()
	return b.String()
}

// TestFlood: one address is held to its burst; many addresses (the
// loopback's 127.0.0.0/8 stands in for a botnet) are held to the global
// burst together. Refused senders get 451 (try later) before they send
// their message.
func TestFlood(t *testing.T) {
	needProcesses(t)
	dir, k := keyDir(t)
	svc := configService(t, dir, fmt.Sprintf("path = %q", filepath.Join(dir, "ledger.db")),
		"per_client_burst = 5\nper_client_interval = \"1h\"\nglobal_burst = 40\nglobal_interval = \"1h\"\nper_serial = 1000\nper_address = 1000\nper_challenge = 1000")
	msg := textMail(seal(t, k.Public(), "NVRFLOOD1", time.Now()))
	count := func(errs []error) (ok, later int) {
		for _, err := range errs {
			switch smtpCode(err) {
			case 0:
				ok++
			case 451:
				later++
			default:
				t.Errorf("reply %v", err)
			}
		}
		return
	}
	var errs []error
	for i := 0; i < 20; i++ {
		errs = append(errs, send(svc.addrs["smtp"], "127.0.0.1", msg))
	}
	if ok, later := count(errs); ok != 5 || later != 15 {
		t.Fatalf("one address, 20 mails: %d handled, %d told to wait; want 5 and 15", ok, later)
	}
	// Many addresses at once: 35 tokens are left for everyone.
	errs = make([]error, 100)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = send(svc.addrs["smtp"], fmt.Sprintf("127.0.%d.%d", 1+i/200, 2+i%200), msg)
		}()
	}
	wg.Wait()
	if ok, later := count(errs); ok != 35 || later != 65 {
		t.Fatalf("100 addresses: %d handled, %d told to wait; want 35 and 65", ok, later)
	}
	if !svc.hasLog(`"reason":"client rate"`) || !svc.hasLog(`"reason":"global rate"`) {
		t.Errorf("the log does not name both limits:\n%s", svc.log())
	}
}

// TestSharedLimitsPostgres: two instances against one PostgreSQL hold
// one per-serial limit between them.
func TestSharedLimitsPostgres(t *testing.T) {
	needProcesses(t)
	pg := pgtest.Start(t)
	dir, k := keyDir(t)
	dsn := filepath.Join(dir, "dsn")
	os.WriteFile(dsn, []byte(pg.DSN+"\n"), 0o600)
	var svcs []*serviceProc
	var dirs []string
	for i := 0; i < 2; i++ {
		d := filepath.Join(dir, fmt.Sprint("instance", i))
		os.MkdirAll(d, 0o700)
		key, _ := os.ReadFile(filepath.Join(dir, "vendor.key"))
		os.WriteFile(filepath.Join(d, "vendor.key"), key, 0o600)
		svcs = append(svcs, configService(t, d, fmt.Sprintf("driver = \"postgres\"\ndsn_file = %q", dsn), "per_serial = 3\nper_client_burst = 100"))
		dirs = append(dirs, d)
	}
	var handled, refused int
	for i := 0; i < 8; i++ {
		err := send(svcs[i%2].addrs["smtp"], "", textMail(seal(t, k.Public(), "NVRSHARED1", time.Now())))
		switch smtpCode(err) {
		case 0:
			handled++
		case 550:
			refused++
		default:
			t.Fatalf("mail %d: %v", i, err)
		}
	}
	mailed := len(outbox(t, dirs[0])) + len(outbox(t, dirs[1]))
	if handled != 3 || refused != 5 || mailed != 3 || len(outbox(t, dirs[0])) == 0 || len(outbox(t, dirs[1])) == 0 {
		t.Fatalf("8 challenges of one serial through two instances: %d handled, %d refused, %d mailed (%d and %d); want 3, 5, 3 from both",
			handled, refused, mailed, len(outbox(t, dirs[0])), len(outbox(t, dirs[1])))
	}
	if !svcs[0].hasLog("serial limit of 3") && !svcs[1].hasLog("serial limit of 3") {
		t.Error("no instance logged the serial's limit")
	}
}
