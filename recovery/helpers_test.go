package recovery

import (
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock the test moves by hand.
// Advance moves both the wall clock and the monotonic clock; Set moves the
// wall clock alone, as a user, NTP or a reboot without RTC battery would.
type fakeClock struct {
	mu      sync.Mutex
	t       time.Time
	elapsed time.Duration
	timers  []*fakeTimer
}

// fakeTimer is an AfterFunc of the fake clock: it fires, on the goroutine
// that calls Advance, when the monotonic clock reaches at.
type fakeTimer struct {
	c       *fakeClock
	at      time.Duration
	f       func()
	stopped bool
}

func (ft *fakeTimer) Stop() bool {
	ft.c.mu.Lock()
	defer ft.c.mu.Unlock()
	was := !ft.stopped
	ft.stopped = true
	return was
}

func (f *fakeClock) AfterFunc(d time.Duration, fn func()) Timer {
	f.mu.Lock()
	defer f.mu.Unlock()
	ft := &fakeTimer{c: f, at: f.elapsed + d, f: fn}
	f.timers = append(f.timers, ft)
	return ft
}

// pending counts the timers armed and not yet fired or stopped.
func (f *fakeClock) pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, ft := range f.timers {
		if !ft.stopped {
			n++
		}
	}
	return n
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2027, 3, 14, 9, 30, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Elapsed() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.elapsed
}

// Advance moves both clocks by d, firing the timers that come due on the
// way, in order, each with the clocks at its own time.
func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	end := f.elapsed + d
	for {
		var next *fakeTimer
		for _, ft := range f.timers {
			if !ft.stopped && ft.at <= end && (next == nil || ft.at < next.at) {
				next = ft
			}
		}
		if next == nil {
			break
		}
		next.stopped = true
		f.t = f.t.Add(next.at - f.elapsed)
		f.elapsed = next.at
		f.mu.Unlock()
		next.f()
		f.mu.Lock()
	}
	f.t = f.t.Add(end - f.elapsed)
	f.elapsed = end
	live := f.timers[:0]
	for _, ft := range f.timers {
		if !ft.stopped {
			live = append(live, ft)
		}
	}
	f.timers = live
	f.mu.Unlock()
}

func (f *fakeClock) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = t
}

// testKDF keeps tests fast; the defaults have tests and benchmarks of their own.
var testKDF = KDFParams{MemoryKiB: 64, Time: 1, Threads: 1}

const (
	testSerial    = "NVRTEST0000001"
	firstPassword = "Gatto!Nero77"
	otherPassword = "Cane#Bianco58"
)

var testBuildDate = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// testOptions returns options for a core in a fresh state directory.
func testOptions(t *testing.T, clock Clock) Options {
	t.Helper()
	return Options{
		StateDir:        t.TempDir(),
		Serial:          testSerial,
		Clock:           clock,
		KDF:             testKDF,
		NotBefore:       testBuildDate,
		RecoveryAddress: "pw_recovery@example.com",
	}
}

func openCore(t *testing.T, opts Options) *Core {
	t.Helper()
	c, err := Open(opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// activatedCore returns an activated core and its session.
func activatedCore(t *testing.T, opts Options) (*Core, *Session) {
	t.Helper()
	c := openCore(t, opts)
	s, err := c.Console().Activate(firstPassword)
	if err != nil {
		t.Fatalf("Activate: %v", err)
	}
	return c, s
}

// reopen closes c and opens a new core on its state directory, as after a
// reboot: one core at a time holds a directory.
func reopen(t *testing.T, c *Core, opts Options) *Core {
	t.Helper()
	c.Close()
	return openCore(t, opts)
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got error %v, want %v", err, want)
	}
}

func mustLogin(t *testing.T, c *Core, password string) *Session {
	t.Helper()
	s, err := c.Console().Login(AdminUser, password)
	if err != nil {
		t.Fatalf("Login(%q): %v", password, err)
	}
	return s
}

// stateOf names method m's state as d's journey has it: "unavailable",
// "expired", "not-set-up", "locked" or "ready".
func stateOf(d *Door, m Method) string {
	s := d.Journey().Method(m)
	switch {
	case !s.Offered:
		return "unavailable"
	case s.Expired:
		return "expired"
	case !s.SetUp:
		return "not-set-up"
	case !s.Usable:
		return "locked"
	}
	return "ready"
}
