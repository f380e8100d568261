//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// checkWriters refuses a known-recorders file (st, at path) that anyone
// but the user could have written, as ssh's StrictModes does: owned by
// another user than the current one or root, or writable by its group or
// by others; and the same of its directory, where another user could
// replace the file (a sticky directory such as /tmp is allowed: there
// only the file's owner may replace it).
func checkWriters(st os.FileInfo, path string) error {
	euid := os.Geteuid()
	if err := writers(path, st, euid); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	dst, err := os.Stat(dir)
	if err != nil {
		return err
	}
	return writers(dir, dst, euid)
}

// writers checks one file or directory for checkWriters, for the user
// euid; its errors say what to do.
func writers(path string, st os.FileInfo, euid int) error {
	what, chmod, mine := "the file", "chmod 600 "+path, "check its pins, then replace it with a copy of your own"
	if st.IsDir() {
		what, chmod, mine = "the directory", "chmod 700 "+path, "keep the file in a directory of your own"
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		if uid := int(sys.Uid); uid != euid && uid != 0 {
			return fmt.Errorf("%s: %s belongs to another user (uid %d; you are %d), who could have planted pins: %s (%s), or remove it", path, what, uid, euid, mine, chmod)
		}
	}
	perm := st.Mode().Perm()
	if perm&0o022 != 0 && !(st.IsDir() && st.Mode()&os.ModeSticky != 0) {
		return fmt.Errorf("%s: others may write %s (mode %04o), and plant pins: %s", path, what, perm, chmod)
	}
	return nil
}

// lockKnown takes the known-recorders file's lock (flock on the lock file
// at path, made 0600 beside it), waiting for another run that holds it;
// the function it returns releases it.
func lockKnown(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return func() { f.Close() }, nil // closing the file releases its lock
}
