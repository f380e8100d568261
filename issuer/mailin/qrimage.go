package mailin

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // phones send JPEG
	_ "image/png"  // the recorder exports PNG

	"nvrmenu/internal/qrread"
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
	// qrread reads it as a phone would, with the fallbacks for the
	// codes gozxing's detector misreads and for photographs.
	text, err := qrread.Image(img)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrImage, err)
	}
	return text, nil
}
