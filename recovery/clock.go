package recovery

import "time"

// Clock tells the time. The core takes one so that every rule about time
// (lockouts, code expiry) is tested by moving a fake clock, never by sleeping.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }
