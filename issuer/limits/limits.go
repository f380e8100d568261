// Package limits is the recovery service's in-memory rate limiting: a
// token bucket per client address (IPv6 by its /64) and one for everyone,
// in bounded memory.
//
// The limits shared by every instance (per serial, per reserved address,
// per challenge) live in the ledger; these are per instance, against a
// flood, and cost no storage. Time comes from the caller.
package limits

import (
	"container/list"
	"net/netip"
	"sync"
	"time"
)

// Bucket is a token bucket: Burst tokens, one more every Every.
type Bucket struct {
	Burst int
	Every time.Duration
}

// state is one bucket's tokens at a time.
type state struct {
	key    string
	tokens float64
	at     time.Time
}

// take refills s to now and takes a token; it returns how long until one
// is there when none is.
func (b Bucket) take(s *state, now time.Time) (bool, time.Duration) {
	if elapsed := now.Sub(s.at); elapsed > 0 {
		s.tokens = min(float64(b.Burst), s.tokens+float64(elapsed)/float64(b.Every))
		s.at = now
	}
	if s.tokens >= 1 {
		s.tokens--
		return true, 0
	}
	return false, time.Duration((1 - s.tokens) * float64(b.Every))
}

// Keyed is a bucket per key, remembering at most Max keys: the least
// recently seen is forgotten first (it comes back with a full bucket, which
// the global bucket bounds). Safe for concurrent use.
type Keyed struct {
	b   Bucket
	max int

	mu  sync.Mutex
	lru *list.List // of *state, most recent in front
	m   map[string]*list.Element
}

// NewKeyed makes a bucket per key, for at most max keys.
func NewKeyed(b Bucket, max int) *Keyed {
	return &Keyed{b: b, max: max, lru: list.New(), m: make(map[string]*list.Element)}
}

// Allow takes a token from key's bucket at now; when there is none it
// returns false and how long until there is.
func (k *Keyed) Allow(key string, now time.Time) (bool, time.Duration) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.m[key]
	if ok {
		k.lru.MoveToFront(e)
	} else {
		if k.lru.Len() >= k.max {
			old := k.lru.Back()
			k.lru.Remove(old)
			delete(k.m, old.Value.(*state).key)
		}
		e = k.lru.PushFront(&state{key: key, tokens: float64(k.b.Burst), at: now})
		k.m[key] = e
	}
	return k.b.take(e.Value.(*state), now)
}

// Len is the number of keys remembered.
func (k *Keyed) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.lru.Len()
}

// Single is one bucket for everyone. Safe for concurrent use.
type Single struct {
	b  Bucket
	mu sync.Mutex
	s  state
}

// NewSingle makes one full bucket.
func NewSingle(b Bucket) *Single {
	return &Single{b: b, s: state{tokens: float64(b.Burst)}}
}

// Allow takes a token at now; when there is none it returns false and how
// long until there is.
func (g *Single) Allow(now time.Time) (bool, time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.s.at.IsZero() {
		g.s.at = now
	}
	return g.b.take(&g.s, now)
}

// ClientKey is the key of a client address: an IPv4 address as it is, an
// IPv6 one by its /64 (one host holds a whole /64), an IPv4-mapped IPv6
// address as its IPv4 address.
func ClientKey(a netip.Addr) string {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
