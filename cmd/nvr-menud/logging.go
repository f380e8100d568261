package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"golang.org/x/term"

	"nvrmenu/config"
)

// DefaultLogName is the log file in the state directory when log.file is
// empty and standard error is a terminal (see openLog).
const DefaultLogName = "nvr-menud.log"

// maxLogBytes bounds the default log file: at that size it is renamed to
// nvr-menud.log.1 (replacing the older one) and a new one starts, so the
// two never take more than twice this of the recorder's flash.
const maxLogBytes = 256 << 10

// openLog makes the daemon's logger: one line per event, never a secret,
// and never onto the screen the menu draws. With log.file set it is that
// file. With log.file empty it is standard error, unless standard error is
// a terminal — under init's inittab line it is tty1, the very screen the
// menu draws on (and the demo's terminal) — and then it is nvr-menud.log in
// the state directory, bounded (maxLogBytes, one older file kept). A file
// in the state directory rather than syslog: every recorder has that
// directory, persistent and writable by the daemon, and not every firmware
// runs a syslog daemon; systemd, which captures standard error into its
// journal, gets standard error. It says which it chose.
func openLog(c config.Log, stateDir string, stderr io.Writer) (log *slog.Logger, closeLog func(), where string, err error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.Level)); err != nil {
		return nil, nil, "", fmt.Errorf("log.level %q: %w", c.Level, err)
	}
	w, closeLog, where := stderr, func() {}, "standard error"
	switch {
	case c.File != "":
		f, err := os.OpenFile(c.File, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
		if err != nil {
			return nil, nil, "", fmt.Errorf("log.file: %w", err)
		}
		w, closeLog, where = f, func() { f.Close() }, c.File
	case isTerminal(stderr):
		path := filepath.Join(stateDir, DefaultLogName)
		rf, err := openRotating(path, maxLogBytes)
		if err != nil {
			// No state directory yet (the fault screen says so): nowhere
			// to write but the screen, which must stay clean.
			w, where = io.Discard, "nowhere ("+err.Error()+")"
			break
		}
		w, closeLog, where = rf, func() { rf.Close() }, path
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), closeLog, where, nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// rotatingFile is an append-only log file that, when a write would take
// it past max bytes, is renamed to path.1 (replacing the older one) and
// started again.
type rotatingFile struct {
	path string
	max  int64

	mu   sync.Mutex
	f    *os.File
	size int64
}

func openRotating(path string, max int64) (*rotatingFile, error) {
	r := &rotatingFile{path: path, max: max}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *rotatingFile) open() error {
	f, err := os.OpenFile(r.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o640)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return fmt.Errorf("%s: not a regular file", r.path)
	}
	r.f, r.size = f, fi.Size()
	return nil
}

// Write writes one log line, rotating first when it would not fit.
func (r *rotatingFile) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return 0, os.ErrClosed
	}
	if r.size > 0 && r.size+int64(len(p)) > r.max {
		r.f.Close()
		r.f = nil
		os.Rename(r.path, r.path+".1")
		if err := r.open(); err != nil {
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

// Close closes the file.
func (r *rotatingFile) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}
