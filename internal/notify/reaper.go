package notify

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The reaper: a process between the daemon and the command that makes
// itself the command's child subreaper (prctl PR_SET_CHILD_SUBREAPER).
// Every process the command starts then stays below it, even one that
// calls setsid and whose parent exits: the kernel hands such an orphan to
// the nearest subreaper, not to init. When the daemon asks (SIGTERM, at
// the timeout, or when the daemon itself dies), the reaper kills every
// process below it, whatever its session or group, and exits. The daemon
// itself never becomes a subreaper, so it never inherits children it
// would have to reap.
//
// A program that offers itself as the reaper (Command.Reaper) calls
// ReaperMain first thing in main when IsReaper says so.

// reaperEnv marks the reaper's environment; it never reaches the command.
const reaperEnv = "NVRMENU_NOTIFY_REAPER=1"

// reaperStartFailed is the reaper's exit code when the command could not
// be started (as a shell says 127); the reason is on its standard error.
const reaperStartFailed = 127

// reaperKillRounds bounds the kill-and-look-again rounds at a stop: a
// process that forks while the others die is found in the next round.
const reaperKillRounds = 200

// reaperForked runs between the command's start and the reaper's catching
// SIGTERM (a test's hook).
var reaperForked = func() {}

// setSubreaper makes this process its descendants' child subreaper.
var setSubreaper = func() error { return unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) }

// IsReaper reports whether this process was started as a notify
// command's reaper.
func IsReaper() bool { return os.Getenv("NVRMENU_NOTIFY_REAPER") == "1" && len(os.Args) > 1 }

// ReaperMain is the reaper's body: it runs the command os.Args[1:] and
// returns the exit code for os.Exit: the command's own when it ends by
// itself (a command killed by a signal is mirrored by the reaper dying of
// the same signal), or 128+15 after a stop killed everything below it.
func ReaperMain() int {
	// Without it (a kernel before 3.4; qemu-user, which does not pass the
	// call on) the command still runs: what stays below it or in its
	// group is killed as ever, and only what left both by setsid may
	// outlive a timeout.
	_ = setSubreaper()
	argv := os.Args[1:]
	env := make([]string, 0, 2)
	for _, kv := range os.Environ() {
		if kv != reaperEnv {
			env = append(env, kv)
		}
	}
	// The command dies with the reaper (Pdeathsig, sent when the thread
	// that started it ends: this goroutine keeps that thread for good).
	// That covers the moment before SIGTERM is caught below, when the
	// signal still kills the reaper outright.
	runtime.LockOSThread()
	pid, err := syscall.ForkExec(argv[0], argv, &syscall.ProcAttr{
		Dir:   "/",
		Env:   env,
		Files: []uintptr{0, 1, 2},
		// Its own group, as without the reaper: what it leaves in the
		// background when it exits by itself dies with the group.
		Sys: &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "notify reaper: starting %s: %v\n", argv[0], err)
		return reaperStartFailed
	}
	reaperForked()
	// SIGTERM is caught from here, after the fork: under qemu-user a fork
	// with the signal handling already running hung in 4 of 8 runs of
	// this package's tests (none in 12 with it here). A SIGTERM before
	// this point kills the reaper, and the command with it (Pdeathsig).
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM)
	// One waiter for every child, so that no wait steals another's.
	exited := make(chan syscall.WaitStatus, 1)
	go func() {
		for {
			var ws syscall.WaitStatus
			got, err := syscall.Wait4(-1, &ws, 0, nil)
			if errors.Is(err, syscall.EINTR) {
				continue
			}
			if err != nil {
				return // no child left
			}
			if got == pid {
				exited <- ws
			}
		}
	}()
	select {
	case ws := <-exited:
		// The command ended by itself: what it left in its group goes,
		// as it always did; a daemon it started on purpose with setsid
		// stays (it reaches init when the reaper exits).
		syscall.Kill(-pid, syscall.SIGKILL)
		if ws.Signaled() {
			signal.Reset(ws.Signal())
			syscall.Kill(os.Getpid(), ws.Signal())
			return 128 + int(ws.Signal())
		}
		return ws.ExitStatus()
	case <-stop:
		syscall.Kill(-pid, syscall.SIGKILL)
		killBelow(os.Getpid())
		return 128 + int(syscall.SIGTERM)
	}
}

// killBelow kills every live process below pid and looks again until none
// is left (or the rounds run out: a process stuck in the kernel cannot be
// killed).
func killBelow(pid int) {
	for range reaperKillRounds {
		below := descendants(pid)
		if len(below) == 0 {
			return
		}
		for _, p := range below {
			syscall.Kill(p, syscall.SIGKILL)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// descendants lists the live (not zombie) processes below root, from
// /proc: each one's parent is the fourth field of /proc/PID/stat.
func descendants(root int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	live := map[int]bool{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ppid, state, ok := procStat(p)
		if !ok {
			continue
		}
		children[ppid] = append(children[ppid], p)
		live[p] = state != 'Z' && state != 'X'
	}
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			if live[c] {
				out = append(out, c)
			}
			queue = append(queue, c)
		}
	}
	return out
}

// procStat reads a process's parent and state from /proc/PID/stat.
func procStat(pid int) (ppid int, state byte, ok bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	// "pid (comm) state ppid ...": comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 || i+2 >= len(data) {
		return 0, 0, false
	}
	fields := bytes.Fields(data[i+2:])
	if len(fields) < 2 {
		return 0, 0, false
	}
	ppid, err = strconv.Atoi(string(fields[1]))
	return ppid, fields[0][0], err == nil
}
