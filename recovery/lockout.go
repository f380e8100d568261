package recovery

import (
	"errors"
	"fmt"
	"nvrmenu/recovery/journey"
	"time"
)

// Method names a way to prove who you are: the login itself or one of the
// three recovery proofs. Each has its own persistent failure counter.
type Method = journey.Method

// The methods, as they appear in the state file and the audit log.
const (
	MethodLogin     = journey.Login
	MethodGUID      = journey.GUID
	MethodQuestions = journey.Questions
	MethodEmail     = journey.Email
)

func validMethod(m Method) bool {
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

// door returns class's failure state, creating it.
func (st *state) door(class Class) *doorState {
	if st.Doors == nil {
		st.Doors = map[Class]*doorState{}
	}
	ds := st.Doors[class]
	if ds == nil {
		ds = new(doorState)
		st.Doors[class] = ds
	}
	return ds
}

// doorOf returns class's failure state for reading: an empty one when
// nothing was counted.
func (st *state) doorOf(class Class) *doorState {
	if ds := st.Doors[class]; ds != nil {
		return ds
	}
	return &doorState{}
}

// lock returns the lock state of m, creating it.
func (ds *doorState) lock(m Method) *lockState {
	if ds.Locks == nil {
		ds.Locks = map[Method]*lockState{}
	}
	l := ds.Locks[m]
	if l == nil {
		l = new(lockState)
		ds.Locks[m] = l
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
// or by the hourly cap, or nil when it is open. It does not modify ds.
func (ds *doorState) lockedFor(m Method, now time.Duration, p LockoutPolicy) *LockedError {
	if l := ds.Locks[m]; l != nil && l.LockFor > 0 {
		if end := l.LockedTick + l.LockFor; now < end {
			return &LockedError{Method: m, Remaining: end - now}
		}
	}
	if end, ok := ds.capEnd(now, p); ok {
		return &LockedError{Method: m, Remaining: end - now, Global: true}
	}
	return nil
}

// capEnd reports whether the hourly cap is reached at now, and the tick
// it lets go.
func (ds *doorState) capEnd(now time.Duration, p LockoutPolicy) (time.Duration, bool) {
	recent := ds.RecentFailures[ds.firstRecentFailure(now):]
	if p.MaxPerHour > 0 && len(recent) >= p.MaxPerHour {
		return recent[len(recent)-p.MaxPerHour] + time.Hour, true
	}
	return 0, false
}

// firstRecentFailure is the index of the first failure less than an hour old.
func (ds *doorState) firstRecentFailure(now time.Duration) int {
	i := 0
	for i < len(ds.RecentFailures) && ds.RecentFailures[i] <= now-time.Hour {
		i++
	}
	return i
}

// pruneFailures drops failures older than an hour.
func (ds *doorState) pruneFailures(now time.Duration) {
	ds.RecentFailures = ds.RecentFailures[ds.firstRecentFailure(now):]
	if len(ds.RecentFailures) == 0 {
		ds.RecentFailures = nil
	}
}

// countFailure records one failed try of m at now, locking m when it
// reaches its limit. It is applied before the proof is checked and undone
// by forgetTry after a success, so a power cut in between counts the try.
// It returns the tries left and the lock it started, if any. The caller
// has checked lockedFor first, so the hourly record has room for it.
func (ds *doorState) countFailure(m Method, now time.Duration, p LockoutPolicy) (triesLeft int, locked time.Duration) {
	l := ds.lock(m)
	if l.LockFor > 0 && now >= l.LockedTick+l.LockFor {
		// The previous lock has run out: a fresh series of tries, but the
		// next lock will be longer.
		l.Failures = 0
		l.LockFor = 0
		l.LockedTick = 0
	}
	l.Failures++
	ds.pruneFailures(now)
	ds.RecentFailures = append(ds.RecentFailures, now)
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
func (ds *doorState) failures(m Method) int {
	if l := ds.Locks[m]; l != nil {
		return l.Failures
	}
	return 0
}

// forgetTry undoes countFailure after the try at tick succeeded: m's
// failures and lock history go, and so does the try's entry in the hourly
// record, since only failures count toward the cap. A success leaves no
// trace toward any lock.
func (ds *doorState) forgetTry(m Method, tick time.Duration) {
	for i := len(ds.RecentFailures) - 1; i >= 0; i-- {
		if ds.RecentFailures[i] == tick {
			ds.RecentFailures = append(ds.RecentFailures[:i], ds.RecentFailures[i+1:]...)
			break
		}
	}
	ds.clearFailures(m)
}

// clearFailures forgets m's failures and lock history. The hourly record
// is kept: it counts failures, and they did happen.
func (ds *doorState) clearFailures(m Method) {
	delete(ds.Locks, m)
	if len(ds.Locks) == 0 {
		ds.Locks = nil
	}
}

// anyLockRunning reports whether some method of some class is locked at
// now, or some class's hourly cap is reached, and the shortest such lock's
// full length: what decides how often the running time is saved.
func (st *state) anyLockRunning(now time.Duration, p LockoutPolicy) (shortest time.Duration, running bool) {
	for _, ds := range st.Doors {
		for _, l := range ds.Locks {
			if l.LockFor > 0 && now < l.LockedTick+l.LockFor && (!running || l.LockFor < shortest) {
				shortest, running = l.LockFor, true
			}
		}
		if _, ok := ds.capEnd(now, p); ok && (!running || time.Hour < shortest) {
			shortest, running = time.Hour, true
		}
	}
	return shortest, running
}
