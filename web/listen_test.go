package web

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"nvrmenu/internal/selfcert"
)

// testCert is a self-signed certificate as the daemon makes one.
func testCert(t *testing.T) *tls.Certificate {
	t.Helper()
	certPEM, keyPEM, err := selfcert.Generate(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return &cert
}

// guard bounds a wait that must end by itself; reaching it is a failure.
const guard = 30 * time.Second

// acceptor accepts ln's connections in the background and hands them on.
func acceptor(t *testing.T, ln net.Listener) <-chan net.Conn {
	t.Helper()
	accepted := make(chan net.Conn, 64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return accepted
}

// dialFrom opens a TCP connection to addr from the loopback address from
// (any of 127.0.0.0/8 is the machine's own).
func dialFrom(t *testing.T, from, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: guard}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("dial from %s: %v", from, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func next(t *testing.T, accepted <-chan net.Conn) net.Conn {
	t.Helper()
	select {
	case c := <-accepted:
		return c
	case <-time.After(guard):
		t.Fatalf("no connection accepted within %v", guard)
		return nil
	}
}

// noneAccepted checks that no further connection is accepted while the
// slots are taken. A negative can only be watched for a while: without
// the cap the connection would be accepted at once.
func noneAccepted(t *testing.T, accepted <-chan net.Conn, why string) {
	t.Helper()
	select {
	case c := <-accepted:
		t.Fatalf("%s: a connection from %s was accepted", why, c.RemoteAddr())
	case <-time.After(300 * time.Millisecond):
	}
}

// listenCapped listens as the door does on a loopback port, with at most
// maxConns connections, and accepts them in the background. The
// listener's clock stands still: no connection ever ages into giving way
// (limit_test.go moves it).
func listenCapped(t *testing.T, maxConns int) (accepted <-chan net.Conn, addr string) {
	t.Helper()
	ln, err := Listen("127.0.0.1:0", testCert(t), maxConns)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*limitListener).now = (&stepClock{t: time.Unix(1e9, 0)}).now
	return acceptor(t, ln), ln.Addr().String()
}

func peerIP(c net.Conn) string { return c.RemoteAddr().(*net.TCPAddr).IP.String() }

// TestConnectionCap: at most max_conns connections are served at once,
// from any number of addresses; the next waits until one closes.
func TestConnectionCap(t *testing.T) {
	const maxConns = 8 // two from each of four addresses: within the per-address share
	accepted, addr := listenCapped(t, maxConns)
	var open []net.Conn
	for i := range maxConns {
		dialFrom(t, "127.0.0."+string(rune('2'+i/2)), addr)
		open = append(open, next(t, accepted))
	}
	dialFrom(t, "127.0.0.9", addr)
	noneAccepted(t, accepted, "with every slot taken")
	open[0].Close()
	if c := next(t, accepted); peerIP(c) != "127.0.0.9" {
		t.Fatalf("accepted a connection from %s, want the waiting one from 127.0.0.9", peerIP(c))
	}
}

// TestPerClientConnectionCap: one address holds at most
// PerClientConns(max_conns) connections; a further one from it is closed
// at once, while another address is still served.
func TestPerClientConnectionCap(t *testing.T) {
	for _, tc := range []struct{ maxConns, want int }{{4, 2}, {8, 2}, {16, 4}, {64, 16}, {1024, 256}} {
		if got := PerClientConns(tc.maxConns); got != tc.want {
			t.Errorf("PerClientConns(%d) = %d, want %d", tc.maxConns, got, tc.want)
		}
	}
	const maxConns = 16
	share := PerClientConns(maxConns)
	accepted, addr := listenCapped(t, maxConns)
	var mine []net.Conn
	for range share {
		dialFrom(t, "127.0.0.2", addr)
		mine = append(mine, next(t, accepted))
	}
	// One more from the same address: closed by the door, never handed
	// to the server.
	extra := dialFrom(t, "127.0.0.2", addr)
	extra.SetReadDeadline(time.Now().Add(guard))
	if _, err := extra.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("connection %d from one address: read %v, want it closed by the door", share+1, err)
	}
	// Another address is served; and it is the next one accepted, so the
	// extra one was not.
	dialFrom(t, "127.0.0.3", addr)
	if c := next(t, accepted); peerIP(c) != "127.0.0.3" {
		t.Fatalf("accepted a connection from %s, want the one from 127.0.0.3", peerIP(c))
	}
	// A connection closed gives the address its slot back.
	mine[0].Close()
	dialFrom(t, "127.0.0.2", addr)
	if c := next(t, accepted); peerIP(c) != "127.0.0.2" {
		t.Fatalf("accepted a connection from %s, want 127.0.0.2's again", peerIP(c))
	}
}

// TestRefusedConnectionsGiveTheirSlotBack: connections refused for their
// address's share do not keep a slot of the whole: with 4 slots and a
// share of 2, one address at its share and 3 more refused still leaves
// two others their 2 slots.
func TestRefusedConnectionsGiveTheirSlotBack(t *testing.T) {
	const maxConns = 4
	accepted, addr := listenCapped(t, maxConns)
	for range PerClientConns(maxConns) {
		dialFrom(t, "127.0.0.2", addr)
		next(t, accepted)
	}
	for i := range 3 {
		extra := dialFrom(t, "127.0.0.2", addr)
		extra.SetReadDeadline(time.Now().Add(guard))
		if _, err := extra.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("extra connection %d from 127.0.0.2: read %v, want it closed by the door", i+1, err)
		}
	}
	for _, from := range []string{"127.0.0.3", "127.0.0.4"} {
		dialFrom(t, from, addr)
		if c := next(t, accepted); peerIP(c) != from {
			t.Fatalf("accepted a connection from %s, want %s's", peerIP(c), from)
		}
	}
}

// TestPeerOfIPv6IsItsSlash64: the share is per IPv4 address and per IPv6
// /64 (one host may hold any address of its network).
func TestPeerOfIPv6IsItsSlash64(t *testing.T) {
	for _, tc := range []struct{ remote, want string }{
		{"192.0.2.20", "192.0.2.20"},
		{"::ffff:192.0.2.20", "192.0.2.20"},
		{"2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"},
		{"2001:db8:1:2::1", "2001:db8:1:2::"},
		{"fe80::1234", "fe80::"},
	} {
		c := peerConn{&net.TCPAddr{IP: net.ParseIP(tc.remote), Port: 50000}}
		got, ok := tcpPeer(c)
		if !ok || got.String() != tc.want {
			t.Errorf("peer of %s: %v (%v), want %s", tc.remote, got, ok, tc.want)
		}
	}
	if _, ok := tcpPeer(peerConn{&net.UnixAddr{Name: "@", Net: "unix"}}); ok {
		t.Errorf("a unix socket's peer counted as a TCP client")
	}
}

// peerConn is a connection that only has a remote address.
type peerConn struct{ remote net.Addr }

func (c peerConn) RemoteAddr() net.Addr           { return c.remote }
func (peerConn) Read([]byte) (int, error)         { return 0, io.EOF }
func (peerConn) Write(b []byte) (int, error)      { return len(b), nil }
func (peerConn) Close() error                     { return nil }
func (peerConn) LocalAddr() net.Addr              { return nil }
func (peerConn) SetDeadline(time.Time) error      { return nil }
func (peerConn) SetReadDeadline(time.Time) error  { return nil }
func (peerConn) SetWriteDeadline(time.Time) error { return nil }

// TestListenUnixSocketHasItsModeFromTheStart: the socket appears under
// its name already 0660 (it is renamed there after its chmod: its name
// never sees a change of mode), replaces a stale one, is not left behind
// at close, and refuses to replace a file that is not a socket.
func TestListenUnixSocketHasItsModeFromTheStart(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "door.sock")
	stale, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	stale.(*net.UnixListener).SetUnlinkOnClose(false)
	stale.Close()

	w, err := fsnotify.NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Add(dir); err != nil {
		t.Fatal(err)
	}
	ln, err := Listen("unix:"+path, nil, 4)
	if err != nil {
		t.Fatal(err)
	}
	// Events come in order: once the marker's shows, every one of
	// Listen's has.
	marker := filepath.Join(dir, "marker")
	os.WriteFile(marker, nil, 0o600)
	var onPath []fsnotify.Op
	for ev := range w.Events {
		if ev.Name == marker {
			break
		}
		if ev.Name == path {
			onPath = append(onPath, ev.Op)
		}
	}
	for _, op := range onPath {
		if op.Has(fsnotify.Chmod) {
			t.Errorf("events on %s: %v: its mode changed under its name", path, onPath)
		}
	}
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o660 {
		t.Errorf("%s: mode %v, want a socket with 0660", path, fi.Mode())
	}
	if got := ln.Addr().String(); got != path {
		t.Errorf("listener's address %q, want %q", got, path)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the folder holds %v, want the socket and the marker only", entries)
	}
	// It serves there.
	accepted := acceptor(t, ln)
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	next(t, accepted)
	ln.Close()
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after close, %s: %v, want it removed", path, err)
	}

	// A file that is not a socket is not replaced.
	regular := filepath.Join(dir, "not-a-socket")
	os.WriteFile(regular, []byte("keep"), 0o600)
	if ln, err := Listen("unix:"+regular, nil, 4); err == nil {
		ln.Close()
		t.Fatal("listened over a regular file")
	}
	if data, _ := os.ReadFile(regular); string(data) != "keep" {
		t.Fatalf("the regular file now holds %q", data)
	}
}

// tlsDoor serves h's door over TLS on the loopback, as the daemon does,
// with at most maxConns connections, and returns its address.
func tlsDoor(t *testing.T, h *harness, cert *tls.Certificate, maxConns int) string {
	t.Helper()
	ln, err := Listen("127.0.0.1:0", cert, maxConns)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); h.srv.Serve(ctx, ln, cert) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}
