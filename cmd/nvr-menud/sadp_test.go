package main

import (
	"errors"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"nvrmenu/config"
	"nvrmenu/internal/certfp"
	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
	"nvrmenu/sadp"
	"nvrmenu/texts"
)

// fakeListener stands for sadp.Listen: it records what was started and
// closed.
type fakeListener struct {
	mu      sync.Mutex
	started []sadp.Options
	open    int
	fail    error
}

type fakeResponder struct{ l *fakeListener }

func (f fakeResponder) Close() error {
	f.l.mu.Lock()
	defer f.l.mu.Unlock()
	f.l.open--
	return nil
}

func (l *fakeListener) listen(opts sadp.Options) (responder, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail != nil {
		return nil, l.fail
	}
	l.started = append(l.started, opts)
	l.open++
	return fakeResponder{l}, nil
}

func (l *fakeListener) state() (started, open int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.started), l.open
}

func TestDescribe(t *testing.T) {
	locked := &texts.Problem{Code: texts.CodeLocked, LockSeconds: 60}
	st := journey.Journey{Activated: true, Methods: []journey.Status{
		{Method: journey.Email, Offered: false, Why: &texts.Problem{Code: texts.CodeUnavailable}},
		{Method: journey.GUID, Offered: true, SetUp: true, Usable: true},
		{Method: journey.Questions, Offered: true, Expired: true, Why: &texts.Problem{Code: texts.CodeGUIDExpired}},
	}}
	got := describe(st, "NVRDEMO0000002", "NVR-DEMO")
	if got.Serial != "NVRDEMO0000002" || got.Model != "NVR-DEMO" || !got.Activated ||
		!got.GUID || got.Questions || got.Email || got.Locked || got.SoftwareVersion == "" {
		t.Errorf("describe: got %+v", got)
	}
	if got.HTTPPort != 0 || got.WebHost != "" || got.CertSHA256 != "" {
		t.Errorf("describe announces a web door of its own: %+v", got)
	}
	st.Methods[0] = journey.Status{Method: journey.Email, Offered: true, SetUp: true, Usable: true}
	st.Methods[2] = journey.Status{Method: journey.Questions, Offered: true, SetUp: true, Why: locked}
	if got := describe(st, "S", "M"); !got.Questions || !got.Email || !got.Locked {
		t.Errorf("every method ready and one locked: got %+v", got)
	}
	st = journey.Journey{Activated: true, LoginRefused: locked}
	if got := describe(st, "S", "M"); !got.Locked {
		t.Errorf("the login locked: got %+v", got)
	}
	if got := describe(journey.Journey{}, "S", "M"); got.Activated || got.GUID || got.Locked {
		t.Errorf("a fresh device: got %+v", got)
	}
}

// TestDeviceLockIsTheNetworkDoors: DeviceLock says whether the network
// doors are locked, on a real core: the console locked by failed logins
// does not show (it counts its failures apart), the web door's does.
func TestDeviceLockIsTheNetworkDoors(t *testing.T) {
	const pw = "Qv7#tNw2pLx9"
	core, err := recovery.Open(recovery.Options{
		StateDir: t.TempDir(), Serial: "NVRLOCK0000001",
		KDF:      recovery.KDFParams{MemoryKiB: 8, Time: 1, Threads: 1},
		Throttle: recovery.ThrottlePolicy{Burst: 10000, Every: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { core.Close() })
	s, err := core.Console().Activate(pw)
	if err != nil {
		t.Fatal(err)
	}
	s.Logout()
	locked := func() bool { return describe(core.JourneyOf(recovery.ClassNetwork), "S", "M").Locked }
	fail := func(d *recovery.Door) {
		var err error
		for i := 0; i < 20 && !errors.Is(err, recovery.ErrLocked); i++ {
			_, err = d.Login("admin", "wrong password")
		}
		if !errors.Is(err, recovery.ErrLocked) {
			t.Fatalf("%s: never locked: %v", d.Caller().Door, err)
		}
	}
	fail(core.Console())
	if locked() {
		t.Error("the console's login locked: DeviceLock true, want false (the network doors are open)")
	}
	fail(core.Door(recovery.Caller{Door: "web", Class: recovery.ClassNetwork, Addr: netip.MustParseAddr("198.51.100.20")}))
	if !locked() {
		t.Error("the web door's login locked: DeviceLock false, want true")
	}
}

// TestAnswerFingerprint: the web door's fingerprint, in the form the
// SADP extension element carries, is one the answer keeps (a malformed one
// would leave the extension out).
func TestAnswerFingerprint(t *testing.T) {
	fp := certfp.Of([]byte("a certificate"))
	if w := (&sadp.WebDoor{URL: "https://198.51.100.10:8443/", CertSHA256: fp.Hex()}); !w.Valid() {
		t.Errorf("the extension %+v is not valid: SADP answers would leave it out", w)
	}
}

func TestSADPDoorLifecycle(t *testing.T) {
	l := &fakeListener{}
	door := &sadpDoor{listen: l.listen, log: discardLog()}
	cfg := config.Default()
	if _, err := door.Describe(); !errors.Is(err, errNoCore) {
		t.Fatalf("before any menu: Describe gave %v, want errNoCore (no answer)", err)
	}

	door.attach(cfg, nil, webInfo{})
	if s, o := l.state(); s != 1 || o != 1 {
		t.Fatalf("first menu: %d started, %d open; want 1, 1", s, o)
	}
	door.detach()
	if _, err := door.Describe(); !errors.Is(err, errNoCore) {
		t.Errorf("between two menus: Describe gave %v, want errNoCore", err)
	}
	door.attach(cfg, nil, webInfo{}) // a reload that leaves [sadp] alone
	if s, o := l.state(); s != 1 || o != 1 {
		t.Errorf("reload without a [sadp] change: %d started, %d open; want the same responder", s, o)
	}
	cfg.SADP.Interfaces = []string{"eth0"}
	door.attach(cfg, nil, webInfo{})
	if s, o := l.state(); s != 2 || o != 1 || !slices.Equal(l.started[1].Interfaces, []string{"eth0"}) {
		t.Errorf("reload with new interfaces: %d started, %d open, options %+v; want a new responder on eth0", s, o, l.started[1])
	}
	cfg.SADP.Enabled = false
	door.attach(cfg, nil, webInfo{})
	if s, o := l.state(); s != 2 || o != 0 {
		t.Errorf("disabled: %d started, %d open; want it closed", s, o)
	}
	cfg.SADP.Enabled = true
	door.attach(cfg, nil, webInfo{})
	door.close()
	if _, o := l.state(); o != 0 {
		t.Errorf("after close: %d open", o)
	}

	// A responder that cannot start leaves the menu alone; the next
	// attach tries again.
	l.fail = errors.New("address in use")
	door.attach(cfg, nil, webInfo{})
	l.fail = nil
	door.attach(cfg, nil, webInfo{})
	if _, o := l.state(); o != 1 {
		t.Errorf("retry after a failed start: %d open, want 1", o)
	}
	door.close()
}

// TestSADPFollowsTheDaemon: the responder starts with the real menu, not
// on the fault screen, survives a reload that leaves [sadp] alone, is
// rebuilt by one that changes it, and closes when the daemon exits.
func TestSADPFollowsTheDaemon(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"state", "media"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	logFile := filepath.Join(dir, "log")
	base := "state_dir = \"" + dir + "/state\"\n[usb]\nsource = \"dirs\"\nmedia_root = \"" + dir + "/media\"\n[console]\nmouse = \"\"\n[log]\nlevel = \"debug\"\nfile = \"" + logFile + "\"\n"
	path := filepath.Join(dir, "config.toml")
	statePath := filepath.Join(dir, "state", "state.json")
	os.WriteFile(statePath, []byte("{broken"), 0o600)
	os.WriteFile(path, []byte(base), 0o644)
	d, _, _ := testDaemon()
	l := &fakeListener{}
	d.listenSADP = l.listen
	code := make(chan int, 1)
	go func() { code <- d.main([]string{"-config", path}) }()
	log := func() string { b, _ := os.ReadFile(logFile); return string(b) }
	waitLog(t, log, "name=fault")
	if s, _ := l.state(); s != 0 {
		t.Fatalf("SADP started on the fault screen (%d responders)", s)
	}

	os.Remove(statePath)
	d.signals <- syscall.SIGHUP
	waitLog(t, log, "name=activation")
	waitFor(t, func() bool { s, o := l.state(); return s == 1 && o == 1 }, "the responder to start with the real menu")

	os.WriteFile(path, []byte(base+"[device]\nmodel = \"NVR-OTHER\"\n"), 0o644)
	d.signals <- syscall.SIGHUP
	waitLog(t, log, "configuration reloaded")
	waitFor(t, func() bool { return strings.Count(log(), "name=activation") == 2 }, "the second menu")
	if s, o := l.state(); s != 1 || o != 1 {
		t.Errorf("reload without a [sadp] change: %d started, %d open; want the first responder kept", s, o)
	}
	// The doors start once the new menu's first frame is on screen.
	waitFor(t, func() bool { desc, err := d.sadp.Describe(); return err == nil && desc.Model == "NVR-OTHER" }, "the answers to say the new model")
	if desc, _ := d.sadp.Describe(); desc.Activated {
		t.Errorf("after the reload the answers say %+v; want not activated", desc)
	}

	os.WriteFile(path, []byte(base+"[sadp]\nany_subnet = true\n"), 0o644)
	d.signals <- syscall.SIGHUP
	waitFor(t, func() bool { s, o := l.state(); return s == 2 && o == 1 }, "a new responder for the new [sadp]")
	if !l.started[1].AnySubnet {
		t.Errorf("new responder options %+v: want AnySubnet", l.started[1])
	}

	d.signals <- syscall.SIGTERM
	if c := <-code; c != exitOK {
		t.Fatalf("exit %d", c)
	}
	if _, o := l.state(); o != 0 {
		t.Errorf("%d responders still open after the daemon exited", o)
	}
}

func TestDemoFlags(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"-serial", "NVRDEMO0000002"}, exitConfig, "-serial is for the demo"},
		{[]string{"-demo", dir, "-serial", "lower"}, exitConfig, "device.serial"},
		{[]string{"-demo", dir, "-sadp-interfaces", "eth0,eth0"}, exitConfig, "sadp.interfaces"},
		{[]string{"-demo", dir, "-web", "nocolon"}, exitConfig, "-web"},
		// #19.6: the language is a demo flag; -config is refused, saying
		// why, not silently ignored.
		{[]string{"-lang", "en"}, exitConfig, "-lang is for the demo"},
		{[]string{"-demo", dir, "-lang", "fr"}, exitConfig, `key language: "fr" is not one of it, en`},
		{[]string{"-demo", dir, "-config", "/etc/nvr-menu/config.toml"}, exitConfig, "-config is not for the demo: -demo makes its own configuration in " + dir},
	} {
		d, _, errb := testDaemon()
		if code := d.main(tc.args); code != tc.code || !strings.Contains(errb.String(), tc.err) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, errb.String(), tc.code, tc.err)
		}
	}
	demo, err := prepareDemo(dir)
	if err != nil {
		t.Fatal(err)
	}
	demo.flags = demoFlags{serial: "NVRDEMO0000002", interfaces: "veth0, eth1", web: "198.51.100.10:8443", lang: "en"}
	cfg, err := demo.config()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Device.Serial != "NVRDEMO0000002" || !slices.Equal(cfg.SADP.Interfaces, []string{"veth0", "eth1"}) || !cfg.SADP.Enabled || cfg.Web.Listen != "198.51.100.10:8443" || cfg.Language != "en" {
		t.Errorf("demo config from the flags: serial %q, sadp %+v, web %+v, language %q", cfg.Device.Serial, cfg.SADP, cfg.Web, cfg.Language)
	}
	if webBuilt && !strings.Contains(demo.help(), "https://198.51.100.10:8443/") {
		t.Errorf("demo help does not say where the web door is:\n%s", demo.help())
	}
}

// waitFor polls cond until it holds.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestDemoHintsWorkAsPrinted (#19.6): every command the demo's hints give
// runs as printed from the repository's root on the demo's own machine:
// the QR picture's name is a glob the shell expands; the fingerprint is
// asked of this very program (go run's binary is gone by the time anyone
// reads the hint); nvr-sadp list from this machine is answered
// (TestDemoAnswersItsOwnMachine has the responder's side).
func TestDemoHintsWorkAsPrinted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	demo, err := prepareDemo(dir)
	if err != nil {
		t.Fatal(err)
	}
	help := demo.help()
	if strings.Contains(help, "QR-....png") || !strings.Contains(help, filepath.Join(dir, "media")+"/STICK/QR-*.png") {
		t.Errorf("the vendor's hint names no file a shell finds:\n%s", help)
	}
	if !strings.Contains(help, "reset") {
		t.Errorf("the hints do not say how to get the terminal back after a kill -9:\n%s", help)
	}
	for _, tc := range []struct{ arg0, want string }{
		{"/tmp/go-build1234/b001/exe/nvr-menud", "go run ./cmd/nvr-menud"},
		{"./out/nvr-menud", "./out/nvr-menud"},
		{"nvr-menud", "nvr-menud"},
	} {
		if got := selfCommand(tc.arg0); got != tc.want {
			t.Errorf("selfCommand(%q) = %q, want %q", tc.arg0, got, tc.want)
		}
	}
	if webBuilt && !strings.Contains(help, selfCommand(os.Args[0])+" -demo "+dir+" -fingerprint") {
		t.Errorf("the fingerprint's hint is not this program's:\n%s", help)
	}
}

// TestDemoAnswersItsOwnMachine: the demo's responder answers probes from
// this machine's own addresses (nvr-sadp list beside it), which a
// recorder's refuses as a loop.
func TestDemoAnswersItsOwnMachine(t *testing.T) {
	for _, demo := range []bool{false, true} {
		l := &fakeListener{}
		s := &sadpDoor{listen: l.listen, log: discardLog(), ownHost: demo}
		s.attach(config.Default(), nil, webInfo{})
		l.mu.Lock()
		opts := l.started[len(l.started)-1]
		l.mu.Unlock()
		if opts.OwnHost != demo {
			t.Errorf("demo %v: the responder's OwnHost is %v", demo, opts.OwnHost)
		}
		s.close()
	}
}
