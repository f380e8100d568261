package payload

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	mathrand "math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"nvrmenu/internal/qrread"
)

// qrTestScan decodes the QR code in img, as a phone or recovery-issuer
// would.
func qrTestScan(t *testing.T, img image.Image) string {
	t.Helper()
	text, err := qrread.Image(img)
	if err != nil {
		t.Fatalf("QR code does not scan: %v", err)
	}
	return text
}

// qrTestPayload seals a payload with an address of emailLen characters,
// its seal's randomness from a seed it logs (NVRMENU_SEED repeats it).
func qrTestPayload(t *testing.T, emailLen int) string {
	t.Helper()
	var seed [32]byte
	if s, err := strconv.ParseUint(os.Getenv("NVRMENU_SEED"), 10, 64); err == nil {
		binary.LittleEndian.PutUint64(seed[:], s)
	} else if _, err := rand.Read(seed[:8]); err != nil {
		t.Fatal(err)
	}
	t.Logf("seal from seed %d (NVRMENU_SEED=%[1]d repeats it)", binary.LittleEndian.Uint64(seed[:]))
	return qrTestPayloadFrom(t, emailLen, mathrand.NewChaCha8(seed))
}

// qrTestPayloadFrom is qrTestPayload with the randomness of the seal (its
// ephemeral key and nonce) taken from r.
func qrTestPayloadFrom(t *testing.T, emailLen int, r io.Reader) string {
	t.Helper()
	text, err := Seal(payloadTestKey(t).Public(), payloadTestContent(payloadTestEmail(t, emailLen)), r)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func TestChallengeQRPNGScans(t *testing.T) {
	for _, tc := range []struct {
		emailLen, sizePx int
		seed             byte // 0: a random seal; else a fixed one
	}{
		{22, 512, 0},
		{254, 512, 0},
		// About 3 pixels a module, not a whole number: gozxing (not a
		// phone) misreads some 1 code in 130 at this size, so this case
		// scans one fixed code. The menu's PNG is 512 pixels.
		{22, 200, 1},
	} {
		t.Run(fmt.Sprintf("address %d at %dpx", tc.emailLen, tc.sizePx), func(t *testing.T) {
			text := qrTestPayload(t, tc.emailLen)
			if tc.seed != 0 {
				text = qrTestPayloadFrom(t, tc.emailLen, mathrand.NewChaCha8([32]byte{tc.seed}))
			}
			pngBytes, err := QRPNG(text, tc.sizePx)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(pngBytes))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != tc.sizePx || b.Dy() != tc.sizePx {
				t.Errorf("got a %dx%d image, want %dx%d", b.Dx(), b.Dy(), tc.sizePx, tc.sizePx)
			}
			if got := qrTestScan(t, img); got != text {
				t.Errorf("scanned %q, want %q", got, text)
			}
		})
	}
}

// TestChallengeQRBitmapScans draws the bitmap at 4 pixels a module, as the
// screen would in blocks, and scans it.
func TestChallengeQRBitmapScans(t *testing.T) {
	text := qrTestPayload(t, 30)
	bitmap, err := QRBitmap(text)
	if err != nil {
		t.Fatal(err)
	}
	n := len(bitmap)
	if n < 21+8 || (n-8-17)%4 != 0 {
		t.Fatalf("got a bitmap of %d rows, want 17+4v modules and the 8 of the quiet zone", n)
	}
	for y, row := range bitmap {
		if len(row) != n {
			t.Fatalf("row %d has %d modules, want %d", y, len(row), n)
		}
		for x, dark := range row {
			inQuietZone := x < 4 || y < 4 || x >= n-4 || y >= n-4
			if dark && inQuietZone {
				t.Fatalf("module (%d,%d) dark, want the 4-module quiet zone light", x, y)
			}
		}
	}
	if !bitmap[4][4] || !bitmap[4][n-5] || !bitmap[n-5][4] {
		t.Fatal("finder pattern corners not dark right inside the quiet zone")
	}
	const scale = 4
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for y := range n * scale {
		for x := range n * scale {
			c := color.Gray{Y: 0xff}
			if bitmap[y/scale][x/scale] {
				c.Y = 0
			}
			img.SetGray(x, y, c)
		}
	}
	if got := qrTestScan(t, img); got != text {
		t.Errorf("scanned %q, want %q", got, text)
	}
}

func TestChallengeQRRefuses(t *testing.T) {
	text := qrTestPayload(t, 30) // version 8: 57 modules with the quiet zone
	for _, tc := range []struct {
		name    string
		payload string
		sizePx  int
	}{
		{"empty payload", "", 512},
		{"payload over 1024 characters", strings.Repeat("A", 1025), 512},
		{"zero size", text, 0},
		{"negative size (skip2's pixels per module)", text, -4},
		{"smaller than the modules", text, 56},
		{"larger than 4096", text, 4097},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := QRPNG(tc.payload, tc.sizePx); err == nil {
				t.Errorf("QRPNG: got %d bytes, want an error", len(got))
			}
		})
	}
	if _, err := QRPNG(text, 57); err != nil {
		t.Errorf("QRPNG at one pixel a module: got %v, want no error", err)
	}
	if _, err := QRBitmap(""); err == nil {
		t.Error("QRBitmap of an empty payload: got no error, want one")
	}
}
