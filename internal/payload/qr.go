package payload

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// qrLevel is the error correction of challenge QR codes: medium (15%)
// keeps a 30-character address within version 10, small enough to show
// on an 80x25 console in half blocks, and survives a smudged screen.
const qrLevel = qrcode.Medium

// qrMaxSizePx bounds a PNG's side, and so the memory it takes.
const qrMaxSizePx = 4096

// QRPNG renders payload as a square PNG of sizePx pixels (at least
// one pixel per module, at most 4096), for "export the QR code to a stick".
// The core writes no file: the caller hands the bytes to the USB watcher.
func QRPNG(payload string, sizePx int) ([]byte, error) {
	q, err := qrNew(payload)
	if err != nil {
		return nil, err
	}
	modules := len(q.Bitmap())
	if sizePx < modules || sizePx > qrMaxSizePx {
		return nil, fmt.Errorf("making QR code PNG: size %d pixels, want %d to %d", sizePx, modules, qrMaxSizePx)
	}
	png, err := q.PNG(sizePx)
	if err != nil {
		return nil, fmt.Errorf("making QR code PNG: %w", err)
	}
	return png, nil
}

// QRBitmap returns the QR modules of payload, row by row, true
// for dark, with the 4-module quiet zone, for drawing the code on screen.
func QRBitmap(payload string) ([][]bool, error) {
	q, err := qrNew(payload)
	if err != nil {
		return nil, err
	}
	return q.Bitmap(), nil
}

// qrNew encodes payload at qrLevel. It takes any text up to the payload
// limit, so that a caller's mistake gives an error rather than a huge code.
func qrNew(payload string) (*qrcode.QRCode, error) {
	if payload == "" || len(payload) > payloadMaxText {
		return nil, fmt.Errorf("making QR code: payload of %d characters, want 1 to %d", len(payload), payloadMaxText)
	}
	q, err := qrcode.New(payload, qrLevel)
	if err != nil {
		return nil, fmt.Errorf("making QR code: %w", err)
	}
	return q, nil
}
