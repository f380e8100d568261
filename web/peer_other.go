//go:build !linux

package web

import "net"

// socketPeerUID knows no peer off Linux: the socket door then serves
// nobody (the daemon runs on Linux).
func socketPeerUID(net.Conn) (uint32, bool) { return 0, false }
