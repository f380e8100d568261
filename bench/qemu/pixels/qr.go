package pixels

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// QR decodes the QR code on screen from its pixels, as a phone's camera
// would see the screen: the whole picture first, then, if that fails, the
// cells the code is drawn in (black and bright white: half blocks or our
// font's octants) with a cell around them, as a pure barcode.
func (s *Screen) QR() (string, error) {
	text, pts, err := decodeQR(s.Image, nil)
	if err == nil {
		s.qrModule = moduleSize(s.Image, pts)
		return text, nil
	}
	box, ok := s.qrBox()
	if !ok {
		return "", fmt.Errorf("no QR code on screen (no cells in black and white): %w", err)
	}
	crop := s.Image.SubImage(box).(*image.RGBA)
	text, pts, err2 := decodeQR(crop, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err2 != nil {
		return "", fmt.Errorf("QR code in %v: %w (whole screen: %v)", box, err2, err)
	}
	s.qrModule = moduleSize(crop, pts)
	return text, nil
}

// QRModule is the side of the last decoded QR code's modules in pixels,
// measured on its top left finder pattern; 0 when unknown.
func (s *Screen) QRModule() int { return s.qrModule }

func decodeQR(img image.Image, hints map[gozxing.DecodeHintType]interface{}) (string, []gozxing.ResultPoint, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", nil, err
	}
	if hints == nil {
		hints = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", nil, err
	}
	return res.GetText(), res.GetResultPoints(), nil
}

// moduleSize measures a module on the top left finder pattern (gozxing's
// second result point, its centre): from the centre leftwards, the dark
// core (a module and a half), a light ring and a dark ring (a module each)
// are three and a half modules.
func moduleSize(img image.Image, pts []gozxing.ResultPoint) int {
	if len(pts) < 2 {
		return 0
	}
	cx, cy := int(pts[1].GetX()), int(pts[1].GetY())
	b := img.Bounds()
	dark := func(x int) bool {
		r, g, bl, _ := color.GrayModel.Convert(img.At(x, cy)).RGBA()
		return (r+g+bl)/3 < 0x8000
	}
	x := cx
	for _, wantDark := range []bool{true, false, true} {
		for x > b.Min.X && dark(x) == wantDark {
			x--
		}
	}
	return int(math.Round(float64(cx-x) / 3.5))
}

// qrBox is the rectangle of pixels around the cells drawn in the QR
// code's two colours, black and bright white (the buttons' half blocks are
// in others), the quiet zone included: one cell more on every side.
func (s *Screen) qrBox() (image.Rectangle, bool) {
	black, white := color.RGBA{0, 0, 0, 0xff}, color.RGBA{0xff, 0xff, 0xff, 0xff}
	var cells image.Rectangle
	found := false
	for y, row := range s.Cells {
		for x, c := range row {
			if !(c.FG == white && c.BG == black || c.FG == black && c.BG == white) {
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
