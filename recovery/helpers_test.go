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

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	f.elapsed += d
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
	s, err := c.Activate(firstPassword)
	if err != nil {
		t.Fatalf("Activate: %v", err)
	}
	return c, s
}

// reopen opens a second core on the same state directory, as after a reboot.
func reopen(t *testing.T, opts Options) *Core {
	t.Helper()
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
	s, err := c.Login(AdminUser, password)
	if err != nil {
		t.Fatalf("Login(%q): %v", password, err)
	}
	return s
}
