package recovery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"syscall"
	"time"
)

// CommandNotifier runs a configured command after a password change so the
// rest of the firmware can reload credentials. The command gets no secret:
// its arguments are the configured ones and its environment is exactly
// PATH and NVRMENU_EVENT.
type CommandNotifier struct {
	Argv    []string
	Timeout time.Duration // default 10 s
}

// ErrNotifyTimeout reports a command killed for running past its timeout.
var ErrNotifyTimeout = errors.New("notify command timed out")

// Notify runs the command and waits for it. On timeout the command's whole
// process group is killed, so a child it left behind dies with it.
func (n CommandNotifier) Notify(ctx context.Context, event string) error {
	if len(n.Argv) == 0 {
		return nil
	}
	timeout := n.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.Argv[0], n.Argv[1:]...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "NVRMENU_EVENT=" + event}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	var out bytes.Buffer
	cmd.Stdout = &limitedBuffer{buf: &out, max: 200}
	cmd.Stderr = cmd.Stdout
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		return fmt.Errorf("notify command %s: %w after %v", n.Argv[0], ErrNotifyTimeout, timeout)
	}
	if err != nil {
		return fmt.Errorf("notify command %s: %v: %q", n.Argv[0], err, bytes.TrimSpace(out.Bytes()))
	}
	return nil
}

// limitedBuffer keeps the first max bytes of the command's output for the
// error message and drops the rest.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
