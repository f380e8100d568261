package pixels

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"strconv"
)

// ErrNotPPM is ParsePPM's error for data it cannot read.
var ErrNotPPM = errors.New("not a binary PPM (P6, maxval 255)")

// ParsePPM decodes a binary PPM (P6, maxval 255), as QEMU's screendump
// writes it.
func ParsePPM(data []byte) (*image.RGBA, error) {
	var fields []string
	rest := data
	for len(fields) < 4 {
		rest = bytes.TrimLeft(rest, " \t\r\n")
		if len(rest) > 0 && rest[0] == '#' {
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				rest = rest[i+1:]
				continue
			}
		}
		i := bytes.IndexAny(rest, " \t\r\n")
		if i <= 0 {
			return nil, fmt.Errorf("%w: header cut short", ErrNotPPM)
		}
		fields = append(fields, string(rest[:i]))
		rest = rest[i:]
	}
	rest = rest[1:] // the one whitespace byte after maxval
	w, err1 := strconv.Atoi(fields[1])
	h, err2 := strconv.Atoi(fields[2])
	if fields[0] != "P6" || fields[3] != "255" || err1 != nil || err2 != nil || w <= 0 || h <= 0 || w > 1<<14 || h > 1<<14 {
		return nil, fmt.Errorf("%w: header %q", ErrNotPPM, fields)
	}
	if len(rest) < w*h*3 {
		return nil, fmt.Errorf("%w: %dx%d wants %d bytes of pixels, has %d", ErrNotPPM, w, h, w*h*3, len(rest))
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = rest[3*i], rest[3*i+1], rest[3*i+2], 0xff
	}
	return img, nil
}
