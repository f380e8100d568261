package recovery

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"nvrmenu/internal/payload"
)

// TestNetworkLimitsSurviveARestart: the limits that lived in memory — the
// network's 20 new e-mail codes an hour, and each address's throttle —
// are in the state file, so a restart (which someone on the LAN might
// find a way to cause) resets neither. They cost no write of their own:
// the renewals ride on the new code's write, the throttle on the write
// each try it lets through makes anyway; a throttled request writes
// nothing.
func TestNetworkLimitsSurviveARestart(t *testing.T) {
	t.Run("renewals", func(t *testing.T) {
		clock := newFakeClock()
		vendor, err := payload.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		pub := vendor.Public()
		opts := lanOptions(t, clock)
		opts.VendorKey = &pub
		c, s := activatedCore(t, opts)
		if err := s.SetRecoveryEmail(testEmail); err != nil {
			t.Fatal(err)
		}
		renew := func(c *Core, i int) error {
			_, err := c.Door(webCaller(fmt.Sprintf("192.0.2.%d", 1+i%200))).NewEmailChallenge()
			return err
		}
		for i := range maxNetworkRenewals {
			if err := renew(c, i); err != nil {
				t.Fatalf("new code %d: %v", i+1, err)
			}
			clock.Advance(time.Minute)
		}
		var te *ThrottledError
		if err := renew(c, 99); !errors.As(err, &te) {
			t.Fatalf("new code %d: %v, want ThrottledError", maxNetworkRenewals+1, err)
		}
		c = reopen(t, c, opts)
		if err := renew(c, 99); !errors.As(err, &te) {
			t.Fatalf("after a restart, new code %d: %v, want still ThrottledError", maxNetworkRenewals+1, err)
		}
		if te.Retry <= 0 || te.Retry > time.Hour {
			t.Fatalf("retry in %v", te.Retry)
		}
		clock.Advance(te.Retry)
		if err := renew(c, 99); err != nil {
			t.Fatalf("an hour after the first: %v, want a new code", err)
		}
	})
	t.Run("throttle", func(t *testing.T) {
		clock := newFakeClock()
		opts := testOptions(t, clock)
		opts.Throttle = ThrottlePolicy{Burst: 2, Every: time.Minute}
		c, s := activatedCore(t, opts)
		setQuestions(t, s)
		wrong := func(c *Core, addr string) error {
			_, err := c.Door(webCaller(addr)).VerifyAnswers([3]string{"aa", "bb", "cc"})
			return err
		}
		for range 2 {
			if err := wrong(c, "192.0.2.50"); !errors.Is(err, ErrWrongAnswers) {
				t.Fatal(err)
			}
		}
		var te *ThrottledError
		if err := wrong(c, "192.0.2.50"); !errors.As(err, &te) {
			t.Fatalf("the third try at once: %v, want ThrottledError", err)
		}
		// Throttled requests write nothing.
		before, _ := os.Stat(statePath(opts.StateDir))
		for range 50 {
			wrong(c, "192.0.2.50")
		}
		if after, _ := os.Stat(statePath(opts.StateDir)); !os.SameFile(before, after) {
			t.Fatal("throttled requests rewrote the state file")
		}
		c = reopen(t, c, opts)
		if err := wrong(c, "192.0.2.50"); !errors.As(err, &te) {
			t.Fatalf("after a restart, the address's next try: %v, want still ThrottledError", err)
		}
		if err := wrong(c, "192.0.2.51"); !errors.Is(err, ErrWrongAnswers) {
			t.Fatalf("another address after the restart: %v, want a counted try", err)
		}
		clock.Advance(te.Retry)
		if err := wrong(c, "192.0.2.50"); !errors.Is(err, ErrWrongAnswers) {
			t.Fatalf("once the bucket refilled: %v, want a counted try", err)
		}
		// Only buckets that are not full are kept, and at most
		// maxThrottled of them.
		st, err := loadState(opts.StateDir)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Throttle) == 0 || len(st.Throttle) > maxThrottled {
			t.Fatalf("%d throttle entries in the state", len(st.Throttle))
		}
	})
}
