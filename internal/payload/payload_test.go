package payload

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/crypto/nacl/box"

	"nvrmenu/internal/mailaddr"
	"nvrmenu/internal/payload/internal/base45"
)

// payloadTestExample is the worked example of docs/qr-payload.md: the
// fixed key of vendorkey_test.go, this content, and 32 bytes of 0x2a as
// the sealer's randomness.
var payloadTestExample = Content{
	ID:      [16]byte{0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf},
	Code:    "7K2M9QXD",
	Created: time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC),
	Serial:  "NVR0012345",
	Email:   "mario.rossi@esempio.it",
}

func payloadTestRand() *bytes.Reader { return bytes.NewReader(bytes.Repeat([]byte{0x2a}, 32)) }

func payloadTestKey(t testing.TB) PrivateKey {
	t.Helper()
	k, err := ParsePrivateKey([]byte(vendorKeyTestFile))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func payloadTestContent(email string) Content {
	c := payloadTestExample
	c.Email = email
	return c
}

// payloadTestEmail makes a valid address of exactly n characters (n >= 10),
// with at most 64 before the @ and labels of at most 63.
func payloadTestEmail(t testing.TB, n int) string {
	t.Helper()
	local := min(64, n-5)
	var domain []byte
	for len(domain) < n-local-1-len(".it") {
		if len(domain)%64 == 63 {
			domain = append(domain, '.')
		} else {
			domain = append(domain, 'd')
		}
	}
	email := strings.Repeat("m", local) + "@" + string(domain) + ".it"
	if len(email) != n || mailaddr.Check(email) != nil {
		t.Fatalf("test address %q: %d characters, %v; want %d and valid", email, len(email), mailaddr.Check(email), n)
	}
	return email
}

// payloadTestSame compares contents, times by Equal.
func payloadTestSame(a, b Content) bool {
	return a.ID == b.ID && a.Code == b.Code && a.Created.Equal(b.Created) && a.Serial == b.Serial && a.Email == b.Email
}

// payloadTestSeal seals an arbitrary inner content under a chosen clear
// header, as anyone holding the public key could.
func payloadTestSeal(t testing.TB, pub PublicKey, clearSerial string, inner []byte) string {
	t.Helper()
	id := pub.KeyID()
	outer := append(id[:], byte(len(clearSerial)))
	outer = append(outer, clearSerial...)
	outer, err := box.SealAnonymous(outer, inner, &pub.key, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return Prefix + base45.Encode(outer)
}

// payloadTestInner lays out a sealed content field by field.
func payloadTestInner(code string, serial, email string, extra ...byte) []byte {
	inner := make([]byte, 16, 64)
	inner = append(inner, code...)
	inner = binary.BigEndian.AppendUint64(inner, 1764063000)
	inner = append(inner, byte(len(serial)))
	inner = append(inner, serial...)
	inner = append(inner, byte(len(email)))
	inner = append(inner, email...)
	return append(inner, extra...)
}

func TestPayloadExample(t *testing.T) {
	want, err := os.ReadFile("testdata/qr-payload-example.txt")
	if err != nil {
		t.Fatal(err)
	}
	k := payloadTestKey(t)
	got, err := Seal(k.Public(), payloadTestExample, payloadTestRand())
	if err != nil {
		t.Fatal(err)
	}
	if got != strings.TrimSuffix(string(want), "\n") {
		t.Fatalf("sealed example\n%s\nwant (testdata/qr-payload-example.txt)\n%s", got, want)
	}
	opened, err := k.Open(string(want))
	if err != nil {
		t.Fatal(err)
	}
	if !payloadTestSame(opened, payloadTestExample) {
		t.Fatalf("opened %+v (code %s), want %+v (code %s)", opened, opened.Code, payloadTestExample, payloadTestExample.Code)
	}
}

func TestPayloadRoundTrip(t *testing.T) {
	k := payloadTestKey(t)
	for _, tc := range []struct {
		name   string
		edit   func(*Content)
		wantAt time.Time
	}{
		{"example", func(c *Content) {}, payloadTestExample.Created},
		{"one-character serial", func(c *Content) { c.Serial = "7" }, payloadTestExample.Created},
		{"32-character serial", func(c *Content) { c.Serial = strings.Repeat("A-9", 10) + "ZZ" }, payloadTestExample.Created},
		{"254-character address", func(c *Content) { c.Email = payloadTestEmail(t, 254) }, payloadTestExample.Created},
		{"sub-second time kept to the second", func(c *Content) { c.Created = c.Created.Add(999 * time.Millisecond) }, payloadTestExample.Created},
		{"time in another zone", func(c *Content) { c.Created = c.Created.In(time.FixedZone("CET", 3600)) }, payloadTestExample.Created},
		{"time before 1970", func(c *Content) { c.Created = time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC) }, time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := payloadTestExample
			tc.edit(&c)
			text, err := Seal(k.Public(), c, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(text, c.Code) || strings.Contains(text, c.Email) {
				t.Fatalf("payload %q shows the code or the address in clear", text)
			}
			h, _, err := ParseHeader(text)
			if err != nil || h.Serial != c.Serial || h.KeyID != k.Public().KeyID() {
				t.Fatalf("header %v, %v; want key %s, serial %s", h, err, k.Public().KeyID(), c.Serial)
			}
			got, err := k.Open(text)
			if err != nil {
				t.Fatal(err)
			}
			want := c
			want.Created = tc.wantAt
			if !payloadTestSame(got, want) {
				t.Fatalf("opened %+v at %v, want %+v at %v", got, got.Created, want, want.Created)
			}
		})
	}
}

func TestParsePayloadHeaderWhiteSpace(t *testing.T) {
	k := payloadTestKey(t)
	text, err := Seal(k.Public(), payloadTestExample, payloadTestRand())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text string
		ok         bool
	}{
		{"bare", text, true},
		{"scanner newline", text + "\n", true},
		{"CRLF", text + "\r\n", true},
		{"spaces and tabs", " \t" + text + " \t\n", true},
		{"no-break space", "\u00a0" + text, false},
		{"line separator", text + "\u2028", false},
		{"newline inside", text[:20] + "\n" + text[20:], false},
		{"zero byte after", text + "\x00", false},
		{"byte-order mark", "\ufeff" + text, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, _, err := ParseHeader(tc.text)
			if tc.ok && (err != nil || h.Serial != payloadTestExample.Serial) {
				t.Fatalf("got %v, %v; want serial %s", h, err, payloadTestExample.Serial)
			}
			if !tc.ok && !errors.Is(err, ErrMalformed) {
				t.Fatalf("got error %v, want ErrMalformed", err)
			}
		})
	}
}

func TestOpenChallengePayloadRefuses(t *testing.T) {
	k := payloadTestKey(t)
	other := vendorKeyTestGenerate(t)
	text, err := Seal(k.Public(), payloadTestExample, payloadTestRand())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base45.Decode(strings.TrimPrefix(text, Prefix))
	if err != nil {
		t.Fatal(err)
	}
	reencode := func(edit func([]byte) []byte) string {
		return Prefix + base45.Encode(edit(bytes.Clone(raw)))
	}
	serial := payloadTestExample.Serial
	email := payloadTestExample.Email
	for _, tc := range []struct {
		name, text string
		key        PrivateKey
		want       error
		wantText   string
	}{
		{"another vendor's payload", text, other, ErrOtherKey, k.Public().KeyID().String() + ", this is key " + other.Public().KeyID().String()},
		{"key id altered", reencode(func(b []byte) []byte { b[0] ^= 1; return b }), k, ErrOtherKey, "sealed for key"},
		{"byte of the box flipped", reencode(func(b []byte) []byte { b[len(b)-1] ^= 0x80; return b }), k, ErrTampered, "does not open"},
		{"ephemeral key flipped", reencode(func(b []byte) []byte { b[9+len(serial)] ^= 1; return b }), k, ErrTampered, "does not open"},
		{"clear serial swapped", reencode(func(b []byte) []byte { b[9] = 'X'; return b }), k, ErrTampered, "differs from the clear serial"},
		{"clear serial shortened", reencode(func(b []byte) []byte { b[8]--; return append(b[:9+len(serial)-1], b[9+len(serial):]...) }), k, ErrTampered, "differs"},
		{"resealed under another serial", payloadTestSeal(t, k.Public(), "NVR9999999", payloadTestInner("7K2M9QXD", serial, email)), k, ErrTampered, "differs"},
		{"serial length 0", reencode(func(b []byte) []byte { b[8] = 0; return b }), k, ErrMalformed, "serial length 0"},
		{"serial length 33", reencode(func(b []byte) []byte { b[8] = 33; return b }), k, ErrMalformed, "serial length 33"},
		{"lowercase serial", reencode(func(b []byte) []byte { b[9] = 'n'; return b }), k, ErrMalformed, "outside A-Z"},
		{"box cut short", reencode(func(b []byte) []byte { return b[:9+len(serial)+60] }), k, ErrMalformed, "want at least"},
		{"garbage", "hello", k, ErrMalformed, "does not start with NVRR1:"},
		{"prefix only", Prefix, k, ErrMalformed, "too short"},
		{"other version", "NVRR2:" + text[6:], k, ErrMalformed, "does not start"},
		{"lowercase", strings.ToLower(text), k, ErrMalformed, "does not start"},
		{"lowercase body", Prefix + strings.ToLower(text[6:]), k, ErrMalformed, "invalid base45"},
		{"base45 length", text[:len(text)-1], k, ErrMalformed, "invalid base45"},
		{"base45 overflow", Prefix + "GGW" + text[6:], k, ErrMalformed, "overflows"},
		{"over 1024 characters", text + strings.Repeat(" ", 1024), k, ErrMalformed, "want at most 1024"},
		{"code with O", payloadTestSeal(t, k.Public(), serial, payloadTestInner("7K2M9QXO", serial, email)), k, ErrMalformed, "sealed code"},
		{"lowercase code", payloadTestSeal(t, k.Public(), serial, payloadTestInner("7k2m9qxd", serial, email)), k, ErrMalformed, "sealed code"},
		{"bad sealed serial", payloadTestSeal(t, k.Public(), serial, payloadTestInner("7K2M9QXD", "nvr", email)), k, ErrMalformed, "sealed serial"},
		{"bad sealed address", payloadTestSeal(t, k.Public(), serial, payloadTestInner("7K2M9QXD", serial, "Mario <m@esempio.it>")), k, ErrMalformed, "sealed address"},
		{"empty sealed address", payloadTestSeal(t, k.Public(), serial, payloadTestInner("7K2M9QXD", serial, "")), k, ErrMalformed, "sealed address"},
		{"bytes after the address", payloadTestSeal(t, k.Public(), serial, payloadTestInner("7K2M9QXD", serial, email, 0)), k, ErrMalformed, "after the sealed address"},
		{"address length past the end", payloadTestSeal(t, k.Public(), serial, payloadTestInner("7K2M9QXD", serial, email)[:60]), k, ErrMalformed, "length out of range"},
		{"zero content", payloadTestSeal(t, k.Public(), serial, make([]byte, 40)), k, ErrMalformed, "sealed code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.key.Open(tc.text)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.wantText) {
				t.Fatalf("got error %v, want %v with %q", err, tc.want, tc.wantText)
			}
			if c != (Content{}) {
				t.Fatalf("got content %v with the error, want none", c)
			}
			if strings.Contains(err.Error(), payloadTestExample.Code) {
				t.Fatalf("error %q shows the code", err)
			}
		})
	}
}

func TestSealChallengePayloadRefuses(t *testing.T) {
	k := payloadTestKey(t)
	for _, tc := range []struct {
		name string
		edit func(*Content)
	}{
		{"empty serial", func(c *Content) { c.Serial = "" }},
		{"33-character serial", func(c *Content) { c.Serial = strings.Repeat("A", 33) }},
		{"lowercase serial", func(c *Content) { c.Serial = "nvr1" }},
		{"short code", func(c *Content) { c.Code = "7K2M9QX" }},
		{"code with U", func(c *Content) { c.Code = "7K2M9QXU" }},
		{"lowercase code", func(c *Content) { c.Code = "7k2m9qxd" }},
		{"no address", func(c *Content) { c.Email = "" }},
		{"address with a name", func(c *Content) { c.Email = "Mario <mario@esempio.it>" }},
		{"255-character address", func(c *Content) { c.Email = strings.Repeat("m", 64) + "@" + strings.Repeat("d", 187) + ".it" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := payloadTestExample
			tc.edit(&c)
			text, err := Seal(k.Public(), c, rand.Reader)
			if err == nil {
				t.Fatalf("got payload %q, want an error", text)
			}
			if c.Code != "" && strings.Contains(err.Error(), c.Code) {
				t.Fatalf("error %q shows the code", err)
			}
		})
	}
	failing := bytes.NewReader(nil)
	if _, err := Seal(k.Public(), payloadTestExample, failing); err == nil {
		t.Error("sealing with an empty random source: got no error, want one")
	}
}

func TestChallengeContentNeverPrintsCode(t *testing.T) {
	c := payloadTestExample
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%10v"} {
		t.Run(verb, func(t *testing.T) {
			got := fmt.Sprintf(verb, c)
			if strings.Contains(got, c.Code) || strings.Contains(got, fmt.Sprintf("%x", c.Code)) || strings.Contains(got, c.Email) {
				t.Errorf("Sprintf(%q) = %q shows the code or the whole address", verb, got)
			}
		})
	}
}

// TestPayloadQRSizes reports the QR version for some address and serial
// lengths and holds a 30-character address to version 10 at level M.
func TestPayloadQRSizes(t *testing.T) {
	k := payloadTestKey(t)
	for _, tc := range []struct{ emailLen, serialLen, maxVersion int }{
		{10, 10, 8},
		{30, 10, 8},
		{64, 10, 10},
		{254, 10, 15},
		{30, 32, 10},
	} {
		t.Run(fmt.Sprintf("address %d serial %d", tc.emailLen, tc.serialLen), func(t *testing.T) {
			c := payloadTestContent(payloadTestEmail(t, tc.emailLen))
			c.Serial = strings.Repeat("N", tc.serialLen)
			text, err := Seal(k.Public(), c, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			q, err := qrcode.New(text, qrLevel)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("address of %d characters, serial of %d: payload of %d characters, QR version %d (%d modules with the quiet zone)",
				tc.emailLen, tc.serialLen, len(text), q.VersionNumber, len(q.Bitmap()))
			if q.VersionNumber > tc.maxVersion {
				t.Errorf("got QR version %d, want at most %d", q.VersionNumber, tc.maxVersion)
			}
		})
	}
}

func FuzzDecodeChallengePayload(f *testing.F) {
	k := payloadTestKey(f)
	example, err := Seal(k.Public(), payloadTestExample, payloadTestRand())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	f.Add(" " + example + "\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4*payloadMaxText {
			return
		}
		h, sealed, err := ParseHeader(s)
		if err == nil && (!ValidSerial(h.Serial) || len(sealed) < payloadSealedMin) {
			t.Fatalf("accepted header %v with %d sealed bytes", h, len(sealed))
		}
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("header error %v, want ErrMalformed", err)
		}
		c, err := k.Open(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTampered) && !errors.Is(err, ErrOtherKey) {
				t.Fatalf("open error %v is none of the payload errors", err)
			}
			return
		}
		if !ValidCode(c.Code) || mailaddr.Check(c.Email) != nil || c.Serial != h.Serial {
			t.Fatalf("opened impossible content %v", c)
		}
		again, err := Seal(k.Public(), c, rand.Reader)
		if err != nil {
			t.Fatalf("cannot seal again what was opened: %v", err)
		}
		if reopened, err := k.Open(again); err != nil || !payloadTestSame(reopened, c) {
			t.Fatalf("sealed again and reopened %v, %v; want %v", reopened, err, c)
		}
	})
}
