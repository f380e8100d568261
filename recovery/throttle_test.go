package recovery

import (
	"errors"
	"net/netip"
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	th := throttle{p: ThrottlePolicy{Burst: 3, Every: 6 * time.Second}}
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	now := time.Hour
	for i := range 3 {
		if err := th.take(a, now); err != nil {
			t.Fatalf("try %d of the burst: %v", i+1, err)
		}
	}
	var te *ThrottledError
	if err := th.take(a, now); !errors.As(err, &te) || te.Retry != 6*time.Second {
		t.Fatalf("past the burst: %v, want a 6 s wait", err)
	}
	if err := th.take(b, now); err != nil {
		t.Fatalf("another address: %v", err)
	}
	if err := th.take(a, now+3*time.Second); !errors.As(err, &te) || te.Retry != 3*time.Second {
		t.Fatalf("half refilled: %v, want 3 s more", err)
	}
	if err := th.take(a, now+6*time.Second); err != nil {
		t.Fatalf("refilled: %v", err)
	}
	// The table stays bounded.
	for i := range maxThrottled * 2 {
		th.take(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), now+time.Duration(i))
	}
	if len(th.buckets) > maxThrottled {
		t.Fatalf("%d buckets kept, want at most %d", len(th.buckets), maxThrottled)
	}
}

// TestThrottleOnTheCore: one client cannot spend the network budget in a
// second; nothing throttled is counted.
func TestThrottleOnTheCore(t *testing.T) {
	clock := newFakeClock()
	c, _ := activatedCore(t, testOptions(t, clock))
	web := c.Door(webCaller("192.0.2.9"))
	burst := DefaultThrottlePolicy().Burst
	throttled := 0
	for range 20 {
		if _, err := web.Login(AdminUser, "Sbagliata#99"); errors.Is(err, ErrThrottled) {
			throttled++
		}
	}
	if throttled != 20-burst {
		t.Fatalf("%d of 20 quick tries throttled, want %d", throttled, 20-burst)
	}
	if n := c.st.doorOf(ClassNetwork).failures(MethodLogin); n > burst {
		t.Fatalf("%d failures counted, want at most the burst %d", n, burst)
	}
	clock.Advance(DefaultThrottlePolicy().Every)
	if _, err := web.Login(AdminUser, firstPassword); err != nil && !errors.Is(err, ErrLocked) {
		t.Fatalf("after the refill: %v", err)
	}
}
