package recovery

import (
	"errors"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitUntil polls cond until it holds, failing the test after a generous
// deadline (it asserts a state, never a duration).
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: timed out", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestGateConsoleFirst: with one computation running and network callers
// queued, a console caller goes next; a network caller beyond the queue is
// refused at once.
func TestGateConsoleFirst(t *testing.T) {
	g := kdfGate{maxNetwork: 2}
	if err := g.acquire(ClassNetwork); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var order []Class
	var wg sync.WaitGroup
	enter := func(class Class) {
		defer wg.Done()
		if err := g.acquire(class); err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		order = append(order, class)
		mu.Unlock()
		g.release()
	}
	wg.Add(2)
	go enter(ClassNetwork)
	go enter(ClassNetwork)
	waitUntil(t, "two network waiters", func() bool { _, n := g.waiting(); return n == 2 })
	if err := g.acquire(ClassNetwork); !errors.Is(err, ErrBusy) {
		t.Fatalf("a third network waiter: %v, want ErrBusy", err)
	}
	wg.Add(1)
	go enter(ClassConsole)
	waitUntil(t, "the console waiter", func() bool { c, _ := g.waiting(); return c == 1 })
	g.release()
	wg.Wait()
	if len(order) != 3 || order[0] != ClassConsole {
		t.Fatalf("order %v, want the console first", order)
	}
	if c, n := g.waiting(); c != 0 || n != 0 || g.busy {
		t.Fatalf("gate left with %d+%d waiters, busy %v", c, n, g.busy)
	}
}

// TestConcurrentNetworkLogins: a crowd of wrong logins is answered, each
// with a wrong-password or busy refusal, never two computations at once.
func TestConcurrentNetworkLogins(t *testing.T) {
	c, _ := activatedCore(t, lanOptions(t, newFakeClock()))
	var inside, most, entered atomic.Int32
	testHookKDF = func(d int) {
		n := inside.Add(int32(d))
		if d > 0 {
			entered.Add(1)
		}
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
	}
	defer func() { testHookKDF = func(int) {} }()
	var wg sync.WaitGroup
	results := make(chan error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			web := c.Door(Caller{Door: "web", Class: ClassNetwork, Addr: netip.AddrFrom4([4]byte{192, 0, 2, byte(i + 1)})})
			_, err := web.Login(AdminUser, "Sbagliata#99")
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	n := 0
	for err := range results {
		n++
		if !errors.Is(err, ErrWrongCredentials) && !errors.Is(err, ErrBusy) && !errors.Is(err, ErrLocked) {
			t.Errorf("a crowd's login: %v", err)
		}
	}
	if n != 50 {
		t.Fatalf("%d of 50 answered", n)
	}
	if most.Load() != 1 || entered.Load() == 0 {
		t.Fatalf("%d computations at once (of %d), want one at a time", most.Load(), entered.Load())
	}
}
