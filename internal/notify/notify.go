// Package notify runs the firmware's command after a password change, so
// the rest of the recorder can reload its credentials: without a shell,
// with nothing secret, under a reaper that kills everything it started
// when it times out (reaper.go). It is the recovery core's Notifier on a
// real recorder. Linux only.
package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Command runs a configured command after a password change so the
// rest of the firmware can reload credentials.
//
// The command learns nothing secret: Argv[0] (an absolute path, run
// without a shell) gets the configured arguments, an environment of exactly
// PATH=/usr/sbin:/usr/bin:/sbin:/bin and NVRMENU_EVENT=<event> (nothing is
// inherited from the daemon), /dev/null as stdin, "/" as working directory,
// and no open file of the daemon. It runs in its own process group, which
// is killed when it exits: a child it left running in the background dies
// with it (a daemon it starts on purpose with setsid leaves the group and
// is not affected).
//
// With a Reaper, the command runs under it, and when the command times
// out (or the daemon dies) everything it started is killed, whatever it
// did to get away: setsid, a double fork, its own groups. Without one,
// a timeout kills the command's process group only, and a process that
// left the group with setsid survives it.
type Command struct {
	Argv    []string
	Timeout time.Duration // zero or less: 10 seconds
	// Reaper is a program that runs the command as its child subreaper:
	// one whose main starts with "if notify.IsReaper() {
	// os.Exit(notify.ReaperMain()) }" (nvr-menud: /proc/self/exe).
	Reaper string
}

// Limits of a notify command.
const (
	notifyDefaultTimeout = 10 * time.Second
	notifyEnvPath        = "PATH=/usr/sbin:/usr/bin:/sbin:/bin"
	notifyOutputMax      = 200 // bytes of output kept for the error message
	// notifyOutputGrace is how long the output is read after the command's
	// process group was killed, in case a process outside the group holds
	// the output pipe open.
	notifyOutputGrace = 100 * time.Millisecond
)

// ErrTimeout is wrapped, together with context.DeadlineExceeded, by
// the error of a command killed for running past its timeout.
var ErrTimeout = errors.New("timed out")

// Notify runs the command for event and waits for it. With no command
// configured it does nothing. The error names the command and says why it
// failed: exit status, signal, timeout (ErrTimeout and
// context.DeadlineExceeded), cancellation of ctx, with at most the first
// 200 bytes of what it wrote to stdout and stderr.
func (n Command) Notify(ctx context.Context, event string) error {
	if len(n.Argv) == 0 {
		return nil
	}
	name := n.Argv[0]
	if !filepath.IsAbs(name) {
		return fmt.Errorf("notify command %q: not an absolute path", name)
	}
	timeout := n.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	// The output goes to a pipe of our own rather than through os/exec's
	// copying, so that Wait returns as soon as the command exits even if a
	// child still holds the pipe, and the group can then be killed.
	outR, outW, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("notify command %s: output pipe: %w", name, err)
	}
	defer outR.Close()
	cmd := exec.CommandContext(ctx, name, n.Argv[1:]...)
	cmd.Env = []string{notifyEnvPath, "NVRMENU_EVENT=" + event}
	cmd.Dir = "/"
	cmd.Stdin = nil // /dev/null
	cmd.Stdout, cmd.Stderr = outW, outW
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return notifyKillGroup(cmd.Process.Pid) }
	if n.Reaper != "" {
		cmd = exec.CommandContext(ctx, n.Reaper, n.Argv...)
		cmd.Args[0] = "nvr-menud notify reaper"
		cmd.Env = []string{notifyEnvPath, "NVRMENU_EVENT=" + event, reaperEnv}
		cmd.Dir = "/"
		cmd.Stdin = nil
		cmd.Stdout, cmd.Stderr = outW, outW
		// The reaper dies with the daemon's thread that started it, and
		// takes everything below it along.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
		// At the timeout, the reaper kills everything below it, then
		// exits; should it not, it is killed after reaperGrace.
		cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
		cmd.WaitDelay = reaperGrace
	}
	err = cmd.Start()
	outW.Close() // the command has its own copy
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return notifyContextError(name, timeout, ctxErr)
		}
		return fmt.Errorf("notify command %s: %w", name, err)
	}
	output := make(chan notifyOutput, 1)
	go func() { output <- notifyReadOutput(outR) }()

	waitErr := cmd.Wait()
	// The leader is gone; whatever it left in its group goes too.
	notifyKillGroup(cmd.Process.Pid)
	var out notifyOutput
	select {
	case out = <-output:
	case <-time.After(notifyOutputGrace):
		outR.Close() // ends the read
		out = <-output
	}

	switch ctxErr := ctx.Err(); {
	case waitErr == nil:
		return nil
	case ctxErr != nil:
		return fmt.Errorf("%w%s", notifyContextError(name, timeout, ctxErr), out)
	}
	var ee *exec.ExitError
	if n.Reaper != "" && errors.As(waitErr, &ee) && ee.ExitCode() == reaperStartFailed {
		// The reaper could not start the command: its reason, as if
		// the daemon had tried itself.
		if why, ok := strings.CutPrefix(string(out.head), "notify reaper: starting "+name+": "); ok {
			return fmt.Errorf("notify command %s: %s", name, strings.TrimSpace(why))
		}
	}
	return fmt.Errorf("notify command %s: %w%s", name, waitErr, out)
}

// reaperGrace is how long the reaper has, after the timeout, to kill what
// is below it and exit before it is killed itself.
const reaperGrace = 3 * time.Second

// timeout returns n.Timeout, or the default when it is not positive.
func (n Command) timeout() time.Duration {
	if n.Timeout <= 0 {
		return notifyDefaultTimeout
	}
	return n.Timeout
}

// notifyContextError explains a command stopped by its context.
func notifyContextError(name string, timeout time.Duration, ctxErr error) error {
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		return fmt.Errorf("notify command %s: %w after %v, killed: %w", name, ErrTimeout, timeout, ctxErr)
	}
	return fmt.Errorf("notify command %s: stopped: %w", name, ctxErr)
}

// notifyKillGroup kills the process group led by pid; a group already
// gone is not an error.
func notifyKillGroup(pid int) error {
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("killing process group %d: %w", pid, err)
	}
	return nil
}

// notifyOutput is the start of a command's output.
type notifyOutput struct {
	head      []byte // at most notifyOutputMax bytes
	truncated bool
}

// String formats the output for the end of an error message, quoted so that
// control characters cannot reach a terminal or a log line raw.
func (o notifyOutput) String() string {
	switch {
	case len(o.head) == 0:
		return ""
	case o.truncated:
		return fmt.Sprintf("; output %q (truncated)", o.head)
	}
	return fmt.Sprintf("; output %q", o.head)
}

// notifyReadOutput reads r to its end or first error, keeping the first
// notifyOutputMax bytes.
func notifyReadOutput(r io.Reader) notifyOutput {
	var o notifyOutput
	buf := make([]byte, 512)
	for {
		n, err := r.Read(buf)
		keep := min(n, notifyOutputMax-len(o.head))
		o.head = append(o.head, buf[:keep]...)
		o.truncated = o.truncated || keep < n
		if err != nil {
			return o
		}
	}
}
