package usb

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/sys/unix"

	"nvrmenu/internal/termsafe"
)

// tempPrefix starts the names of files being written; names with it are
// refused to callers.
const tempPrefix = ".nvrmenu-"

// testHookBeforeRename, when set by a test, runs after the temporary file is
// written and synced, just before it is renamed into place.
var testHookBeforeRename func()

// Write writes data to a new file name at the root of the stick id, whole or
// not at all: it writes a temporary file in the same folder, syncs it,
// renames it to name without replacing anything, syncs it again (FAT keeps
// the size in the new name's entry) and syncs the folder. It
// returns nil only once the data is on the stick.
//
// name is a plain file name: no '/', no "..", no control characters and
// none of the characters FAT refuses. Errors wrap ErrBadName, ErrStickGone
// (unknown, pulled or unmounted stick), ErrReadOnly, ErrNoSpace or
// ErrExists (the file already there is left untouched). On every error the
// temporary file is removed, and a file renamed into place on a stick found
// unmounted right after is removed again.
//
// ctx is checked between steps; a step the kernel keeps blocked on a dying
// stick is not interrupted, so call Write off the UI goroutine.
func (w *Watcher) Write(ctx context.Context, id, name string, data []byte) error {
	if err := checkFileName(name); err != nil {
		return fmt.Errorf("stick %q: write %q: %w", id, name, err)
	}
	st, err := w.lookup(id)
	if err != nil {
		return fmt.Errorf("write %q: %w", name, err)
	}
	if err := w.writeFile(ctx, st, name, data); err != nil {
		return fmt.Errorf("stick %q: write %q: %w", id, name, err)
	}
	return nil
}

func (w *Watcher) writeFile(ctx context.Context, st stickState, name string, data []byte) (err error) {
	mp := st.stick.MountPoint
	dirFD, err := unix.Open(mp, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return stickError(err)
	}
	defer unix.Close(dirFD)
	if !sameDir(dirFD, st.rootDev, st.rootIno) {
		// Unmounted: the path leads to the empty folder under it.
		return fmt.Errorf("%w: mount point no longer leads to the stick", ErrStickGone)
	}
	w.removeLeftovers(dirFD)
	var existing unix.Stat_t
	if err := unix.Fstatat(dirFD, name, &existing, unix.AT_SYMLINK_NOFOLLOW); err == nil {
		return ErrExists
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	tmp := tempPrefix + rand.Text()[:16] + ".tmp"
	w.writing.Store(tmp, true)
	defer w.writing.Delete(tmp)
	fd, err := unix.Openat(dirFD, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return classify(fmt.Errorf("create temporary file: %w", err))
	}
	// The file stays open until it is in place: see the second sync below.
	defer unix.Close(fd)
	renamed := false
	defer func() {
		if err != nil && !renamed {
			// Best effort: on a pulled stick there is nothing left to
			// remove from.
			_ = unix.Unlinkat(dirFD, tmp, 0)
		}
	}()
	if err := writeAll(fd, data); err != nil {
		return classify(fmt.Errorf("write: %w", err))
	}
	if err := unix.Fsync(fd); err != nil {
		return classify(fmt.Errorf("sync: %w", err))
	}
	if testHookBeforeRename != nil {
		testHookBeforeRename()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// A lazy unmount leaves the open descriptors working on a detached
	// filesystem: the rename would succeed out of everybody's sight.
	if !stillAt(dirFD, mp) {
		return fmt.Errorf("%w: unmounted during the write", ErrStickGone)
	}
	if err := renameNoReplace(dirFD, tmp, name); err != nil {
		return classify(fmt.Errorf("rename into place: %w", err))
	}
	renamed = true
	// On FAT a file's size lives in its directory entry, and the rename
	// makes a new entry that says 0 bytes until the kernel writes the
	// file's metadata back, seconds later: a stick pulled when the menu
	// says "saved" held an empty file (found by the QEMU bench). Syncing
	// the file again writes its size into the new entry; syncing the
	// folder alone does not.
	step := "sync after rename"
	err = unix.Fsync(fd)
	if err == nil {
		step = "sync folder"
		err = unix.Fsync(dirFD)
	}
	if err == nil && !stillAt(dirFD, mp) {
		err = fmt.Errorf("%w: unmounted during the write", ErrStickGone)
	}
	if err != nil {
		// The caller is told it failed: take the file away again so the
		// stick does not keep a file the caller considers not written.
		_ = unix.Unlinkat(dirFD, name, 0)
		_ = unix.Fsync(dirFD)
		return classify(fmt.Errorf("%s: %w", step, err))
	}
	// The deferred close can only fail now for what the syncs would have
	// reported: its error is not needed.
	return nil
}

// removeLeftovers removes, best effort, the temporary files at the root of
// the folder dirFD that no write in progress owns: what a power cut or a
// yank left of an earlier write. Only regular files with our prefix and
// suffix are touched; a stick that cannot be listed is left alone.
func (w *Watcher) removeLeftovers(dirFD int) {
	fd, err := unix.Dup(dirFD)
	if err != nil {
		return
	}
	dir := os.NewFile(uintptr(fd), "stick")
	defer dir.Close()
	names, err := dir.Readdirnames(maxLeftoverScan)
	if err != nil && len(names) == 0 {
		return
	}
	for _, n := range names {
		if !strings.HasPrefix(n, tempPrefix) || !strings.HasSuffix(n, ".tmp") {
			continue
		}
		if _, busy := w.writing.Load(n); busy {
			continue
		}
		var st unix.Stat_t
		if unix.Fstatat(dirFD, n, &st, unix.AT_SYMLINK_NOFOLLOW) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
			continue
		}
		if unix.Unlinkat(dirFD, n, 0) == nil {
			w.log.Info("removed a temporary file left by an interrupted write", "file", n)
		}
	}
}

// maxLeftoverScan bounds the names read looking for leftovers: a stick's
// root with more is left as it is past that many.
const maxLeftoverScan = 10000

func writeAll(fd int, data []byte) error {
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// renameNoReplace renames oldName to newName in dirFD, failing with EEXIST
// when newName exists. renameat2(RENAME_NOREPLACE) does it atomically where
// the kernel has it: Linux 3.15, and FAT since Linux 4.9, where the VFS
// checks the flag and vfat accepts it. Older kernels say EINVAL or ENOSYS.
func renameNoReplace(dirFD int, oldName, newName string) error {
	err := unix.Renameat2(dirFD, oldName, dirFD, newName, unix.RENAME_NOREPLACE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		return renameNoReplaceOld(dirFD, oldName, newName)
	}
	return err
}

// renameNoReplaceOld is renameNoReplace for kernels without renameat2 on
// this filesystem: a hard link (atomic, EEXIST when taken) and an unlink.
// FAT has no hard links (EPERM); there the last resort is a check and a
// plain rename, whose window only another writer to the same stick at the
// same moment could use.
func renameNoReplaceOld(dirFD int, oldName, newName string) error {
	err := unix.Linkat(dirFD, oldName, dirFD, newName, 0)
	switch {
	case err == nil:
		return unix.Unlinkat(dirFD, oldName, 0)
	case errors.Is(err, unix.EPERM), errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.ENOSYS):
		var st unix.Stat_t
		if err := unix.Fstatat(dirFD, newName, &st, unix.AT_SYMLINK_NOFOLLOW); err == nil {
			return unix.EEXIST
		}
		return unix.Renameat(dirFD, oldName, dirFD, newName)
	default:
		return err
	}
}

// checkFileName refuses a name that is not a plain file name every stick
// can hold.
func checkFileName(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return fmt.Errorf("%w: empty or a folder name", ErrBadName)
	case len(name) > 255:
		return fmt.Errorf("%w: longer than 255 bytes", ErrBadName)
	case strings.Contains(name, ".."):
		return fmt.Errorf("%w: contains \"..\"", ErrBadName)
	case strings.HasPrefix(name, tempPrefix):
		return fmt.Errorf("%w: reserved for temporary files", ErrBadName)
	case !utf8.ValidString(name):
		return fmt.Errorf("%w: not UTF-8", ErrBadName)
	case strings.HasSuffix(name, " ") || strings.HasSuffix(name, "."):
		return fmt.Errorf("%w: ends in a space or dot, which FAT drops", ErrBadName)
	}
	for _, r := range name {
		if termsafe.UnsafeRune(r) || strings.ContainsRune(`/\:*?"<>|`, r) {
			return fmt.Errorf("%w: contains %q", ErrBadName, r)
		}
	}
	return nil
}
