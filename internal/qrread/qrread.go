// Package qrread reads a QR code out of a picture as a phone's scanner
// does, and is the one place the project does: the vendor's service reads
// the owner's mailed picture with it, and every door's tests read back
// the code they show or export.
//
// gozxing's finder-pattern detector misreads about 1 in 85 of the valid
// codes go-qrcode makes (measured on 3,000 random challenges: a
// Reed-Solomon failure on a clean image, read by zbar and by gozxing's
// sampling for pure barcodes alike). So a picture is read three ways, in
// order, until one works: the detector, that sampling (an exported PNG is
// a pure barcode), and the detector trying harder (a photograph).
package qrread

import (
	"errors"
	"fmt"
	"image"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// hints are the three ways a picture is read, in order.
var hints = []map[gozxing.DecodeHintType]any{
	nil,
	{gozxing.DecodeHintType_PURE_BARCODE: true},
	{gozxing.DecodeHintType_TRY_HARDER: true},
}

// ErrNoCode is returned when none of the ways finds a code.
var ErrNoCode = errors.New("no QR code found")

// Image returns the text of the QR code in img. It decodes at most three
// times; the caller bounds the picture's size.
func Image(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	var first error
	for _, h := range hints {
		res, err := qrcode.NewQRCodeReader().Decode(bmp, h)
		if err == nil {
			return res.GetText(), nil
		}
		if first == nil {
			first = err
		}
	}
	// The detector's error says most about a picture that holds no code.
	return "", fmt.Errorf("%w: %v", ErrNoCode, first)
}
