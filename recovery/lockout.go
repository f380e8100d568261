package recovery

import (
	"errors"
	"fmt"
	"time"
)

// Method names a way to prove who you are: the login itself or one of the
// three recovery proofs. Each has its own persistent failure counter.
type Method string

// The methods, as they appear in the state file and the audit log.
const (
	MethodLogin     Method = "login"
	MethodGUID      Method = "guid"
	MethodQuestions Method = "questions"
	MethodEmail     Method = "email"
)

func (m Method) valid() bool {
	switch m {
	case MethodLogin, MethodGUID, MethodQuestions, MethodEmail:
		return true
	}
	return false
}

// LockoutPolicy says how many consecutive failures lock a method and for
// how long. The zero value is not useful: start from DefaultLockoutPolicy.
type LockoutPolicy struct {
	// MaxFailures is the number of consecutive failures that locks each
	// method; a method missing here uses DefaultMaxFailures.
	MaxFailures        map[Method]int
	DefaultMaxFailures int
	// FirstLock is the first lock's length; each further lock doubles it
	// up to MaxLock. Success on the method resets both.
	FirstLock time.Duration
	MaxLock   time.Duration
	// MaxPerHour caps failed tries across all methods in any hour; 0
	// turns the cap off (tests only: the default is 100).
	MaxPerHour int
}

// DefaultLockoutPolicy: 5 failures (7 GUID files, as the vendor does) lock
// for 30 minutes, doubling up to 24 hours; never more than 100 failures an
// hour in all (NIST SP 800-63B's ceiling).
func DefaultLockoutPolicy() LockoutPolicy {
	return LockoutPolicy{
		MaxFailures:        map[Method]int{MethodGUID: 7},
		DefaultMaxFailures: 5,
		FirstLock:          30 * time.Minute,
		MaxLock:            24 * time.Hour,
		MaxPerHour:         100,
	}
}

// Validate refuses a policy that would not lock at all.
func (p LockoutPolicy) Validate() error {
	switch {
	case p.DefaultMaxFailures < 1:
		return errors.New("lockout policy: no failure limit")
	case p.FirstLock <= 0 || p.MaxLock < p.FirstLock:
		return fmt.Errorf("lockout policy: lock lengths %v..%v", p.FirstLock, p.MaxLock)
	case p.MaxPerHour < 0:
		return fmt.Errorf("lockout policy: hourly cap %d", p.MaxPerHour)
	}
	for m, n := range p.MaxFailures {
		if n < 1 {
			return fmt.Errorf("lockout policy: failure limit %d for %s", n, m)
		}
	}
	return nil
}

func (p LockoutPolicy) maxFailures(m Method) int {
	if n, ok := p.MaxFailures[m]; ok && n > 0 {
		return n
	}
	return p.DefaultMaxFailures
}

// lockLength is the length of the n-th lock (n counts from 1).
func (p LockoutPolicy) lockLength(n int) time.Duration {
	d := p.FirstLock
	for i := 1; i < n && d < p.MaxLock; i++ {
		d *= 2
	}
	return min(d, p.MaxLock)
}

// ErrLocked reports a method locked after too many failures.
var ErrLocked = errors.New("locked after too many failed tries")

// LockedError says which method is locked and for how much longer.
type LockedError struct {
	Method    Method
	Remaining time.Duration
	// Global is true when the hourly cap across all methods is reached.
	Global bool
}

func (e *LockedError) Error() string {
	scope := string(e.Method)
	if e.Global {
		scope = "all methods"
	}
	return fmt.Sprintf("%s: %v; try again in %s", scope, ErrLocked, e.Remaining.Round(time.Second))
}

func (e *LockedError) Unwrap() error { return ErrLocked }

// AttemptError wraps a failed proof with what is left before the method
// locks, so the menu can say "wrong answer, 2 tries left" or "locked".
type AttemptError struct {
	Err       error
	Method    Method
	TriesLeft int
	// LockedFor is non-zero when this failure locked the method.
	LockedFor time.Duration
}

func (e *AttemptError) Error() string {
	if e.LockedFor > 0 {
		return fmt.Sprintf("%v; %s %v for %s", e.Err, e.Method, ErrLocked, e.LockedFor.Round(time.Second))
	}
	return fmt.Sprintf("%v; %d tries left", e.Err, e.TriesLeft)
}

func (e *AttemptError) Unwrap() error { return e.Err }

// lock returns the lock state of m, creating it.
func (st *state) lock(m Method) *lockState {
	if st.Locks == nil {
		st.Locks = map[Method]*lockState{}
	}
	l := st.Locks[m]
	if l == nil {
		l = new(lockState)
		st.Locks[m] = l
	}
	return l
}

// All lock times are ticks (state.Tick): time the core has seen pass on a
// monotonic clock, persisted at every write. Setting the wall clock back or
// forward (a user, a spoofed NTP, a recorder without RTC battery booting in
// 1970) therefore neither ends a lock early nor freezes it; time the
// recorder spends switched off does not count, so pulling the plug never
// shortens a lock.

// lockedFor reports how long m stays locked at tick now, by its own lock
// or by the hourly cap, or nil when it is open. It does not modify st.
func (st *state) lockedFor(m Method, now time.Duration, p LockoutPolicy) *LockedError {
	if l := st.Locks[m]; l != nil && l.LockFor > 0 {
		if end := l.LockedTick + l.LockFor; now < end {
			return &LockedError{Method: m, Remaining: end - now}
		}
	}
	recent := st.RecentFailures[st.firstRecentFailure(now):]
	if p.MaxPerHour > 0 && len(recent) >= p.MaxPerHour {
		oldest := recent[len(recent)-p.MaxPerHour]
		return &LockedError{Method: m, Remaining: oldest + time.Hour - now, Global: true}
	}
	return nil
}

// firstRecentFailure is the index of the first failure less than an hour old.
func (st *state) firstRecentFailure(now time.Duration) int {
	i := 0
	for i < len(st.RecentFailures) && st.RecentFailures[i] <= now-time.Hour {
		i++
	}
	return i
}

// pruneFailures drops failures older than an hour.
func (st *state) pruneFailures(now time.Duration) {
	st.RecentFailures = st.RecentFailures[st.firstRecentFailure(now):]
	if len(st.RecentFailures) == 0 {
		st.RecentFailures = nil
	}
}

// countFailure records one failed try of m at now, locking m when it
// reaches its limit. It is applied before the proof is checked and undone
// by clearFailures after a success, so a power cut in between counts the try.
// It returns the tries left and the lock it started, if any.
func (st *state) countFailure(m Method, now time.Duration, p LockoutPolicy) (triesLeft int, locked time.Duration) {
	l := st.lock(m)
	if l.LockFor > 0 && now >= l.LockedTick+l.LockFor {
		// The previous lock has run out: a fresh series of tries, but the
		// next lock will be longer.
		l.Failures = 0
		l.LockFor = 0
		l.LockedTick = 0
	}
	l.Failures++
	st.pruneFailures(now)
	st.RecentFailures = append(st.RecentFailures, now)
	if p.MaxPerHour > 0 && len(st.RecentFailures) > p.MaxPerHour {
		st.RecentFailures = st.RecentFailures[len(st.RecentFailures)-p.MaxPerHour:]
	}
	limit := p.maxFailures(m)
	if l.Failures >= limit {
		l.Locks++
		l.LockedTick = now
		l.LockFor = p.lockLength(l.Locks)
		return 0, l.LockFor
	}
	return limit - l.Failures, 0
}

// failures is m's count of consecutive failures.
func (st *state) failures(m Method) int {
	if l := st.Locks[m]; l != nil {
		return l.Failures
	}
	return 0
}

// clearFailures forgets m's failures and lock history after a success. The
// hourly record is kept: it counts failures, and they did happen.
func (st *state) clearFailures(m Method) {
	delete(st.Locks, m)
	if len(st.Locks) == 0 {
		st.Locks = nil
	}
}
