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
	a, b := netip.MustParseAddrPort("198.51.100.7:50000"), netip.MustParseAddrPort("198.51.100.8:50000")
	allowed := func(src netip.AddrPort, n int, at time.Time) int { return allowedOf(l, src, n, at) }
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
	c, d := netip.MustParseAddrPort("198.51.100.9:50000"), netip.MustParseAddrPort("198.51.100.10:50000")
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

// TestSourceIsAddressAndPort: each run of a client has a port of its own,
// and a bucket of its own; one port's flood is bounded by its burst, and a
// host's flood over many ports by the table (its memory) and the overall
// bucket.
func TestSourceIsAddressAndPort(t *testing.T) {
	lim := DefaultLimits
	lim.Sources = 4
	l := newLimiter(lim)
	host := netip.MustParseAddr("198.51.100.7")
	run1, run2 := netip.AddrPortFrom(host, 40001), netip.AddrPortFrom(host, 40002)
	allowed := func(src netip.AddrPort, n int, at time.Time) int { return allowedOf(l, src, n, at) }
	// One discovery: 4 probes, and 4 again when nothing answered.
	if got := allowed(run1, 8, t0); got != 8 {
		t.Errorf("a discovery and its re-probe from one port: %d looked at, want all 8", got)
	}
	if got := allowed(run2, 8, t0.Add(100*time.Millisecond)); got != 8 {
		t.Errorf("a second discovery from the same host 100 ms later, another port: %d looked at, want all 8", got)
	}
	if got := allowed(run1, 100, t0.Add(100*time.Millisecond)); got != 0 {
		t.Errorf("a flood from the first port: %d looked at, want none (its burst is spent)", got)
	}
	// A flood over many ports fills the table and no more.
	looked := 0
	for port := range uint16(1000) {
		looked += allowed(netip.AddrPortFrom(host, 50000+port), 10, t0.Add(200*time.Millisecond))
	}
	if want := 2 * lim.SourceBurst; looked != want || len(l.sources) != lim.Sources {
		t.Errorf("a flood from 1000 ports: %d looked at and %d sources tracked, want %d (the two free places' bursts) and %d", looked, len(l.sources), want, lim.Sources)
	}
}

// allowedOf is how many of n datagrams from src at one instant l looks at.
func allowedOf(l *limiter, src netip.AddrPort, n int, at time.Time) int {
	got := 0
	for range n {
		if l.allowSource(src, at) {
			got++
		}
	}
	return got
}
