// Package atomicfile writes a file so that, whatever happens — a crash, a
// power cut, a full disk — the path holds either what it held before or
// all of the new data, never a part: a temporary file beside it, written
// and synced, then renamed (or linked) into place, and the directory
// synced. It is the one way nvrmenu's programs replace a file: the
// recorder's state, its web certificate, the installer's exported files
// and known recorders. It builds for Linux, macOS and Windows.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"nvrmenu/internal/regfile"
)

// ErrExists reports a file that is already there when Options.Replace is
// not set.
var ErrExists = errors.New("already exists")

// ErrDirSync reports a write whose file was renamed into place and synced
// but whose directory could not be synced afterwards: the new content is
// what the path holds now, but a power cut might still bring the old one
// back.
var ErrDirSync = errors.New("file replaced but its directory not synced")

// Options say how Write treats what is already at the path.
type Options struct {
	// Replace lets Write replace an existing file. Without it an
	// existing path is ErrExists, decided by the file system (a hard
	// link fails on an existing name) where it has links, by a check
	// just before the rename where it has none (FAT).
	Replace bool
	// Previous, when set, is the name in the same directory that keeps
	// the content being replaced: a hard link to it (or a copy where the
	// file system has no links), put in place in one rename before the
	// new content is.
	Previous string
	// TempPrefix starts the temporary files' names (default "." + the
	// file's name + ".tmp-"), so that a caller can find and remove what
	// a crash left (RemoveTemps).
	TempPrefix string
	// Link makes a hard link (default os.Link); a test takes it away to
	// play a file system without links.
	Link func(oldname, newname string) error
}

// Write writes data to path, mode 0600, as the package comment says. On
// failure nothing new is left behind and the old file is untouched; the
// error names path, never a temporary name.
func Write(path string, data []byte, o Options) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if o.TempPrefix == "" {
		o.TempPrefix = "." + base + ".tmp-"
	}
	if o.Link == nil {
		o.Link = os.Link
	}
	if !o.Replace {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%s: %w", path, ErrExists)
		}
	}
	tmp, err := os.CreateTemp(dir, o.TempPrefix+"*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, unwrapPath(err))
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("writing %s: setting its mode: %w", path, unwrapPath(err))
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, unwrapPath(err))
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: syncing: %w", path, unwrapPath(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, unwrapPath(err))
	}
	if o.Previous != "" {
		if err := keepPrevious(dir, base, o); err != nil {
			return err
		}
	}
	if err := place(name, path, o); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("%s: %w: %v", path, ErrDirSync, err)
	}
	return nil
}

// place puts the written temporary file at path.
func place(tmp, path string, o Options) error {
	if o.Replace {
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("replacing %s: %w", path, unwrapPath(err))
		}
		return nil
	}
	switch lerr := o.Link(tmp, path); {
	case lerr == nil:
		os.Remove(tmp)
		return nil
	case errors.Is(lerr, fs.ErrExist):
		return fmt.Errorf("%s: %w", path, ErrExists)
	}
	// No links here (FAT): rename after the check Write made first.
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s: %w", path, ErrExists)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, unwrapPath(err))
	}
	return nil
}

// keepPrevious makes dir/o.Previous hold what dir/base holds now, replacing
// any older one in one rename. A missing dir/base (the first write) is not
// an error.
func keepPrevious(dir, base string, o Options) error {
	cur := filepath.Join(dir, base)
	tmp := filepath.Join(dir, o.TempPrefix+"prev")
	os.Remove(tmp)
	if err := o.Link(cur, tmp); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		// No hard links here (some flash file systems): copy instead.
		data, rerr := readRegular(cur)
		if errors.Is(rerr, fs.ErrNotExist) {
			return nil
		}
		if rerr != nil {
			return fmt.Errorf("keeping the previous %s: %w", base, unwrapPath(rerr))
		}
		if werr := writeSynced(tmp, data); werr != nil {
			os.Remove(tmp)
			return fmt.Errorf("keeping the previous %s: %w", base, unwrapPath(werr))
		}
	}
	if err := os.Rename(tmp, filepath.Join(dir, o.Previous)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("keeping the previous %s: %w", base, unwrapPath(err))
	}
	return nil
}

// readRegular reads the file being replaced, only if it is a regular file
// (never waiting on a FIFO put in its place, never through a link).
func readRegular(path string) ([]byte, error) {
	f, err := regfile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// writeSynced creates path with data, mode 0600, synced.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir durable. Windows cannot open a directory
// for that, and does not need it.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// unwrapPath drops the *fs.PathError around err, whose path is a temporary
// name the person never chose: the caller's message names the real file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// RemoveTemps deletes in dir the regular files whose names start with
// prefix: temporary files a crash left behind. They never hold the only
// copy of anything, since the rename is what commits a write. Only the
// directory's one writer may call it, or another's write in flight dies.
func RemoveTemps(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
