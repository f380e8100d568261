package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// errFileExists: the file is there and -f was not given.
var errFileExists = errors.New("already exists (-f replaces it)")

// writeFileAtomic writes data to path so that path is always either what
// it was or all of data: a temporary file beside it (0600), written and
// synced, then renamed (replace) or linked (no replace: an existing path
// is errFileExists, decided by the file system, not by a check before),
// and the directory synced. Nothing is left behind on failure.
func writeFileAtomic(path string, data []byte, replace bool) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if !replace {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%s: %w", path, errFileExists)
		}
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(name)
		}
	}()
	// os.CreateTemp makes it 0600.
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("%s: syncing: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if replace {
		if err := os.Rename(name, path); err != nil {
			return err
		}
	} else {
		// A hard link fails if path appeared meanwhile; where links are
		// not possible (FAT), rename after the check above.
		switch lerr := os.Link(name, path); {
		case lerr == nil:
			os.Remove(name)
		case errors.Is(lerr, os.ErrExist):
			return fmt.Errorf("%s: %w", path, errFileExists)
		default:
			if err := os.Rename(name, path); err != nil {
				return err
			}
		}
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable; Windows cannot open a directory
// for that, and does not need it.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}
