package vtcon

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Options say what Setup sets up on the console.
type Options struct {
	// Font is console.font: "auto" (the default), "keep", or a shipped
	// size such as "16x32".
	Font string
	// Keymap is console.keymap: "us" (the default, also for ""), "it" or
	// "keep".
	Keymap string
	// Graphics is where sysfs keeps the framebuffers
	// (/sys/class/graphics when empty); Dev holds their device nodes (/dev).
	Graphics, Dev string
}

// Console is a terminal the daemon draws on, set up for the menu when it
// is a Linux virtual console. Restore puts back what Setup changed.
type Console struct {
	path string
	f    *os.File
	vt   int // 1-based; 0: not a virtual console

	palette bool
	font    *savedFont    // what to put back; nil: the font was not changed
	loaded  FontSize      // our font on screen; zero when not loaded
	took    time.Duration // loading it (font and Unicode map)
	cell    FontSize      // the font on screen, zero when unknown
	has     func(rune) bool
	screen  string // the screen's pixel size and where it was read, for the log
	keymap  string // the layout loaded, "" when none
	keys    *keymap
	keysWas *keymap // what Restore puts back
	notes   []string

	restore sync.Once
}

// savedFont is the font and Unicode map Restore loads again. kernelDefault
// is set when the font found on screen was our own (a daemon killed before
// it could restore): Restore then loads the kernel's built-in font.
type savedFont struct {
	width, height, count int
	data                 []byte
	unimap               []unipair
	kernelDefault        bool
}

// Setup opens tty ("" is the terminal we run in, /dev/tty) and, when it is
// a virtual console (KDGETMODE answers), sets our palette, font and keymap
// as opts say. On any other terminal it changes nothing. A step that fails
// (no permission, a console in graphics mode) is skipped and noted in
// Summary; the menu is then told what the console really shows. Setup fails
// only when the terminal cannot be opened.
func Setup(tty string, opts Options) (*Console, error) {
	c := &Console{path: tty}
	if c.path == "" {
		c.path = "/dev/tty"
	}
	f, err := os.OpenFile(c.path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return c, fmt.Errorf("console %s: %w", c.path, err)
	}
	fd := int(f.Fd())
	mode, err := getMode(fd)
	if err != nil {
		f.Close() // not a virtual console: a terminal emulator, a serial line
		return c, nil
	}
	c.f = f
	c.vt = vtNumber(fd)

	if _, err := f.Write(PaletteSequence()); err != nil {
		c.note("palette not set: %v", err)
	} else {
		c.palette = true
	}

	if mode != kdText {
		c.note("console in graphics mode (%d): font left alone", mode)
	} else {
		c.setupFont(fd, opts)
	}
	switch opts.Keymap {
	case "keep":
	case "":
		c.setupKeymap(fd, "us")
	default:
		c.setupKeymap(fd, opts.Keymap)
	}
	return c, nil
}

func (c *Console) note(format string, args ...any) {
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// vtNumber is the console's number: the minor of /dev/ttyN, or the active
// console for /dev/tty0 and /dev/console.
func vtNumber(fd int) int {
	var st unix.Stat_t
	if unix.Fstat(fd, &st) == nil && unix.Major(uint64(st.Rdev)) == ttyMajor {
		if n := int(unix.Minor(uint64(st.Rdev))); n >= 1 && n <= 63 {
			return n
		}
	}
	n, _ := activeVT(fd)
	return n
}

func (c *Console) setupFont(fd int, opts Options) {
	choice, err := ParseFontChoice(opts.Font)
	if err != nil {
		c.note("%v: font left alone", err)
		choice = FontChoice{Keep: true}
	}
	buf := make([]byte, maxKernelFont)
	w, h, n, err := fontGet(fd, buf)
	if err != nil {
		c.note("reading the font: %v: font left alone", err)
		return
	}
	c.cell = FontSize{w, h}
	current, err := unimapGet(fd)
	if err != nil {
		c.note("reading the Unicode map: %v: font left alone", err)
		return
	}
	c.has = glyphSet(current)
	saved := &savedFont{width: w, height: h, count: n, data: buf[:n*32*((w+7)/8)], unimap: current}
	if ours := isOurFont(saved); ours {
		// A daemon killed before it could restore left our font: what was
		// there before is lost, the kernel's built-in font is the best
		// guess of it.
		saved = &savedFont{kernelDefault: true}
		c.note("our font was already on screen (a daemon killed before it restored): the kernel's font comes back at exit")
	}
	if choice.Keep {
		if saved.kernelDefault {
			// "keep" means the firmware's font, not ours: the kernel's is
			// the best guess of it.
			c.font = saved
			err := c.restoreFont(fd)
			c.font = nil
			if err != nil {
				c.note("%v", err)
			}
			if w, h, _, err := fontGet(fd, nil); err == nil {
				c.cell = FontSize{w, h}
			}
			if m, err := unimapGet(fd); err == nil {
				c.has = glyphSet(m)
			}
		}
		return
	}
	size := choice.Size
	if choice.Auto {
		var sw, sh int
		sw, sh, c.screen = screenPixels(fd, c.vt, opts, c.cell)
		size = ChooseFontSize(sw, sh)
	}
	font := Font(size)
	start := time.Now()
	data, count, err := font.KernelData()
	if err == nil {
		err = fontSet(fd, size.Width, size.Height, count, data)
	}
	if err != nil {
		c.note("loading the %v font: %v", size, err)
		return
	}
	c.font = saved
	if err := unimapSet(fd, fontUnimap(font)); err != nil {
		c.note("loading the %v font's Unicode map: %v: previous font put back", size, err)
		c.restoreFont(fd)
		c.font = nil
		return
	}
	c.loaded, c.cell, c.has = size, size, FontHas
	c.took = time.Since(start)
}

// isOurFont reports whether the font read back is one of ours.
func isOurFont(f *savedFont) bool {
	for _, s := range FontSizes {
		if s.Width != f.width || s.Height != f.height {
			continue
		}
		data, n, err := Font(s).KernelData()
		if err == nil && n == f.count && bytes.Equal(data, f.data) {
			return true
		}
	}
	return false
}

func (c *Console) restoreFont(fd int) error {
	s := c.font
	var err error
	if s.kernelDefault {
		err = fontSetDefault(fd)
		if err == nil {
			err = unimapSet(fd, cp437Map)
		}
	} else {
		err = fontSet(fd, s.width, s.height, s.count, s.data)
		if err == nil {
			err = unimapSet(fd, s.unimap)
		}
	}
	if err != nil {
		return fmt.Errorf("console %s: putting the font back: %w", c.path, err)
	}
	return nil
}

func (c *Console) setupKeymap(fd int, name string) {
	m, err := lookupKeymap(name)
	if err != nil {
		c.note("%v: keymap left alone", err)
		return
	}
	var current keymap
	for t := range current {
		for k := range current[t] {
			v, err := keyGet(fd, uint8(t), uint8(k))
			if err != nil {
				c.note("reading keymap table %d key %d: %v: keymap left alone", t, k, err)
				return
			}
			current[t][k] = v
		}
	}
	was := &current
	if equalKeymap(was, m) && name != "us" {
		// Most likely left by a daemon killed before it restored: the
		// kernel's own layout is US.
		was = keymaps["us"]
	}
	if err := setKeys(fd, &current, m); err != nil {
		c.note("loading the %s keymap: %v: previous keymap put back", name, err)
		setKeys(fd, m, &current)
		return
	}
	c.keymap, c.keys, c.keysWas = name, m, was
}

// setKeys writes the entries of want that differ from have. Keycode 0 is
// left alone: it is no key, and the kernel reads back there whether the
// table is allocated (K_ALLOCATED, which it refuses to be written: a
// daemon killed with our keymap loaded left tables the kernel had not, and
// writing their entry 0 back failed with EINVAL).
func setKeys(fd int, have, want *keymap) error {
	for t := range want {
		for k, v := range want[t] {
			if k == 0 || have[t][k] == v {
				continue
			}
			if err := keySet(fd, uint8(t), uint8(k), v); err != nil {
				return fmt.Errorf("table %d key %d: %w", t, k, err)
			}
		}
	}
	return nil
}

// Restore puts back what Setup changed, in reverse order: the keymap, the
// font and its Unicode map (the kernel's built-in font if the one found was
// ours), the palette (ESC ] R: the console's default). It stops OnResize
// first. Call it after the screen is closed; it does its work once.
func (c *Console) Restore() error {
	var errs []error
	c.restore.Do(func() {
		if c.f == nil {
			return
		}
		stopResize(c.vt)
		fd := int(c.f.Fd())
		if c.keys != nil {
			if err := setKeys(fd, c.keys, c.keysWas); err != nil {
				errs = append(errs, fmt.Errorf("console %s: putting the keymap back: %w", c.path, err))
			}
		}

		if c.font != nil {
			if err := c.restoreFont(fd); err != nil {
				errs = append(errs, err)
			}
		}
		if c.palette {
			if _, err := c.f.WriteString(ResetPaletteSequence); err != nil {
				errs = append(errs, fmt.Errorf("console %s: resetting the palette: %w", c.path, err))
			}
		}
		c.f.Close()
	})
	return errors.Join(errs...)
}

// IsVT reports whether the terminal is a Linux virtual console.
func (c *Console) IsVT() bool { return c.vt != 0 }

// PaletteSet reports whether Palette is on screen.
func (c *Console) PaletteSet() bool { return c.palette }

// HasGlyph reports what the console's font draws: our font's runes when it
// is loaded, else what the console's Unicode map lists (and ASCII). It is
// nil on a terminal that is not a virtual console (a terminal emulator
// draws every rune).
func (c *Console) HasGlyph() func(rune) bool { return c.has }

// CellSize is the size in pixels of a character cell, zero when unknown.
func (c *Console) CellSize() FontSize { return c.cell }

// FontLoaded is the size of our font when Setup loaded it.
func (c *Console) FontLoaded() (FontSize, bool) { return c.loaded, c.loaded != FontSize{} }

// Summary says in one line what Setup did, for the log.
func (c *Console) Summary() string {
	if c.vt == 0 {
		return fmt.Sprintf("%s is not a virtual console: palette, font and keymap left alone", c.path)
	}
	var parts []string
	parts = append(parts, fmt.Sprintf("%s (VT %d)", c.path, c.vt))
	if c.palette {
		parts = append(parts, "palette set")
	}
	if s, ok := c.FontLoaded(); ok {
		f := "font " + FontName + " " + s.String()
		if c.screen != "" {
			f += " for " + c.screen
		}
		f += fmt.Sprintf(" in %.1f ms", float64(c.took.Microseconds())/1000)
		parts = append(parts, f)
	} else if c.cell != (FontSize{}) {
		parts = append(parts, "font kept ("+c.cell.String()+")")
	}
	if c.keymap != "" {
		parts = append(parts, "keymap "+c.keymap)
	} else {
		parts = append(parts, "keymap kept")
	}
	s := strings.Join(parts, ", ")
	if len(c.notes) > 0 {
		s += "; " + strings.Join(c.notes, "; ")
	}
	return s
}
