// Package regfile opens the files a daemon keeps in a directory that
// someone else with write access could tamper with: never through a
// symbolic link at the path's last element, never waiting on a FIFO or a
// device, and only ever a regular file. A FIFO at state.json would
// otherwise hang open(2) for good, and a link at audit.log would make the
// daemon append to whatever file it names. It builds for Linux, macOS and
// Windows (where links and FIFOs are not a concern and only the type is
// checked).
package regfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular reports a path that holds something other than a regular
// file: a directory, a FIFO, a device, a socket, or a symbolic link where
// links are not followed.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge reports a file over the size ReadFile was given.
var ErrTooLarge = errors.New("file too large")

// OpenFile is os.OpenFile (flag and perm as there), but it never follows a
// symbolic link at path's last element, never blocks in open(2) (a FIFO
// without a writer, a device), and returns only a regular file: anything
// else is closed again and refused with an error wrapping ErrNotRegular.
// The file is in ordinary blocking mode for the caller.
func OpenFile(path string, flag int, perm os.FileMode) (*os.File, error) {
	return open(path, flag, perm, false)
}

// Open opens path for reading, as OpenFile.
func Open(path string) (*os.File, error) { return OpenFile(path, os.O_RDONLY, 0) }

// OpenLinked is OpenFile for a path a person configured: a symbolic link
// there is their choice and is followed; the rest holds (no waiting, a
// regular file only).
func OpenLinked(path string, flag int, perm os.FileMode) (*os.File, error) {
	return open(path, flag, perm, true)
}

// ReadFile reads the regular file at path (opened as Open does), refusing
// one of more than max bytes with an error wrapping ErrTooLarge.
func ReadFile(path string, max int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(f, path, max)
}

// ReadLinked is ReadFile following a symbolic link, as OpenLinked.
func ReadLinked(path string, max int64) ([]byte, error) {
	f, err := OpenLinked(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(f, path, max)
}

func readAll(f *os.File, path string, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)}
	}
	return data, nil
}

// checkRegular closes f and refuses it unless it is a regular file.
func checkRegular(f *os.File, path string) error {
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w: %s", ErrNotRegular, kind(fi.Mode()))}
	}
	return nil
}

// kind names a file's type for an error message.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}
