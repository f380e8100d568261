//go:build unix

package known

import (
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
// euid: an *UnsafeError says what is wrong.
func writers(path string, st os.FileInfo, euid int) error {
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		if uid := int(sys.Uid); uid != euid && uid != 0 {
			return &UnsafeError{Path: path, Dir: st.IsDir(), Owner: uid, User: euid, Mode: st.Mode()}
		}
	}
	if st.Mode().Perm()&0o022 != 0 && !(st.IsDir() && st.Mode()&os.ModeSticky != 0) {
		return &UnsafeError{Path: path, Dir: st.IsDir(), Owner: -1, User: euid, Mode: st.Mode()}
	}
	return nil
}

// lock takes the known-recorders file's lock (flock on the lock file at
// path, made 0600 beside it), waiting for another run that holds it; the
// function it returns releases it.
func lock(path string) (func(), error) {
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
		return nil, &os.PathError{Op: "flock", Path: path, Err: err}
	}
	return func() { f.Close() }, nil // closing the file releases its lock
}
