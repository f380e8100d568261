package mailin

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // phones send JPEG
	_ "image/png"  // the recorder exports PNG

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// ErrImage is wrapped by every refusal of an image.
var ErrImage = errors.New("unusable image")

// ImageLimits bound the images decoded: a small file can claim a huge
// canvas (a decompression bomb), which DecodeConfig reads from the header
// before any pixel is decoded.
type ImageLimits struct {
	MaxSide   int // pixels, either side
	MaxPixels int // width × height
}

// DefaultImageLimits fit a phone's photo (4000x3000) and refuse more.
var DefaultImageLimits = ImageLimits{MaxSide: 8192, MaxPixels: 16 << 20}

// DecodeQR reads the QR code in a PNG or JPEG image.
func DecodeQR(data []byte, lim ImageLimits) (string, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("%w: not a readable PNG or JPEG: %v", ErrImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > lim.MaxSide || cfg.Height > lim.MaxSide || cfg.Width*cfg.Height > lim.MaxPixels {
		return "", fmt.Errorf("%w: image of %dx%d pixels, want at most %d a side and %d in all", ErrImage, cfg.Width, cfg.Height, lim.MaxSide, lim.MaxPixels)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("%w: not a readable PNG or JPEG: %v", ErrImage, err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrImage, err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		// gozxing's finder-pattern detector misreads about 1 in 100 of the
		// codes the recorder makes; an exported PNG is a pure barcode,
		// which gozxing can sample without that detector. A photo gets a
		// harder look.
		res, err = qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	}
	if err != nil {
		res, err = qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	}
	if err != nil {
		return "", fmt.Errorf("%w: no QR code found: %v", ErrImage, err)
	}
	return res.GetText(), nil
}
