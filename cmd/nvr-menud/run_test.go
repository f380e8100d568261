package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
		// -check is for a file the installer wrote: a missing one is an
		// error here, though the daemon would run on the default.
		{"missing", filepath.Join(dir, "nope.toml"), exitConfig, "", "nope.toml"},
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

// TestHouseRules holds the design's lines: the daemon links no QR decoder
// (tests only), and the menu opens no file or device itself (its imports
// have no os or syscall: it asks the core and the watcher). The doors stay
// apart: sadp imports no other door and not the core (it asks its Device),
// the menu does not import sadp, and the installer's nvr-sadp (every
// package of it), built for macOS and Windows too, links neither the core,
// nor usb (Linux only), nor a door but sadp.
func TestHouseRules(t *testing.T) {
	list := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("go", append([]string{"list"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v: %s", err, out)
		}
		return string(out)
	}
	if deps := list("-deps", "nvrmenu/cmd/nvr-menud"); strings.Contains(deps, "gozxing") || !strings.Contains(deps, "nvrmenu/menu\n") {
		t.Error("nvr-menud links gozxing, or go list does not show its packages")
	}
	for _, rule := range []struct {
		pkg, goos, goarch string // "" is the test's own
		banned            []string
	}{
		{"nvrmenu/sadp", "linux", "", []string{"nvrmenu/menu", "nvrmenu/recovery", "nvrmenu/usb", "github.com/rivo/tview", "github.com/gdamore/tcell/v2"}},
		{"nvrmenu/menu", "linux", "", []string{"nvrmenu/sadp"}},
		{"nvrmenu/cmd/nvr-sadp/...", "linux", "", []string{"nvrmenu/recovery", "nvrmenu/usb", "nvrmenu/menu", "nvrmenu/web"}},
		{"nvrmenu/cmd/nvr-sadp/...", "windows", "amd64", []string{"nvrmenu/recovery", "nvrmenu/usb", "nvrmenu/menu", "nvrmenu/web"}},
		{"nvrmenu/cmd/nvr-sadp/...", "darwin", "arm64", []string{"nvrmenu/recovery", "nvrmenu/usb", "nvrmenu/menu", "nvrmenu/web"}},
		// The installer's client of the recorder's API and its pins know
		// nothing of SADP either: only the commands find recorders.
		{"nvrmenu/cmd/nvr-sadp/internal/recorder", "linux", "", []string{"nvrmenu/sadp", "nvrmenu/recovery", "nvrmenu/web"}},
		{"nvrmenu/cmd/nvr-sadp/internal/known", "linux", "", []string{"nvrmenu/sadp", "nvrmenu/recovery", "nvrmenu/web", "net/http"}},
	} {
		cmd := exec.Command("go", "list", "-deps", rule.pkg)
		cmd.Env = append(os.Environ(), "GOOS="+rule.goos, "CGO_ENABLED=0")
		if rule.goarch != "" {
			cmd.Env = append(cmd.Env, "GOARCH="+rule.goarch)
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s (GOOS=%s): %v: %s", rule.pkg, rule.goos, err, out)
		}
		deps := strings.Fields(string(out))
		for _, banned := range rule.banned {
			if slices.Contains(deps, banned) {
				t.Errorf("%s (GOOS=%s) depends on %s", rule.pkg, rule.goos, banned)
			}
		}
	}
	imports := list("-f", "{{.ImportPath}}: {{join .Imports \" \"}}", "nvrmenu/menu", "nvrmenu/menu/internal/...")
	for _, line := range strings.Split(strings.TrimSpace(imports), "\n") {
		for _, imp := range strings.Fields(line)[1:] {
			switch imp {
			case "os", "syscall", "golang.org/x/sys/unix", "os/exec", "io/fs", "path/filepath":
				t.Errorf("%s imports %s: the menu must not touch files or devices", strings.Fields(line)[0], imp)
			}
		}
	}
	// The catalogue and the password policy are leaves every door imports,
	// the installer's tool on macOS and Windows included.
	leaves := map[string][]string{"nvrmenu/texts": {"nvrmenu/internal/pwpolicy"}, "nvrmenu/internal/pwpolicy": nil}
	for pkg, allowed := range leaves {
		for _, dep := range strings.Fields(list("-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg)) {
			if strings.HasPrefix(dep, "nvrmenu/") && dep != pkg && !slices.Contains(allowed, dep) && !strings.HasPrefix(dep, pkg+"/") {
				t.Errorf("%s depends on %s: it must stay a leaf", pkg, dep)
			}
		}
	}
	// The two doors never import each other: each talks to the core
	// through interfaces it declares, and the daemon wires both.
	doorImports := list("-deps", "-f", "{{.ImportPath}}", "nvrmenu/web")
	for _, dep := range []string{"nvrmenu/menu", "nvrmenu/usb", "github.com/rivo/tview", "github.com/gdamore/tcell/v2"} {
		if strings.Contains(doorImports, dep+"\n") {
			t.Errorf("nvrmenu/web depends on %s: the web door and the menu never import each other", dep)
		}
	}
	if menuDeps := list("-deps", "-f", "{{.ImportPath}}", "nvrmenu/menu"); strings.Contains(menuDeps, "nvrmenu/web\n") || strings.Contains(menuDeps, "net/http\n") {
		t.Error("nvrmenu/menu depends on nvrmenu/web or net/http")
	}
	// The noweb daemon leaves the web door and its weight out.
	for _, dep := range strings.Fields(list("-tags", "noweb", "-deps", "nvrmenu/cmd/nvr-menud")) {
		switch dep {
		case "nvrmenu/web", "nvrmenu/internal/selfcert", "net/http", "crypto/tls", "html/template":
			t.Errorf("the noweb daemon links %s", dep)
		}
	}
	for _, goos := range []string{"windows", "darwin"} {
		cmd := exec.Command("go", "build", "-o", os.DevNull, "nvrmenu/texts", "nvrmenu/internal/pwpolicy")
		cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("the catalogue and the password policy do not build for %s: %v\n%s", goos, err, out)
		}
	}
}
