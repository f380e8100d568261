package recovery

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
	qrcode "github.com/skip2/go-qrcode"

	"nvrmenu/recovery/internal/base45"
)

func testVendor(t testing.TB) VendorPrivateKey {
	t.Helper()
	k, err := GenerateVendorKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testContent(email string) ChallengeContent {
	c := ChallengeContent{Code: "ABCD1234", Serial: testSerial, Email: email, Created: time.Date(2027, 3, 14, 9, 30, 0, 0, time.UTC)}
	copy(c.ID[:], "0123456789abcdef")
	return c
}

func TestVendorKeyText(t *testing.T) {
	k := testVendor(t)
	pub, err := ParseVendorPublicKey(k.Public().String())
	if err != nil || pub != k.Public() {
		t.Fatalf("public key round trip: %v", err)
	}
	again, err := ParseVendorPrivateKey(MarshalVendorPrivateKey(k))
	if err != nil || again.Public() != k.Public() {
		t.Fatalf("private key round trip: %v", err)
	}
	raw := MarshalVendorPrivateKey(k)
	secret := strings.TrimSpace(strings.Split(string(raw), "key: ")[1])
	for _, shown := range []string{k.String(), fmt.Sprintf("%v %+v %#v", k, k, k)} {
		if strings.Contains(shown, secret) || !strings.Contains(shown, k.Public().KeyID().String()) {
			t.Fatalf("private key printed as %q", shown)
		}
	}
	for _, bad := range []string{"", "nvrvk1:", "nvrvk2:" + k.Public().String()[7:], k.Public().String() + "A", k.Public().String() + "="} {
		if _, err := ParseVendorPublicKey(bad); !errors.Is(err, ErrVendorKey) {
			t.Errorf("ParseVendorPublicKey(%q) = %v", bad, err)
		}
	}
	for _, bad := range [][]byte{nil, raw[:20], append(raw, "extra\n"...), bytes.Replace(raw, []byte("v1"), []byte("v2"), 1)} {
		if _, err := ParseVendorPrivateKey(bad); !errors.Is(err, ErrVendorKey) {
			t.Errorf("ParseVendorPrivateKey(%q) = %v", bad, err)
		}
	}
}

func TestPayloadRoundTrip(t *testing.T) {
	k := testVendor(t)
	c := testContent(testEmail)
	text, err := SealChallengePayload(k.Public(), c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, c.Code) || !strings.HasPrefix(text, PayloadPrefix) {
		t.Fatalf("payload %q shows the code or lacks the prefix", text)
	}
	h, _, err := ParsePayloadHeader(text + "\n")
	if err != nil || h.Serial != testSerial || h.KeyID != k.Public().KeyID() {
		t.Fatalf("header %+v, %v", h, err)
	}
	got, err := k.OpenChallengePayload(text)
	if err != nil {
		t.Fatal(err)
	}
	if got.Code != c.Code || got.ID != c.ID || got.Email != c.Email || got.Serial != c.Serial || !got.Created.Equal(c.Created) {
		t.Fatalf("opened %+v, want %+v", got, c)
	}
	if strings.Contains(fmt.Sprintf("%v %+v %#v", got, got, got), c.Code) {
		t.Fatal("printing the content shows the code")
	}
}

func TestPayloadRefusals(t *testing.T) {
	k := testVendor(t)
	other := testVendor(t)
	text, err := SealChallengePayload(k.Public(), testContent(testEmail), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base45.Decode(strings.TrimPrefix(text, PayloadPrefix))
	reencode := func(edit func([]byte) []byte) string {
		return PayloadPrefix + base45.Encode(edit(append([]byte(nil), raw...)))
	}
	swappedSerial := reencode(func(b []byte) []byte { b[9] = 'X'; return b })
	flipped := reencode(func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
	for _, tc := range []struct {
		name, text string
		key        VendorPrivateKey
		want       error
	}{
		{"other key", text, other, ErrPayloadOtherKey},
		{"flipped byte", flipped, k, ErrPayloadTampered},
		{"clear serial swapped", swappedSerial, k, ErrPayloadTampered},
		{"garbage", "hello", k, ErrPayloadMalformed},
		{"no body", PayloadPrefix, k, ErrPayloadMalformed},
		{"lowercase", strings.ToLower(text), k, ErrPayloadMalformed},
		{"truncated", text[:40], k, ErrPayloadMalformed},
		{"too long", text + strings.Repeat("0", 1024), k, ErrPayloadMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.key.OpenChallengePayload(tc.text); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestPayloadQRSizes reports the QR version for typical addresses and
// checks the common case fits version 10 at level M.
func TestPayloadQRSizes(t *testing.T) {
	k := testVendor(t)
	for _, n := range []int{16, 30, 64, 254} {
		email := strings.Repeat("m", n-len("@esempio.it")) + "@esempio.it"
		if n > 75 { // the local part stops at 64 characters
			email = strings.Repeat("m", 64) + "@" + strings.Repeat("d", n-64-1-3) + ".it"
		}
		text, err := SealChallengePayload(k.Public(), testContent(email), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		q, err := qrcode.New(text, qrLevel)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("email of %d characters: payload %d characters, QR version %d", len(email), len(text), q.VersionNumber)
		if len(email) <= 30 && q.VersionNumber > 10 {
			t.Errorf("a %d-character email needs QR version %d, want at most 10", len(email), q.VersionNumber)
		}
	}
}

func TestChallengeQRPNGScans(t *testing.T) {
	k := testVendor(t)
	text, err := SealChallengePayload(k.Public(), testContent(testEmail), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pngBytes, err := ChallengeQRPNG(text, 512)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("PNG does not scan: %v", err)
	}
	if res.GetText() != text {
		t.Fatalf("scanned %q, want %q", res.GetText(), text)
	}
	bitmap, err := ChallengeQRBitmap(text)
	if err != nil || len(bitmap) < 21+8 || len(bitmap) != len(bitmap[0]) {
		t.Fatalf("bitmap %dx?, %v", len(bitmap), err)
	}
}

func FuzzDecodeChallengePayload(f *testing.F) {
	k, err := ParseVendorPrivateKey([]byte("nvrmenu vendor private key v1\nkey: " + strings.Repeat("A", 42) + "E\n"))
	if err != nil {
		f.Fatal(err)
	}
	text, _ := SealChallengePayload(k.Public(), testContent(testEmail), rand.Reader)
	f.Add(text)
	f.Add(PayloadPrefix)
	f.Add(PayloadPrefix + "0000000000000000000")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, s string) {
		h, sealed, err := ParsePayloadHeader(s)
		if err == nil && (!validSerial(h.Serial) || len(sealed) < 48) {
			t.Fatalf("accepted header %+v with %d sealed bytes", h, len(sealed))
		}
		c, err := k.OpenChallengePayload(s)
		if err == nil && (len(c.Code) != 8 || ValidateEmail(c.Email) != nil) {
			t.Fatalf("opened impossible content %v", c)
		}
	})
}
