package menu

import (
	"fmt"
	"image"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"nvrmenu/internal/vtcon"
	"nvrmenu/texts"
)

// The QR code a recorder shows as its vendor's URL (recovery.app_url, one
// QR version above the NVRR1: text): the demo's page, a 14-character serial
// and a 30-character reserved address, which docs/qr-payload.md measures at
// version 10 (65 modules with the quiet zone) at level M.
const (
	gridAppURL  = "https://recover.vendor.example/r/"
	gridSerial  = "NVRDEMO0000001"
	gridAddress = "mario.rossi.casa@esempio-it.it" // 30 characters
)

// TestAppScanQREveryGrid: on every console a monitor from 640x480 to
// 3840x2160 gives, with the font the daemon picks there
// (vtcon.ChooseFontSize) and our font's octants, App Scan QR has room for
// the QR code of the URL form beside or under its panel: the layout
// arithmetic, for every grid the font choice can produce. Each placement
// stays inside the area between the title bar and the footer, the code
// and the panel apart. The pictures themselves are TestAppScanQRScans'.
func TestAppScanQREveryGrid(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, noStart: true, appURL: gridAppURL, serial: gridSerial,
		display: Display{Console: true, HasGlyph: vtcon.FontHas}})
	h.setEmail(gridAddress)
	c, err := h.core.EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	codes, err := qrCodes(c.Payload)
	if err != nil {
		t.Fatal(err)
	}
	st := &emailState{c: c, codes: codes}
	// App Scan QR's parts, as showEmailQR makes them, laid out without a
	// screen.
	m := h.m
	status := m.text("")
	code := m.codeForm(st, status, func() {}, false)
	code.AddButton(m.tr.T(texts.Export), nil).AddButton(m.tr.T(texts.Back), nil)
	column := m.rows().auto(m.text(m.emailHeader(st))).gap(1).sized(code, true).auto(status)
	b := &qrBody{m: m, qr: m.newQRView(codes, ""), code: code, column: column, panel: m.panel("App Scan QR", column)}
	if b.qr.dots != dotsOctant {
		t.Fatalf("the view draws %+v with our font, want octants", b.qr.dots)
	}
	checked := 0
	smallest := map[vtcon.FontSize]int{}
	for _, f := range vtcon.FontSizes {
		for cols := 640 / f.Width; cols <= 3840/f.Width; cols++ {
			for rows := 480 / f.Height; rows <= 2160/f.Height; rows++ {
				if vtcon.ChooseFontSize(cols*f.Width, rows*f.Height) != f || cols < minWidth || rows < minHeight {
					continue // another font's grid, or too small for the menu
				}
				checked++
				// The area: all but the title bar and the footer.
				x, y, w, hh := panelMarginX, 1, cols-2*panelMarginX, rows-2
				l := b.layout(x, y, w, hh)
				if l.unit == 0 {
					t.Fatalf("%v font, %dx%d cells: no room for the QR code", f, cols, rows)
				}
				inside := func(r rect) bool { return r.x >= x && r.y >= y && r.x+r.w <= x+w && r.y+r.h <= y+hh }
				if !inside(l.qr) || !inside(l.panel) {
					t.Fatalf("%v font, %dx%d cells: code %+v or panel %+v outside the area", f, cols, rows, l.qr, l.panel)
				}
				if l.qr.x < l.panel.x+l.panel.w && l.panel.x < l.qr.x+l.qr.w && l.qr.y < l.panel.y+l.panel.h && l.panel.y < l.qr.y+l.qr.h {
					t.Fatalf("%v font, %dx%d cells: code %+v over the panel %+v", f, cols, rows, l.qr, l.panel)
				}
				px := l.unit * f.Height / 8
				if s, ok := smallest[f]; !ok || px < s {
					smallest[f] = px
				}
			}
		}
	}
	t.Logf("%d grids checked; the smallest modules: %v", checked, smallest)
	for f, px := range smallest {
		if px < f.Width/2 {
			t.Errorf("%v font: modules of %d pixels somewhere", f, px)
		}
	}
}

// TestAppScanQRScans: App Scan QR on the console of each common monitor
// from 640x480 to 4K, drawn in our font at the size the daemon picks there,
// read back from the picture with an independent decoder (gozxing) to the
// core's payload: the URL form, and under -short the few monitors that
// matter most. The module size in pixels is logged for each.
func TestAppScanQRScans(t *testing.T) {
	want := map[string]bool{"640x480": true, "800x600": true, "1024x768": true, "1280x720": true, "1920x1080": true, "3840x2160": true}
	for _, g := range grids {
		name := fmt.Sprintf("%dx%d", g.w, g.h)
		if (testing.Short() || emulated()) && !want[name] {
			continue
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, harnessOptions{activated: true, w: g.cols, h: g.rows, appURL: gridAppURL, serial: gridSerial, lang: "it",
				display: Display{Console: true, HasGlyph: vtcon.FontHas, CellWidth: g.font.Width, CellHeight: g.font.Height}})
			h.setEmail(gridAddress)
			h.m.app.QueueUpdateDraw(func() { h.m.loadChallenge(false, h.m.showEmailQR) })
			h.waitScreen("email-qr")
			c, err := h.core.EmailChallenge()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(c.Payload, strings.ToUpper(gridAppURL)) {
				t.Fatalf("payload %q: not the URL form", c.Payload)
			}
			img := h.screenImageIn(g.font)
			got, err := decodeWhole(img)
			if err != nil {
				// gozxing's finder-pattern search misreads about one
				// valid code in 85 (see internal/qrread): the code's own
				// pixels, as a pure barcode, as a phone's next frame would.
				r := onUI(h, func() rect { return h.m.current.body.(*qrBody).qr.drawn })
				fw, fh := g.font.Width, g.font.Height
				crop := img.SubImage(image.Rect(r.x*fw, r.y*fh, (r.x+r.w)*fw, (r.y+r.h)*fh))
				var err2 error
				if got, err2 = decodePure(crop); err2 != nil {
					t.Fatalf("%v cells of %v: the QR code does not scan from the screen: %v; its cells alone: %v", g, g.font, err, err2)
				}
				t.Logf("the whole screen did not scan (%v); the code's cells alone did", err)
			}
			if got != c.Payload {
				t.Fatalf("the screen's QR code reads %q, want %q", got, c.Payload)
			}
			sizes := onUI(h, func() [2]int {
				q := h.m.current.body.(*qrBody).qr
				_, _, w, hh := q.GetInnerRect()
				code, s, _ := q.best(w, hh)
				return [2]int{q.dots.unit(s) * g.font.Height / 8, len(code.modules)}
			})
			px, modules := sizes[0], sizes[1]
			t.Logf("%s: %v font, %dx%d cells: %d modules of %dx%d pixels (%d pixels across)", name, g.font, g.cols, g.rows, modules, px, px, px*modules)
			if px < 4 {
				t.Errorf("modules of %d pixels: too small for a phone", px)
			}
			if testing.Verbose() || !testing.Short() {
				h.snapshotIn("app-scan-qr-"+name, g.font)
			}
		})
	}
}

// decodeWhole decodes the QR code in the whole picture, as a phone does
// with the monitor in view: no hint of where it is.
func decodeWhole(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// decodePure decodes img as the code alone, its quiet zone at the edges.
func decodePure(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
