package recovery

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// qrLevel is the error correction of challenge QR codes: medium (15%)
// keeps a 30-character address within version 10, small enough to show
// on an 80x25 console in half blocks, and survives a smudged screen.
const qrLevel = qrcode.Medium

// ChallengeQRPNG renders payload as a PNG of sizePx pixels, for "export the
// QR code to a stick". The core writes no file: the caller hands the bytes
// to the USB watcher.
func ChallengeQRPNG(payload string, sizePx int) ([]byte, error) {
	q, err := qrcode.New(payload, qrLevel)
	if err != nil {
		return nil, fmt.Errorf("making QR code: %w", err)
	}
	return q.PNG(sizePx)
}

// ChallengeQRBitmap returns the QR modules of payload, true for dark, with
// the 4-module quiet zone, for drawing the code on screen.
func ChallengeQRBitmap(payload string) ([][]bool, error) {
	q, err := qrcode.New(payload, qrLevel)
	if err != nil {
		return nil, fmt.Errorf("making QR code: %w", err)
	}
	return q.Bitmap(), nil
}
