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
// the firmware can reload credentials. CommandNotifier is the real one.
type Notifier interface {
	Notify(ctx context.Context, event string) error
}

// EventPasswordChanged is the event passed to the Notifier.
const EventPasswordChanged = "password-changed"

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
	VendorKey *VendorPublicKey
	// RecoveryAddress is the vendor mailbox the owner sends the QR code to.
	RecoveryAddress string
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
}

// Core is the recovery core of one device. It is safe for concurrent use;
// calls that run argon2id hold its lock for the duration, so callers with a
// UI run them off the UI goroutine.
type Core struct {
	opts  Options
	audit *AuditLog
	log   *slog.Logger

	mu sync.Mutex
	st *state // committed state: replaced, never modified in place
	// session is the current session id, 0 when nobody is logged in. It
	// changes under mu but is read and ended without it, so that a UI
	// checking or ending its session never waits on another caller's
	// argon2id.
	session atomic.Uint64
	nextID  uint64

	snap     atomic.Pointer[state] // st, for Status without waiting on mu
	notifies sync.WaitGroup
	closed   bool

	// The tick (see state.Tick) is tickBase plus the monotonic time
	// elapsed since Open; both are fixed at Open.
	mono      func() time.Duration
	tickBase  time.Duration
	monoStart time.Duration
}

// Open loads the state in opts.StateDir (a missing file is a device not yet
// activated) and returns its core. A state file that cannot be used is
// reported as a *StateError and left untouched.
func Open(opts Options) (*Core, error) {
	if opts.StateDir == "" {
		return nil, errors.New("recovery: no state directory configured")
	}
	if !validSerial(opts.Serial) {
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
	if opts.TicketTTL <= 0 {
		opts.TicketTTL = 10 * time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.AuditDir == "" {
		opts.AuditDir = opts.StateDir
	}
	// A missing state directory is not a device that was never activated:
	// it may be storage that failed to mount, and taking it for a fresh
	// device would let anyone set the admin password.
	if fi, err := os.Stat(opts.StateDir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("recovery: state directory %s missing or not a directory (the firmware must create it): %v", opts.StateDir, err)
	}
	st, err := loadState(opts.StateDir)
	if err != nil {
		return nil, err
	}
	c := &Core{opts: opts, st: st, log: opts.Logger, audit: OpenAuditLog(opts.AuditDir, opts.Clock)}
	if mc, ok := opts.Clock.(MonotonicClock); ok {
		c.mono = mc.Elapsed
	} else {
		c.mono = SystemClock{}.Elapsed
	}
	c.tickBase, c.monoStart = st.Tick, c.mono()
	c.snap.Store(st)
	return c, nil
}

// Close records how far locks have run, waits for running notifications
// and closes the audit log. The core refuses every call after it.
func (c *Core) Close() error {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		if len(c.st.Locks) > 0 || c.st.Challenge != nil {
			if err := c.commit(func(*state) error { return nil }); err != nil {
				c.log.Warn("saving lock progress at close", "err", err)
			}
		}
	}
	c.mu.Unlock()
	c.notifies.Wait()
	return c.audit.Close()
}

// ErrClosed reports a call on a closed core.
var ErrClosed = errors.New("recovery core closed")

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
	if err := saveState(c.opts.StateDir, next); err != nil {
		if !errors.Is(err, errDirSync) {
			return fmt.Errorf("saving recovery state: %w", err)
		}
		// The new file is in place and synced; only the directory
		// entry's durability is in doubt. Memory must follow the file,
		// or the next write would resurrect the old state.
		c.log.Warn("recovery state written but its directory could not be synced", "err", err)
	}
	c.st = next
	c.snap.Store(next)
	return nil
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

// attempt is one counted try of a proof.
type attempt struct {
	method    Method
	triesLeft int
	lockedFor time.Duration
}

// beginAttempt refuses a locked method, then counts a failed try of m and
// syncs it to disk before the caller checks the proof. extra, if set, is
// applied in the same write (the email code's own wrong-entry count).
func (c *Core) beginAttempt(m Method, extra func(next *state)) (*attempt, error) {
	if c.closed {
		return nil, ErrClosed
	}
	now := c.tick()
	if le := c.st.lockedFor(m, now, c.opts.Lockout); le != nil {
		return nil, le
	}
	a := &attempt{method: m}
	err := c.commit(func(next *state) error {
		a.triesLeft, a.lockedFor = next.countFailure(m, now, c.opts.Lockout)
		if extra != nil {
			extra(next)
		}
		return nil
	})
	if err != nil {
		// The try could not be recorded, so it must not be checked.
		return nil, fmt.Errorf("recording the try before checking it: %w", err)
	}
	testHookCounted()
	return a, nil
}

// testHookCounted runs after a try is on disk and before its proof is
// checked; tests use it to read the state file at that very moment.
var testHookCounted = func() {}

// fail reports a failed attempt: audited, wrapped with what is left.
func (c *Core) fail(a *attempt, err error) error {
	c.record(AuditRecord{Event: auditEventFor(a.method), Method: string(a.method), Outcome: outcomeOf(err), Failures: c.st.failures(a.method)})
	if a.lockedFor > 0 {
		c.record(AuditRecord{Event: AuditLockout, Method: string(a.method), LockSeconds: int64(a.lockedFor / time.Second)})
	}
	return &AttemptError{Err: err, Method: a.method, TriesLeft: a.triesLeft, LockedFor: a.lockedFor}
}

// succeed clears the failures counted for a successful attempt. If that
// write fails the count stays, which errs on the safe side.
func (c *Core) succeed(a *attempt, extra func(next *state)) {
	err := c.commit(func(next *state) error {
		next.clearFailures(a.method)
		if extra != nil {
			extra(next)
		}
		return nil
	})
	if err != nil {
		c.log.Warn("clearing failure count after a success", "method", string(a.method), "err", err)
	}
	c.record(AuditRecord{Event: auditEventFor(a.method), Method: string(a.method), Outcome: "ok"})
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

// Session is a logged-in admin (or the owner during activation). The admin
// operations are its methods; a session ends at Logout and whenever the
// password is reset through recovery.
type Session struct {
	c  *Core
	id uint64
	// authTick is when the admin last proved who they are in this
	// session (tick).
	authTick time.Duration
}

// freshAuth is how long after proving who they are an admin may change
// recovery methods without typing the password again: a walk-up at an
// unattended console must not be able to plant its own GUID, answers or
// address.
const freshAuth = 10 * time.Minute

// ErrReauthRequired asks the menu to have the admin type the password
// again (Session.Reauthenticate) before changing a recovery method.
var ErrReauthRequired = errors.New("type the admin password again to change recovery settings")

// newSession starts a session, ending any other. The caller holds c.mu.
func (c *Core) newSession() *Session {
	c.nextID++
	c.session.Store(c.nextID)
	return &Session{c: c, id: c.nextID, authTick: c.tick()}
}

// checkFresh is check plus a recent proof of identity. The caller holds c.mu.
func (s *Session) checkFresh() error {
	if err := s.check(); err != nil {
		return err
	}
	if s.c.tick()-s.authTick > freshAuth {
		return ErrReauthRequired
	}
	return nil
}

// Reauthenticate checks the admin password again, as a counted login try,
// and renews the session's right to change recovery methods.
func (s *Session) Reauthenticate(password string) error {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	return s.confirmPassword(password)
}

// confirmPassword checks that s is live and that password is the admin's,
// as a counted login try, and renews authTick. The caller holds c.mu.
func (s *Session) confirmPassword(password string) error {
	c := s.c
	if err := s.check(); err != nil {
		return err
	}
	a, err := c.beginAttempt(MethodLogin, nil)
	if err != nil {
		return err
	}
	ok, err := verifySecret(c.st.Admin.Hash, []byte(password))
	releaseKDFMemory()
	if err != nil {
		return err
	}
	if !ok {
		return c.fail(a, ErrWrongCredentials)
	}
	c.succeed(a, nil)
	s.authTick = c.tick()
	return nil
}

// check reports whether s is still the live session. It needs no lock, but a
// caller about to act on the answer holds c.mu.
func (s *Session) check() error {
	if s == nil || s.id == 0 || s.c.session.Load() != s.id {
		return ErrSessionEnded
	}
	return nil
}

// Logout ends the session for every call that starts after it. It never
// waits for another call in progress: one the session began before (a
// password change in its argon2id, say) still completes.
func (s *Session) Logout() {
	if s != nil && s.id != 0 {
		s.c.session.CompareAndSwap(s.id, 0)
	}
}

// Active reports whether the session has not ended. It never waits for
// another call in progress.
func (s *Session) Active() bool {
	return s.check() == nil
}

// notifyPasswordChanged runs the Notifier in the background; Close waits.
func (c *Core) notifyPasswordChanged() {
	if c.opts.Notifier == nil || c.closed {
		return
	}
	c.notifies.Add(1)
	go func() {
		defer c.notifies.Done()
		err := c.opts.Notifier.Notify(context.Background(), EventPasswordChanged)
		outcome := "ok"
		if err != nil {
			outcome = "failed"
			c.log.Warn("password change notification failed", "err", err)
		}
		c.record(AuditRecord{Event: AuditNotify, Outcome: outcome})
	}()
}

func validSerial(s string) bool {
	if len(s) < 1 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}
