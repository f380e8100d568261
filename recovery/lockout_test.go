package recovery

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLockLengthDoublesUpToADay(t *testing.T) {
	p := DefaultLockoutPolicy()
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{1, 30 * time.Minute}, {2, time.Hour}, {3, 2 * time.Hour}, {4, 4 * time.Hour}, {5, 8 * time.Hour}, {6, 16 * time.Hour}, {7, 24 * time.Hour}, {50, 24 * time.Hour}} {
		if got := p.lockLength(tc.n); got != tc.want {
			t.Errorf("lock %d lasts %v, want %v", tc.n, got, tc.want)
		}
	}
	if p.maxFailures(MethodGUID) != 7 || p.maxFailures(MethodLogin) != 5 || p.maxFailures(MethodEmail) != 5 || p.maxFailures(MethodQuestions) != 5 {
		t.Fatal("default limits are not 5 per method and 7 for GUID files")
	}
}

// wrongLogin makes one wrong login and returns its error.
func wrongLogin(c *Core) error {
	_, err := c.Console().Login(AdminUser, "Sbagliata#99")
	return err
}

func TestLoginLockout(t *testing.T) {
	clock := newFakeClock()
	opts := testOptions(t, clock)
	c, _ := activatedCore(t, opts)

	for i := 1; i <= 4; i++ {
		var ae *AttemptError
		if err := wrongLogin(c); !errors.As(err, &ae) || !errors.Is(err, ErrWrongCredentials) {
			t.Fatalf("try %d: %v, want an AttemptError wrapping ErrWrongCredentials", i, err)
		}
		if ae.TriesLeft != 5-i || ae.LockedFor != 0 {
			t.Fatalf("try %d: %d tries left, locked %v; want %d, 0", i, ae.TriesLeft, ae.LockedFor, 5-i)
		}
	}
	var ae *AttemptError
	if err := wrongLogin(c); !errors.As(err, &ae) || ae.LockedFor != 30*time.Minute {
		t.Fatalf("fifth try: %v, want a 30 minute lock", err)
	}
	// Locked: even the right password is refused, and nothing is counted.
	var le *LockedError
	if _, err := c.Console().Login(AdminUser, firstPassword); !errors.As(err, &le) || le.Remaining != 30*time.Minute {
		t.Fatalf("right password while locked: %v, want LockedError with 30m left", err)
	}
	if got := c.Console().Status().Locked[MethodLogin]; got != 30*time.Minute {
		t.Fatalf("Status shows %v left, want 30m", got)
	}

	// The lock survives a reboot.
	c = reopen(t, c, opts)
	clock.Advance(29 * time.Minute)
	if _, err := c.Console().Login(AdminUser, firstPassword); !errors.As(err, &le) || le.Remaining != time.Minute {
		t.Fatalf("after reboot and 29 minutes: %v, want 1m left", err)
	}
	clock.Advance(time.Minute)

	// The next series locks for twice as long.
	for i := 1; i <= 4; i++ {
		if err := wrongLogin(c); !errors.As(err, &ae) || ae.LockedFor != 0 {
			t.Fatalf("second series try %d: %v", i, err)
		}
	}
	if err := wrongLogin(c); !errors.As(err, &ae) || ae.LockedFor != time.Hour {
		t.Fatalf("second lock: %v, want 1h", err)
	}
	clock.Advance(time.Hour)

	// Success resets everything: the next lock is 30 minutes again.
	mustLogin(t, c, firstPassword)
	if c.st.doorOf(ClassConsole).failures(MethodLogin) != 0 {
		t.Fatal("success did not clear the counter")
	}
	for i := 1; i <= 5; i++ {
		_ = wrongLogin(c)
	}
	if got := c.Console().Status().Locked[MethodLogin]; got != 30*time.Minute {
		t.Fatalf("after a success the lock is %v, want 30m", got)
	}
}

func TestMethodsLockIndependently(t *testing.T) {
	clock := newFakeClock()
	c, s := activatedCore(t, testOptions(t, clock))
	setQuestions(t, s)
	for i := 0; i < 5; i++ {
		_, _ = c.Console().VerifyAnswers([3]string{"x1", "x2", "x3"})
	}
	if _, err := c.Console().VerifyAnswers(rightAnswers); !errors.Is(err, ErrLocked) {
		t.Fatalf("questions after 5 failures: %v, want ErrLocked", err)
	}
	// The login is not locked by the questions.
	mustLogin(t, c, firstPassword)
}

func TestTryIsOnDiskBeforeTheProofIsChecked(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	c, s := activatedCore(t, opts)
	setQuestions(t, s)
	for _, tc := range []struct {
		method Method
		try    func() error
	}{
		{MethodLogin, func() error { _, err := c.Console().Login(AdminUser, firstPassword); return err }},
		{MethodQuestions, func() error { _, err := c.Console().VerifyAnswers(rightAnswers); return err }},
	} {
		t.Run(string(tc.method), func(t *testing.T) {
			seen := -1
			testHookCounted = func() {
				st, err := loadState(opts.StateDir)
				if err != nil {
					t.Errorf("loading state in the hook: %v", err)
					return
				}
				seen = st.doorOf(ClassConsole).failures(tc.method)
			}
			defer func() { testHookCounted = func() {} }()
			if err := tc.try(); err != nil {
				t.Fatal(err)
			}
			if seen != 1 {
				t.Fatalf("before the check the state file counted %d failures, want 1", seen)
			}
			st, _ := loadState(opts.StateDir)
			if st.doorOf(ClassConsole).failures(tc.method) != 0 {
				t.Fatalf("after success the file still counts %d failures", st.doorOf(ClassConsole).failures(tc.method))
			}
		})
	}
}

func TestHourlyCapAcrossMethods(t *testing.T) {
	clock := newFakeClock()
	opts := testOptions(t, clock)
	opts.Lockout = DefaultLockoutPolicy()
	opts.Lockout.DefaultMaxFailures = 1000 // only the hourly cap applies
	opts.Lockout.MaxFailures = nil
	c, s := activatedCore(t, opts)
	setQuestions(t, s)
	for i := 0; i < 100; i++ {
		clock.Advance(10 * time.Second)
		if i%2 == 0 {
			_ = wrongLogin(c)
		} else {
			_, _ = c.Console().VerifyAnswers([3]string{"x1", "x2", "x3"})
		}
	}
	var le *LockedError
	if _, err := c.Console().Login(AdminUser, firstPassword); !errors.As(err, &le) || !le.Global {
		t.Fatalf("101st try in an hour: %v, want a global LockedError", err)
	}
	// The first failure was at +10 s; it leaves the window an hour later.
	if want := time.Hour - 1000*time.Second + 10*time.Second; le.Remaining != want {
		t.Fatalf("global lock remaining %v, want %v", le.Remaining, want)
	}
	clock.Advance(le.Remaining)
	mustLogin(t, c, firstPassword)
}

func TestClockGoingBackNeverEndsOrFreezesALock(t *testing.T) {
	clock := newFakeClock()
	opts := testOptions(t, clock)
	c, _ := activatedCore(t, opts)
	for i := 0; i < 5; i++ {
		_ = wrongLogin(c)
	}
	// Power cut; the recorder has no RTC battery and boots a year earlier.
	clock.Set(clock.Now().AddDate(-1, 0, 0))
	c = reopen(t, c, opts)
	if got := c.Console().Status().Locked[MethodLogin]; got != 30*time.Minute {
		t.Fatalf("after the clock went back the lock shows %v, want the whole 30m", got)
	}
	var le *LockedError
	if _, err := c.Console().Login(AdminUser, firstPassword); !errors.As(err, &le) || le.Remaining != 30*time.Minute {
		t.Fatalf("locked try after the clock went back: %v", err)
	}
	clock.Advance(30 * time.Minute)
	mustLogin(t, c, firstPassword)
}

// TestRebootAndNTPDoNotEndALock is the attack the wall clock allowed: lock
// the login, cut the power so the recorder boots in the past, then let NTP
// put the clock right (or spoof it into the future).
func TestRebootAndNTPDoNotEndALock(t *testing.T) {
	clock := newFakeClock()
	opts := testOptions(t, clock)
	c, _ := activatedCore(t, opts)
	real := clock.Now()
	for i := 0; i < 5; i++ {
		_ = wrongLogin(c)
	}
	clock.Set(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	c = reopen(t, c, opts)
	var le *LockedError
	if _, err := c.Console().Login(AdminUser, firstPassword); !errors.As(err, &le) {
		t.Fatalf("after reboot into 2020: %v, want LockedError", err)
	}
	for _, wall := range []time.Time{real.Add(2 * time.Minute), real.AddDate(1, 0, 0)} {
		clock.Set(wall)
		if err := wrongLogin(c); !errors.As(err, &le) || le.Remaining != 30*time.Minute {
			t.Fatalf("wall clock set to %v: %v, want the whole 30m lock", wall, err)
		}
	}
	clock.Advance(30 * time.Minute)
	mustLogin(t, c, firstPassword)
}

func TestLockoutPolicyValidate(t *testing.T) {
	for _, p := range []LockoutPolicy{
		{DefaultMaxFailures: 3, FirstLock: 30 * time.Minute}, // no MaxLock
		{DefaultMaxFailures: 3, MaxLock: time.Hour},          // no FirstLock
		{DefaultMaxFailures: 3, FirstLock: time.Hour, MaxLock: time.Hour, MaxPerHour: -1},
		{DefaultMaxFailures: 3, FirstLock: time.Hour, MaxLock: time.Hour, MaxFailures: map[Method]int{MethodGUID: 0}},
	} {
		opts := testOptions(t, newFakeClock())
		opts.Lockout = p
		if _, err := Open(opts); err == nil {
			t.Errorf("Open accepted lockout policy %+v, which never locks", p)
		}
	}
	if err := DefaultLockoutPolicy().Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestCountedTryAuditedBeforeCheck: when a try's proof is checked, its
// "counted" line is already in the audit log (synced), with the door;
// the outcome follows.
func TestCountedTryAuditedBeforeCheck(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	c, _ := activatedCore(t, opts)
	logPath := filepath.Join(opts.StateDir, auditFileName)
	var atCheck []auditLine
	testHookCounted = func() { atCheck = auditReadLines(t, logPath) }
	defer func() { testHookCounted = func() {} }()
	wrongLogin(c)
	if len(atCheck) == 0 {
		t.Fatal("no audit line when the proof is checked")
	}
	last := atCheck[len(atCheck)-1]
	if last.Event != AuditLogin || last.Outcome != "counted" || last.Door != "menu" {
		t.Fatalf("the line before the check: %+v, want a counted login through the menu", last)
	}
	after := auditReadLines(t, logPath)
	if got := after[len(after)-1]; got.Outcome != "wrong-password" {
		t.Fatalf("the outcome line: %+v", got)
	}
}

// TestLockProgressSurvivesAPowerCut: while a lock runs, its running time
// reaches the disk every tenth of its length (at least a minute apart),
// with no write when no lock runs.
func TestLockProgressSurvivesAPowerCut(t *testing.T) {
	clock := newFakeClock()
	opts := testOptions(t, clock)
	c, _ := activatedCore(t, opts)
	if n := clock.pending(); n != 0 {
		t.Fatalf("%d timers armed with no lock running", n)
	}
	for range 5 {
		wrongLogin(c)
	}
	if n := clock.pending(); n != 1 {
		t.Fatalf("%d timers armed while a lock runs, want 1", n)
	}
	onDisk := func() time.Duration {
		st, err := loadState(opts.StateDir)
		if err != nil {
			t.Fatal(err)
		}
		return st.Tick
	}
	start := onDisk()
	writes := 0
	for range 29 {
		before := onDisk()
		clock.Advance(time.Minute)
		if onDisk() != before {
			writes++
		}
	}
	// Power cut at minute 29: the lock on disk has run 27 minutes.
	if got := onDisk() - start; got != 27*time.Minute {
		t.Fatalf("running time on disk at minute 29: %v, want 27m (a save every 3 minutes)", got)
	}
	if writes != 9 {
		t.Fatalf("%d writes in 29 minutes of a 30-minute lock, want 9", writes)
	}
	clock.Advance(2 * time.Minute) // the lock is over
	if n := clock.pending(); n != 0 {
		t.Fatalf("%d timers armed after the lock ended", n)
	}
}

// TestLockProgressWritesBounded: a day-long lock is saved every 15
// minutes, not every minute: a lock an attacker keeps running costs the
// flash a bounded number of writes.
func TestLockProgressWritesBounded(t *testing.T) {
	clock := newFakeClock()
	opts := testOptions(t, clock)
	opts.Lockout = DefaultLockoutPolicy()
	opts.Lockout.FirstLock, opts.Lockout.MaxLock = 24*time.Hour, 24*time.Hour
	c, _ := activatedCore(t, opts)
	for range 5 {
		wrongLogin(c)
	}
	writes := 0
	for range 24 * 60 {
		before, _ := os.Stat(statePath(opts.StateDir))
		clock.Advance(time.Minute)
		after, _ := os.Stat(statePath(opts.StateDir))
		if !os.SameFile(before, after) {
			writes++
		}
	}
	if writes != 95 {
		t.Fatalf("a 24-hour lock saved %d times, want 95 (every 15 minutes while it runs)", writes)
	}
}
