package recovery

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"nvrmenu/internal/atomicfile"
	"nvrmenu/internal/dirlock"
	"nvrmenu/internal/payload"
	"nvrmenu/internal/pwpolicy"
)

// AdminUser is the one account the core knows.
const AdminUser = "admin"

// Errors the menu maps to translated text. Each is returned wrapped with
// what it concerns; check them with errors.Is.
var (
	ErrNotActivated      = errors.New("device not activated: set the admin password first")
	ErrAlreadyActivated  = errors.New("device already activated")
	ErrWrongCredentials  = errors.New("wrong user name or password")
	ErrSessionEnded      = errors.New("session ended: log in again")
	ErrMethodNotSetUp    = errors.New("recovery method not set up")
	ErrMethodUnavailable = errors.New("recovery method not offered on this device")
	ErrTicketInvalid     = errors.New("recovery proof no longer valid: start the recovery again")
)

// Notifier is told after every successful password change, so the rest of
// the firmware can reload credentials; the event is
// string(EventPasswordChanged). notify.Command is the real one.
type Notifier interface {
	Notify(ctx context.Context, event string) error
}

// Options configure a Core. StateDir and Serial are required; every other
// field has a default.
type Options struct {
	StateDir string
	// Serial is the device serial number printed in GUID files and QR codes.
	Serial string

	Clock Clock     // default SystemClock
	Rand  io.Reader // default crypto/rand
	// NotBefore is the build date: a clock earlier than it is not trusted
	// for expiring verification codes.
	NotBefore time.Time

	// KDF is used for new hashes when Calibrate is nil, and on a device
	// activated before calibration existed. Default DefaultKDFParams.
	KDF KDFParams
	// Calibrate, when set, chooses the KDF costs once, at activation.
	Calibrate func() KDFParams

	Policy  pwpolicy.Policy // default pwpolicy.Default()
	Lockout LockoutPolicy   // default DefaultLockoutPolicy()

	// VendorKey is the vendor's public key for reserved-email QR codes;
	// without it the email method is unavailable.
	VendorKey *payload.PublicKey
	// RecoveryAddress is the vendor mailbox the owner sends the QR code to.
	RecoveryAddress string
	// AppURL is the vendor's recovery page address (payload.CheckAppURL):
	// the QR code is then that page's URL, which any phone's camera opens.
	// Empty: the QR code holds the "NVRR1:" text. It is applied when a
	// challenge is shown, so changing it keeps a pending one.
	AppURL string
	// CodeTTL is how long a verification code lives on a trusted clock.
	// Default 48 h.
	CodeTTL time.Duration
	// TicketTTL is how long a verified proof waits for the new password.
	// Default 10 minutes.
	TicketTTL time.Duration
	// Disabled methods are neither offered nor accepted.
	Disabled map[Method]bool

	Notifier Notifier     // optional
	Logger   *slog.Logger // default discards
	// AuditDir holds the audit log; default StateDir.
	AuditDir string

	// DirLock is the daemon's hold of StateDir (dirlock.Lock), kept across
	// reloads. Without one, Open takes it itself without waiting, and
	// Close lets it go.
	DirLock *dirlock.Held

	// NetworkActivation lets a network door activate a new device, as
	// vendors allow from their web page. Off, only the console can.
	NetworkActivation bool
	// NetworkActivationWindow, when positive, narrows NetworkActivation
	// to the first NetworkActivationWindow after the device was switched
	// on (Uptime): an installer powers a new recorder on and activates it
	// from the LAN within minutes, while a recorder left unactivated is
	// not there for the first host on the LAN to claim for ever. The
	// console may always activate. Zero: any time.
	NetworkActivationWindow time.Duration
	// Uptime is how long the device has been switched on, read once at
	// Open; from there the core's monotonic clock (Clock) counts on.
	// Default: the kernel's CLOCK_BOOTTIME, which neither a restart of
	// the daemon nor a change of the wall clock moves back.
	Uptime func() time.Duration
	// Throttle limits each network address (DefaultThrottlePolicy).
	Throttle ThrottlePolicy
	// MaxNetworkKDFQueue is how many network requests may wait for the
	// one argon2id computation the daemon runs at a time; beyond it they
	// get ErrBusy. Default 4.
	MaxNetworkKDFQueue int
	// ConsoleSession and NetworkSession are the sessions' timeouts
	// (DefaultConsoleSession, DefaultNetworkSession).
	ConsoleSession, NetworkSession SessionPolicy
	// MaxNetworkSessions bounds the network sessions open at once; a new
	// one beyond it ends the one used least recently. Default 16.
	MaxNetworkSessions int
}

// Core is the recovery core of one device. It is safe for concurrent use.
// Calls that run argon2id first wait for the daemon's one computation slot
// (console callers ahead of network ones), then hold the core's lock for
// the duration, so callers with a UI run them off the UI goroutine.
type Core struct {
	opts  Options
	audit *AuditLog
	log   *slog.Logger
	lock  *dirlock.Held
	owned bool // lock was taken by Open: Close lets it go

	gate     kdfGate
	throttle throttle
	sessions sessionTable

	subsMu sync.Mutex
	subs   map[*Subscription]struct{}

	mu sync.Mutex
	st *state // committed state: replaced, never modified in place
	// tickets are the network's pending reset tickets, by token hash.
	tickets map[[32]byte]*ticketRec
	// tickSeq names the pending save of a running lock's progress.
	tickSeq   uint64
	tickTimer Timer

	snap     atomic.Pointer[state] // st, for Status without waiting on mu
	notifies sync.WaitGroup
	closed   bool

	// The tick (see state.Tick) is tickBase plus the monotonic time
	// elapsed since Open; both are fixed at Open.
	mono      func() time.Duration
	tickBase  time.Duration
	monoStart time.Duration
	// upAtOpen is how long the device had been on at Open.
	upAtOpen  time.Duration
	afterFunc func(time.Duration, func()) Timer
}

// Open loads the state in opts.StateDir (a missing file is a device not yet
// activated) and returns its core. A state file that cannot be used is
// reported as a *StateError and left untouched.
func Open(opts Options) (*Core, error) {
	if opts.StateDir == "" {
		return nil, errors.New("recovery: no state directory configured")
	}
	if !payload.ValidSerial(opts.Serial) {
		return nil, fmt.Errorf("recovery: device serial %q: want 1 to 32 characters A-Z, 0-9 or '-'", opts.Serial)
	}
	if opts.Clock == nil {
		opts.Clock = SystemClock{}
	}
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.KDF == (KDFParams{}) {
		opts.KDF = DefaultKDFParams
	}
	if err := opts.KDF.Validate(); err != nil {
		return nil, fmt.Errorf("recovery: %w", err)
	}
	if opts.Policy == (pwpolicy.Policy{}) {
		opts.Policy = pwpolicy.Default()
	}
	if err := opts.Policy.Validate(); err != nil {
		return nil, fmt.Errorf("recovery: %w", err)
	}
	if opts.Lockout.DefaultMaxFailures == 0 {
		opts.Lockout = DefaultLockoutPolicy()
	}
	if err := opts.Lockout.Validate(); err != nil {
		return nil, fmt.Errorf("recovery: %w", err)
	}
	if opts.CodeTTL <= 0 {
		opts.CodeTTL = 48 * time.Hour
	}
	if opts.AppURL != "" {
		if err := payload.CheckAppURL(opts.AppURL); err != nil {
			return nil, fmt.Errorf("recovery: app URL: %w", err)
		}
	}
	if opts.TicketTTL <= 0 {
		opts.TicketTTL = 10 * time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.AuditDir == "" {
		opts.AuditDir = opts.StateDir
	}
	if opts.Throttle == (ThrottlePolicy{}) {
		opts.Throttle = DefaultThrottlePolicy()
	}
	if opts.Throttle.Burst < 1 || opts.Throttle.Every <= 0 {
		return nil, fmt.Errorf("recovery: throttle %+v: want a burst of at least 1 and a positive refill", opts.Throttle)
	}
	if opts.MaxNetworkKDFQueue <= 0 {
		opts.MaxNetworkKDFQueue = 4
	}
	if opts.ConsoleSession == (SessionPolicy{}) {
		opts.ConsoleSession = DefaultConsoleSession
	}
	if opts.NetworkSession == (SessionPolicy{}) {
		opts.NetworkSession = DefaultNetworkSession
	}
	if opts.MaxNetworkSessions <= 0 {
		opts.MaxNetworkSessions = 16
	}
	if opts.Uptime == nil {
		opts.Uptime = BootUptime
	}
	// A missing state directory is not a device that was never activated:
	// it may be storage that failed to mount, and taking it for a fresh
	// device would let anyone set the admin password.
	if fi, err := os.Stat(opts.StateDir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("recovery: state directory %s missing or not a directory (the firmware must create it): %v", opts.StateDir, err)
	}
	lock, owned := opts.DirLock, false
	if lock == nil {
		var err error
		if lock, err = dirlock.TryLock(opts.StateDir, dirlock.Holder{PID: os.Getpid()}); err != nil {
			return nil, err
		}
		owned = true
	} else if lock.Dir() != opts.StateDir {
		return nil, fmt.Errorf("recovery: the lock held is on %s, not on the state directory %s", lock.Dir(), opts.StateDir)
	}
	// Only the holder may clean up: another daemon's write may be in
	// flight otherwise.
	removeStaleTemps(opts.StateDir)
	st, version, err := loadStateVersion(opts.StateDir)
	if err == nil && version == 1 {
		// An older build's file, on a device that never wrote version 2:
		// rewritten now, so that from here on only version 2 loads.
		if err = upgradeState(opts.StateDir, st); err != nil {
			err = fmt.Errorf("rewriting the version 1 state file as version 2: %w", err)
		} else {
			opts.Logger.Info("recovery state upgraded from version 1 to version 2", "dir", opts.StateDir)
		}
	}
	if err != nil {
		if owned {
			lock.Close()
		}
		return nil, err
	}
	c := &Core{
		opts:     opts,
		st:       st,
		log:      opts.Logger,
		audit:    OpenAuditLog(opts.AuditDir, opts.Clock),
		lock:     lock,
		owned:    owned,
		gate:     kdfGate{maxNetwork: opts.MaxNetworkKDFQueue},
		throttle: throttle{p: opts.Throttle},
		subs:     map[*Subscription]struct{}{},
		tickets:  map[[32]byte]*ticketRec{},
	}
	if mc, ok := opts.Clock.(MonotonicClock); ok {
		c.mono = mc.Elapsed
	} else {
		c.mono = SystemClock{}.Elapsed
	}
	if tc, ok := opts.Clock.(TimerClock); ok {
		c.afterFunc = tc.AfterFunc
	} else {
		c.afterFunc = SystemClock{}.AfterFunc
	}
	c.tickBase, c.monoStart = st.Tick, c.mono()
	c.upAtOpen = opts.Uptime()
	c.throttle.restore(st.Throttle)
	c.sessions.init()
	c.snap.Store(st)
	c.mu.Lock()
	c.scheduleTickSave()
	c.mu.Unlock()
	return c, nil
}

// Close records how far locks have run, waits for running notifications
// and closes the audit log, and the state directory's lock if Open took
// it. The core refuses every call after it.
func (c *Core) Close() error {
	c.mu.Lock()
	if !c.closed {
		_, locked := c.st.anyLockRunning(c.tick(), c.opts.Lockout)
		if locked || len(c.st.Challenges) > 0 {
			if err := c.commit(func(*state) error { return nil }); err != nil {
				c.log.Warn("saving lock progress at close", "err", err)
			}
		}
		c.closed = true
		c.scheduleTickSave() // stops the pending one
	}
	c.mu.Unlock()
	c.sessions.endAll()
	c.notifies.Wait()
	err := c.audit.Close()
	if c.owned {
		c.lock.Close()
	}
	return err
}

// ErrClosed reports a call on a closed core.
var ErrClosed = errors.New("recovery core closed")

// uptime is how long the device has been switched on, on the core's
// monotonic clock from Open.
func (c *Core) uptime() time.Duration {
	return c.upAtOpen + max(0, c.mono()-c.monoStart)
}

// tick is the core's monotonic time (see state.Tick).
func (c *Core) tick() time.Duration {
	return c.tickBase + max(0, c.mono()-c.monoStart)
}

// Serial is the device serial the core was opened with.
func (c *Core) Serial() string { return c.opts.Serial }

func (c *Core) now() time.Time { return c.opts.Clock.Now() }

// clockTrusted reports whether t can be believed: not before the build date.
func (c *Core) clockTrusted(t time.Time) bool { return !t.Before(c.opts.NotBefore) }

// commit applies mutate to a copy of the state, writes it durably, and only
// then makes it the core's state. On any error the core keeps the old one.
// The caller holds c.mu.
func (c *Core) commit(mutate func(next *state) error) error {
	next, err := c.st.clone()
	if err != nil {
		return err
	}
	if err := mutate(next); err != nil {
		return err
	}
	next.Tick = c.tick()
	// The addresses' throttle rides along: every try it lets through is
	// followed by a write of the state anyway, so it costs no write of
	// its own, and a restart no longer gives each address a full bucket.
	next.Throttle = c.throttle.snapshot(next.Tick)
	if err := saveState(c.opts.StateDir, next); err != nil {
		if !errors.Is(err, atomicfile.ErrDirSync) {
			return fmt.Errorf("saving recovery state: %w", err)
		}
		// The new file is in place and synced; only the directory
		// entry's durability is in doubt. Memory must follow the file,
		// or the next write would resurrect the old state.
		c.log.Warn("recovery state written but its directory could not be synced", "err", err)
	}
	c.st = next
	c.snap.Store(next)
	c.scheduleTickSave()
	return nil
}

// scheduleTickSave arms the one timer that saves a running lock's
// progress, or stops it when no lock runs. The saves come every tenth of
// the shortest running lock's length, at least a minute and at most 15
// minutes apart: a power cut then costs a lock at most that much of its
// running time, and a LAN attacker who keeps a lock running for ever
// costs the flash at most one write a minute. The caller holds c.mu.
func (c *Core) scheduleTickSave() {
	c.tickSeq++
	if c.tickTimer != nil {
		c.tickTimer.Stop()
		c.tickTimer = nil
	}
	if c.closed {
		return
	}
	shortest, running := c.st.anyLockRunning(c.tick(), c.opts.Lockout)
	if !running {
		return
	}
	every := min(max(shortest/10, time.Minute), 15*time.Minute)
	seq := c.tickSeq
	c.tickTimer = c.afterFunc(every, func() { c.saveTick(seq) })
}

// saveTick is the timer's save; a stale timer (one replaced since it was
// armed) does nothing.
func (c *Core) saveTick(seq uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || seq != c.tickSeq {
		return
	}
	if _, running := c.st.anyLockRunning(c.tick(), c.opts.Lockout); !running {
		c.tickTimer = nil
		return
	}
	if err := c.commit(func(*state) error { return nil }); err != nil {
		c.log.Warn("saving a running lock's progress", "err", err)
		c.scheduleTickSave()
	}
}

// clone deep-copies the state through its own encoding, which every field
// already round-trips through.
func (st *state) clone() (*state, error) {
	data, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("copying state: %w", err)
	}
	next := new(state)
	if err := json.Unmarshal(data, next); err != nil {
		return nil, fmt.Errorf("copying state: %w", err)
	}
	return next, nil
}

// kdfParams are the costs for new hashes: those chosen at activation.
func (c *Core) kdfParams() KDFParams {
	if c.st.KDF != nil {
		return c.st.KDF.params()
	}
	return c.opts.KDF
}

func (c *Core) hash(secret []byte) (string, error) {
	return hashSecret(secret, c.kdfParams(), c.opts.Rand)
}

// record writes an audit record; a failing audit log is logged, never fatal.
func (c *Core) record(r AuditRecord) {
	if err := c.audit.Record(r); err != nil {
		c.log.Warn("audit log write failed", "event", string(r.Event), "err", err)
	}
}

// recordFor writes r naming caller's door and address.
func (c *Core) recordFor(caller Caller, r AuditRecord) {
	r.Door, r.Addr = caller.Door, caller.Addr
	c.record(r)
}

// attempt is one counted try of a proof.
type attempt struct {
	caller    Caller
	method    Method
	tick      time.Duration // when it was counted
	triesLeft int
	lockedFor time.Duration
}

// beginAttempt refuses a locked method, then counts a failed try of m
// against caller's class and syncs it to disk before the caller checks the
// proof: first the state file, then a "counted" line in the audit log,
// synced. In that order the log never claims more than the state holds: a
// power cut between the two leaves a try counted in the state and not yet
// in the log, never a "counted" line for a try the state lost. extra, if
// set, is applied in the same write (the email code's own wrong-entry
// count). The caller holds c.mu.
func (c *Core) beginAttempt(caller Caller, m Method, extra func(next *state)) (*attempt, error) {
	if c.closed {
		return nil, ErrClosed
	}
	now := c.tick()
	if le := c.st.doorOf(caller.Class).lockedFor(m, now, c.opts.Lockout); le != nil {
		return nil, le
	}
	a := &attempt{caller: caller, method: m, tick: now}
	err := c.commit(func(next *state) error {
		a.triesLeft, a.lockedFor = next.door(caller.Class).countFailure(m, now, c.opts.Lockout)
		if extra != nil {
			extra(next)
		}
		return nil
	})
	event := auditEventFor(m)
	if err != nil {
		// The try could not be recorded, so it must not be checked.
		c.recordFor(caller, AuditRecord{Event: event, Method: string(m), Outcome: "not-recorded"})
		return nil, fmt.Errorf("recording the try before checking it: %w", err)
	}
	line := AuditRecord{Event: event, Method: string(m), Outcome: "counted", Door: caller.Door, Addr: caller.Addr}
	if err := c.audit.RecordSync(line); err != nil {
		// A broken audit log must not block recovery: the state file
		// counts the try.
		c.log.Warn("audit log write failed", "event", string(line.Event), "err", err)
	}
	testHookCounted()
	return a, nil
}

// testHookCounted runs after a try is on disk and before its proof is
// checked; tests use it to read the state file at that very moment.
var testHookCounted = func() {}

// fail reports a failed attempt: audited, wrapped with what is left.
func (c *Core) fail(a *attempt, err error) error {
	c.recordFor(a.caller, AuditRecord{Event: auditEventFor(a.method), Method: string(a.method), Outcome: outcomeOf(err), Failures: c.st.doorOf(a.caller.Class).failures(a.method)})
	if a.lockedFor > 0 {
		c.recordFor(a.caller, AuditRecord{Event: AuditLockout, Method: string(a.method), LockSeconds: int64(a.lockedFor / time.Second)})
		c.publish(EventLocked, a.caller)
	} else if _, capped := c.st.doorOf(a.caller.Class).capEnd(c.tick(), c.opts.Lockout); capped {
		c.publish(EventLocked, a.caller)
	}
	return &AttemptError{Err: err, Method: a.method, TriesLeft: a.triesLeft, LockedFor: a.lockedFor}
}

// succeed undoes the count of a successful attempt: no trace of it is left
// toward any lock. If that write fails the count stays, which errs on the
// safe side.
func (c *Core) succeed(a *attempt, extra func(next *state)) {
	err := c.commit(func(next *state) error {
		next.door(a.caller.Class).forgetTry(a.method, a.tick)
		if extra != nil {
			extra(next)
		}
		return nil
	})
	if err != nil {
		c.log.Warn("clearing failure count after a success", "method", string(a.method), "err", err)
	}
	c.recordFor(a.caller, AuditRecord{Event: auditEventFor(a.method), Method: string(a.method), Outcome: "ok"})
}

func auditEventFor(m Method) AuditEvent {
	if m == MethodLogin {
		return AuditLogin
	}
	return AuditRecovery
}

// outcomeOf names an error for the audit log by its code, never by
// anything the user typed.
func outcomeOf(err error) string { return string(Explain(err).Code) }

// notifyPasswordChanged runs the Notifier in the background; Close waits.
func (c *Core) notifyPasswordChanged() {
	if c.opts.Notifier == nil || c.closed {
		return
	}
	c.notifies.Add(1)
	go func() {
		defer c.notifies.Done()
		err := c.opts.Notifier.Notify(context.Background(), string(EventPasswordChanged))
		outcome := "ok"
		if err != nil {
			outcome = "failed"
			c.log.Warn("password change notification failed", "err", err)
		}
		c.record(AuditRecord{Event: AuditNotify, Outcome: outcome})
	}()
}
