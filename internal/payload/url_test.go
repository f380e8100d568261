package payload

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

const urlTestApp = "https://recover.vendor.example/r/"

func TestCheckAppURL(t *testing.T) {
	for _, good := range []string{
		urlTestApp,
		"https://127.0.0.1:8444/r/",
		"HTTPS://RECOVER.VENDOR.EXAMPLE/",
		"https://a.example/x/y-2/",
	} {
		if err := CheckAppURL(good); err != nil {
			t.Errorf("CheckAppURL(%q) = %v, want nil", good, err)
		}
	}
	for _, bad := range []string{
		"",
		"http://recover.vendor.example/r/",
		"https://recover.vendor.example/r",
		"https://recover.vendor.example",
		"https:///r/",
		"https://recover.vendor.example/r/?x=1",
		"https://recover.vendor.example/r/#x",
		"https://user@recover.vendor.example/r/",
		"https://recover.vendor.example/r_x/",
		"https://recover.vendor.example//",
		"https://recover.vendor.example:/r/",
		"https://recover.vendor.example/r%20/",
		"https://r\u00e9cover.example/r/",
		"https://" + strings.Repeat("a", 60) + ".example/r/",
	} {
		if err := CheckAppURL(bad); !errors.Is(err, ErrAppURL) {
			t.Errorf("CheckAppURL(%q) = %v, want ErrAppURL", bad, err)
		}
	}
}

// TestURLFormRoundTrip: both forms carry the same outer bytes, open to the
// same content, and Render moves a stored text between them.
func TestURLFormRoundTrip(t *testing.T) {
	k := payloadTestKey(t)
	text, err := Seal(k.Public(), payloadTestExample, payloadTestRand())
	if err != nil {
		t.Fatal(err)
	}
	url, err := Render(text, urlTestApp)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "HTTPS://RECOVER.VENDOR.EXAMPLE/R/") || url != strings.ToUpper(url) {
		t.Fatalf("URL form %q, want the upper-case app address in front", url)
	}
	for _, r := range url {
		if !strings.ContainsRune("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", r) {
			t.Fatalf("URL form %q has %q, outside the QR code's alphanumeric set", url, r)
		}
	}
	back, err := Render(url, "")
	if err != nil || back != text {
		t.Fatalf("Render(url, \"\") = %q, %v; want the stored text %q", back, err, text)
	}
	for _, variant := range []string{url, strings.ToLower(url), " " + url + "\r\n", "https://other.example/any/path/" + url[strings.LastIndexByte(url, '/')+1:]} {
		c, err := k.Open(variant)
		if err != nil || !payloadTestSame(c, payloadTestExample) {
			t.Errorf("Open(%q) = %v, %v; want the example", variant, c, err)
		}
	}
	for _, bad := range []string{
		"https://recover.vendor.example/r/",
		"https://recover.vendor.example/r/0189",
		"http" + url[5:],
		"https://",
		"https:///" + url[strings.LastIndexByte(url, '/')+1:],
		"https://a b/" + url[strings.LastIndexByte(url, '/')+1:],
		"https://a.example/?q/" + url[strings.LastIndexByte(url, '/')+1:],
		url + "=",
	} {
		if _, err := k.Open(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("Open(%q) = %v, want ErrMalformed", bad, err)
		}
	}
}

// qrAlnumCapacityM is the QR code's capacity in alphanumeric characters at
// level M, versions 1 to 15 (ISO/IEC 18004 table 7).
var qrAlnumCapacityM = []int{0, 20, 38, 61, 90, 122, 154, 178, 221, 262, 311, 366, 419, 483, 528, 600}

// TestURLFormQRSizes reports the URL form's QR versions, holds a 30 to 40
// character address with a 34-character app address to version 10 at level
// M, and checks that go-qrcode encodes the URL in alphanumeric mode (the
// version is the smallest whose alphanumeric capacity holds it).
func TestURLFormQRSizes(t *testing.T) {
	k := payloadTestKey(t)
	for _, tc := range []struct {
		app                             string
		emailLen, serialLen, maxVersion int
	}{
		{urlTestApp, 10, 10, 9},
		{urlTestApp, 22, 10, 9},
		{urlTestApp, 30, 10, 9},
		{urlTestApp, 40, 10, 10},
		{urlTestApp, 30, 14, 10},
		{urlTestApp, 64, 10, 11},
		{urlTestApp, 30, 32, 11},
		{"https://127.0.0.1:8444/r/", 30, 14, 10},
		{"https://recupero-password.produttore-esempio.it/r/", 40, 14, 11},
	} {
		t.Run(fmt.Sprintf("%s address %d serial %d", tc.app, tc.emailLen, tc.serialLen), func(t *testing.T) {
			c := payloadTestContent(payloadTestEmail(t, tc.emailLen))
			c.Serial = strings.Repeat("N", tc.serialLen)
			stored, err := Seal(k.Public(), c, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			text, err := Render(stored, tc.app)
			if err != nil {
				t.Fatal(err)
			}
			q, err := qrcode.New(text, qrLevel)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("app address of %d characters, address of %d, serial of %d: URL of %d characters, QR version %d (%d modules with the quiet zone); NVRR1 form %d characters",
				len(tc.app), tc.emailLen, tc.serialLen, len(text), q.VersionNumber, len(q.Bitmap()), len(stored))
			alnum := 1
			for qrAlnumCapacityM[alnum] < len(text) {
				alnum++
			}
			if q.VersionNumber != alnum {
				t.Errorf("QR version %d, want %d: go-qrcode did not use alphanumeric mode", q.VersionNumber, alnum)
			}
			if q.VersionNumber > tc.maxVersion {
				t.Errorf("got QR version %d, want at most %d", q.VersionNumber, tc.maxVersion)
			}
		})
	}
}

func FuzzOuter(f *testing.F) {
	k := payloadTestKey(f)
	text, err := Seal(k.Public(), payloadTestExample, payloadTestRand())
	if err != nil {
		f.Fatal(err)
	}
	url, _ := Render(text, urlTestApp)
	f.Add(text)
	f.Add(url)
	f.Add(strings.ToLower(url))
	f.Add("https://a/" + "MFRGG")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4*payloadMaxText {
			return
		}
		outer, err := Outer(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Outer error %v, want ErrMalformed", err)
			}
			return
		}
		// Whatever was accepted writes back in both forms, and reads back
		// to the same bytes.
		for _, app := range []string{"", urlTestApp} {
			again, err := Outer(Text(outer, app))
			if err != nil || string(again) != string(outer) {
				t.Fatalf("Outer(Text(%x, %q)) = %x, %v", outer, app, again, err)
			}
		}
	})
}
