package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
)

// lockedBuffer is a stderr that many goroutines may write.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// testDaemon is the daemon on simulated screens, with signals sent by the
// test and a fake SADP responder (the real one would answer on the host's
// network; the network namespace tests run it).
func testDaemon() (*daemon, *lockedBuffer, *lockedBuffer) {
	out, errb := &lockedBuffer{}, &lockedBuffer{}
	d := &daemon{
		stdout:  out,
		stderr:  errb,
		signals: make(chan os.Signal, 4),
		newScreen: func(string) (tcell.Screen, error) {
			return tcell.NewSimulationScreen("UTF-8"), nil
		},
		listenSADP: (&fakeListener{}).listen,
	}
	return d, out, errb
}

// waitLog polls text (a log) until it holds want.
func waitLog(t *testing.T, text func() string, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(text(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %q in the log:\n%s", want, text())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestVersion(t *testing.T) {
	d, out, _ := testDaemon()
	if code := d.main([]string{"-version"}); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.HasPrefix(out.String(), "nvr-menud ") || !strings.Contains(out.String(), "commit") {
		t.Fatalf("version line %q", out.String())
	}
}

func TestBadConfigStopsWithOneLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(path, []byte("language = \"it\"\n[usb]\nsource = \"floppy\"\n"), 0o644)
	d, _, errb := testDaemon()
	if code := d.main([]string{"-config", path}); code != exitConfig {
		t.Fatalf("exit %d, want %d", code, exitConfig)
	}
	got := errb.String()
	if strings.Count(got, "\n") != 1 || !strings.Contains(got, path) || !strings.Contains(got, "usb.source") {
		t.Fatalf("stderr %q: want one line naming the file and the key", got)
	}
}

func TestCheckConfig(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	os.WriteFile(good, []byte("language = \"en\"\n[console]\ntty = \"/dev/tty1\"\n"), 0o644)
	weak := filepath.Join(dir, "weak.toml")
	os.WriteFile(weak, []byte("[recovery]\nvendor_public_key = \"nvrvk1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"\n"), 0o644)
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[console]\ntty = \"tty1\"\n"), 0o644)
	for _, tc := range []struct {
		name, path string
		code       int
		out, err   string
	}{
		{"valid", good, exitOK, "configuration valid", ""},
		{"invalid", bad, exitConfig, "", "console.tty"},
		// Well-formed but a low-order point: the daemon would refuse it.
		{"weak vendor key", weak, exitConfig, "", "recovery.vendor_public_key"},
		// No file: the daemon runs on the embedded default, which is
		// what -check checks, and says.
		{"missing", filepath.Join(dir, "nope.toml"), exitOK, "no configuration file at " + filepath.Join(dir, "nope.toml") + ": the daemon runs on the embedded default", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, out, errb := testDaemon()
			if code := d.main([]string{"-check", "-config", tc.path}); code != tc.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tc.code, errb.String())
			}
			if !strings.Contains(out.String(), tc.out) || !strings.Contains(errb.String(), tc.err) {
				t.Fatalf("stdout %q, stderr %q", out.String(), errb.String())
			}
		})
	}
}

// TestCorruptStateShowsAFault: a state file that does not load is never
// rewritten; the console says so (not a blank screen restarted by init every
// second) until the file is restored and SIGHUP tries again.
func TestCorruptStateShowsAFault(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"state", "media"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	statePath := filepath.Join(dir, "state", "state.json")
	corrupt := []byte("{\"version\": 1, \"admin\": ")
	os.WriteFile(statePath, corrupt, 0o600)
	logFile := filepath.Join(dir, "log")
	path := filepath.Join(dir, "config.toml")
	os.WriteFile(path, []byte("language = \"en\"\nstate_dir = \""+dir+"/state\"\n[usb]\nsource = \"dirs\"\nmedia_root = \""+dir+"/media\"\n[console]\nmouse = \"\"\n[log]\nlevel = \"debug\"\nfile = \""+logFile+"\"\n[web]\nlisten = \"\"\n"), 0o644)
	d, _, _ := testDaemon()
	code := make(chan int, 1)
	go func() { code <- d.main([]string{"-config", path}) }()
	log := func() string { b, _ := os.ReadFile(logFile); return string(b) }
	waitLog(t, log, "recovery state unusable")
	// What the fault screen says is the menu's test (TestFaultScreen).
	waitLog(t, log, "name=fault")
	if got, _ := os.ReadFile(statePath); !bytes.Equal(got, corrupt) {
		t.Fatalf("the corrupt state file was changed: %q", got)
	}

	// The installer moves the file away (or restores a backup): SIGHUP
	// starts the menu on it, here a device to activate.
	os.Rename(statePath, statePath+".broken")
	d.signals <- syscall.SIGHUP
	waitLog(t, log, "configuration reloaded")
	waitLog(t, log, "name=activation")

	stopWithSIGTERM(t, d, code)
}

func TestConfigReloadOnSIGHUP(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"state", "media"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	logFile := filepath.Join(dir, "log")
	good := "state_dir = \"" + dir + "/state\"\n[usb]\nsource = \"dirs\"\nmedia_root = \"" + dir + "/media\"\n[console]\nmouse = \"\"\n[log]\nfile = \"" + logFile + "\"\n[web]\nlisten = \"\"\n"
	path := filepath.Join(dir, "config.toml")
	os.WriteFile(path, []byte(good), 0o644)
	d, _, _ := testDaemon()
	code := make(chan int, 1)
	go func() { code <- d.main([]string{"-config", path}) }()
	log := func() string { b, _ := os.ReadFile(logFile); return string(b) }
	waitLog(t, log, "menu started")

	// A broken file is refused; the menu keeps running.
	os.WriteFile(path, []byte(good+"bogus = 1\n"), 0o644)
	d.signals <- syscall.SIGHUP
	waitLog(t, log, "reload refused")
	if n := strings.Count(log(), "menu started"); n != 1 {
		t.Fatalf("menu restarted %d times on a refused reload", n-1)
	}

	// A good one is taken: the menu starts again on it.
	os.WriteFile(path, []byte(strings.Replace(good, "mouse = \"\"", "mouse = \"\"\nqr_blocks = \"full\"", 1)), 0o644)
	d.signals <- syscall.SIGHUP
	waitLog(t, log, "configuration reloaded")
	waitLog(t, func() string { return strings.Replace(log(), "menu started", "", 1) }, "menu started")

	stopWithSIGTERM(t, d, code)
}

func TestDemoMakesADevice(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	d, out, _ := testDaemon()
	code := make(chan int, 1)
	go func() { code <- d.main([]string{"-demo", dir}) }()
	logFile := filepath.Join(dir, "nvr-menud.log")
	readLog := func() string { b, _ := os.ReadFile(logFile); return string(b) }
	waitLog(t, readLog, "menu started")
	// The two mouse paths, each in its own words: the terminal's reports
	// (a terminal emulator's) and no mouse device (the demo has none).
	for _, want := range []string{"terminal_mouse=", `mouse_device="none configured"`} {
		if !strings.Contains(readLog(), want) {
			t.Errorf("the start line lacks %s:\n%s", want, readLog())
		}
	}
	// The hints are not printed while the menu runs (it would cover them):
	// the menu shows them (F1).
	if out.String() != "" {
		t.Errorf("printed while the menu runs: %q", out.String())
	}
	for _, p := range []string{"state", "media", "vendor.key"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("demo: %v", err)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "vendor.key")); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("vendor.key mode %v, want 0600", fi.Mode().Perm())
	}
	d.signals <- syscall.SIGINT
	if c := <-code; c != exitOK {
		t.Fatalf("exit %d", c)
	}
	if n := strings.Count(out.String(), "mkdir "+filepath.Join(dir, "media")); n != 1 {
		t.Fatalf("demo help printed %d times at exit, want once: %q", n, out.String())
	}
	// A second start reuses the device and its key.
	key, _ := os.ReadFile(filepath.Join(dir, "vendor.key"))
	if _, err := prepareDemo(dir); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "vendor.key")); !bytes.Equal(key, again) {
		t.Fatal("demo key replaced on restart")
	}
}

// freePort is a loopback address with a port nothing listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// stopWithSIGTERM sends d SIGTERM and wants d.main, whose exit code code
// receives, to end with exitOK.
func stopWithSIGTERM(t *testing.T, d *daemon, code <-chan int) {
	t.Helper()
	d.signals <- syscall.SIGTERM
	select {
	case c := <-code:
		if c != exitOK {
			t.Fatalf("exit %d after SIGTERM", c)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
}
