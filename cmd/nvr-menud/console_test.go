package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/config"
	"nvrmenu/internal/dirlock"
	"nvrmenu/internal/vtcon"
	"nvrmenu/menu"
)

// TestConsoleSetUpAndRestoredOnEveryRun: each run of the menu (the first,
// and the one after a SIGHUP reload) sets the console up before it opens
// the screen and puts it back when the menu stops; SIGTERM leaves nothing
// set up.
func TestConsoleSetUpAndRestoredOnEveryRun(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"state", "media"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	logFile := filepath.Join(dir, "log")
	conf := "state_dir = \"" + dir + "/state\"\n[usb]\nsource = \"dirs\"\nmedia_root = \"" + dir + "/media\"\n[console]\nmouse = \"\"\nfont = \"16x32\"\nkeymap = \"it\"\n[log]\nfile = \"" + logFile + "\"\n"
	path := filepath.Join(dir, "config.toml")
	os.WriteFile(path, []byte(conf), 0o644)

	var mu sync.Mutex
	var events []string
	d, _, _ := testDaemon()
	d.setupConsole = func(cc config.Console, _ *slog.Logger) console {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, "setup "+cc.Font+" "+cc.Keymap)
		return console{
			display: menu.Display{Console: true, CellWidth: 16, CellHeight: 32},
			restore: func() error {
				mu.Lock()
				defer mu.Unlock()
				events = append(events, "restore")
				return nil
			},
		}
	}
	code := make(chan int, 1)
	go func() { code <- d.main([]string{"-config", path}) }()
	log := func() string { b, _ := os.ReadFile(logFile); return string(b) }
	waitLog(t, log, "menu started")
	d.signals <- syscall.SIGHUP
	waitLog(t, log, "configuration reloaded")
	waitLog(t, func() string { return strings.Replace(log(), "menu started", "", 1) }, "menu started")
	stopWithSIGTERM(t, d, code)
	mu.Lock()
	defer mu.Unlock()
	want := "setup 16x32 it, restore, setup 16x32 it, restore"
	if got := strings.Join(events, ", "); got != want {
		t.Errorf("console events: %s; want %s", got, want)
	}
}

// TestConsoleOnATerminalThatIsNotAVT: the real set-up on a terminal that is
// not a virtual console (here /dev/null; the demo's terminal emulator
// answers the same) tells the menu nothing, so today's colours and glyphs
// stay.
func TestConsoleOnATerminalThatIsNotAVT(t *testing.T) {
	c := setupConsole(config.Console{TTY: "/dev/null", Font: "auto", Keymap: "it"}, slog.New(slog.DiscardHandler))
	if c.display.Console || c.display.HasGlyph != nil || c.display.CellWidth != 0 {
		t.Errorf("display %+v, want the zero value", c.display)
	}
	if err := c.restore(); err != nil {
		t.Error(err)
	}
}

// TestConfigFontsAreShipped holds config's console.font values to the
// sizes vtcon ships.
func TestConfigFontsAreShipped(t *testing.T) {
	for _, v := range []string{"auto", "keep", "8x16", "12x24", "16x32"} {
		cfg := config.Default()
		cfg.Console.Font = v
		if err := cfg.Validate(); err != nil {
			t.Fatalf("config refuses font %q: %v", v, err)
		}
		if _, err := vtcon.ParseFontChoice(v); err != nil {
			t.Errorf("config takes font %q, vtcon does not: %v", v, err)
		}
	}
	for _, s := range vtcon.FontSizes {
		cfg := config.Default()
		cfg.Console.Font = s.String()
		if err := cfg.Validate(); err != nil {
			t.Errorf("vtcon ships %v, config refuses it: %v", s, err)
		}
	}
	for _, k := range vtcon.Keymaps() {
		cfg := config.Default()
		cfg.Console.Keymap = k
		if err := cfg.Validate(); err != nil {
			t.Errorf("vtcon ships keymap %s, config refuses it: %v", k, err)
		}
	}
}

// panicScreen is a screen whose Init panics, as a bug below the menu would.
type panicScreen struct{ tcell.SimulationScreen }

func (panicScreen) Init() error { panic("screen exploded") }

// TestConsoleRestoredOnPanic: a panic while the menu runs closes the
// screen, then puts the console back, and the daemon exits 1 for init.
func TestConsoleRestoredOnPanic(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"state", "media"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	logFile := filepath.Join(dir, "log")
	path := filepath.Join(dir, "config.toml")
	os.WriteFile(path, []byte("state_dir = \""+dir+"/state\"\n[usb]\nsource = \"dirs\"\nmedia_root = \""+dir+"/media\"\n[console]\nmouse = \"\"\n[log]\nfile = \""+logFile+"\"\n"), 0o644)
	var events []string // set up and read on the daemon's goroutine, then here after it ends
	d, _, _ := testDaemon()
	d.newScreen = func(string) (tcell.Screen, error) {
		events = append(events, "screen")
		return panicScreen{tcell.NewSimulationScreen("UTF-8")}, nil
	}
	d.setupConsole = func(config.Console, *slog.Logger) console {
		events = append(events, "setup")
		return console{restore: func() error { events = append(events, "restore"); return nil }}
	}
	if code := d.main([]string{"-config", path}); code != exitFailed {
		t.Errorf("exit %d after a panic, want %d", code, exitFailed)
	}
	if got, want := strings.Join(events, ", "), "setup, screen, restore"; got != want {
		t.Errorf("events %s, want %s", got, want)
	}
	if b, _ := os.ReadFile(logFile); !strings.Contains(string(b), "screen exploded") {
		t.Errorf("the panic is not in the log:\n%s", b)
	}
}

// TestFaultScreensSetTheConsoleUp: the fault screens a fresh or broken
// state directory shows are drawn on a console set up as the menu's (our
// font, palette and keymap), which is put back when they close. Without
// it the recorder's monitor showed the fault in the kernel's font, at
// another grid, with the menu's palette slots unset (the QEMU bench's
// TestFreshRecorder found it).
func TestFaultScreensSetTheConsoleUp(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, state string)
		want    string // in the log once the fault screen shows
	}{
		{"no state directory", func(*testing.T, string) {}, "state directory unusable"},
		{"a FIFO at the lock file", func(t *testing.T, state string) {
			os.Mkdir(state, 0o700)
			if err := syscall.Mkfifo(filepath.Join(state, dirlock.FileName), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "remove what is in the way"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			state, logFile := filepath.Join(dir, "state"), filepath.Join(dir, "log")
			tc.prepare(t, state)
			path := filepath.Join(dir, "config.toml")
			os.WriteFile(path, []byte("state_dir = \""+state+"\"\n[usb]\nsource = \"dirs\"\nmedia_root = \""+dir+"\"\n[console]\nmouse = \"\"\n[log]\nfile = \""+logFile+"\"\n"), 0o644)
			var mu sync.Mutex
			var events []string
			event := func(e string) { mu.Lock(); events = append(events, e); mu.Unlock() }
			d, _, _ := testDaemon()
			newScreen := d.newScreen
			d.newScreen = func(tty string) (tcell.Screen, error) { event("screen"); return newScreen(tty) }
			d.setupConsole = func(config.Console, *slog.Logger) console {
				event("setup")
				return console{restore: func() error { event("restore"); return nil }}
			}
			code := make(chan int, 1)
			go func() { code <- d.main([]string{"-config", path}) }()
			waitLog(t, func() string { b, _ := os.ReadFile(logFile); return string(b) }, tc.want)
			stopWithSIGTERM(t, d, code)
			mu.Lock()
			defer mu.Unlock()
			if got, want := strings.Join(events, ", "), "setup, screen, restore"; got != want {
				t.Errorf("events %s, want %s", got, want)
			}
		})
	}
}

// TestTerminalMouseFollowsTheConsolesTerm: on a virtual console started
// with another TERM (BusyBox init's vt102), the console set-up makes it
// linux before the menu is told whether the terminal reports the mouse:
// the Linux console does not, and asking it made tcell read the reports
// as keys. The stub does what setupConsole does on a VT.
func TestTerminalMouseFollowsTheConsolesTerm(t *testing.T) {
	t.Setenv("TERM", "vt102")
	dir := t.TempDir()
	for _, sub := range []string{"state", "media"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	logFile := filepath.Join(dir, "log")
	path := filepath.Join(dir, "config.toml")
	os.WriteFile(path, []byte("state_dir = \""+dir+"/state\"\n[usb]\nsource = \"dirs\"\nmedia_root = \""+dir+"/media\"\n[console]\nmouse = \"\"\n[log]\nfile = \""+logFile+"\"\n[web]\nlisten = \"\"\n[sadp]\nenabled = false\n"), 0o644)
	d, _, _ := testDaemon()
	d.setupConsole = func(config.Console, *slog.Logger) console {
		os.Setenv("TERM", "linux")
		return console{restore: func() error { os.Setenv("TERM", "vt102"); return nil }}
	}
	code := make(chan int, 1)
	go func() { code <- d.main([]string{"-config", path}) }()
	log := func() string { b, _ := os.ReadFile(logFile); return string(b) }
	waitLog(t, log, "menu started")
	stopWithSIGTERM(t, d, code)
	if !strings.Contains(log(), "terminal_mouse=false") {
		t.Errorf("the menu was told the Linux console reports the mouse:\n%s", log())
	}
	if got := os.Getenv("TERM"); got != "vt102" {
		t.Errorf("TERM after the console was put back: %q, want vt102", got)
	}
}
