package usb

import (
	"errors"
	"fmt"
	"syscall"

	"nvrmenu/texts"
)

// Errors the menu tells apart. They are wrapped with the stick and the file
// they concern; check them with errors.Is.
var (
	// ErrStickGone means the stick is not (or no longer) present, or stopped
	// answering: it was pulled, unmounted or failed with EIO.
	ErrStickGone = errors.New("stick gone or unreadable")
	// ErrReadOnly means the stick refuses writes: a read-only mount or a
	// write-protected stick.
	ErrReadOnly = errors.New("stick is read-only")
	// ErrNoSpace means the stick is full.
	ErrNoSpace = errors.New("stick is full")
	// ErrExists means a file of that name is already on the stick; it was
	// left untouched.
	ErrExists = errors.New("file already exists")
	// ErrBadName means a file name was refused before touching the stick.
	ErrBadName = errors.New("file name not allowed")
	// ErrTooManyEntries means a listing stopped at Options.MaxEntries
	// entries or MaxCandidates candidates; the listing holds what was found
	// before the limit.
	ErrTooManyEntries = errors.New("too many entries on the stick")
	// ErrListTimeout means a listing ran out of time; the listing holds what
	// was found before the deadline.
	ErrListTimeout = errors.New("stick too slow to list")
	// ErrClosed means the watcher was closed.
	ErrClosed = errors.New("usb watcher closed")
)

// classify wraps err with the sentinel matching its errno, keeping the errno
// in the chain so errors.Is works for both.
func classify(err error) error {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return err
	}
	switch errno {
	case syscall.EROFS, syscall.EACCES, syscall.EPERM:
		return fmt.Errorf("%w: %w", ErrReadOnly, err)
	case syscall.ENOSPC, syscall.EDQUOT:
		return fmt.Errorf("%w: %w", ErrNoSpace, err)
	case syscall.EEXIST:
		return fmt.Errorf("%w: %w", ErrExists, err)
	}
	if gone(err) {
		return fmt.Errorf("%w: %w", ErrStickGone, err)
	}
	return err
}

// gone reports whether err is what a pulled, unmounted or failing stick
// gives.
func gone(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case syscall.ENODEV, syscall.ENXIO, syscall.EIO, syscall.ENOENT, syscall.ESTALE,
		syscall.ENOTCONN, syscall.ESHUTDOWN, syscall.ENOTDIR:
		return true
	}
	return false
}

// errorCodes names the watcher's sentinels for the doors' catalogue.
var errorCodes = []struct {
	err  error
	code texts.Code
}{
	{ErrStickGone, texts.CodeStickGone},
	{ErrReadOnly, texts.CodeStickReadOnly},
	{ErrNoSpace, texts.CodeStickFull},
	{ErrExists, texts.CodeFileExists},
	{ErrBadName, texts.CodeBadName},
	{ErrTooManyEntries, texts.CodeTooManyEntries},
	{ErrListTimeout, texts.CodeListTimeout},
}

// ErrorCode is the catalogue's code for an error of the watcher, and false
// for any other error.
func ErrorCode(err error) (texts.Code, bool) {
	for _, e := range errorCodes {
		if errors.Is(err, e.err) {
			return e.code, true
		}
	}
	return "", false
}
