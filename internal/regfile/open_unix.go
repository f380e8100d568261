//go:build unix

package regfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

func open(path string, flag int, perm os.FileMode, follow bool) (*os.File, error) {
	flag |= syscall.O_NONBLOCK | syscall.O_CLOEXEC
	if !follow {
		flag |= syscall.O_NOFOLLOW
	}
	f, err := os.OpenFile(path, flag, perm)
	if err != nil {
		var pe *fs.PathError
		if !follow && errors.As(err, &pe) && errors.Is(pe.Err, syscall.ELOOP) {
			// O_NOFOLLOW's answer: the last element is a link.
			return nil, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w: a symbolic link", ErrNotRegular)}
		}
		if errors.As(err, &pe) && errors.Is(pe.Err, syscall.ENXIO) {
			// A FIFO opened for writing without a reader.
			return nil, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w: a FIFO or a device", ErrNotRegular)}
		}
		return nil, err
	}
	if err := checkRegular(f, path); err != nil {
		return nil, err
	}
	// O_NONBLOCK means nothing to a regular file's reads and writes, but
	// the caller gets what os.OpenFile would have given.
	if err := clearNonblock(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func clearNonblock(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = syscall.SetNonblock(int(fd), false) }); err != nil {
		return err
	}
	return serr
}
