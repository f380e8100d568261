package web

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// The door's connections, and who gets one when they are all taken.
//
// A recorder serves few people at once, and a LAN attacker may try to
// take every connection: idle keep-alive connections that never send a
// second request, or connections that send a request's headers one slow
// byte at a time (slowloris). So the door does not let the kernel's
// accept queue decide who is served next. It takes every connection off
// the queue at once into a waiting room of its own (room), and serves from there
// the client (an IPv4 address, an IPv6 /64) that holds the fewest
// connections, first come first served among equals. When every slot is
// taken and someone waits, a served connection gives way, in this order:
//
//   - an idle one (between two requests: closing it costs its client
//     nothing but a new connection later), the oldest of the client
//     holding the most;
//   - one that has not yet sent a whole request, of a client that holds
//     at least two more connections than the one waiting, once it has had
//     fairGrace to send it (a browser's takes milliseconds): no client
//     keeps more than its fair share while another waits;
//   - one that has not sent a whole request after slowGrace, whoever
//     holds it.
//
// A connection in a handler is never closed. On top, one client keeps at
// most idlePerClient idle connections (its oldest idle one is closed when
// another goes idle), the idle timeout is short (IdleTimeout), and one
// client opens at most newConnsBurst connections at once, then
// newConnsPerSecond (beyond that a new one is closed before its TLS
// handshake, which would cost the recorder more than the client). On a
// unix socket every connection is the front server's: one client, so only
// the idle and the slow ones give way.

// Grace periods, the per-client idle share and rate of new connections
// (see above).
const (
	fairGrace     = 250 * time.Millisecond
	slowGrace     = 2 * time.Second
	idlePerClient = 4
	// newConnsPerSecond is how fast one client may open connections
	// once it has opened newConnsBurst (or twice its share, if more) at
	// once: a page needs a few, a client that reconnects as fast as its
	// connections are closed would otherwise cost the recorder a TLS
	// handshake each time.
	newConnsPerSecond = 2
	newConnsBurst     = 32
	// evictPoll is how often a waiting client looks again for a
	// connection to give way as their ages grow.
	evictPoll = 50 * time.Millisecond
)

// PerClientConns is how many of maxConns connections one client address
// may hold at once, served or waiting: a quarter, and at least 2 (a
// browser opens a second connection for the page's assets), never more
// than maxConns. A client that opens more has them closed at once, while
// the other addresses are still served.
func PerClientConns(maxConns int) int {
	maxConns = max(maxConns, 1)
	return min(maxConns, max(maxConns/4, 2))
}

// LimitListener serves at most n connections of ln at once, as the file's
// comment says: one address holds at most PerClientConns(n), served or
// waiting; at most 4n more wait in the door (beyond that the waiting
// connection of a client holding more than the newcomer's is closed for
// it, or the kernel's queue holds the rest); a waiting client is served before
// one that holds more, and a served connection that does nothing useful
// gives way to it. The http.Server from Server.HTTPServer tells it which
// connections are idle or in a handler.
func LimitListener(ln net.Listener, n int) net.Listener {
	n = max(n, 1)
	l := &limitListener{
		Listener: ln,
		n:        n,
		perAddr:  PerClientConns(n),
		now:      time.Now,
		clients:  map[netip.Addr]*peerConns{},
		rate:     map[netip.Addr]*connBucket{},
		served:   map[*limitConn]struct{}{},
		wake:     make(chan struct{}, 1),
		space:    make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	return l
}

type limitListener struct {
	net.Listener
	n, perAddr int
	now        func() time.Time // tests move it

	mu      sync.Mutex
	rate    map[netip.Addr]*connBucket // new connections per TCP client
	seq     uint64                     // the last order given
	clients map[netip.Addr]*peerConns
	served  map[*limitConn]struct{}
	waiting []*limitConn // in arrival order
	err     error        // the inner listener's, once it fails

	wake      chan struct{} // something changed: a waiter looks again
	space     chan struct{} // the waiting room shrank: acceptLoop looks again
	done      chan struct{}
	closeOnce sync.Once
	startOnce sync.Once // acceptLoop, at the first Accept
}

// connBucket is one client's allowance of new connections.
type connBucket struct {
	tokens float64
	at     time.Time
}

// maxRateBuckets bounds the clients whose rate is remembered; the full
// buckets go first (a client forgotten gets a full one, as it would).
const maxRateBuckets = 1024

// allowNew spends a token of a's allowance of new connections. The
// caller holds mu.
func (l *limitListener) allowNew(a netip.Addr) bool {
	now := l.now()
	burst := float64(max(2*l.perAddr, newConnsBurst))
	b := l.rate[a]
	if b == nil {
		if len(l.rate) >= maxRateBuckets {
			for k, o := range l.rate {
				if o.tokens+now.Sub(o.at).Seconds()*newConnsPerSecond >= burst {
					delete(l.rate, k)
				}
			}
			if len(l.rate) >= maxRateBuckets {
				return false // a flood from more clients than remembered
			}
		}
		b = &connBucket{tokens: burst, at: now}
		l.rate[a] = b
	}
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(burst, b.tokens+d.Seconds()*newConnsPerSecond)
	}
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// peerConns is one client's connections.
type peerConns struct {
	served, waiting int
}

// connState is what a served connection is doing.
type connState int

const (
	connPending connState = iota // not yet in a handler: handshake, headers
	connBusy                     // in a handler
	connIdle                     // between two requests
)

// limitConn is a connection of the listener. Its fields after Conn are
// guarded by the listener's mu.
type limitConn struct {
	net.Conn
	l      *limitListener
	client netip.Addr // zero for a socket: one client, the front server
	since  time.Time  // when it arrived, or entered its state
	order  uint64     // the same, as a count: what "oldest" compares
	state  connState
	served bool
	closed bool
	once   sync.Once
}

// acceptLoop takes connections off the kernel's queue as they come, into
// the waiting room, until the listener fails or closes.
func (l *limitListener) acceptLoop() {
	for {
		for l.roomFull() {
			select {
			case <-l.space:
			case <-l.done:
				return
			}
		}
		c, err := l.Listener.Accept()
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				continue
			}
			l.mu.Lock()
			l.err = err
			l.mu.Unlock()
			l.poke()
			return
		}
		a, _ := tcpPeer(c)
		lc := &limitConn{Conn: c, l: l, client: a}
		l.mu.Lock()
		cl := l.clients[a]
		if cl == nil {
			cl = &peerConns{}
			l.clients[a] = cl
		}
		if _, tcp := tcpPeer(c); tcp && (cl.served+cl.waiting >= l.perAddr || !l.allowNew(a)) {
			// This address holds its share already, or opens
			// connections faster than any page needs.
			l.dropClientIfEmpty(a)
			l.mu.Unlock()
			c.Close()
			continue
		}
		cl.waiting++
		l.seq++
		lc.since, lc.order = l.now(), l.seq
		l.waiting = append(l.waiting, lc)
		var overflow *limitConn
		if len(l.waiting) > l.room() {
			overflow = l.dropWaiting(lc)
		}
		l.mu.Unlock()
		if overflow != nil {
			overflow.Conn.Close()
		}
		l.poke()
	}
}

// room is how many connections may wait in the door: beyond it, the
// waiting connection of a client that holds more than the newcomer's is
// closed for it, or, when nobody does, the next ones wait in the kernel's
// queue (acceptLoop takes none until there is room).
func (l *limitListener) room() int { return 4 * l.n }

// roomFull reports whether acceptLoop should let the kernel hold the next
// connections for now.
func (l *limitListener) roomFull() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.waiting) > l.room()
}

// dropWaiting takes out of the waiting room the last connection of the
// client holding the most, if it holds more than newcomer's client, and
// returns it to be closed (nil when nobody holds more). The caller holds
// mu.
func (l *limitListener) dropWaiting(newcomer *limitConn) *limitConn {
	worst := -1
	for i, c := range l.waiting {
		if c != newcomer && (worst < 0 || l.holds(c.client) >= l.holds(l.waiting[worst].client)) {
			worst = i
		}
	}
	if worst < 0 || l.holds(l.waiting[worst].client) <= l.holds(newcomer.client) {
		return nil
	}
	c := l.waiting[worst]
	l.waiting = append(l.waiting[:worst], l.waiting[worst+1:]...)
	l.clients[c.client].waiting--
	c.closed = true
	l.dropClientIfEmpty(c.client)
	return c
}

// holds is how many connections a client has, served or waiting. The
// caller holds mu.
func (l *limitListener) holds(a netip.Addr) int {
	if cl := l.clients[a]; cl != nil {
		return cl.served + cl.waiting
	}
	return 0
}

func (l *limitListener) dropClientIfEmpty(a netip.Addr) {
	if cl := l.clients[a]; cl != nil && cl.served+cl.waiting == 0 {
		delete(l.clients, a)
	}
}

// poke wakes a waiting Accept.
func (l *limitListener) poke() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Accept hands the server the next waiting connection, as soon as a slot
// is free or a served connection gave way to it.
func (l *limitListener) Accept() (net.Conn, error) {
	l.startOnce.Do(func() { go l.acceptLoop() })
	var tick *time.Ticker
	defer func() {
		if tick != nil {
			tick.Stop()
		}
	}()
	for {
		l.mu.Lock()
		someoneWaits := len(l.waiting) > 0
		if someoneWaits {
			next := l.nextWaiting()
			if len(l.served) < l.n {
				l.serve(next)
				l.mu.Unlock()
				return next, nil
			}
			victim := l.victimFor(next)
			if victim != nil {
				victim.closed = true
				l.mu.Unlock()
				victim.Close() // gives its slot back
				continue
			}
		}
		err := l.err
		l.mu.Unlock()
		if err != nil {
			return nil, err
		}
		// Ages only matter while someone waits: an idle door arms no
		// timer and never wakes.
		var poll <-chan time.Time
		switch {
		case someoneWaits && tick == nil:
			tick = time.NewTicker(evictPoll)
		case !someoneWaits && tick != nil:
			tick.Stop()
			tick = nil
		}
		if tick != nil {
			poll = tick.C
		}
		select {
		case <-l.wake:
		case <-poll:
		case <-l.done:
			return nil, net.ErrClosed
		}
	}
}

// nextWaiting is the waiting connection to serve next: of the client
// holding the fewest served connections, the first to arrive. The caller
// holds mu.
func (l *limitListener) nextWaiting() *limitConn {
	best := l.waiting[0]
	for _, c := range l.waiting[1:] {
		if l.clients[c.client].served < l.clients[best.client].served {
			best = c
		}
	}
	return best
}

// serve moves c from the waiting room to the served. The caller holds mu.
func (l *limitListener) serve(c *limitConn) {
	for i, w := range l.waiting {
		if w == c {
			l.waiting = append(l.waiting[:i], l.waiting[i+1:]...)
			break
		}
	}
	cl := l.clients[c.client]
	cl.waiting--
	cl.served++
	select {
	case l.space <- struct{}{}:
	default:
	}
	l.seq++
	c.served, c.state, c.since, c.order = true, connPending, l.now(), l.seq
	l.served[c] = struct{}{}
}

// victimFor is the served connection that gives way to the waiting
// connection next, as the file's comment says, or nil. The caller holds
// mu.
func (l *limitListener) victimFor(next *limitConn) *limitConn {
	now := l.now()
	// served counts what each client is served, next's with next.
	need := l.clients[next.client].served + 1
	var idle, fair, slow *limitConn
	for c := range l.served {
		if c.closed {
			continue
		}
		have := l.clients[c.client].served
		switch {
		case c.state == connIdle:
			if idle == nil || have > l.clients[idle.client].served || (have == l.clients[idle.client].served && c.order < idle.order) {
				idle = c
			}
		case c.state == connPending && have > need && now.Sub(c.since) >= fairGrace:
			if fair == nil || have > l.clients[fair.client].served || (have == l.clients[fair.client].served && c.order < fair.order) {
				fair = c
			}
		case c.state == connPending && now.Sub(c.since) >= slowGrace:
			if slow == nil || c.order < slow.order {
				slow = c
			}
		}
	}
	switch {
	case idle != nil:
		return idle
	case fair != nil:
		return fair
	}
	return slow
}

// setState records what c is doing, from the server's hooks. A client
// with more than idlePerClient idle connections has its oldest idle one
// closed.
func (c *limitConn) setState(s connState) {
	l := c.l
	l.mu.Lock()
	if !c.served || c.closed {
		l.mu.Unlock()
		return
	}
	l.seq++
	c.state, c.since, c.order = s, l.now(), l.seq
	var extra *limitConn
	if s == connIdle {
		n := 0
		for o := range l.served {
			if o.client == c.client && o.state == connIdle && !o.closed {
				n++
				if extra == nil || o.order < extra.order {
					extra = o
				}
			}
		}
		if n <= idlePerClient {
			extra = nil
		} else {
			extra.closed = true
		}
	}
	l.mu.Unlock()
	if extra != nil {
		extra.Close()
	}
	if s == connIdle {
		l.poke() // a waiting client may take its place now
	}
}

// Close closes the connection and gives its slot back.
func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		l := c.l
		l.mu.Lock()
		c.closed = true
		if c.served {
			delete(l.served, c)
			l.clients[c.client].served--
		}
		l.dropClientIfEmpty(c.client)
		l.mu.Unlock()
		l.poke()
	})
	return err
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	err := l.Listener.Close()
	l.mu.Lock()
	waiting := l.waiting
	l.waiting = nil
	l.mu.Unlock()
	for _, c := range waiting {
		c.Conn.Close()
	}
	return err
}

// tcpPeer is c's client, if c is TCP: its IPv4 address, or its IPv6
// address's /64, which one host holds whole (privacy addresses, or as
// many as it likes to add): per address, one host could take every slot.
// The core's throttle counts clients the same way.
func tcpPeer(c net.Conn) (netip.Addr, bool) {
	ta, ok := c.RemoteAddr().(*net.TCPAddr)
	if !ok {
		return netip.Addr{}, false
	}
	a, ok := netip.AddrFromSlice(ta.IP)
	if !ok {
		return netip.Addr{}, false
	}
	if a = a.Unmap(); a.Is6() {
		a = netip.PrefixFrom(a, 64).Masked().Addr()
	}
	return a, true
}

// limitConnOf is the listener's connection under c (TLS unwrapped), if
// any.
func limitConnOf(c net.Conn) *limitConn {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	lc, _ := c.(*limitConn)
	return lc
}

// connStateHook is http.Server.ConnState: it tells the listener which
// connections are idle.
func connStateHook(c net.Conn, s http.ConnState) {
	lc := limitConnOf(c)
	if lc == nil {
		return
	}
	switch s {
	case http.StateIdle:
		lc.setState(connIdle)
	case http.StateActive:
		lc.setState(connPending)
	}
}

// limitConnKey is the request context's key for the listener's
// connection.
type limitConnKey struct{}

// busyWhileServing marks the request's connection busy while h runs: a
// connection in a handler never gives way.
func busyWhileServing(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if lc, ok := r.Context().Value(limitConnKey{}).(*limitConn); ok {
			lc.setState(connBusy)
		}
		h.ServeHTTP(w, r)
	})
}

// connContext is http.Server.ConnContext: the listener's connection, and
// on a socket its peer's user id (peerContext), for the requests.
func connContext(ctx context.Context, c net.Conn) context.Context {
	if lc := limitConnOf(c); lc != nil {
		ctx = context.WithValue(ctx, limitConnKey{}, lc)
	}
	return peerContext(ctx, c)
}
