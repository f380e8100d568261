package sadp

import (
	"net/netip"
	"testing"
	"time"
)

// A fake clock: the limiter only ever sees the times it is given.
var t0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func TestOverallBucket(t *testing.T) {
	l := newLimiter(Limits{PerSecond: 20, Burst: 20, SourcePerSecond: 1, SourceBurst: 4, Sources: 8})
	count := func(n int, at time.Time) int {
		got := 0
		for range n {
			if l.allowAnswer(at) {
				got++
			}
		}
		return got
	}
	if got := count(100, t0); got != 20 {
		t.Fatalf("a burst at one instant: got %d answers, want the burst of 20", got)
	}
	if got := count(100, t0.Add(500*time.Millisecond)); got != 10 {
		t.Errorf("half a second later: got %d answers, want 10 (20 a second)", got)
	}
	if got := count(100, t0.Add(time.Hour)); got != 20 {
		t.Errorf("after an hour of quiet: got %d answers, want the burst of 20, no more", got)
	}
	// Time going backwards (it cannot with the monotonic clock, but the
	// code must not mint tokens from it).
	if got := count(100, t0); got != 0 {
		t.Errorf("at an earlier time: got %d answers, want 0", got)
	}
}

func TestSourceBuckets(t *testing.T) {
	l := newLimiter(Limits{PerSecond: 20, Burst: 20, SourcePerSecond: 1, SourceBurst: 4, Sources: 3})
	a, b := netip.MustParseAddr("198.51.100.7"), netip.MustParseAddr("198.51.100.8")
	allowed := func(src netip.Addr, n int, at time.Time) int { return allowedOf(l, src, n, at) }
	if got := allowed(a, 10, t0); got != 4 {
		t.Fatalf("source a, 10 at once: got %d, want the source burst of 4", got)
	}
	if got := allowed(b, 10, t0); got != 4 {
		t.Errorf("source b is not slowed by a: got %d, want 4", got)
	}
	if got := allowed(a, 10, t0.Add(2*time.Second)); got != 2 {
		t.Errorf("source a two seconds later: got %d, want 2 (one a second)", got)
	}

	// The table holds 3 sources; a fourth waits until one has refilled.
	c, d := netip.MustParseAddr("198.51.100.9"), netip.MustParseAddr("198.51.100.10")
	if got := allowed(c, 1, t0.Add(2*time.Second)); got != 1 {
		t.Fatalf("third source: got %d, want 1", got)
	}
	if got := allowed(d, 1, t0.Add(2*time.Second)); got != 0 {
		t.Errorf("a fourth source with the table full and nobody refilled: got %d, want 0", got)
	}
	if got := allowed(d, 1, t0.Add(10*time.Second)); got != 1 {
		t.Errorf("a fourth source once the others refilled: got %d, want 1", got)
	}
	if len(l.sources) > 3 {
		t.Errorf("table holds %d sources, want at most 3", len(l.sources))
	}
}

// TestSourceIsTheAddress: two discoveries in a row from one laptop (each
// from a port of its own, each with its re-probe) are both looked at; a
// host taking a new port for every datagram gets no new burst with it,
// and cannot fill the table alone.
func TestSourceIsTheAddress(t *testing.T) {
	lim := DefaultLimits
	lim.Sources = 4
	l := newLimiter(lim)
	host := netip.MustParseAddr("198.51.100.7")
	allowed := func(src netip.Addr, n int, at time.Time) int { return allowedOf(l, src, n, at) }
	// A discovery: 4 probes, and the same 4 again.
	if got := allowed(host, 8, t0); got != 8 {
		t.Errorf("a discovery and its re-probe: %d looked at, want all 8", got)
	}
	if got := allowed(host, 8, t0.Add(100*time.Millisecond)); got != 8 {
		t.Errorf("a second discovery from the same host 100 ms later: %d looked at, want all 8", got)
	}
	// The responder keys by address: the port it came from is not the
	// limiter's business. 1000 datagrams at once spend the burst; then
	// 100 a second for 10 s, as one host rotating its ports would send
	// them, get the source's rate and no more.
	if got := allowed(host, 1000, t0.Add(time.Second)); got > lim.SourceBurst {
		t.Errorf("1000 at once: %d looked at, over the burst of %d", got, lim.SourceBurst)
	}
	looked := 0
	for i := range 1000 {
		looked += allowed(host, 1, t0.Add(time.Second+time.Duration(i+1)*10*time.Millisecond))
	}
	if want := int(10 * lim.SourcePerSecond); looked < want-1 || looked > want+1 || len(l.sources) != 1 {
		t.Errorf("one host's flood over 10 s: %d looked at, %d sources tracked; want about %d and 1", looked, len(l.sources), want)
	}
	// Others still get theirs.
	if got := allowed(netip.MustParseAddr("198.51.100.8"), 4, t0.Add(11*time.Second)); got != 4 {
		t.Errorf("another laptop during that flood: %d of 4 looked at", got)
	}
}

// allowedOf is how many of n datagrams from src at one instant l looks at.
func allowedOf(l *limiter, src netip.Addr, n int, at time.Time) int {
	got := 0
	for range n {
		if l.allowSource(src, at) {
			got++
		}
	}
	return got
}
