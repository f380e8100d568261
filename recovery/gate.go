package recovery

import (
	"errors"
	"sync"
	"time"
)

// ErrBusy reports a network request refused because the recorder is
// already checking as many proofs as it queues: the client tries again in
// a moment (the web door answers 503 with Retry-After). The console is
// never refused.
var ErrBusy = errors.New("recorder busy checking other requests: try again in a moment")

// BusyRetry is how long a refused network client is told to wait.
const BusyRetry = 2 * time.Second

// kdfGate lets one argon2id computation run at a time in the whole daemon,
// whichever door asks, so that no number of clients can take the
// recorder's memory past one computation's cost. Waiters form two queues:
// the console's goes first, so a flood from the LAN never makes the owner
// at the recorder wait for more than the computation already running; the
// network's is short and bounded, and a network caller beyond it is
// refused at once with ErrBusy.
type kdfGate struct {
	maxNetwork int // network callers that may wait

	mu      sync.Mutex
	busy    bool
	console []chan struct{}
	network []chan struct{}
}

// acquire waits for the gate. A console caller always waits; a network
// caller gets ErrBusy when the network queue is full.
func (g *kdfGate) acquire(class Class) error {
	g.mu.Lock()
	if !g.busy {
		g.busy = true
		g.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	if class == ClassConsole {
		g.console = append(g.console, ch)
	} else {
		if len(g.network) >= g.maxNetwork {
			g.mu.Unlock()
			return ErrBusy
		}
		g.network = append(g.network, ch)
	}
	g.mu.Unlock()
	<-ch // the releaser handed the gate over: busy stays true
	return nil
}

// release hands the gate to the first console waiter, else the first
// network waiter, else opens it.
func (g *kdfGate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	var next chan struct{}
	switch {
	case len(g.console) > 0:
		next, g.console = g.console[0], g.console[1:]
	case len(g.network) > 0:
		next, g.network = g.network[0], g.network[1:]
	default:
		g.busy = false
		return
	}
	close(next)
}

// waiting is how many callers wait, for tests.
func (g *kdfGate) waiting() (console, network int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.console), len(g.network)
}
