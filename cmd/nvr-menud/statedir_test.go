package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/sadp"
	"nvrmenu/texts"
)

// TestMissingStateDirWaits: a recorder whose state directory is not there
// (storage not mounted, never prepared) shows the fault screen with the
// folder and the command that makes it, and waits instead of exiting (init
// would respawn it for ever); when the folder appears it goes on to the
// menu by itself, and SIGTERM still ends it.
func TestMissingStateDirWaits(t *testing.T) {
	// Its parent there, or (a fresh root file system with no /var/lib)
	// two levels missing, made at once by mkdir -p.
	for _, rel := range []string{"state", "var/lib/nvr-menu"} {
		t.Run(rel, func(t *testing.T) { missingStateDirWaits(t, rel) })
	}
}

func missingStateDirWaits(t *testing.T, rel string) {
	dir := t.TempDir()
	state, media := filepath.Join(dir, rel), filepath.Join(dir, "media")
	os.Mkdir(media, 0o700)
	cfgPath := filepath.Join(dir, "config.toml")
	cfg := fmt.Sprintf("state_dir = %q\n[usb]\nsource = \"dirs\"\nmedia_root = %q\n[console]\nmouse = \"\"\n[web]\nlisten = \"\"\n[sadp]\nenabled = false\n", state, media)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	d, _, errb := testDaemon()
	screens := make(chan *snapScreen, 4)
	d.newScreen = func(string) (tcell.Screen, error) {
		s := &snapScreen{SimulationScreen: tcell.NewSimulationScreen("UTF-8")}
		screens <- s
		return s, nil
	}
	done := make(chan int, 1)
	go func() { done <- d.main([]string{"-config", cfgPath}) }()
	waitScreen := func(s *snapScreen, want ...string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			text := strings.Join(s.lines(), "\n")
			// Spaces and frames left out: a long path wraps where it will.
			flat := strings.Join(strings.Fields(strings.NewReplacer("║", " ", "│", " ").Replace(text)), "")
			ok := true
			for _, w := range want {
				if !strings.Contains(flat, strings.Join(strings.Fields(w), "")) {
					ok = false
				}
			}
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the screen never showed %q:\n%s\nstderr: %s", want, text, errb)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	cat, _ := texts.New("it")
	fault := <-screens
	waitScreen(fault, cat.T(texts.TitleFault), "mkdir -p -m 0700 "+state)
	select {
	case code := <-done:
		t.Fatalf("the daemon exited (%d) instead of waiting: %s", code, errb)
	default:
	}
	if err := os.MkdirAll(state, 0o700); err != nil {
		t.Fatal(err)
	}
	var menu *snapScreen
	select {
	case menu = <-screens:
	case code := <-done:
		t.Fatalf("the daemon exited (%d) when the folder appeared: %s", code, errb)
	case <-time.After(20 * time.Second):
		t.Fatal("the daemon did not go on when the folder appeared")
	}
	waitScreen(menu, cat.T(texts.TitleActivation))
	if _, err := os.Stat(filepath.Join(state, "nvr-menud.lock")); err != nil {
		t.Errorf("the daemon did not take the state directory: %v", err)
	}
	d.signals <- syscall.SIGTERM
	if code := <-done; code != exitOK {
		t.Fatalf("exit %d after SIGTERM: %s", code, errb)
	}
}

// TestMissingStateDirSIGTERM: SIGTERM ends the wait for a missing state
// directory with exit 0, having made nothing.
func TestMissingStateDirSIGTERM(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	cfgPath := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfgPath, []byte(fmt.Sprintf("state_dir = %q\n[web]\nlisten = \"\"\n[sadp]\nenabled = false\n", state)), 0o600); err != nil {
		t.Fatal(err)
	}
	d, _, errb := testDaemon()
	shown := make(chan *snapScreen, 1)
	d.newScreen = func(string) (tcell.Screen, error) {
		s := &snapScreen{SimulationScreen: tcell.NewSimulationScreen("UTF-8")}
		shown <- s
		return s, nil
	}
	done := make(chan int, 1)
	go func() { done <- d.main([]string{"-config", cfgPath}) }()
	<-shown
	d.signals <- syscall.SIGTERM
	if code := <-done; code != exitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("the daemon made the state directory: %v", err)
	}
}

// gatedScreen holds its first Show until the test opens the gate: the
// first frame is not on screen before.
type gatedScreen struct {
	*snapScreen
	gate  chan struct{}
	shown atomic.Bool
}

func (g *gatedScreen) Show() {
	if !g.shown.Swap(true) {
		<-g.gate
	}
	g.snapScreen.Show()
}

// TestDoorsStartAfterTheFirstFrame: the network doors start once the
// menu's first frame is on screen — nothing of theirs stands before it —
// and the activation screen then says what the web door is, in place.
func TestDoorsStartAfterTheFirstFrame(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"state", "media"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	cfgPath := filepath.Join(dir, "config.toml")
	cfg := fmt.Sprintf("state_dir = %q\n[usb]\nsource = \"dirs\"\nmedia_root = %q\n[console]\nmouse = \"\"\n[web]\nlisten = %q\n", filepath.Join(dir, "state"), filepath.Join(dir, "media"), freePort(t))
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	d, _, errb := testDaemon()
	screen := &gatedScreen{snapScreen: &snapScreen{SimulationScreen: tcell.NewSimulationScreen("UTF-8")}, gate: make(chan struct{})}
	d.newScreen = func(string) (tcell.Screen, error) { return screen, nil }
	started := make(chan struct{}, 1)
	d.listenSADP = func(sadp.Options) (responder, error) {
		started <- struct{}{}
		return fakeResponder{&fakeListener{}}, nil
	}
	done := make(chan int, 1)
	go func() { done <- d.main([]string{"-config", cfgPath}) }()
	// The first frame is held: the doors must wait for it. (With them
	// started before it, they start within milliseconds: a second is
	// ample to see it.)
	select {
	case <-started:
		t.Fatal("the doors started before the menu's first frame was on screen")
	case code := <-done:
		t.Fatalf("exit %d: %s", code, errb)
	case <-time.After(time.Second):
	}
	close(screen.gate)
	select {
	case <-started:
	case code := <-done:
		t.Fatalf("exit %d: %s", code, errb)
	case <-time.After(20 * time.Second):
		t.Fatal("the doors never started after the first frame")
	}
	if webBuilt {
		cat, _ := texts.New("it")
		label := strings.Fields(cat.F(texts.WebCertFingerprint, ""))[0]
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(strings.Join(screen.lines(), "\n"), label) {
			if time.Now().After(deadline) {
				t.Fatalf("the activation screen never said what the web door is:\n%s", strings.Join(screen.lines(), "\n"))
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	d.signals <- syscall.SIGTERM
	if code := <-done; code != exitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
}
