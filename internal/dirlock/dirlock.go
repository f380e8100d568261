package dirlock

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"nvrmenu/internal/regfile"
)

// FileName is the lock file in the state directory. Whoever holds an
// exclusive lock on it (an open file description lock, fcntl(2)
// F_OFD_SETLK) is the one daemon that may read and write the state there:
// two daemons on one directory would each rewrite the whole state file and
// erase each other's failure counters, which hands out free guesses. The
// file holds the holder's pid and terminal, for people and for the daemon
// that waits.
const FileName = "nvr-menud.lock"

// ErrLocked reports a state directory another process holds.
var ErrLocked = errors.New("state directory in use by another nvr-menud")

// Holder says who holds a state directory.
type Holder struct {
	PID int
	// TTY is the terminal the holder draws on; empty when it draws on
	// the terminal it was started in, or is unknown.
	TTY string
}

// LockedError names the directory and its holder.
type LockedError struct {
	Dir    string
	Holder Holder
}

func (e *LockedError) Error() string {
	who := "another process"
	if e.Holder.PID > 0 {
		who = "pid " + strconv.Itoa(e.Holder.PID)
		if e.Holder.TTY != "" {
			who += " on " + e.Holder.TTY
		}
	}
	return fmt.Sprintf("%v: %s holds %s (stop it, or give this one another state_dir)", ErrLocked, who, e.Dir)
}

func (e *LockedError) Unwrap() error { return ErrLocked }

// Held is the exclusive hold of a state directory, kept until Close,
// across as many cores opened on it as the daemon likes (a configuration
// reload closes and reopens the core, never the lock).
type Held struct {
	dir string
	f   *os.File
}

// Dir is the locked directory.
func (l *Held) Dir() string { return l.dir }

// Close releases the directory.
func (l *Held) Close() error { return l.f.Close() }

// TryLock takes dir's lock for me without waiting, or returns a
// *LockedError naming the holder.
func TryLock(dir string, me Holder) (*Held, error) { return lock(dir, me, false) }

// Lock takes dir's lock for me, waiting in the kernel (no timer) for
// the holder to let go: a second daemon started by mistake takes over by
// itself when the first exits.
func Lock(dir string, me Holder) (*Held, error) { return lock(dir, me, true) }

func lock(dir string, me Holder, wait bool) (*Held, error) {
	path := filepath.Join(dir, FileName)
	// Never through a link (the holder's lines would be written to the
	// file it names), never waiting on a FIFO: a regular file only.
	f, err := regfile.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the state directory's lock file: %w", err)
	}
	cmd := unix.F_OFD_SETLK
	if wait {
		cmd = unix.F_OFD_SETLKW
	}
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: io.SeekStart}
	for {
		err = unix.FcntlFlock(f.Fd(), cmd, &lk)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EACCES) {
		h, _ := readHolder(f)
		f.Close()
		return nil, &LockedError{Dir: dir, Holder: h}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	// Ours now: say who we are. A failure here is cosmetic (the lock is
	// what counts), so it does not stop the daemon.
	text := fmt.Sprintf("pid %d\ntty %s\n", me.PID, me.TTY)
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(text), 0)
	}
	return &Held{dir: dir, f: f}, nil
}

// Probe reports whether another process holds dir, and who, without
// taking or creating anything: an installer's configuration check must
// never block, or be blocked by, a daemon starting at the same moment.
func Probe(dir string) (held bool, h Holder, err error) {
	f, err := regfile.Open(filepath.Join(dir, FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return false, Holder{}, nil
	}
	if err != nil {
		return false, Holder{}, fmt.Errorf("opening the state directory's lock file: %w", err)
	}
	defer f.Close()
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: io.SeekStart}
	if err := unix.FcntlFlock(f.Fd(), unix.F_OFD_GETLK, &lk); err != nil {
		return false, Holder{}, fmt.Errorf("probing %s: %w", f.Name(), err)
	}
	if lk.Type == unix.F_UNLCK {
		return false, Holder{}, nil
	}
	h, _ = readHolder(f)
	return true, h, nil
}

// readHolder parses the lock file's "pid N" and "tty T" lines.
func readHolder(f *os.File) (Holder, error) {
	buf := make([]byte, 256)
	n, err := f.ReadAt(buf, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return Holder{}, err
	}
	var h Holder
	for _, line := range strings.Split(string(buf[:n]), "\n") {
		key, value, _ := strings.Cut(line, " ")
		switch key {
		case "pid":
			h.PID, _ = strconv.Atoi(value)
		case "tty":
			if strings.HasPrefix(value, "/dev/") && len(value) < 64 {
				h.TTY = value
			}
		}
	}
	return h, nil
}
