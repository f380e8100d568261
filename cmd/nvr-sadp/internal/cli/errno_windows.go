package cli

import (
	"syscall"

	"nvrmenu/texts"
)

// errnoWords name the system's errors nvr-sadp meets, on Windows (Winsock
// and file errors by number: syscall names few of them; files not found
// and access denied are fs.ErrNotExist and fs.ErrPermission already).
var errnoWords = map[syscall.Errno]texts.ID{
	10061: texts.SadpErrRefused,         // WSAECONNREFUSED
	10065: texts.SadpErrHostUnreachable, // WSAEHOSTUNREACH
	10051: texts.SadpErrNetUnreachable,  // WSAENETUNREACH
	10054: texts.SadpErrBroken,          // WSAECONNRESET
	10053: texts.SadpErrBroken,          // WSAECONNABORTED
	10049: texts.SadpErrAddrNotAvail,    // WSAEADDRNOTAVAIL
	112:   texts.SadpErrDiskFull,        // ERROR_DISK_FULL
	39:    texts.SadpErrDiskFull,        // ERROR_HANDLE_DISK_FULL
	19:    texts.SadpErrReadOnlyFS,      // ERROR_WRITE_PROTECT
	206:   texts.SadpErrNameTooLong,     // ERROR_FILENAME_EXCED_RANGE
	267:   texts.SadpErrNotFolder,       // ERROR_DIRECTORY
}
