package main

import (
	"log/slog"
	"os"
	"syscall"

	"nvrmenu/config"
	"nvrmenu/internal/vtcon"
	"nvrmenu/menu"
)

// console is what the daemon did to its terminal before the menu opened
// it, and how to undo it.
type console struct {
	display menu.Display
	restore func() error
}

// setupConsole sets the terminal up for the menu when it is a Linux
// virtual console (the recorder's HDMI monitor): our palette, font and
// keymap (internal/vtcon), and a watch that raises SIGWINCH when the kernel
// resizes the console, on which tcell redraws at the new size. On any other
// terminal it changes nothing and the menu is told nothing. It logs one
// line saying what it did.
func setupConsole(cc config.Console, log *slog.Logger) console {
	c, err := vtcon.Setup(cc.TTY, vtcon.Options{Font: cc.Font, Keymap: cc.Keymap})
	if err != nil {
		// Opening the screen fails next, with its own message.
		log.Warn("console not set up", "err", err)
		return console{restore: func() error { return nil }}
	}
	log.Info("console", "setup", c.Summary())
	restoreTerm := func() {}
	if term, had := os.LookupEnv("TERM"); c.IsVT() && term != "linux" {
		// A virtual console is the Linux console whatever TERM says:
		// BusyBox init, when its own console is a serial line, starts
		// even tty1's process with TERM=vt102 (no colours, no frames).
		// Put back with the console, for a reload onto another terminal.
		log.Info("console: TERM=linux for the virtual console", "was", term)
		os.Setenv("TERM", "linux")
		restoreTerm = func() {
			if had {
				os.Setenv("TERM", term)
			} else {
				os.Unsetenv("TERM")
			}
		}
	}
	if err := c.OnResize(func() {
		log.Info("console resized: redrawing")
		syscall.Kill(os.Getpid(), syscall.SIGWINCH)
	}); err != nil {
		log.Warn("console: no resize watch: the menu redraws on SIGWINCH only", "err", err)
	}
	cell := c.CellSize()
	d := menu.Display{Console: c.PaletteSet(), HasGlyph: c.HasGlyph(), CellWidth: cell.Width, CellHeight: cell.Height}
	if has := d.HasGlyph; has != nil {
		// The console's own substitutes ("…" as "...", an accented
		// capital the font lacks as the bare letter), before layout.
		d.Substitute = func(s string) string { return vtcon.Substitute(s, has) }
	}
	return console{display: d, restore: func() error { restoreTerm(); return c.Restore() }}
}
