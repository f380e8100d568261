package web

import (
	"net"
	"syscall"
)

// socketPeerUID is the user id of the process at the other end of a unix
// socket connection, as the kernel recorded it when that process
// connected (SO_PEERCRED): a value the peer cannot choose.
func socketPeerUID(c net.Conn) (uint32, bool) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return 0, false
	}
	rc, err := uc.SyscallConn()
	if err != nil {
		return 0, false
	}
	var cred *syscall.Ucred
	var serr error
	if err := rc.Control(func(fd uintptr) {
		cred, serr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil || serr != nil {
		return 0, false
	}
	return cred.Uid, true
}
