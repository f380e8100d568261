package web

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"
)

// stepClock is the listener's clock, moved by the test.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// attackedDoor serves h's door over TLS on the loopback with at most
// maxConns connections, the listener on clock, and the server's header
// and idle timeouts long: whatever gives way in these tests does so
// because the door chose it, never because a timeout came.
func attackedDoor(t *testing.T, h *harness, maxConns int, clock *stepClock) string {
	t.Helper()
	return attackedListener(t, h, maxConns, clock).Addr().String()
}

// attackedListener is attackedDoor's listener, for a test that looks at
// what the door holds.
func attackedListener(t *testing.T, h *harness, maxConns int, clock *stepClock) *limitListener {
	t.Helper()
	h.srv.timeouts.readHeader, h.srv.timeouts.read, h.srv.timeouts.idle = 10*time.Minute, 10*time.Minute, 10*time.Minute
	cert := testCert(t)
	ln, err := Listen("127.0.0.1:0", cert, maxConns)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*limitListener).now = clock.now
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); h.srv.Serve(ctx, ln, cert) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.(*limitListener)
}

// waitIdle waits until the door holds c as idle: net/http says so once the
// answer is written, and the client may have read the answer before.
func waitIdle(t *testing.T, l *limitListener, c net.Conn) {
	t.Helper()
	deadline := time.Now().Add(guard)
	for {
		l.mu.Lock()
		idle := false
		for o := range l.served {
			if o.RemoteAddr().String() == c.LocalAddr().String() && o.state == connIdle && !o.closed {
				idle = true
			}
		}
		l.mu.Unlock()
		if idle {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the door never held %s as idle", c.LocalAddr())
		}
		time.Sleep(time.Millisecond)
	}
}

// tlsFrom opens a TLS connection to addr from the loopback address from.
func tlsFrom(t *testing.T, from, addr string) *tls.Conn {
	t.Helper()
	raw := dialFrom(t, from, addr)
	c := tls.Client(raw, &tls.Config{InsecureSkipVerify: true})
	c.SetDeadline(time.Now().Add(guard))
	if err := c.Handshake(); err != nil {
		t.Fatalf("handshake from %s: %v", from, err)
	}
	c.SetDeadline(time.Time{})
	return c
}

// keepAlive makes one whole request on c and reads its answer, leaving
// the connection open and idle.
func keepAlive(t *testing.T, c *tls.Conn) {
	t.Helper()
	c.SetDeadline(time.Now().Add(guard))
	fmt.Fprintf(c, "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	c.SetDeadline(time.Time{})
}

// slowHeaders opens a connection from from that sends the start of a
// request and never ends its headers.
func slowHeaders(t *testing.T, from, addr string) *tls.Conn {
	t.Helper()
	c := tlsFrom(t, from, addr)
	fmt.Fprintf(c, "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
	return c
}

// page is a fresh client's page, from from; within guard, or the test
// fails.
func page(t *testing.T, from, addr string) {
	t.Helper()
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	c := &http.Client{Timeout: guard, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, DialContext: dialer.DialContext, DisableKeepAlives: true}}
	resp, err := c.Get("https://" + addr + "/login")
	if err != nil {
		t.Fatalf("a fresh client from %s: %v", from, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("a fresh client from %s: status %d", from, resp.StatusCode)
	}
}

// closedByTheDoor reports whether the door closed c: a read ends at once.
// A connection left open is watched for a moment only (the negative can
// only be watched for a while).
func closedByTheDoor(c net.Conn) bool {
	c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	_, err := c.Read(make([]byte, 1))
	c.SetReadDeadline(time.Time{})
	return err != nil && !errors.Is(err, os.ErrDeadlineExceeded)
}

// closedEach is closedByTheDoor of each of conns, watched at once.
func closedEach(conns []net.Conn) []bool {
	out := make([]bool, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() { out[i] = closedByTheDoor(c) })
	}
	wg.Wait()
	return out
}

// TestIdleConnectionsGiveWay: the door full of idle keep-alive
// connections (two addresses, each its share, one request each) serves a
// fresh client at once: an idle connection is closed for it. Before, the
// client waited for an idle timeout.
func TestIdleConnectionsGiveWay(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	addr := attackedDoor(t, h, 4, &stepClock{t: time.Unix(1e9, 0)})
	var idle []*tls.Conn
	for _, from := range []string{"127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3"} {
		c := tlsFrom(t, from, addr)
		keepAlive(t, c)
		idle = append(idle, c)
	}
	page(t, "127.0.0.4", addr)
	closed := 0
	for _, c := range idle {
		if closedByTheDoor(c) {
			closed++
		}
	}
	if closed == 0 {
		t.Fatal("no idle connection gave way, yet the fresh client was served")
	}
}

// TestIdleSharePerClient: one client keeps at most idlePerClient idle
// connections; the door closes its oldest beyond that, however many
// slots are free.
func TestIdleSharePerClient(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	l := attackedListener(t, h, 64, &stepClock{t: time.Unix(1e9, 0)})
	var conns []*tls.Conn
	for range idlePerClient + 3 {
		c := tlsFrom(t, "127.0.0.2", l.Addr().String())
		keepAlive(t, c)
		// In the order they went idle: the next one only once the door
		// has this one idle (it failed once, the hook coming late).
		waitIdle(t, l, c)
		conns = append(conns, c)
	}
	for i, c := range conns {
		got, want := closedByTheDoor(c), i < 3
		if got != want {
			t.Errorf("idle connection %d of %d: closed by the door %v, want %v", i+1, len(conns), got, want)
		}
	}
}

// TestSlowHeadersGiveWay: the door full of connections that send their
// headers one slow byte at a time. A fresh client is served, by the
// clock the door keeps: at once from a client holding two more
// connections than it, once such a connection has had fairGrace; from a
// client holding no more, once one has had slowGrace. Before, it waited
// for the header timeout.
func TestSlowHeadersGiveWay(t *testing.T) {
	t.Run("from a client holding more", func(t *testing.T) {
		clock := &stepClock{t: time.Unix(1e9, 0)}
		h := newHarness(t, harnessOptions{activated: true})
		addr := attackedDoor(t, h, 4, clock)
		var slow []*tls.Conn
		for _, from := range []string{"127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3"} {
			slow = append(slow, slowHeaders(t, from, addr))
		}
		clock.advance(fairGrace)
		page(t, "127.0.0.4", addr)
		closed := 0
		for _, c := range slow {
			if closedByTheDoor(c) {
				closed++
			}
		}
		if closed != 1 {
			t.Fatalf("%d slow connections closed, want the one that gave way", closed)
		}
	})
	t.Run("from anyone, once slow", func(t *testing.T) {
		clock := &stepClock{t: time.Unix(1e9, 0)}
		h := newHarness(t, harnessOptions{activated: true})
		addr := attackedDoor(t, h, 4, clock)
		for _, from := range []string{"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"} {
			slowHeaders(t, from, addr)
		}
		// Waiting, fresh, from its own address: nobody holds more than
		// it may, and nobody has been slow for long.
		clock.advance(fairGrace)
		done := make(chan struct{})
		go func() { defer close(done); page(t, "127.0.0.6", addr) }()
		select {
		case <-done:
			t.Fatal("served before any connection was slow for slowGrace")
		case <-time.After(300 * time.Millisecond):
		}
		clock.advance(slowGrace)
		<-done
	})
}

// TestBusyConnectionsNeverGiveWay: connections in a handler keep their
// slots whatever their age; the waiting client is served when one ends.
func TestBusyConnectionsNeverGiveWay(t *testing.T) {
	clock := &stepClock{t: time.Unix(1e9, 0)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lim := LimitListener(ln, 2)
	lim.(*limitListener).now = clock.now
	release, entered := make(chan struct{}), make(chan struct{}, 4)
	srv := &http.Server{
		Handler: busyWhileServing(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/hold" {
				entered <- struct{}{}
				<-release
			}
		})),
		ConnContext: connContext,
		ConnState:   connStateHook,
	}
	go srv.Serve(lim)
	t.Cleanup(func() { srv.Close() })
	addr := lim.Addr().String()
	for _, from := range []string{"127.0.0.2", "127.0.0.3"} {
		c := dialFrom(t, from, addr)
		fmt.Fprintf(c, "GET /hold HTTP/1.1\r\nHost: x\r\n\r\n")
		<-entered
	}
	clock.advance(time.Hour)
	done := make(chan error, 1)
	go func() {
		c := dialFrom(t, "127.0.0.4", addr)
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(guard))
		_, err := http.ReadResponse(bufio.NewReader(c), nil)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("served while both slots were in handlers (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestNewConnectionRatePerClient: one client opens newConnsBurst
// connections at once, then newConnsPerSecond on the door's clock; a
// further one is closed at once, before any TLS handshake, while another
// address is served. (A client reconnecting as fast as the door closes
// its connections would otherwise cost the recorder a handshake each.)
func TestNewConnectionRatePerClient(t *testing.T) {
	clock := &stepClock{t: time.Unix(1e9, 0)}
	ln, err := Listen("127.0.0.1:0", testCert(t), 64)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*limitListener).now = clock.now
	accepted, addr := acceptor(t, ln), ln.Addr().String()
	open := func(from string) {
		t.Helper()
		dialFrom(t, from, addr)
		next(t, accepted).Close() // served, then gone: the share never binds
	}
	for range newConnsBurst {
		open("127.0.0.2")
	}
	refused := dialFrom(t, "127.0.0.2", addr)
	if !closedByTheDoor(refused) {
		t.Fatal("a connection beyond the burst was not closed at once")
	}
	open("127.0.0.3") // another address is served
	clock.advance(time.Second)
	for range newConnsPerSecond {
		open("127.0.0.2")
	}
	if !closedByTheDoor(dialFrom(t, "127.0.0.2", addr)) {
		t.Fatal("more than newConnsPerSecond a second were let through")
	}
}

// TestWaitingRoomMakesWayForTheFewest: the waiting room holds four times
// max_conns; when it is full, a newcomer from a client holding fewer
// connections takes the place of a waiting one of a client holding more,
// and when nobody holds more, nothing is closed: the kernel's queue holds
// the rest.
func TestWaitingRoomMakesWayForTheFewest(t *testing.T) {
	const maxConns = 4 // a share of 2, a room of 16
	accepted, addr := listenCapped(t, maxConns)
	for i := range maxConns {
		dialFrom(t, fmt.Sprintf("127.0.1.%d", i+1), addr)
		next(t, accepted)
	}
	var waiting []net.Conn
	for i := range 4 * maxConns { // two each from 8 addresses
		waiting = append(waiting, dialFrom(t, fmt.Sprintf("127.0.2.%d", 1+i/2), addr))
	}
	// One more from another address: the room takes it, and one waiting
	// connection of a client holding two gives way.
	newcomer := dialFrom(t, "127.0.3.1", addr)
	gone := closedEach(append(waiting, newcomer))
	closed := 0
	for _, c := range gone[:len(waiting)] {
		if c {
			closed++
		}
	}
	if closed != 1 || gone[len(waiting)] {
		t.Fatalf("%d waiting connections closed (the newcomer's: %v), want one of a client holding two", closed, gone[len(waiting)])
	}
}

// TestWaitingRoomFullOfEquals: a room full of clients holding one each
// closes nobody's: the next ones wait in the kernel's queue, and are
// served in turn.
func TestWaitingRoomFullOfEquals(t *testing.T) {
	const maxConns = 4
	accepted, addr := listenCapped(t, maxConns)
	var served []net.Conn
	for i := range maxConns {
		dialFrom(t, fmt.Sprintf("127.0.1.%d", i+1), addr)
		served = append(served, next(t, accepted))
	}
	var waiting []net.Conn
	for i := range 4*maxConns + 3 {
		waiting = append(waiting, dialFrom(t, fmt.Sprintf("127.0.2.%d", 1+i), addr))
	}
	for i, c := range closedEach(waiting) {
		if c {
			t.Fatalf("waiting connection %d was closed", i+1)
		}
	}
	// Every one is served as the slots free.
	for range waiting {
		served[0].Close()
		served[0] = next(t, accepted)
	}
}
