//go:build qemubench

package qemu

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"nvrmenu/internal/vtcon"
	"nvrmenu/internal/vtcon/psf"
)

// hdmi is the bench's HDMI monitor: a display device and a USB keyboard
// (sendkey reaches tty1 only through it), the daemon on tty1.
func hdmi(display string) vmExtra {
	return vmExtra{
		devices: []string{display, "usb-kbd,bus=xhci.0"},
		cmdline: "NVR_CONFIG=/etc/nvr-menu/hdmi.toml",
	}
}

// bootHDMI boots the bench image with the daemon on the HDMI console of
// display and waits for its first frame: the menu's frame filling a grid
// of cols x rows cells of our font of that size. It returns the first
// frame and the daemon's console set-up line.
func bootHDMI(t *testing.T, display string, size vtcon.FontSize, cols, rows int) (*vm, *image.RGBA, string) {
	t.Helper()
	dir := os.Getenv("NVRMENU_IMAGE")
	if dir == "" {
		t.Fatal("NVRMENU_IMAGE is not set: run ./build.sh image, then NVRMENU_IMAGE=$PWD/out/image go test -tags qemubench ./bench/qemu/")
	}
	if _, err := os.Stat(filepath.Join(dir, "hdmi.toml")); err != nil {
		t.Fatalf("%v: the image predates the HDMI console (./build.sh image)", err)
	}
	v := bootVMWith(t, arm64Guest, dir, hdmi(display))
	setup := v.waitLog("msg=console", 1, bootLimit)
	t.Logf("daemon: %s", setup)
	font := vtcon.Font(size)
	img := v.waitScreen(fmt.Sprintf("the menu's frame in %dx%d cells of our %v font", cols, rows, size), func(img *image.RGBA) bool {
		return frameEnds(img, font, cols, rows)
	})
	t.Logf("first frame on tty1 %.1f s after QEMU started", time.Since(v.started).Seconds())
	if out, err := v.guest("cat /sys/class/graphics/fb0/name /sys/class/graphics/fb0/virtual_size"); err == nil {
		t.Logf("guest fb0: %s", strings.Join(strings.Fields(out), " "))
	}
	return v, img, setup
}

// TestHDMIConsole720pOnBochs: on a 1280x720 bochs display the daemon
// picks the 12x24 font (106 columns) and sets its palette.
func TestHDMIConsole720pOnBochs(t *testing.T) {
	v, img, setup := bootHDMI(t, "bochs-display,romfile=,xres=1280,yres=720", vtcon.FontSize{Width: 12, Height: 24}, 106, 30)
	v.savePNG(img, "hdmi-720p-bochs-12x24.png")
	if !strings.Contains(setup, "font NVR Console 12x24 for 1280x720") || !strings.Contains(setup, "palette set") {
		t.Errorf("console set-up line %q: want our 12x24 font for 1280x720 and the palette", setup)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 720 {
		t.Errorf("screendump %dx%d, want 1280x720", b.Dx(), b.Dy())
	}
	if bg := cellBackground(img, vtcon.Font(vtcon.FontSize{Width: 12, Height: 24}), 0, 1); bg != vtcon.Palette[4] {
		t.Errorf("the menu's background is %v, want our navy %v", bg, vtcon.Palette[4])
	}
}

// TestHDMIConsoleOnQEMU runs the daemon on the framebuffer console (tty1
// of a 1920x1080 virtio-gpu display, guest/hdmi.toml) and checks from the
// screendump's pixels alone what it set up: our 16x32 font (the menu's
// frame corners and lines are our glyphs, in a grid of 120 columns of 16
// pixels), our palette (the menu's navy is #000080, not the console's
// #0000AA); that a resize of the console by the kernel (stty on tty1, no
// SIGWINCH reaches the daemon) redraws the menu at the new size; that
// SIGTERM puts the console's font and palette back; and that after a
// kill -9 the next daemon recognises our font and puts the kernel's back.
func TestHDMIConsoleOnQEMU(t *testing.T) {
	font := vtcon.Font(vtcon.FontSize{Width: 16, Height: 32})
	v, img, setup := bootHDMI(t, "virtio-gpu-pci,xres=1920,yres=1080", vtcon.FontSize{Width: 16, Height: 32}, 120, 33)
	if !strings.Contains(setup, "font NVR Console 16x32 for 1920x1080") || !strings.Contains(setup, "palette set") || !strings.Contains(setup, "keymap it") {
		t.Errorf("console set-up line %q: want our 16x32 font for 1920x1080, the palette and the it keymap", setup)
	}
	v.savePNG(img, "hdmi-1080p-16x32.png")
	if b := img.Bounds(); b.Dx() != 1920 || b.Dy() != 1080 {
		t.Fatalf("screendump %dx%d, want 1920x1080", b.Dx(), b.Dy())
	}
	if bg := cellBackground(img, font, 0, 1); bg != vtcon.Palette[4] {
		t.Errorf("the menu's background is %v, want our navy %v", bg, vtcon.Palette[4])
	}

	// The kernel resizes the console (as fbcon does for another monitor):
	// the menu redraws in 100 columns.
	if out, err := v.guest("stty -F /dev/tty1 cols 100 rows 30"); err != nil {
		t.Fatalf("stty: %v: %s", err, out)
	}
	v.waitLog("console resized", 1, screenLimit)
	img = v.waitScreen("the menu's frame in 100x30 cells", func(img *image.RGBA) bool { return frameEnds(img, font, 100, 30) })
	v.savePNG(img, "hdmi-resized-100x30.png")

	// SIGTERM: the daemon puts the console back before it exits.
	v.stopDaemon("TERM", 1)
	v.checkConsoleRestored(font)

	// kill -9: our font and palette stay on screen; the next daemon
	// recognises the font and, at its exit, loads the kernel's.
	v.startDaemon(2)
	v.stopDaemon("KILL", 0)
	img = v.printed()
	if bg := dominant(img, image.Rect(0, 0, 16, 32)); bg != vtcon.Palette[4] {
		t.Errorf("after kill -9, colour 4 is %v, want ours %v still", bg, vtcon.Palette[4])
	}
	// Bold colour 3 is drawn in bright colour 11 (the intensity bit), with
	// our 512-glyph font too: what the menu's bright foregrounds rely on.
	if ink := inkColour(img, image.Rect(0, 0, 32, 32)); ink != vtcon.Palette[11] {
		t.Errorf("ESC[1;33m draws in %v, want bright yellow %v (colour 11); plain 3 is %v", ink, vtcon.Palette[11], vtcon.Palette[3])
	}
	v.startDaemon(3)
	if line := v.waitLog("msg=console", 3, screenLimit); !strings.Contains(line, "our font was already on screen") {
		t.Errorf("after kill -9 the daemon says %q: want it to find our font on screen", line)
	}
	v.stopDaemon("TERM", 2)
	v.checkConsoleRestored(font)
}

// frameEnds reports whether the screen holds a frame of cols x rows cells
// drawn with font: its four corners (single or double lines) and a
// horizontal line next to the top left one.
func frameEnds(img *image.RGBA, font *psf.Font, cols, rows int) bool {
	return cellIs(img, font, 0, 0, '╔', '┌') && cellIs(img, font, 1, 0, '═', '─') && cellIs(img, font, cols-1, 0, '╗', '┐') &&
		cellIs(img, font, 0, rows-1, '╚', '└') && cellIs(img, font, cols-1, rows-1, '╝', '┘')
}

// cellIs reports whether cell x, y shows one of the runes in font: its
// pixels of the background colour are exactly the glyph's unset ones.
func cellIs(img *image.RGBA, font *psf.Font, x, y int, runes ...rune) bool {
	r := image.Rect(x*font.Width, y*font.Height, (x+1)*font.Width, (y+1)*font.Height)
	if !r.In(img.Bounds()) {
		return false
	}
	bg := dominant(img, r)
	for _, want := range runes {
		g, ok := font.Index(want)
		if !ok {
			continue
		}
		match := true
		for py := 0; py < font.Height && match; py++ {
			for px := 0; px < font.Width; px++ {
				ink := img.RGBAAt(r.Min.X+px, r.Min.Y+py) != bg
				if ink != font.Pixel(g, px, py) {
					match = false
					break
				}
			}
		}
		if match {
			return true
		}
	}
	return false
}

// cellBackground is the most common colour of cell x, y.
func cellBackground(img *image.RGBA, font *psf.Font, x, y int) color.RGBA {
	return dominant(img, image.Rect(x*font.Width, y*font.Height, (x+1)*font.Width, (y+1)*font.Height))
}

// dominant is the most common colour in r.
func dominant(img *image.RGBA, r image.Rectangle) color.RGBA {
	count := map[color.RGBA]int{}
	var best color.RGBA
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			count[c]++
			if count[c] > count[best] {
				best = c
			}
		}
	}
	return best
}

// inkColour is the most common colour in r after its background's.
func inkColour(img *image.RGBA, r image.Rectangle) color.RGBA {
	bg := dominant(img, r)
	count := map[color.RGBA]int{}
	var best color.RGBA
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c := img.RGBAAt(x, y); c != bg {
				if count[c]++; count[c] > count[best] {
					best = c
				}
			}
		}
	}
	return best
}

// checkConsoleRestored writes "XX" on blue (colour 4) at the top left of
// the stopped daemon's console and checks that neither the palette nor
// the font is ours any more.
func (v *vm) checkConsoleRestored(font *psf.Font) {
	v.t.Helper()
	img := v.printed()
	if bg := dominant(img, image.Rect(0, 0, 8, 16)); bg == vtcon.Palette[4] {
		v.t.Errorf("after the daemon's exit colour 4 is still our %v", bg)
	} else {
		v.t.Logf("after the daemon's exit colour 4 is %v (the console's default)", bg)
	}
	if cellIs(img, font, 0, 0, 'X') {
		v.t.Error("after the daemon's exit the console still draws with our 16x32 font")
	}
}

// printed clears the console (to colour 0, black in both palettes), writes
// "XX" in bold colour 3 on colour 4 at its top left and returns the screen.
func (v *vm) printed() *image.RGBA {
	v.t.Helper()
	if out, err := v.guest(`printf '\033[0m\033[H\033[2J\033[1;33;44mXX\033[0m' >/dev/tty1`); err != nil {
		v.fatalf("writing to tty1: %v: %s", err, out)
	}
	black := color.RGBA{0, 0, 0, 0xff}
	return v.waitScreen("XX on colour 4 on a cleared screen", func(i *image.RGBA) bool {
		return dominant(i, image.Rect(0, 0, 8, 16)) != black && dominant(i, image.Rect(400, 400, 408, 416)) == black
	})
}

// stopDaemon holds init's restart and sends the daemon a signal; for TERM
// it waits for its n-th "stopped by signal", for KILL until it is gone.
func (v *vm) stopDaemon(signal string, n int) {
	v.t.Helper()
	pid := v.daemonPID()
	if out, err := v.guest(fmt.Sprintf("touch /tmp/nvr-menud.hold; kill -%s %d", signal, pid)); err != nil {
		v.fatalf("kill -%s: %v: %s", signal, err, out)
	}
	if signal == "TERM" {
		v.waitLog("stopped by signal", n, screenLimit)
	}
	deadline := time.Now().Add(screenLimit)
	for {
		out, _ := v.guest("pidof nvr-menud || echo gone")
		if strings.TrimSpace(out) == "gone" {
			return
		}
		if time.Now().After(deadline) {
			v.fatalf("nvr-menud (pid %d) still runs after kill -%s", pid, signal)
		}
		time.Sleep(pollEvery)
	}
}

// startDaemon lets init start the daemon again and waits for its n-th
// "menu started".
func (v *vm) startDaemon(n int) {
	v.t.Helper()
	if out, err := v.guest("rm -f /tmp/nvr-menud.hold"); err != nil {
		v.fatalf("guest: %v: %s", err, out)
	}
	v.waitLog("menu started", n, screenLimit)
}

// waitLog waits until the daemon's log has n lines containing text and
// returns the n-th.
func (v *vm) waitLog(text string, n int, limit time.Duration) string {
	v.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		out, err := v.guest("cat /var/log/nvr-menud.log")
		if err == nil {
			seen := 0
			sc := bufio.NewScanner(strings.NewReader(out))
			for sc.Scan() {
				if strings.Contains(sc.Text(), text) {
					if seen++; seen == n {
						return sc.Text()
					}
				}
			}
		}
		if time.Now().After(deadline) {
			v.fatalf("waiting %v for %q (%d) in the daemon's log:\n%s", limit, text, n, out)
		}
		time.Sleep(pollEvery)
	}
}

// waitScreen takes screendumps until cond holds for one, and returns it.
func (v *vm) waitScreen(what string, cond func(*image.RGBA) bool) *image.RGBA {
	v.t.Helper()
	deadline := time.Now().Add(screenLimit)
	path := v.path("screen.ppm")
	for {
		img := v.screendump(path)
		if cond(img) {
			return img
		}
		if time.Now().After(deadline) {
			v.savePNG(img, "timeout.png")
			v.fatalf("waiting %v for %s on the screen: timed out", screenLimit, what)
		}
		time.Sleep(pollEvery)
	}
}

// screendump reads the display through QEMU's monitor.
func (v *vm) screendump(path string) *image.RGBA {
	v.t.Helper()
	v.monitorDo("screendump " + path)
	data, err := os.ReadFile(path)
	if err != nil {
		v.fatalf("screendump: %v", err)
	}
	img, err := parsePPM(data)
	if err != nil {
		v.fatalf("screendump %s: %v", path, err)
	}
	return img
}

// savePNG keeps a picture of the screen in the directory that
// NVRMENU_QEMU_SHOTS names, if it does.
func (v *vm) savePNG(img *image.RGBA, name string) {
	dir := os.Getenv("NVRMENU_QEMU_SHOTS")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return
	}
	defer f.Close()
	pngEncode(f, img)
}

// parsePPM decodes a binary PPM (P6, maxval 255), as QEMU's screendump
// writes it.
func parsePPM(data []byte) (*image.RGBA, error) {
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
			return nil, fmt.Errorf("not a PPM header")
		}
		fields = append(fields, string(rest[:i]))
		rest = rest[i:]
	}
	rest = rest[1:] // the one whitespace byte after maxval
	w, err1 := strconv.Atoi(fields[1])
	h, err2 := strconv.Atoi(fields[2])
	if fields[0] != "P6" || fields[3] != "255" || err1 != nil || err2 != nil || len(rest) < w*h*3 {
		return nil, fmt.Errorf("PPM %v with %d bytes of pixels: want P6, maxval 255", fields, len(rest))
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = rest[3*i], rest[3*i+1], rest[3*i+2], 0xff
	}
	return img, nil
}

func pngEncode(f *os.File, img *image.RGBA) { png.Encode(f, img) }
