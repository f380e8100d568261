package recovery

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"
)

// ErrThrottled reports a network client that asked too often; it may try
// again after ThrottledError.Retry. Nothing was counted or checked.
var ErrThrottled = errors.New("too many requests from this address")

// ThrottledError says how long the client waits.
type ThrottledError struct{ Retry time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("%v: try again in %s", ErrThrottled, e.Retry.Round(time.Second))
}

func (e *ThrottledError) Unwrap() error { return ErrThrottled }

// ThrottlePolicy limits how fast one network address may make tries that
// cost something (a counted proof or login, a new email code): a bucket of
// Burst tries, refilled by one every Every. It sits on top of the
// persistent per-class limits, so that one client cannot spend the whole
// network budget in a second; the persistent limits still hold however
// many addresses an attacker has.
type ThrottlePolicy struct {
	Burst int
	Every time.Duration
}

// DefaultThrottlePolicy: 5 tries at once, then one every 6 seconds.
func DefaultThrottlePolicy() ThrottlePolicy {
	return ThrottlePolicy{Burst: 5, Every: 6 * time.Second}
}

// maxThrottled bounds the addresses remembered; beyond it the one seen
// least recently is forgotten (and gets a full bucket if it comes back,
// which the persistent limits make harmless).
const maxThrottled = 256

// throttle holds one token bucket per network address. The buckets that
// are not full are saved with the state (snapshot, at every write the
// state makes anyway) and read back at start (restore): a restart, which
// someone on the LAN might find a way to cause, gives no address a full
// bucket again.
type throttle struct {
	p ThrottlePolicy

	mu      sync.Mutex
	buckets map[netip.Addr]*bucket
}

type bucket struct {
	tokens float64
	at     time.Duration // tick of the last refill
}

// throttleKey is the bucket addr spends from: the address itself for IPv4,
// its /64 for IPv6, where one host may use any address of its network.
func throttleKey(addr netip.Addr) netip.Addr {
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.Addr()
	}
	return addr
}

// take spends one token of addr at tick now, or says how long until one
// is there. It never blocks and arms no timer.
func (t *throttle) take(addr netip.Addr, now time.Duration) error {
	addr = throttleKey(addr)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.buckets == nil {
		t.buckets = map[netip.Addr]*bucket{}
	}
	b := t.buckets[addr]
	if b == nil {
		if len(t.buckets) >= maxThrottled {
			t.forgetOldest()
		}
		b = &bucket{tokens: float64(t.p.Burst), at: now}
		t.buckets[addr] = b
	}
	b.tokens = min(float64(t.p.Burst), b.tokens+float64(now-b.at)/float64(t.p.Every))
	b.at = now
	if b.tokens < 1 {
		return &ThrottledError{Retry: time.Duration((1 - b.tokens) * float64(t.p.Every))}
	}
	b.tokens--
	return nil
}

// forgetOldest drops the bucket refilled longest ago. The caller holds mu.
func (t *throttle) forgetOldest() {
	var oldest netip.Addr
	first := true
	for a, b := range t.buckets {
		if first || b.at < t.buckets[oldest].at {
			oldest, first = a, false
		}
	}
	delete(t.buckets, oldest)
}

// snapshot is the buckets that are not full at tick now, refilled to it,
// in address order: what the state file keeps.
func (t *throttle) snapshot(now time.Duration) []throttleEntry {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []throttleEntry
	for a, b := range t.buckets {
		tokens := b.tokens
		if now > b.at {
			tokens += float64(now-b.at) / float64(t.p.Every)
		}
		if tokens < float64(t.p.Burst) {
			out = append(out, throttleEntry{Addr: a.String(), Tokens: tokens, At: max(now, b.at)})
		}
	}
	slices.SortFunc(out, func(x, y throttleEntry) int { return strings.Compare(x.Addr, y.Addr) })
	return out
}

// restore takes the buckets a state file kept.
func (t *throttle) restore(entries []throttleEntry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buckets = map[netip.Addr]*bucket{}
	for _, e := range entries {
		if a, err := netip.ParseAddr(e.Addr); err == nil && len(t.buckets) < maxThrottled {
			t.buckets[throttleKey(a)] = &bucket{tokens: min(e.Tokens, float64(t.p.Burst)), at: e.At}
		}
	}
}
