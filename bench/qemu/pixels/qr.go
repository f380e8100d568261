package pixels

import (
	"fmt"
	"image"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// QR decodes the QR code on screen from its pixels, as a phone's camera
// would see the screen: the whole picture first, then, if that fails, the
// cells around the half blocks that draw it, as a pure barcode.
func (s *Screen) QR() (string, error) {
	text, err := decodeQR(s.Image, nil)
	if err == nil {
		return text, nil
	}
	box, ok := s.qrBox()
	if !ok {
		return "", fmt.Errorf("no QR code on screen (no half blocks): %w", err)
	}
	crop := s.Image.SubImage(box).(*image.RGBA)
	text, err2 := decodeQR(crop, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err2 != nil {
		return "", fmt.Errorf("QR code in %v: %w (whole screen: %v)", box, err2, err)
	}
	return text, nil
}

func decodeQR(img image.Image, hints map[gozxing.DecodeHintType]interface{}) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	if hints == nil {
		hints = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// qrBox is the rectangle of pixels around the cells drawn with half
// blocks (▀ ▄), the quiet zone included: one cell more on every side.
func (s *Screen) qrBox() (image.Rectangle, bool) {
	var cells image.Rectangle
	found := false
	for y, row := range s.Cells {
		for x, c := range row {
			if c.Rune != '▀' && c.Rune != '▄' {
				continue
			}
			r := image.Rect(x, y, x+1, y+1)
			if !found {
				cells, found = r, true
			} else {
				cells = cells.Union(r)
			}
		}
	}
	if !found {
		return image.Rectangle{}, false
	}
	cells = cells.Inset(-1).Intersect(image.Rect(0, 0, s.Cols, s.Rows))
	px := image.Rect(cells.Min.X*s.CellWidth, cells.Min.Y*s.CellHeight, cells.Max.X*s.CellWidth, cells.Max.Y*s.CellHeight)
	return px.Add(s.Image.Bounds().Min), true
}
