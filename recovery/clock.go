package recovery

import (
	"time"

	"golang.org/x/sys/unix"
)

// Clock tells the time. The core takes one so that every rule about time
// (lockouts, code expiry, session timeouts) is tested by moving a fake
// clock, never by sleeping.
type Clock interface {
	Now() time.Time
}

// MonotonicClock is a Clock that also measures elapsed time which no
// change of the wall clock affects. The core measures locks, code and
// session lifetimes with it; a Clock without it gets the process's real
// monotonic clock for that.
type MonotonicClock interface {
	Clock
	// Elapsed is the time since a fixed point in this process.
	Elapsed() time.Duration
}

// TimerClock is a Clock that also runs a function later, on the clock's
// own time: the core saves a running lock's progress with it. A Clock
// without it gets time.AfterFunc.
type TimerClock interface {
	Clock
	// AfterFunc runs f on its own goroutine once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc.
type Timer interface {
	// Stop prevents the call if it has not started; it reports whether
	// it did.
	Stop() bool
}

// SystemClock is the real wall clock, with the kernel's monotonic clock.
type SystemClock struct{}

var processStart = time.Now()

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Elapsed is the monotonic time since the process started.
func (SystemClock) Elapsed() time.Duration { return time.Since(processStart) }

// AfterFunc is time.AfterFunc.
func (SystemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// BootUptime is how long the system has been up, switched-off time
// excepted and suspended time included (CLOCK_BOOTTIME): no restart of a
// daemon and no change of the wall clock moves it back. 0 if the kernel
// will not say.
func BootUptime() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
