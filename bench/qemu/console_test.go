//go:build qemubench

package qemu

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"strings"
	"time"

	"nvrmenu/bench/qemu/pixels"
	"nvrmenu/internal/vtcon"
)

// consoleChecks, after the flows at 1080p, checks from the pixels what the
// daemon does to the console itself: a resize of the console by the kernel
// (stty on tty1, as fbcon does for another monitor; no SIGWINCH reaches
// the daemon) redraws the menu at the new size; SIGTERM puts the console's
// font and palette back; after a kill -9 our font and palette stay (bold
// colour 3 drawn in bright colour 11 with our 512-glyph font), and the
// next daemon recognises our font and, at its clean exit, gives the
// console back whole, with nothing in its log saying it could not: the
// kernel's font with the kernel's own Unicode map (È drawn as E, … as the
// ■ that stands for what the font lacks) and the kernel's keymap (the key
// the Italian layout types è with types [ again).
func (f *flow) consoleChecks() {
	h, t := f.h, f.t
	if out, err := h.guest("stty -F /dev/tty1 cols 100 rows 30"); err != nil {
		t.Fatalf("stty: %v: %s", err, out)
	}
	h.waitLog("console resized", 1, screenLimit)
	h.wait("resized-100x30", "the menu's title bar and footer in 100x30 cells", nil, func(s *pixels.Screen) bool { return frameEnds(s, 100, 30) })

	h.stopDaemon("TERM", 1)
	h.checkConsoleRestored()
	h.checkKernelFallbacks()

	h.startDaemon(2)
	h.stopDaemon("KILL", 0)
	img := h.printed()
	cw, ch := h.reader.Font().Width, h.reader.Font().Height
	// Our palette stays: entry 4 is our black, entry 0 (the cleared
	// screen) our navy.
	if bg := dominant(img, image.Rect(0, 0, cw, ch)); bg != vtcon.Loaded[4] {
		t.Errorf("after kill -9, colour 4 is %v, want ours %v still", bg, vtcon.Loaded[4])
	}
	if bg := dominant(img, image.Rect(400, 400, 408, 416)); bg != vtcon.Loaded[0] {
		t.Errorf("after kill -9, colour 0 is %v, want ours %v still", bg, vtcon.Loaded[0])
	}
	if ink := inkColour(img, image.Rect(0, 0, 2*cw, ch)); ink != vtcon.Loaded[11] {
		t.Errorf("ESC[1;33m draws in %v, want bright yellow %v (colour 11); plain 3 is %v", ink, vtcon.Loaded[11], vtcon.Loaded[3])
	}
	h.startDaemon(3)
	if line := h.waitLog("msg=console", 3, screenLimit); !strings.Contains(line, "our font was already on screen") {
		t.Errorf("after kill -9 the daemon says %q: want it to find our font on screen", line)
	}
	h.stopDaemon("TERM", 2)
	h.checkConsoleRestored()
	if out, _ := h.guest("grep -c 'console not restored' /var/log/nvr-menud.log"); strings.TrimSpace(out) != "0" {
		log, _ := h.guest("grep 'console not restored' /var/log/nvr-menud.log")
		t.Errorf("the daemon could not give the console back:\n%s", log)
	}
	h.checkKernelFallbacks()
	if typed := h.typedOnTTY1("bracket_left"); typed != "[" {
		t.Errorf("after the daemon's exit the key [ types %q on tty1: the keymap is not the kernel's", typed)
	}
}

// checkKernelFallbacks prints "EÈ■…" on the stopped daemon's console and
// checks from the pixels that the kernel's Unicode map is back whole: È
// drawn with E's glyph and … with ■'s, as the kernel's default map has
// them (an incomplete map draws both as an inverted "?").
func (h *hdmi) checkKernelFallbacks() {
	h.t.Helper()
	size, err := h.guest("stty -F /dev/tty1 size")
	var rows, cols int
	if _, serr := fmt.Sscan(size, &rows, &cols); err != nil || serr != nil || rows == 0 || cols == 0 {
		h.fatalf("the console's size: %q: %v %v", size, err, serr)
	}
	if out, err := h.guest(`printf '\033[0m\033[H\033[2J\033[1;37;40mE\303\210\342\226\240\342\200\246\033[0m' >/dev/tty1`); err != nil {
		h.fatalf("writing to tty1: %v: %s", err, out)
	}
	s, _ := h.screendump()
	h.save(s, "kernel-fallbacks")
	cw, ch := s.Image.Bounds().Dx()/cols, s.Image.Bounds().Dy()/rows
	cell := func(i int) *image.RGBA {
		return s.Image.SubImage(image.Rect(i*cw, 0, (i+1)*cw, ch)).(*image.RGBA)
	}
	same := func(a, b *image.RGBA) bool {
		for y := 0; y < ch; y++ {
			for x := 0; x < cw; x++ {
				if a.RGBAAt(a.Rect.Min.X+x, y) != b.RGBAAt(b.Rect.Min.X+x, y) {
					return false
				}
			}
		}
		return true
	}
	if !same(cell(0), cell(1)) {
		h.t.Errorf("È is not drawn as E on the kernel's %dx%d font: the kernel's Unicode map is not back", cw, ch)
	}
	if !same(cell(2), cell(3)) {
		h.t.Errorf("… is not drawn as ■ on the kernel's %dx%d font: the kernel's Unicode map is not back", cw, ch)
	}
}

// typedOnTTY1 sends keys (sendkey's names) to the console with a reader
// on tty1, then Enter, and returns the line it read.
func (h *hdmi) typedOnTTY1(keys ...string) string {
	h.t.Helper()
	if out, err := h.guest("(cat /dev/tty1 >/tmp/typed & echo $! >/tmp/typed.pid)"); err != nil {
		h.fatalf("reading tty1: %v: %s", err, out)
	}
	time.Sleep(300 * time.Millisecond)
	h.key(append(keys, "ret")...)
	time.Sleep(500 * time.Millisecond)
	out, err := h.guest("kill $(cat /tmp/typed.pid); cat /tmp/typed")
	if err != nil {
		h.fatalf("reading tty1: %v: %s", err, out)
	}
	return strings.TrimSpace(out)
}

// checkConsoleRestored writes "XX" on colour 4 at the top left of the
// stopped daemon's console and checks that neither the palette nor the
// font is ours any more: a cleared screen is black again (our entry 0 is
// the menu's navy), colour 4 the kernel's blue (ours is black).
func (h *hdmi) checkConsoleRestored() {
	h.t.Helper()
	img := h.printed()
	if bg := dominant(img, image.Rect(0, 0, 8, 16)); bg == vtcon.Loaded[4] {
		h.t.Errorf("after the daemon's exit colour 4 is still our %v", bg)
	} else {
		h.t.Logf("after the daemon's exit colour 4 is %v (the console's default)", bg)
	}
	if bg := dominant(img, image.Rect(400, 400, 408, 416)); bg != (color.RGBA{0, 0, 0, 0xff}) {
		h.t.Errorf("after the daemon's exit a cleared screen is %v, want black", bg)
	}
	if s := h.reader.Read(img); s.Cell(0, 0).Rune == 'X' {
		h.t.Errorf("after the daemon's exit the console still draws with our %dx%d font", s.CellWidth, s.CellHeight)
	}
}

// printed clears the console (to colour 0: our navy, or the kernel's
// black), writes "XX" in bold colour 3 on colour 4 (our black, or the
// kernel's blue) at its top left and returns the screen.
func (h *hdmi) printed() *image.RGBA {
	h.t.Helper()
	if out, err := h.guest(`printf '\033[0m\033[H\033[2J\033[1;33;44mXX\033[0m' >/dev/tty1`); err != nil {
		h.fatalf("writing to tty1: %v: %s", err, out)
	}
	black := color.RGBA{0, 0, 0, 0xff}
	deadline := time.Now().Add(screenLimit)
	for {
		s, _ := h.screendump()
		xx, cleared := dominant(s.Image, image.Rect(0, 0, 8, 16)), dominant(s.Image, image.Rect(400, 400, 408, 416))
		if xx != cleared && (cleared == black || cleared == vtcon.Loaded[0]) && uniform(s.Image, image.Rect(16, 100, 1000, 900)) {
			h.save(s, "printed")
			return s.Image
		}
		if time.Now().After(deadline) {
			h.fatalf("waiting %v for XX on colour 4 on a cleared screen: timed out", screenLimit)
		}
		time.Sleep(pollEvery)
	}
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

// uniform reports whether r is all one colour: the screen cleared.
func uniform(img *image.RGBA, r image.Rectangle) bool {
	c := img.RGBAAt(r.Min.X, r.Min.Y)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.RGBAAt(x, y) != c {
				return false
			}
		}
	}
	return true
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
