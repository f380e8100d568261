package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"nvrmenu/bench/perf"
	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// TestLogNeverOnTheScreen runs the real daemon as init's inittab line
// does: standard error on the terminal it draws on, and no log.file. A
// SIGHUP with a configuration that does not load is logged — to
// nvr-menud.log in the state directory — and the screen's text, read back
// through a terminal emulator, is the same before and after.
func TestLogNeverOnTheScreen(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the daemon as a child process: run without -short")
	}
	if os.Getenv("NVRMENU_EMULATED") != "" {
		t.Skip("runs natively only, not under qemu-user")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "nvr-menud")
	if out, err := exec.Command("go", "build", "-o", bin, "nvrmenu/cmd/nvr-menud").CombinedOutput(); err != nil {
		t.Fatalf("building nvr-menud: %v\n%s", err, out)
	}
	state, media := filepath.Join(dir, "state"), filepath.Join(dir, "media")
	os.Mkdir(state, 0o700)
	os.Mkdir(media, 0o700)
	core, err := recovery.Open(recovery.Options{StateDir: state, Serial: "NVRDEMO0000001", KDF: recovery.KDFParams{MemoryKiB: 8, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := core.Console().Activate("Qv7#tNw2pLx9"); err != nil {
		t.Fatal(err)
	}
	core.Close()
	cfg := filepath.Join(dir, "config.toml")
	good := fmt.Sprintf("state_dir = %q\n[usb]\nsource = \"dirs\"\nmedia_root = %q\n[console]\nmouse = \"\"\n[web]\nlisten = \"\"\n[sadp]\nenabled = false\n", state, media)
	if err := os.WriteFile(cfg, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-config", cfg)
	cmd.Env = append(os.Environ(), "TERM=xterm")
	term, err := perf.StartTerm(cmd)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { term.Stop(5 * time.Second) })
	cat, _ := texts.New("it")
	if _, err := term.WaitFor(func(s string) bool { return strings.Contains(s, cat.T(texts.ForgotPassword)) }, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	logFile := filepath.Join(state, DefaultLogName)
	logText := func() string { b, _ := os.ReadFile(logFile); return string(b) }
	waitLog(t, logText, "menu started")
	before := term.Screen()

	if err := os.WriteFile(cfg, []byte(good+"[log]\nlevel = \"loud\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Signal(syscall.SIGHUP)
	waitLog(t, logText, "configuration reload refused")
	// A key typed now reaches the screen after anything the daemon wrote
	// to the terminal before it: once its echo shows, a log line written
	// to the screen would show too.
	if _, err := term.SendWait("x", func(s string) bool { return s != before }, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	after := term.Screen()
	if strings.Contains(after, "level=") || strings.Contains(after, "msg=") || strings.Contains(after, "reload refused") {
		t.Fatalf("a log line reached the screen:\n%s", after)
	}
	for _, line := range strings.Split(before, "\n") {
		if strings.Contains(line, cat.T(texts.ForgotPassword)) && !strings.Contains(after, line) {
			t.Errorf("the login's line %q is gone from the screen:\n%s", line, after)
		}
	}
	if !strings.Contains(logText(), "log="+logFile) {
		t.Errorf("the log does not say where it goes:\n%s", logText())
	}
}
