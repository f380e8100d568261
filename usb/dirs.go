package usb

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// startDirs watches the media root with inotify and scans it once: in the
// "dirs" source every directory directly under the root is a stick, and
// creating or removing one is an event on the root.
func (w *Watcher) startDirs() error {
	if err := w.fsw.Add(w.root); err != nil {
		return fmt.Errorf("usb: watch media root %q: %w", w.root, err)
	}
	w.rescanDirs()
	return nil
}

// rescanDirs reads the media root again and applies it. Symbolic links to
// directories are not sticks.
func (w *Watcher) rescanDirs() {
	found := map[string]observed{}
	f, err := os.Open(w.root)
	if err != nil {
		w.log.Warn("usb: reading the media root failed", "err", err)
		w.apply(found)
		return
	}
	entries, err := f.ReadDir(maxRootEntries)
	f.Close()
	if err != nil && err != io.EOF {
		w.log.Warn("usb: reading the media root failed", "err", err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		path := filepath.Join(w.root, e.Name())
		var st unix.Stat_t
		if unix.Lstat(path, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFDIR {
			continue
		}
		found[e.Name()] = observed{
			stick: Stick{MountPoint: path},
			ident: identity{dev: uint64(st.Dev), ino: uint64(st.Ino)},
		}
	}
	w.apply(found)
}
