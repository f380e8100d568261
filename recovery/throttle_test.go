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
	opts := testOptions(t, clock)
	opts.Lockout = DefaultLockoutPolicy()
	opts.Lockout.DefaultMaxFailures = 100 // the method's own lock out of the way
	c, _ := activatedCore(t, opts)
	web := c.Door(webCaller("192.0.2.9"))
	burst := DefaultThrottlePolicy().Burst
	throttled := 0
	for range 20 {
		_, err := web.Login(AdminUser, "Sbagliata#99")
		switch {
		case errors.Is(err, ErrThrottled):
			throttled++
		case !errors.Is(err, ErrWrongCredentials):
			t.Fatalf("a quick wrong login: %v", err)
		}
	}
	if throttled != 20-burst {
		t.Fatalf("%d of 20 quick tries throttled, want %d", throttled, 20-burst)
	}
	if n := c.st.doorOf(ClassNetwork).failures(MethodLogin); n != burst {
		t.Fatalf("%d failures counted, want the burst %d: a throttled try is never counted", n, burst)
	}
	if _, err := web.Login(AdminUser, firstPassword); !errors.Is(err, ErrThrottled) {
		t.Fatalf("before the refill: %v, want ErrThrottled", err)
	}
	clock.Advance(DefaultThrottlePolicy().Every)
	if _, err := web.Login(AdminUser, firstPassword); err != nil {
		t.Fatalf("after the refill: %v", err)
	}
	// An IPv6 host has its whole /64: another address there shares the
	// bucket, another /64 does not.
	for range burst {
		c.Door(webCaller("2001:db8:1:2::1")).Login(AdminUser, "Sbagliata#99")
	}
	if _, err := c.Door(webCaller("2001:db8:1:2::ffff")).Login(AdminUser, firstPassword); !errors.Is(err, ErrThrottled) {
		t.Fatalf("another address of the same /64: %v, want ErrThrottled", err)
	}
	if _, err := c.Door(webCaller("2001:db8:1:3::1")).Login(AdminUser, firstPassword); err != nil {
		t.Fatalf("another /64: %v", err)
	}
}
