package sadp

import (
	"net/netip"
	"time"
)

// Limits bound how much the responder sends, so that a recorder cannot be
// used to amplify traffic (docs/sadp.md, "Who gets an answer", has the
// figures; TestAmplification measures them). Both limits are token buckets, refilled by the time elapsed when a
// datagram arrives: no ticker, nothing runs while the LAN is quiet.
type Limits struct {
	// PerSecond and Burst bound every answer the responder sends.
	PerSecond float64
	Burst     int
	// SourcePerSecond and SourceBurst bound what one source gets looked
	// at: every datagram that passes the address checks costs its source
	// a token, answered or not, so that one host's flood costs the
	// recorder no more than its share of parsing. A source is an address,
	// whatever its port: a host that takes a new port for each datagram
	// must not get a new burst with each (nor fill the table alone).
	SourcePerSecond float64
	SourceBurst     int
	// Sources is how many sources are tracked at once: it bounds the
	// table's memory, whatever the number of addresses and ports a flood
	// comes from. When the table is full, a source whose bucket has
	// refilled makes room; if none has, a new source is refused until one
	// does. What many sources get together is bounded by the overall
	// limit.
	Sources int
}

// DefaultLimits: 20 answers a second overall; per source address a burst
// of 32, then four a second. A discovery sends 4 probes per interface
// (inquiry and inquiry_v32, to the group and to the broadcast address),
// and the same 4 again once (see Discover): the burst holds four
// discoveries in a row from one laptop, and four a second one every 2
// seconds after that, while one host never gets more than a fifth of the
// overall rate. The vendor's tool sends one every 15 seconds.
var DefaultLimits = Limits{PerSecond: 20, Burst: 20, SourcePerSecond: 4, SourceBurst: 32, Sources: 256}

// bucket is a token bucket, refilled on use.
type bucket struct {
	tokens float64
	last   time.Time
}

// refill adds the tokens earned since the last use, up to burst.
func (b *bucket) refill(now time.Time, rate float64, burst int) {
	switch elapsed := now.Sub(b.last).Seconds(); {
	case b.last.IsZero():
		b.tokens, b.last = float64(burst), now
	case elapsed > 0:
		b.tokens, b.last = min(float64(burst), b.tokens+elapsed*rate), now
	}
}

// take takes a token if there is one.
func (b *bucket) take(now time.Time, rate float64, burst int) bool {
	b.refill(now, rate, burst)
	if b.tokens >= 1 {
		b.tokens--
		return true
	}
	return false
}

// full reports whether the bucket would be full at now (its source has
// been quiet long enough to be forgotten).
func (b *bucket) full(now time.Time, rate float64, burst int) bool {
	return b.tokens+now.Sub(b.last).Seconds()*rate >= float64(burst)
}

// limiter holds the buckets. It is used by one goroutine only.
type limiter struct {
	lim     Limits
	all     bucket
	sources map[netip.Addr]*bucket
}

func newLimiter(lim Limits) *limiter {
	return &limiter{lim: lim, sources: make(map[netip.Addr]*bucket)}
}

// allowSource takes a token from src's bucket, making one if there is
// room in the table.
func (l *limiter) allowSource(src netip.Addr, now time.Time) bool {
	b := l.sources[src]
	if b == nil {
		if len(l.sources) >= l.lim.Sources && !l.evict(now) {
			return false
		}
		b = &bucket{}
		l.sources[src] = b
	}
	return b.take(now, l.lim.SourcePerSecond, l.lim.SourceBurst)
}

// evict forgets the sources whose buckets have refilled; it reports
// whether it made room.
func (l *limiter) evict(now time.Time) bool {
	for a, b := range l.sources {
		if b.full(now, l.lim.SourcePerSecond, l.lim.SourceBurst) {
			delete(l.sources, a)
		}
	}
	return len(l.sources) < l.lim.Sources
}

// allowAnswer takes a token from the overall bucket.
func (l *limiter) allowAnswer(now time.Time) bool {
	return l.all.take(now, l.lim.PerSecond, l.lim.Burst)
}
