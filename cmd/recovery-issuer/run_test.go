package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"nvrmenu/internal/payload"
	"nvrmenu/recovery"
)

type result struct {
	code           int
	stdout, stderr string
}

func runIssuer(stdin string, args ...string) result {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

// keygenTo makes a vendor key in dir and returns its file and public key.
func keygenTo(t *testing.T, dir string) (string, payload.PublicKey) {
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
	pub, err := payload.ParsePublicKey(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return path, pub
}

func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	path, pub := keygenTo(t, dir)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	key, err := payload.ParsePrivateKey(before)
	if err != nil || key.Public() != pub {
		t.Fatalf("key file holds %v, %v; want the key of %s", key, err, pub)
	}
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
func device(t *testing.T, pub payload.PublicKey) (*recovery.Core, recovery.Options) {
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
	s, err := c.Console().Activate("Gatto!Nero77")
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
	ch, err := c.Console().EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	png, err := payload.QRPNG(ch.Payload, 512)
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
	ticket, err := c.Console().VerifyEmailCode(strings.ToLower(m[1]))
	if err != nil {
		t.Fatalf("code %s refused: %v", m[1], err)
	}
	if _, err := ticket.SetPassword("Cane#Bianco58"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Console().Login(recovery.AdminUser, "Cane#Bianco58"); err != nil {
		t.Fatalf("new password: %v", err)
	}
	if _, err := c.Console().VerifyEmailCode(m[1]); !errors.Is(err, recovery.ErrNoChallenge) {
		t.Fatalf("code used twice: %v, want ErrNoChallenge", err)
	}
}

func TestIssueInputs(t *testing.T) {
	dir := t.TempDir()
	keyFile, pub := keygenTo(t, dir)
	otherKey, _ := keygenTo(t, t.TempDir())
	c, _ := device(t, pub)
	ch, err := c.Console().EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	notPNG := filepath.Join(dir, "not.png")
	if err := os.WriteFile(notPNG, []byte("GIF89a"), 0o644); err != nil {
		t.Fatal(err)
	}
	noQR := filepath.Join(dir, "blank.png")
	writePNG(t, noQR, image.NewGray(image.Rect(0, 0, 64, 64)))
	hugePNG := filepath.Join(dir, "huge.png")
	writePNG(t, hugePNG, image.NewGray(image.Rect(0, 0, 9000, 1)))
	tampered := flipSealedByte(t, ch.Payload)
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
		{"tampered", "", []string{"issue", "-key", keyFile, "-payload", tampered}, exitRefused, "payload altered or damaged"},
		{"garbage", "hello", []string{"issue", "-key", keyFile}, exitRefused, "not an nvrmenu recovery QR payload"},
		{"unreadable png", "", []string{"issue", "-key", keyFile, "-png", notPNG}, exitRefused, "not a readable PNG or JPEG"},
		{"png without a QR code", "", []string{"issue", "-key", keyFile, "-png", noQR}, exitRefused, "no QR code found"},
		{"png too large", "", []string{"issue", "-key", keyFile, "-png", hugePNG}, exitRefused, "9000x1 pixels"},
		{"missing png", "", []string{"issue", "-key", keyFile, "-png", filepath.Join(dir, "nope.png")}, exitRefused, "no such file"},
		{"png and payload", "", []string{"issue", "-key", keyFile, "-png", noQR, "-payload", ch.Payload}, exitUsage, "usage"},
		{"empty stdin", "", []string{"issue", "-key", keyFile}, exitRefused, "does not start with NVRR1:"},
		{"missing key", "", []string{"issue", "-key", filepath.Join(dir, "nope"), "-payload", ch.Payload}, exitRefused, "no such file"},
		{"key is not a key", "", []string{"issue", "-key", notPNG, "-payload", ch.Payload}, exitRefused, "malformed vendor key"},
		{"no key flag", "", []string{"issue"}, exitUsage, "usage"},
		{"unknown command", "", []string{"mail"}, exitUsage, "unknown command"},
		{"no command", "", nil, exitUsage, "usage"},
		{"help", "", []string{"-h"}, 0, "keygen  create"},
		{"help word", "", []string{"help"}, 0, "issue   open"},
		{"issue help", "", []string{"issue", "-h"}, 0, "keygen  create"},
		{"keygen help", "", []string{"keygen", "-help"}, 0, "issue   open"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runIssuer(tc.stdin, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stdout+r.stderr, tc.want) {
				t.Fatalf("got %+v, want exit %d and %q", r, tc.code, tc.want)
			}
			if r.code == exitRefused && strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
				t.Fatalf("error is not one clear line: %q", r.stderr)
			}
		})
	}
}

// writePNG saves img as a PNG file.
func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// flipSealedByte decodes payload's base45, flips a bit in the last byte
// (inside the sealed box) and encodes it again, as a damaged or edited
// payload would arrive.
func flipSealedByte(t *testing.T, text string) string {
	t.Helper()
	raw, err := base45Decode(strings.TrimPrefix(text, payload.Prefix))
	if err != nil {
		t.Fatalf("payload %q: %v", text, err)
	}
	if again := payload.Prefix + base45Encode(raw); again != text {
		t.Fatalf("test base45 re-encodes %q as %q", text, again)
	}
	raw[len(raw)-1] ^= 1
	return payload.Prefix + base45Encode(raw)
}

// The test's own RFC 9285 base45: nvrmenu/internal/payload/internal/base45 is not
// importable from here, and the command itself never needs it.
const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

func base45Encode(src []byte) string {
	var out []byte
	for i := 0; i < len(src); i += 2 {
		if i+1 == len(src) {
			n := int(src[i])
			out = append(out, base45Alphabet[n%45], base45Alphabet[n/45])
			break
		}
		n := int(src[i])<<8 | int(src[i+1])
		out = append(out, base45Alphabet[n%45], base45Alphabet[n/45%45], base45Alphabet[n/2025])
	}
	return string(out)
}

func base45Decode(s string) ([]byte, error) {
	var out []byte
	for i := 0; i < len(s); i += 3 {
		group := s[i:min(i+3, len(s))]
		n, weight := 0, 1
		for _, c := range []byte(group) {
			d := strings.IndexByte(base45Alphabet, c)
			if d < 0 {
				return nil, fmt.Errorf("character %q not base45", c)
			}
			n, weight = n+d*weight, weight*45
		}
		switch {
		case len(group) == 3 && n <= 0xffff:
			out = append(out, byte(n>>8), byte(n))
		case len(group) == 2 && n <= 0xff:
			out = append(out, byte(n))
		default:
			return nil, fmt.Errorf("group %q not base45", group)
		}
	}
	return out, nil
}

func TestOldPayloadWarns(t *testing.T) {
	dir := t.TempDir()
	keyFile, pub := keygenTo(t, dir)
	c, _ := device(t, pub)
	ch, err := c.Console().EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		age  time.Duration
		warn bool
	}{
		{"fresh", time.Hour, false},
		{"47 hours", 47 * time.Hour, false},
		{"72 hours", 72 * time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := issue([]string{"-key", keyFile, "-payload", ch.Payload}, nil, &out, &errb, ch.Created.Add(tc.age))
			if code != 0 || strings.Contains(errb.String(), "warning") != tc.warn {
				t.Fatalf("got exit %d, stderr %q; want exit 0 and warning %v", code, errb.String(), tc.warn)
			}
		})
	}
}

// TestDaemonSideLinksNoQRDecoder holds the line: the QR decoder is for the
// vendor tool and tests only, never in what the recorder runs.
func TestDaemonSideLinksNoQRDecoder(t *testing.T) {
	deps := func(pkgs ...string) string {
		t.Helper()
		out, err := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v: %s", err, out)
		}
		return string(out)
	}
	if issuer := deps("nvrmenu/cmd/recovery-issuer"); !strings.Contains(issuer, "github.com/makiuchi-d/gozxing\n") {
		t.Fatal("go list -deps of recovery-issuer does not show gozxing, so it cannot tell whether the core does")
	}
	core := deps("nvrmenu/recovery", "nvrmenu/config", "nvrmenu/usb")
	for _, forbidden := range []string{"gozxing", "rivo/tview", "gdamore/tcell", "nvrmenu/menu"} {
		if strings.Contains(core, forbidden) {
			t.Errorf("the recorder's core or USB watcher depends on %s", forbidden)
		}
	}
	// The watcher knows nothing of the core either: the GUID naming comes
	// in as a matcher.
	if strings.Contains(deps("nvrmenu/usb"), "nvrmenu/recovery") {
		t.Error("usb depends on recovery")
	}
}
