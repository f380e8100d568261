package main

import (
	"fmt"
	"io"
	"nvrmenu/internal/dirlock"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

const daemonChildEnv = "NVRMENU_DAEMON_CHILD_ARGS"

// TestDaemonChild is nvr-menud itself, run by the two-process tests as a
// real process; it does nothing in a normal run.
func TestDaemonChild(t *testing.T) {
	args := os.Getenv(daemonChildEnv)
	if args == "" {
		t.Skip("runs only as a daemon started by another test")
	}
	os.Exit(run(strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
}

// daemonProc is a real nvr-menud drawing on a pseudo-terminal of its own.
type daemonProc struct {
	cmd *exec.Cmd
	log string
	tty string
}

// startDaemon runs nvr-menud with a configuration on stateDir, drawing
// on a new pseudo-terminal (or on tty, that of another daemon).
func startDaemon(t *testing.T, name, stateDir, media, tty string) *daemonProc {
	t.Helper()
	return startDaemonWeb(t, name, stateDir, media, tty, "listen = \"\"\n")
}

// startDaemonWeb is startDaemon with web as the [web] section of its
// configuration.
func startDaemonWeb(t *testing.T, name, stateDir, media, tty, web string) *daemonProc {
	t.Helper()
	dir := t.TempDir()
	if tty == "" {
		master, slave, err := pty.Open()
		if err != nil {
			t.Skipf("no pseudo-terminal: %v", err)
		}
		pty.Setsize(master, &pty.Winsize{Cols: 80, Rows: 25})
		go io.Copy(io.Discard, master) // tcell's writes must never block
		t.Cleanup(func() { master.Close(); slave.Close() })
		tty = slave.Name()
	}
	p := &daemonProc{log: filepath.Join(dir, name+".log"), tty: tty}
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("state_dir = %q\n[usb]\nsource = \"dirs\"\nmedia_root = %q\n[console]\ntty = %q\nmouse = \"\"\n[log]\nlevel = \"debug\"\nfile = %q\n[web]\n%s", stateDir, media, tty, p.log, web)), 0o644)
	p.cmd = exec.Command(os.Args[0], "-test.run=^TestDaemonChild$")
	p.cmd.Env = append(os.Environ(), daemonChildEnv+"=-config\x1f"+cfg, "TERM=xterm")
	if err := p.cmd.Start(); err != nil {
		if strings.Contains(err.Error(), "exec format error") {
			t.Skipf("cannot run the test binary again: %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	return p
}

func (p *daemonProc) logText() string { b, _ := os.ReadFile(p.log); return string(b) }

// stop sends SIGTERM and waits for exit 0.
func (p *daemonProc) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("daemon exit after SIGTERM: %v\n%s", err, p.logText())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no exit after SIGTERM:\n%s", p.logText())
	}
}

// TestSecondDaemonWaits: two daemons on one state directory. The second
// changes nothing; on another terminal it shows who holds the directory,
// on the holder's own terminal it draws nothing; when the holder exits, a
// waiting one takes over by itself.
func TestSecondDaemonWaits(t *testing.T) {
	root := t.TempDir()
	state, media := filepath.Join(root, "state"), filepath.Join(root, "media")
	os.Mkdir(state, 0o700)
	os.Mkdir(media, 0o700)
	a := startDaemon(t, "a", state, media, "")
	waitLog(t, a.logText, "menu started")
	lockFile := filepath.Join(state, "nvr-menud.lock")
	before, _ := os.ReadFile(lockFile)

	b := startDaemon(t, "b", state, media, "")    // another terminal
	c := startDaemon(t, "c", state, media, a.tty) // the holder's terminal
	holder := fmt.Sprintf("holder_pid=%d", a.cmd.Process.Pid)
	waitLog(t, b.logText, holder)
	waitLog(t, b.logText, "name=fault")
	waitLog(t, c.logText, holder)
	if after, _ := os.ReadFile(lockFile); string(after) != string(before) {
		t.Fatalf("a waiting daemon rewrote the lock file: %q", after)
	}
	entries, _ := os.ReadDir(state)
	for _, e := range entries {
		if e.Name() != "nvr-menud.lock" && e.Name() != "audit.log" {
			t.Errorf("the state directory holds %s, written by a waiting daemon", e.Name())
		}
	}

	a.stop(t)
	// One of the two takes over, then the other once it exits.
	first, second := b, c
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(first.logText(), "taken over"); {
		if strings.Contains(second.logText(), "taken over") {
			first, second = second, first
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nobody took over:\nb:\n%s\nc:\n%s", b.logText(), c.logText())
		}
		time.Sleep(10 * time.Millisecond)
	}
	waitLog(t, first.logText, "menu started")
	first.stop(t)
	waitLog(t, second.logText, "taken over")
	waitLog(t, second.logText, "menu started")
	second.stop(t)
	// All the while it waited, the daemon on the holder's terminal drew
	// nothing.
	waited, _, _ := strings.Cut(c.logText(), "taken over")
	if strings.Contains(waited, "name=") || strings.Contains(waited, "menu started") {
		t.Fatalf("the daemon on the holder's terminal drew while it waited:\n%s", c.logText())
	}
}

// TestCheckNamesTheHolder: -check says which daemon uses the state
// directory, without taking the lock.
func TestCheckNamesTheHolder(t *testing.T) {
	state := t.TempDir()
	path := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(path, []byte(fmt.Sprintf("state_dir = %q\n", state)), 0o644)
	d, out, _ := testDaemon()
	if code := d.main([]string{"-check", "-config", path}); code != exitOK || !strings.Contains(out.String(), "no daemon uses it") {
		t.Fatalf("exit %d, stdout %q", code, out.String())
	}
	l, err := dirlock.TryLock(state, dirlock.Holder{PID: 777, TTY: "/dev/tty1"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	d, out, _ = testDaemon()
	if code := d.main([]string{"-check", "-config", path}); code != exitOK || !strings.Contains(out.String(), "pid 777 on /dev/tty1") {
		t.Fatalf("exit %d, stdout %q", code, out.String())
	}
	if _, err := dirlock.TryLock(state, dirlock.Holder{}); err == nil {
		t.Fatal("-check left the directory unlocked or took its lock")
	}
}
