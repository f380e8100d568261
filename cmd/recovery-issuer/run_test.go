package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"nvrmenu/recovery"
)

type result struct {
	code           int
	stdout, stderr string
}

func runIssuer(stdin string, args ...string) result {
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

// keygenTo makes a vendor key in dir and returns its file and public key.
func keygenTo(t *testing.T, dir string) (string, recovery.VendorPublicKey) {
	t.Helper()
	path := filepath.Join(dir, "vendor.key")
	r := runIssuer("", "keygen", "-out", path)
	if r.code != 0 {
		t.Fatalf("keygen: %+v", r)
	}
	m := regexp.MustCompile(`vendor_public_key = "(nvrvk1:[A-Za-z0-9_-]+)"`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("keygen printed no config line: %q", r.stdout)
	}
	pub, err := recovery.ParseVendorPublicKey(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return path, pub
}

func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	path, _ := keygenTo(t, dir)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	before, _ := os.ReadFile(path)
	if r := runIssuer("", "keygen", "-out", path); r.code != exitRefused || !strings.Contains(r.stderr, "exists") {
		t.Fatalf("keygen over an existing key: %+v", r)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("existing key overwritten")
	}
	if r := runIssuer("", "keygen"); r.code != exitUsage {
		t.Fatalf("keygen without -out: %+v", r)
	}
}

// device is a recorder core with a reserved email, sealing to pub.
func device(t *testing.T, pub recovery.VendorPublicKey) (*recovery.Core, recovery.Options) {
	t.Helper()
	opts := recovery.Options{
		StateDir:  t.TempDir(),
		Serial:    "NVR0012345",
		KDF:       recovery.KDFParams{MemoryKiB: 64, Time: 1, Threads: 1},
		VendorKey: &pub,
	}
	c, err := recovery.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s, err := c.Activate("Gatto!Nero77")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRecoveryEmail("mario.rossi@esempio.it"); err != nil {
		t.Fatal(err)
	}
	s.Logout()
	return c, opts
}

var codeLine = regexp.MustCompile(`verification code: ([0-9A-Z]{4}-[0-9A-Z]{4})\nmail to: +mario.rossi@esempio.it\ndevice serial: +NVR0012345\n`)

// TestRoundTrip is the whole reserved-email flow: the recorder makes a
// challenge and exports its QR code as a PNG; the vendor decodes it and
// mails the code; the owner types it; the new password logs in; the code
// is refused a second time.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	keyFile, pub := keygenTo(t, dir)
	c, _ := device(t, pub)
	ch, err := c.EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	png, err := recovery.ChallengeQRPNG(ch.Payload, 512)
	if err != nil {
		t.Fatal(err)
	}
	pngFile := filepath.Join(dir, "qr.png")
	if err := os.WriteFile(pngFile, png, 0o644); err != nil {
		t.Fatal(err)
	}
	r := runIssuer("", "issue", "-key", keyFile, "-png", pngFile)
	m := codeLine.FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		t.Fatalf("issue from PNG: %+v", r)
	}
	ticket, err := c.VerifyEmailCode(strings.ToLower(m[1]))
	if err != nil {
		t.Fatalf("code %s refused: %v", m[1], err)
	}
	if _, err := ticket.SetPassword("Cane#Bianco58"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(recovery.AdminUser, "Cane#Bianco58"); err != nil {
		t.Fatalf("new password: %v", err)
	}
	if _, err := c.VerifyEmailCode(m[1]); !errors.Is(err, recovery.ErrNoChallenge) {
		t.Fatalf("code used twice: %v, want ErrNoChallenge", err)
	}
}

func TestIssueInputs(t *testing.T) {
	dir := t.TempDir()
	keyFile, pub := keygenTo(t, dir)
	otherKey, _ := keygenTo(t, t.TempDir())
	c, _ := device(t, pub)
	ch, err := c.EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	notPNG := filepath.Join(dir, "not.png")
	os.WriteFile(notPNG, []byte("GIF89a"), 0o644)
	tampered := ch.Payload[:len(ch.Payload)-3] + "000"
	if tampered == ch.Payload {
		tampered = ch.Payload[:len(ch.Payload)-3] + "111"
	}
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"payload flag", "", []string{"issue", "-key", keyFile, "-payload", ch.Payload}, 0, "verification code:"},
		{"stdin with newline", ch.Payload + "\n", []string{"issue", "-key", keyFile}, 0, "verification code:"},
		{"another vendor key", "", []string{"issue", "-key", otherKey, "-payload", ch.Payload}, exitRefused, "another vendor key"},
		{"tampered", "", []string{"issue", "-key", keyFile, "-payload", tampered}, exitRefused, "payload refused"},
		{"garbage", "hello", []string{"issue", "-key", keyFile}, exitRefused, "not an nvrmenu recovery QR payload"},
		{"unreadable png", "", []string{"issue", "-key", keyFile, "-png", notPNG}, exitRefused, "not a readable image"},
		{"missing key", "", []string{"issue", "-key", filepath.Join(dir, "nope"), "-payload", ch.Payload}, exitRefused, "no such file"},
		{"key is not a key", "", []string{"issue", "-key", notPNG, "-payload", ch.Payload}, exitRefused, "malformed vendor key"},
		{"no key flag", "", []string{"issue"}, exitUsage, "usage"},
		{"unknown command", "", []string{"mail"}, exitUsage, "unknown command"},
		{"no command", "", nil, exitUsage, "usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runIssuer(tc.stdin, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Fatalf("got %+v, want exit %d and %q", r, tc.code, tc.want)
			}
			if r.code != 0 && strings.Count(strings.TrimSpace(r.stderr), "\n") > 1 {
				t.Fatalf("error is not one clear line: %q", r.stderr)
			}
		})
	}
}

func TestOldPayloadWarns(t *testing.T) {
	dir := t.TempDir()
	keyFile, pub := keygenTo(t, dir)
	c, _ := device(t, pub)
	ch, _ := c.EmailChallenge()
	var out, errb bytes.Buffer
	code := issue([]string{"-key", keyFile, "-payload", ch.Payload}, nil, &out, &errb, time.Now().Add(72*time.Hour))
	if code != 0 || !strings.Contains(errb.String(), "warning") {
		t.Fatalf("72h-old payload: exit %d, stderr %q", code, errb.String())
	}
}

// TestDaemonSideLinksNoQRDecoder holds the line: the QR decoder is for the
// vendor tool and tests only, never in what the recorder runs.
func TestDaemonSideLinksNoQRDecoder(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "nvrmenu/recovery", "nvrmenu/config").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v: %s", err, out)
	}
	for _, forbidden := range []string{"gozxing", "rivo/tview", "gdamore/tcell"} {
		if strings.Contains(string(out), forbidden) {
			t.Errorf("the recorder's core depends on %s", forbidden)
		}
	}
}
