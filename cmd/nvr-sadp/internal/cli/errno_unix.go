//go:build unix

package cli

import (
	"syscall"

	"nvrmenu/texts"
)

// errnoWords name the system's errors nvr-sadp meets, on Linux and macOS.
var errnoWords = map[syscall.Errno]texts.ID{
	syscall.ECONNREFUSED:  texts.SadpErrRefused,
	syscall.EHOSTUNREACH:  texts.SadpErrHostUnreachable,
	syscall.ENETUNREACH:   texts.SadpErrNetUnreachable,
	syscall.ECONNRESET:    texts.SadpErrBroken,
	syscall.ECONNABORTED:  texts.SadpErrBroken,
	syscall.EPIPE:         texts.SadpErrBroken,
	syscall.EADDRNOTAVAIL: texts.SadpErrAddrNotAvail,
	syscall.ENOSPC:        texts.SadpErrDiskFull,
	syscall.EDQUOT:        texts.SadpErrDiskFull,
	syscall.EROFS:         texts.SadpErrReadOnlyFS,
	syscall.EISDIR:        texts.SadpErrIsFolder,
	syscall.ENOTDIR:       texts.SadpErrNotFolder,
	syscall.ENAMETOOLONG:  texts.SadpErrNameTooLong,
}
