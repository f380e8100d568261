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
	if got := c.Console().Journey().LoginRefused; got == nil || got.Lock() != 30*time.Minute {
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
	if got := c.Console().Journey().LoginRefused; got == nil || got.Lock() != 30*time.Minute {
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
	clock := newFakeClock()
	c, s, vendor, opts := emailCore(t, clock)
	c.opts.Throttle = ThrottlePolicy{Burst: 1 << 20, Every: time.Nanosecond}
	c.throttle.p = c.opts.Throttle
	setQuestions(t, s)
	_, guidFile := exportGUID(t, s)
	web := c.Door(webCaller("192.0.2.30"))
	ws, err := web.Login(AdminUser, firstPassword)
	if err != nil {
		t.Fatal(err)
	}
	codeFor := func(d *Door) string {
		ch, err := d.EmailChallenge()
		if err != nil {
			t.Fatal(err)
		}
		return vendorCode(t, vendor, ch)
	}
	consoleCode, webCode := codeFor(c.Console()), codeFor(web)
	for _, tc := range []struct {
		name   string
		class  Class
		method Method
		try    func() error
	}{
		// Before the console login, which ends the console's session s.
		{"console reauthentication", ClassConsole, MethodLogin, func() error { return s.Reauthenticate(firstPassword) }},
		{"console login", ClassConsole, MethodLogin, func() error { _, err := c.Console().Login(AdminUser, firstPassword); return err }},
		{"console questions", ClassConsole, MethodQuestions, func() error { _, err := c.Console().VerifyAnswers(rightAnswers); return err }},
		{"console guid", ClassConsole, MethodGUID, func() error { _, err := c.Console().VerifyGUIDFile(guidFile); return err }},
		{"console email", ClassConsole, MethodEmail, func() error { _, err := c.Console().VerifyEmailCode(consoleCode); return err }},
		{"network login", ClassNetwork, MethodLogin, func() error { _, err := web.Login(AdminUser, firstPassword); return err }},
		{"network questions", ClassNetwork, MethodQuestions, func() error { _, err := web.VerifyAnswers(rightAnswers); return err }},
		{"network guid", ClassNetwork, MethodGUID, func() error { _, err := web.VerifyGUIDFile(guidFile); return err }},
		{"network email", ClassNetwork, MethodEmail, func() error { _, err := web.VerifyEmailCode(webCode); return err }},
		{"network reauthentication", ClassNetwork, MethodLogin, func() error { return ws.Reauthenticate(firstPassword) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen := -1
			testHookCounted = func() {
				st, err := loadState(opts.StateDir)
				if err != nil {
					t.Errorf("loading state in the hook: %v", err)
					return
				}
				seen = st.doorOf(tc.class).failures(tc.method)
			}
			defer func() { testHookCounted = func() {} }()
			if err := tc.try(); err != nil {
				t.Fatal(err)
			}
			if seen != 1 {
				t.Fatalf("before the check the state file counted %d failures, want 1", seen)
			}
			st, _ := loadState(opts.StateDir)
			if n := st.doorOf(tc.class).failures(tc.method); n != 0 {
				t.Fatalf("after success the file still counts %d failures", n)
			}
		})
	}
}

// TestBrokenAuditLogBlocksNothing: with the audit log unwritable, a try is
// still counted in the state file before it is checked, and recovery works.
func TestBrokenAuditLogBlocksNothing(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	c, _ := activatedCore(t, opts)
	c.audit.Close()
	logPath := filepath.Join(opts.StateDir, auditFileName)
	os.Remove(logPath)
	if err := os.Mkdir(logPath, 0o700); err != nil { // no file can be opened there
		t.Fatal(err)
	}
	seen := -1
	testHookCounted = func() {
		st, _ := loadState(opts.StateDir)
		seen = st.doorOf(ClassConsole).failures(MethodLogin)
	}
	defer func() { testHookCounted = func() {} }()
	var ae *AttemptError
	if err := wrongLogin(c); !errors.As(err, &ae) || seen != 1 {
		t.Fatalf("a wrong login with a broken audit log: %v, counted %d before the check", err, seen)
	}
	mustLogin(t, c, firstPassword)
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

// TestAuditNeverClaimsMoreThanTheState: the "counted" line follows the
// state's write, never precedes it. A try whose count the state file
// could not take (a dying flash, or a power cut at that moment) leaves no
// "counted" line behind, only "not-recorded"; and when a "counted" line is
// in the log, the state on disk already holds that try.
func TestAuditNeverClaimsMoreThanTheState(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	c, _ := activatedCore(t, opts)
	logPath := filepath.Join(opts.StateDir, auditFileName)

	// When the state write fails, the log says so and claims no count.
	breakState := t.Run("state write fails", func(t *testing.T) {
		before := len(auditReadLines(t, logPath))
		breakStateWrites(t, opts.StateDir)
		if err := wrongLogin(c); err == nil || errors.Is(err, ErrWrongCredentials) {
			t.Fatalf("a wrong login with an unwritable state: %v, want it refused unchecked", err)
		}
		lines := auditReadLines(t, logPath)[before:]
		for _, l := range lines {
			if l.Outcome == "counted" {
				t.Fatalf("the log says %+v for a try the state never counted", l)
			}
		}
		if len(lines) != 1 || lines[0].Outcome != "not-recorded" {
			t.Fatalf("the log's lines for the try: %+v, want one not-recorded", lines)
		}
	})
	if !breakState {
		return
	}

	// Every "counted" line is backed by the state: read the state file
	// the moment each one reaches the log (synced), for every method.
	counted := 0
	c.audit.testHookSynced = func(r AuditRecord) {
		if r.Outcome != "counted" {
			return
		}
		st, err := loadState(opts.StateDir)
		if err != nil {
			t.Errorf("the state when a counted line is synced: %v", err)
			return
		}
		if n := st.doorOf(ClassConsole).failures(Method(r.Method)); n != counted+1 {
			t.Errorf("a counted line was synced while the state held %d failures, want %d", n, counted+1)
		}
		counted++
	}
	defer func() { c.audit.testHookSynced = nil }()
	for range 3 {
		wrongLogin(c)
	}
	if counted != 3 {
		t.Fatalf("%d counted lines for 3 wrong logins", counted)
	}
}
