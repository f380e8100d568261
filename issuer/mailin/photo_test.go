package mailin

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"strings"
	"testing"
)

// TestPhotographedScreen: with no recovery.app_url the recorder's QR holds
// text a phone camera cannot act on, and every door says to photograph it
// and mail the photo (journey.WordsForQR). This is that photo, made from
// the HDMI console's own pixels (the QEMU bench's screendumps of App Scan
// QR, docs/img; their QR holds the URL form, as dense as the text form):
// the screen taken at a slant, out of focus, unevenly lit,
// shrunk to a mail client's size and JPEG-compressed. The service reads
// the same code from it as from the screendump itself.
func TestPhotographedScreen(t *testing.T) {
	for _, file := range []string{"console-1080p-app-scan-qr.png", "console-720p-app-scan-qr.png"} {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile("../../docs/img/" + file)
			if err != nil {
				t.Fatal(err)
			}
			want, err := DecodeQR(data, DefaultImageLimits)
			if err != nil {
				t.Fatalf("the screendump itself: %v", err)
			}
			if u := strings.ToUpper(want); !strings.HasPrefix(u, "NVRR1:") && !strings.HasPrefix(u, "HTTPS://") {
				t.Fatalf("the screendump's QR holds %q", want)
			}
			src, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			for _, shot := range []struct {
				name          string
				degrees, blur float64
				width         int
				quality       int
			}{
				{"straight, sharp", 0, 0, 1600, 85},
				{"slanted, soft", 5, 1.5, 1600, 75},
				{"slanted the other way, small", -8, 1, 1200, 70},
			} {
				photo := photograph(src, shot.degrees, shot.blur, shot.width)
				var b bytes.Buffer
				if err := jpeg.Encode(&b, photo, &jpeg.Options{Quality: shot.quality}); err != nil {
					t.Fatal(err)
				}
				got, err := DecodeQR(b.Bytes(), DefaultImageLimits)
				if err != nil || got != want {
					t.Errorf("%s (%d B JPEG): %q, %v; want %q", shot.name, b.Len(), got, err, want)
				}
			}
		})
	}
}

// photograph is src as a phone might take it off the monitor: turned by
// degrees, blurred by a box of about blur pixels (at src's scale), lit
// from the left (a quarter darker on the right), width pixels wide, with a
// grey border of room (the monitor's bezel, the desk).
func photograph(img image.Image, degrees, blur float64, width int) *image.Gray {
	b := img.Bounds()
	src := image.NewGray(b)
	draw.Draw(src, b, img, b.Min, draw.Src)
	scale := float64(width) / float64(b.Dx())
	height := int(float64(b.Dy()) * scale)
	out := image.NewGray(image.Rect(0, 0, width, height))
	sin, cos := math.Sincos(degrees * math.Pi / 180)
	cx, cy := float64(width)/2, float64(height)/2
	// The screen's grey at (u, v) in its pixels, between pixels as a lens
	// sees it (bilinear), averaged over the blur.
	grey := func(x, y int) float64 {
		if x < b.Min.X || y < b.Min.Y || x >= b.Max.X || y >= b.Max.Y {
			return 128 // outside the screen
		}
		return float64(src.GrayAt(x, y).Y)
	}
	at := func(u, v float64) float64 {
		x0, y0 := math.Floor(u), math.Floor(v)
		fx, fy := u-x0, v-y0
		x, y := int(x0)+b.Min.X, int(y0)+b.Min.Y
		return (grey(x, y)*(1-fx)+grey(x+1, y)*fx)*(1-fy) + (grey(x, y+1)*(1-fx)+grey(x+1, y+1)*fx)*fy
	}
	r := int(math.Round(blur))
	sample := func(u, v float64) float64 {
		sum, n := 0.0, 0
		for dy := -r; dy <= r; dy++ {
			for dx := -r; dx <= r; dx++ {
				sum += at(u+float64(dx), v+float64(dy))
				n++
			}
		}
		return sum / float64(n)
	}
	for y := range height {
		for x := range width {
			// The photo's pixel back to the screen's: undo the turn about
			// the centre, then the scale (the screen a little smaller than
			// the photo: room around it).
			dx, dy := float64(x)-cx, float64(y)-cy
			u := (cos*dx+sin*dy)/scale/0.9 + float64(b.Dx())/2
			v := (-sin*dx+cos*dy)/scale/0.9 + float64(b.Dy())/2
			light := 1 - 0.25*float64(x)/float64(width)
			out.SetGray(x, y, color.Gray{Y: uint8(math.Min(255, sample(u, v)*light))})
		}
	}
	return out
}
