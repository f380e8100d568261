package recovery

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"nvrmenu/recovery/journey"
	"sync"
	"sync/atomic"
	"time"
)

// SessionPolicy is how long a session lives: it ends after Idle without
// use, and MaxAge after it began (0: no absolute limit).
type SessionPolicy struct {
	Idle, MaxAge time.Duration
}

// The default session timeouts: the console's admin is logged out after 5
// minutes without a key or click; a network session also ends 30 minutes
// after its login, however busy.
var (
	DefaultConsoleSession = SessionPolicy{Idle: 5 * time.Minute}
	DefaultNetworkSession = SessionPolicy{Idle: 5 * time.Minute, MaxAge: 30 * time.Minute}
)

// Session is a logged-in admin (or the owner right after activation or a
// reset). The admin operations are its methods. The core holds one
// console session and a small, bounded set of network sessions at once;
// every one of them ends when the password changes, from whichever door.
type Session struct {
	c      *Core
	caller Caller
	// cur is the session's record and, on the Session a login returns,
	// its network bearer token (Token). A password change swaps both for
	// fresh ones while the menu may be reading them: hence the atomic.
	cur atomic.Pointer[sessionCur]
}

type sessionCur struct {
	rec   *sessionRec
	token string
}

// newSessionFor is a Session on rec (with token, if the caller gets one).
func newSessionFor(c *Core, caller Caller, rec *sessionRec, token string) *Session {
	s := &Session{c: c, caller: caller}
	s.cur.Store(&sessionCur{rec: rec, token: token})
	return s
}

// rec is the session's current record, nil for a nil Session.
func (s *Session) rec() *sessionRec {
	if s == nil {
		return nil
	}
	if cur := s.cur.Load(); cur != nil {
		return cur.rec
	}
	return nil
}

// String names the session's door, never its token.
func (s *Session) String() string { return "session through " + s.caller.String() }

// GoString is String.
func (s *Session) GoString() string { return s.String() }

// Format prints String for every verb: no verb may print the token.
func (s *Session) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// sessionRec is the core's record of one session. Its fields are atomics
// so that checking or ending a session never waits on the core's lock
// (the menu does both on its UI goroutine).
type sessionRec struct {
	class    Class
	key      [sha256.Size]byte // SHA-256 of the network token
	created  time.Duration     // tick
	lastUsed atomic.Int64      // tick
	authTick atomic.Int64      // tick of the last proof of identity
	ended    atomic.Bool
	// pending is the session's last GUID export not yet confirmed: a
	// web client downloads it, then says it is saved, in two requests.
	pending atomic.Pointer[GUIDExport]
	// after is what the reset that opened the session changed; nil for a
	// session opened by a login or an activation.
	after *journey.AfterReset
}

// sessionTable holds the live sessions.
type sessionTable struct {
	mu      sync.Mutex
	console *sessionRec
	network map[[sha256.Size]byte]*sessionRec
}

func (t *sessionTable) init() { t.network = map[[sha256.Size]byte]*sessionRec{} }

// endAll ends every session.
func (t *sessionTable) endAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.console != nil {
		t.console.ended.Store(true)
		t.console = nil
	}
	for k, r := range t.network {
		r.ended.Store(true)
		delete(t.network, k)
	}
}

// remove forgets r, which has ended.
func (t *sessionTable) remove(r *sessionRec) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.console == r {
		t.console = nil
	}
	if t.network[r.key] == r {
		delete(t.network, r.key)
	}
}

// newSession starts a session for caller: a console session ends the
// previous console one; a network session beyond the bound ends the one
// used least recently. The caller holds c.mu.
func (c *Core) newSession(caller Caller, after *journey.AfterReset) (*Session, error) {
	now := int64(c.tick())
	r := &sessionRec{class: caller.Class, created: time.Duration(now), after: after}
	r.lastUsed.Store(now)
	r.authTick.Store(now)
	t := &c.sessions
	if caller.Class == ClassConsole {
		t.mu.Lock()
		if t.console != nil {
			t.console.ended.Store(true)
		}
		t.console = r
		t.mu.Unlock()
		return newSessionFor(c, caller, r, ""), nil
	}
	var raw [16]byte
	if _, err := io.ReadFull(c.opts.Rand, raw[:]); err != nil {
		return nil, fmt.Errorf("reading a random session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	r.key = sha256.Sum256([]byte(token))
	s := newSessionFor(c, caller, r, token)
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, other := range t.network {
		if other.ended.Load() || c.sessionExpired(other) {
			other.ended.Store(true)
			delete(t.network, k)
		}
	}
	if len(t.network) >= c.opts.MaxNetworkSessions {
		var lru *sessionRec
		for _, other := range t.network {
			if lru == nil || other.lastUsed.Load() < lru.lastUsed.Load() {
				lru = other
			}
		}
		lru.ended.Store(true)
		delete(t.network, lru.key)
	}
	t.network[r.key] = r
	return s, nil
}

// policy is the timeouts of r's class.
func (c *Core) policy(r *sessionRec) SessionPolicy {
	if r.class == ClassConsole {
		return c.opts.ConsoleSession
	}
	return c.opts.NetworkSession
}

// sessionLeft is how long r lives if not used again: 0 once over.
func (c *Core) sessionLeft(r *sessionRec) time.Duration {
	now := c.tick()
	p := c.policy(r)
	left := p.Idle - (now - time.Duration(r.lastUsed.Load()))
	if p.MaxAge > 0 {
		left = min(left, p.MaxAge-(now-r.created))
	}
	return max(left, 0)
}

func (c *Core) sessionExpired(r *sessionRec) bool { return c.sessionLeft(r) == 0 }

// ErrSessionNotFound reports a network session token the core does not
// know: never issued, ended, or expired.
var ErrSessionNotFound = fmt.Errorf("%w: unknown or expired session", ErrSessionEnded)

// Resume returns the network session whose token a client presents, as
// this door's caller sees it, and counts it as used. A console door has no
// tokens.
func (d *Door) Resume(token string) (*Session, error) {
	if d.bad != nil {
		return nil, d.bad
	}
	if d.caller.Class != ClassNetwork || token == "" || len(token) > 64 {
		return nil, ErrSessionNotFound
	}
	c := d.c
	key := sha256.Sum256([]byte(token))
	c.sessions.mu.Lock()
	r := c.sessions.network[key]
	c.sessions.mu.Unlock()
	if r == nil {
		return nil, ErrSessionNotFound
	}
	s := newSessionFor(c, d.caller, r, "")
	if err := s.check(); err != nil {
		return nil, ErrSessionNotFound
	}
	s.Touch()
	return s, nil
}

// Token is a network session's bearer secret, for the client's cookie:
// only the Session a login, activation, reset or password change returned
// carries it. It is empty for the console.
func (s *Session) Token() string {
	if cur := s.cur.Load(); cur != nil {
		return cur.token
	}
	return ""
}

// Caller is the door the session acts through.
func (s *Session) Caller() Caller { return s.caller }

// check reports whether s is still live, ending it when its time is up.
// It never waits for the core's lock.
func (s *Session) check() error {
	r := s.rec()
	if r == nil || r.ended.Load() {
		return ErrSessionEnded
	}
	if s.c.sessionExpired(r) {
		r.ended.Store(true)
		s.c.sessions.remove(r)
		return ErrSessionEnded
	}
	return nil
}

// Active reports whether the session has not ended. It never waits for
// another call in progress.
func (s *Session) Active() bool { return s.check() == nil }

// Touch counts the session as used now: the console's menu calls it on
// every key and click, so that an admin filling in a form is not logged
// out. It never waits.
func (s *Session) Touch() {
	if s.check() == nil {
		s.rec().lastUsed.Store(int64(s.c.tick()))
	}
}

// Expiry is how long the session lives if it is not used again, 0 once it
// has ended: the menu arms its one timer for it, to show the login screen
// when the core has ended the session.
func (s *Session) Expiry() time.Duration {
	if s.check() != nil {
		return 0
	}
	return s.c.sessionLeft(s.rec())
}

// Logout ends the session for every call that starts after it. It never
// waits for another call in progress: one the session began before (a
// password change in its argon2id, say) still completes.
func (s *Session) Logout() {
	if r := s.rec(); r != nil && !r.ended.Swap(true) {
		s.c.sessions.remove(r)
	}
}

// freshAuth is how long after proving who they are an admin may change
// recovery methods without typing the password again: a walk-up at an
// unattended console must not be able to plant its own GUID, answers or
// address.
const freshAuth = 10 * time.Minute

// ErrReauthRequired asks the door to have the admin type the password
// again (Session.Reauthenticate) before changing a recovery method.
var ErrReauthRequired = errors.New("type the admin password again to change recovery settings")

// checkFresh is check plus a recent proof of identity. The caller holds c.mu.
func (s *Session) checkFresh() error {
	if err := s.check(); err != nil {
		return err
	}
	if !s.fresh() {
		return ErrReauthRequired
	}
	return nil
}

// fresh reports whether the admin proved who they are within freshAuth.
func (s *Session) fresh() bool {
	r := s.rec()
	return r != nil && s.c.tick()-time.Duration(r.authTick.Load()) <= freshAuth
}

// Reauthenticate checks the admin password again, as a counted login try,
// and renews the session's right to change recovery methods. A password
// too short to be the admin's is refused uncounted (ErrPasswordTooShort).
func (s *Session) Reauthenticate(password string) error {
	if err := checkPasswordForm(password); err != nil {
		return err
	}
	release, err := s.c.begin(s.caller, true, true)
	if err != nil {
		return err
	}
	defer release()
	return s.confirmPassword(password)
}

// confirmPassword checks that s is live and that password is the admin's,
// as a counted login try, and renews authTick. The caller holds c.mu and
// the computation slot.
func (s *Session) confirmPassword(password string) error {
	c := s.c
	if err := s.check(); err != nil {
		return err
	}
	a, err := c.beginAttempt(s.caller, MethodLogin, nil)
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
	now := int64(c.tick())
	s.rec().authTick.Store(now)
	s.rec().lastUsed.Store(now)
	return nil
}

// used counts a successful admin operation as use of the session. The
// caller holds c.mu.
func (s *Session) used() { s.rec().lastUsed.Store(int64(s.c.tick())) }

// renew ends every session, this one's record included, and carries s on
// as a fresh session (a new token for the network): after a password
// change nobody keeps a session the old password opened, and a token that
// leaked before the change is worthless. The caller holds c.mu.
func (s *Session) renew(after *journey.AfterReset) error {
	c := s.c
	authTick := s.rec().authTick.Load()
	c.sessions.endAll()
	fresh, err := c.newSession(s.caller, after)
	if err != nil {
		return err
	}
	cur := fresh.cur.Load()
	cur.rec.authTick.Store(authTick)
	s.cur.Store(cur)
	return nil
}

// begin readies a call for caller and takes the core's lock. A network
// caller first spends a token of its address's throttle when throttled is
// set (a counted try, a new email code); a call that runs argon2id (kdf)
// first waits for the daemon's one computation slot, console callers
// ahead. release gives back what begin took.
func (c *Core) begin(caller Caller, throttled, kdf bool) (release func(), err error) {
	if throttled && caller.Class == ClassNetwork {
		if err := c.throttle.take(caller.Addr, c.tick()); err != nil {
			return nil, err
		}
	}
	if kdf {
		if err := c.gate.acquire(caller.Class); err != nil {
			return nil, err
		}
		testHookKDF(+1)
	}
	c.mu.Lock()
	return func() {
		c.mu.Unlock()
		if kdf {
			testHookKDF(-1)
			c.gate.release()
		}
	}, nil
}

// testHookKDF is told when a call enters (+1) and leaves (-1) the
// computation slot; tests count how many are inside at once.
var testHookKDF = func(int) {}

// AfterReset is what the last password change of this session — the reset
// that opened it, or a change of the password in it — changed and what
// comes next (a fresh GUID file offered), for the door to say at once;
// false when the session changed no password.
func (s *Session) AfterReset() (journey.AfterReset, bool) {
	r := s.rec()
	if r == nil || r.after == nil {
		return journey.AfterReset{}, false
	}
	return *r.after, true
}
