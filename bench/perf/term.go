package perf

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// Terminal size every program runs at: the menu's smallest supported size.
const (
	Cols = 80
	Rows = 25
)

// ErrTimeout is returned when the screen did not reach what was waited for.
var ErrTimeout = errors.New("timed out waiting for the screen")

// Term is one program on a pseudo-terminal, its output parsed by a VT
// emulator. One goroutine reads the pty, feeds the emulator and checks the
// one pending expectation after every read, stamping it with the time the
// read returned: a figure ends when the bytes that complete the screen
// reached the terminal, not when the harness got round to looking.
type Term struct {
	Cmd   *exec.Cmd
	Start time.Time // just before the process was started

	pty *os.File

	mu      sync.Mutex
	emu     *vt.Emulator
	text    string    // the screen's text after the last read
	first   time.Time // the first read that returned bytes
	last    time.Time
	pending *expectation
	readErr error
	done    chan struct{}
}

type expectation struct {
	pred func(screen string) bool
	seen time.Time
	ch   chan struct{}
}

// StartTerm starts cmd on a new pseudo-terminal of Cols x Rows.
func StartTerm(cmd *exec.Cmd) (*Term, error) {
	t := &Term{Cmd: cmd, emu: vt.NewEmulator(Cols, Rows), done: make(chan struct{})}
	t.Start = time.Now()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: Rows, Cols: Cols})
	if err != nil {
		return nil, fmt.Errorf("starting %s on a pty: %w", cmd.Path, err)
	}
	t.pty = f
	go t.read()
	// The emulator answers the program's queries (cursor position, device
	// attributes) on its input pipe: they go back to the program.
	go func() { io.Copy(f, t.emu) }()
	return t, nil
}

func (t *Term) read() {
	defer close(t.done)
	buf := make([]byte, 64<<10)
	for {
		n, err := t.pty.Read(buf)
		now := time.Now()
		if n > 0 {
			t.mu.Lock()
			t.emu.Write(buf[:n])
			t.text = t.emu.String()
			if t.first.IsZero() {
				t.first = now
			}
			t.last = now
			if e := t.pending; e != nil && e.pred(t.text) {
				e.seen = now
				close(e.ch)
				t.pending = nil
			}
			t.mu.Unlock()
		}
		if err != nil {
			t.mu.Lock()
			t.readErr = err
			t.mu.Unlock()
			return
		}
	}
}

// Screen is the screen's text now, one line per row, trailing spaces
// trimmed.
func (t *Term) Screen() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.text
}

// FirstOutput is when the program's first bytes reached the terminal
// (zero before).
func (t *Term) FirstOutput() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.first
}

// Expect arms pred: the next read after which pred holds ends the wait.
// Arm it before sending the input it waits for. If the screen already
// satisfies pred the wait ends at once, stamped with the last read.
func (t *Term) Expect(pred func(screen string) bool) *Wait {
	e := &expectation{pred: pred, ch: make(chan struct{})}
	t.mu.Lock()
	defer t.mu.Unlock()
	if pred(t.text) {
		e.seen = t.last
		close(e.ch)
	} else {
		t.pending = e
	}
	return &Wait{t: t, e: e}
}

// Wait is an armed expectation.
type Wait struct {
	t *Term
	e *expectation
}

// Done waits up to timeout and returns when the screen first satisfied
// the predicate.
func (w *Wait) Done(timeout time.Duration) (time.Time, error) {
	select {
	case <-w.e.ch:
		return w.e.seen, nil
	case <-time.After(timeout):
	case <-w.t.done:
		// The program ended: the last read may still have satisfied it.
		select {
		case <-w.e.ch:
			return w.e.seen, nil
		default:
		}
	}
	w.t.mu.Lock()
	defer w.t.mu.Unlock()
	if w.t.pending == w.e {
		w.t.pending = nil
	}
	return time.Time{}, fmt.Errorf("%w (%v); screen:\n%s", ErrTimeout, timeout, w.t.text)
}

// WaitFor waits until the screen satisfies pred.
func (t *Term) WaitFor(pred func(string) bool, timeout time.Duration) (time.Time, error) {
	return t.Expect(pred).Done(timeout)
}

// Send writes input to the program's terminal and returns when it was
// written.
func (t *Term) Send(input string) (time.Time, error) {
	now := time.Now()
	_, err := io.WriteString(t.pty, input)
	return now, err
}

// SendWait arms pred, writes input and waits for the screen: it returns
// the time from the write to the read that completed the screen.
func (t *Term) SendWait(input string, pred func(string) bool, timeout time.Duration) (time.Duration, error) {
	w := t.Expect(pred)
	sent, err := t.Send(input)
	if err != nil {
		return 0, err
	}
	seen, err := w.Done(timeout)
	if err != nil {
		return 0, err
	}
	return seen.Sub(sent), nil
}

// Proc is the program's /proc entry.
func (t *Term) Proc() Proc { return Proc{PID: t.Cmd.Process.Pid} }

// Stop ends the program: SIGTERM, then SIGKILL after grace. It closes the
// pty and waits for the reader.
func (t *Term) Stop(grace time.Duration) error {
	exited := make(chan error, 1)
	go func() { exited <- t.Cmd.Wait() }()
	t.Cmd.Process.Signal(syscall.SIGTERM)
	var err error
	select {
	case err = <-exited:
	case <-time.After(grace):
		t.Cmd.Process.Kill()
		err = <-exited
	}
	t.pty.Close()
	<-t.done
	t.closeReplies()
	return err
}

// closeReplies ends the goroutine that copies the emulator's replies.
func (t *Term) closeReplies() {
	if pw, ok := t.emu.InputPipe().(*io.PipeWriter); ok {
		pw.Close()
	}
}

// Kill ends the program at once with SIGKILL.
func (t *Term) Kill() {
	t.Cmd.Process.Kill()
	t.Cmd.Wait()
	t.pty.Close()
	<-t.done
	t.closeReplies()
}

// Contains is a predicate: every one of texts is on the screen.
func Contains(texts ...string) func(string) bool {
	return func(screen string) bool {
		for _, s := range texts {
			if !strings.Contains(screen, s) {
				return false
			}
		}
		return true
	}
}

// SGRClick is a left click at column x, row y (0-based), as a terminal in
// SGR mouse mode (1006) reports it: press then release.
func SGRClick(x, y int) string {
	return fmt.Sprintf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", x+1, y+1, x+1, y+1)
}

// Find returns the column and row (0-based) of the first occurrence of
// text on screen, counting columns in characters, or ok false.
func Find(screen, text string) (x, y int, ok bool) {
	for row, line := range strings.Split(screen, "\n") {
		if i := strings.Index(line, text); i >= 0 {
			return len([]rune(line[:i])), row, true
		}
	}
	return 0, 0, false
}
