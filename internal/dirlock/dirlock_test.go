package dirlock

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"nvrmenu/internal/testenv"
	"os"
	"os/exec"
	"testing"
)

const dirLockEnv = "NVRMENU_DIRLOCK_CHILD_DIR"

// TestDirLockChild is the other process of TestDirLockTwoProcesses: it
// holds the directory until its standard input closes.
func TestDirLockChild(t *testing.T) {
	dir := os.Getenv(dirLockEnv)
	if dir == "" {
		t.Skip("runs only as the child of TestDirLockTwoProcesses")
	}
	l, err := TryLock(dir, Holder{PID: os.Getpid(), TTY: "/dev/tty9"})
	if err != nil {
		fmt.Println("lock:", err)
		os.Exit(3)
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
	l.Close()
	os.Exit(0)
}

// TestDirLockTwoProcesses: while another process holds a state directory,
// this one cannot take it or open a core on it, a probe names the holder
// without taking anything, and a waiting Lock takes over by itself when
// the holder exits.
func TestDirLockTwoProcesses(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestDirLockChild$")
	cmd.Env = append(os.Environ(), dirLockEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		testenv.SkipIfForeign(t, err)
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "locked\n" {
		t.Fatalf("child: %q", line)
	}
	pid := cmd.Process.Pid

	var le *LockedError
	if _, err := TryLock(dir, Holder{PID: os.Getpid()}); !errors.As(err, &le) || le.Holder.PID != pid || le.Holder.TTY != "/dev/tty9" {
		t.Fatalf("TryLock while held: %v, want a LockedError naming pid %d on /dev/tty9", err, pid)
	}
	held, h, err := Probe(dir)
	if err != nil || !held || h.PID != pid {
		t.Fatalf("Probe: held %v, holder %+v, %v; want held by %d", held, h, err, pid)
	}

	got := make(chan error, 1)
	var mine *Held
	go func() {
		l, err := Lock(dir, Holder{PID: os.Getpid(), TTY: "/dev/tty1"})
		mine = l
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("Lock returned while the other process holds the directory: %v", err)
	default:
	}
	stdin.Close() // the holder exits
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	if err := <-got; err != nil {
		t.Fatalf("Lock after the holder exited: %v", err)
	}
	defer mine.Close()
	held, h, err = Probe(dir)
	if err != nil || !held || h.PID != os.Getpid() || h.TTY != "/dev/tty1" {
		t.Fatalf("Probe after the take-over: held %v, holder %+v, %v", held, h, err)
	}
}

// TestDirLockOneProcess: open file description locks conflict between two
// opens of the lock file in one process too, which is how a core opened
// twice on one directory is refused (and how the fcntl struct is checked
// on every architecture the suite runs on, 32-bit ARM included).
func TestDirLockOneProcess(t *testing.T) {
	dir := t.TempDir()
	first, err := TryLock(dir, Holder{PID: 4242, TTY: "/dev/tty3"})
	if err != nil {
		t.Fatal(err)
	}
	var le *LockedError
	if _, err := TryLock(dir, Holder{PID: 1}); !errors.As(err, &le) || le.Holder != (Holder{PID: 4242, TTY: "/dev/tty3"}) {
		t.Fatalf("a second TryLock: %v, want held by pid 4242 on /dev/tty3", err)
	}
	if held, h, err := Probe(dir); err != nil || !held || h.PID != 4242 {
		t.Fatalf("Probe: %v %+v %v", held, h, err)
	}
	first.Close()
	if held, _, err := Probe(dir); err != nil || held {
		t.Fatalf("Probe after Close: held %v, %v", held, err)
	}
	second, err := TryLock(dir, Holder{PID: 1})
	if err != nil {
		t.Fatalf("TryLock after Close: %v", err)
	}
	second.Close()
}
