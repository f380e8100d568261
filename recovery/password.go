package recovery

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"nvrmenu/internal/pwpolicy"
)

// ErrActivationClosed reports an activation from a network door on a
// device configured to be activated only at its console.
var ErrActivationClosed = errors.New("activation from the network is turned off: activate the device at its console")

// ErrActivationWindowOver reports an activation from a network door after
// Options.NetworkActivationWindow: switching the device off and on opens
// the window again; the console may activate at any time.
var ErrActivationWindowOver = errors.New("activation from the network is open only for a while after the device is switched on: switch it off and on, or activate it at its console")

// Activate sets the first admin password on a device that has none,
// choosing the hash cost for this hardware first when the core was given a
// calibration, and returns the owner's session for setting up recovery.
// A network door may activate only with Options.NetworkActivation; the
// activation is audited and published with the door and address, so the
// console can say who did it.
func (d *Door) Activate(password string) (*Session, error) {
	if d.bad != nil {
		return nil, d.bad
	}
	c := d.c
	if err := d.activationRefused(); err != nil {
		return nil, err
	}
	if err := c.opts.Policy.Check(AdminUser, password); err != nil {
		return nil, err
	}
	release, err := c.begin(d.caller, true, true)
	if err != nil {
		return nil, err
	}
	defer release()
	if c.closed {
		return nil, ErrClosed
	}
	if c.st.Admin != nil {
		return nil, ErrAlreadyActivated
	}
	params := c.opts.KDF
	if c.opts.Calibrate != nil {
		params = c.opts.Calibrate()
		if err := params.Validate(); err != nil {
			return nil, err
		}
	}
	h, err := hashSecret([]byte(password), params, c.opts.Rand)
	releaseKDFMemory()
	if err != nil {
		return nil, err
	}
	err = c.commit(func(next *state) error {
		next.KDF = &kdfJSON{MemoryKiB: params.MemoryKiB, Time: params.Time, Threads: params.Threads}
		next.Admin = &adminState{Hash: h, Changed: c.now(), By: byCaller(d.caller)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.recordFor(d.caller, AuditRecord{Event: AuditActivation, Outcome: "ok"})
	c.publish(EventActivated, d.caller)
	return c.newSession(d.caller, nil)
}

// ActivationAllowed reports whether this door may activate a new device
// now: the console always, a network door with Options.NetworkActivation
// and within Options.NetworkActivationWindow of the device's power-on.
func (d *Door) ActivationAllowed() bool { return d.activationRefused() == nil }

// activationRefused is why this door may not activate now, or nil.
func (d *Door) activationRefused() error {
	c := d.c
	switch {
	case d.bad != nil:
		return d.bad
	case d.caller.Class == ClassConsole:
		return nil
	case !c.opts.NetworkActivation:
		return ErrActivationClosed
	case c.opts.NetworkActivationWindow > 0 && c.uptime() >= c.opts.NetworkActivationWindow:
		return ErrActivationWindowOver
	}
	return nil
}

// ErrPasswordTooShort reports a password typed to log in (or to confirm
// who one is) that is shorter than pwpolicy.MinLength, which no admin
// password is: it cannot be right, so, like every proof malformed by its
// form alone, it is refused at once, neither counted nor checked.
var ErrPasswordTooShort = fmt.Errorf("a password of fewer than %d characters cannot be the admin's: not checked, not counted", pwpolicy.MinLength)

// checkPasswordForm refuses a typed password that cannot be the admin's
// by its form alone. It says nothing secret: the minimum is public.
func checkPasswordForm(password string) error {
	if len(password) < pwpolicy.MinLength {
		return ErrPasswordTooShort
	}
	return nil
}

// Login checks the admin's user name and password. The try is counted on
// disk before the password is checked; a locked login returns a
// *LockedError, a wrong one an *AttemptError wrapping ErrWrongCredentials.
// A password shorter than any admin password (ErrPasswordTooShort) is
// refused first and not counted; a wrong user name is counted like a
// wrong password, and checked as long, so neither tells which was wrong.
func (d *Door) Login(user, password string) (*Session, error) {
	if d.bad != nil {
		return nil, d.bad
	}
	if err := checkPasswordForm(password); err != nil {
		return nil, err
	}
	c := d.c
	release, err := c.begin(d.caller, true, true)
	if err != nil {
		return nil, err
	}
	defer release()
	if c.st.Admin == nil {
		return nil, ErrNotActivated
	}
	a, err := c.beginAttempt(d.caller, MethodLogin, nil)
	if err != nil {
		return nil, err
	}
	// The hash runs even for a wrong user name, so that timing does not
	// tell which of the two was wrong.
	ok, err := verifySecret(c.st.Admin.Hash, []byte(password))
	releaseKDFMemory()
	if err != nil {
		return nil, err
	}
	if !ok || user != AdminUser {
		return nil, c.fail(a, ErrWrongCredentials)
	}
	c.succeed(a, nil)
	return c.newSession(d.caller, nil)
}

// ChangePassword changes the admin password of a logged-in admin, who
// types the current one again (a walk-up at an unattended console must not
// be enough). The change expires the GUID and every pending email code,
// and ends every session of every door; s carries on as a fresh session
// (with a new Token on the network).
func (s *Session) ChangePassword(current, next string) error {
	c := s.c
	if err := checkPasswordForm(current); err != nil {
		return err
	}
	if err := c.opts.Policy.Check(AdminUser, next); err != nil {
		return err
	}
	release, err := c.begin(s.caller, true, true)
	if err != nil {
		return err
	}
	defer release()
	if err := s.confirmPassword(current); err != nil {
		return err
	}
	after := c.afterChange("")
	if err := c.setPassword(s.caller, next, nil); err != nil {
		return err
	}
	return s.renew(&after)
}

// setPassword hashes and stores a new admin password set through caller.
// Every password change expires the GUID (its file is now stale: the doors
// offer a fresh export), kills every pending email code and ends every
// session. extra runs in the same write. The caller holds c.mu and the
// computation slot.
func (c *Core) setPassword(caller Caller, password string, extra func(next *state)) error {
	h, err := c.hash([]byte(password))
	releaseKDFMemory()
	if err != nil {
		return err
	}
	err = c.commit(func(next *state) error {
		next.Admin = &adminState{Hash: h, Changed: c.now(), Generation: c.st.Admin.Generation + 1, By: byCaller(caller)}
		next.expireGUID(c.now(), guidPasswordChanged)
		next.Challenges = nil
		if extra != nil {
			extra(next)
		}
		return nil
	})
	if err != nil {
		return err
	}
	c.sessions.endAll()
	clear(c.tickets)
	c.recordFor(caller, AuditRecord{Event: AuditPasswordChange, Outcome: "ok"})
	c.publish(EventPasswordChanged, caller)
	c.notifyPasswordChanged()
	return nil
}

// ResetTicket is a recovery proof that passed: it lets the owner set a new
// password once, within Options.TicketTTL. The proof itself (GUID file,
// email code) is only spent when the new password is on disk, so an owner
// who gives up halfway keeps every way back in.
type ResetTicket struct {
	c *Core
	// caller is the door this copy acts for: the web door's requests
	// each get their own copy of a network ticket (Door.Ticket), sharing
	// rec, so that two requests with one token never mix their callers.
	caller Caller
	rec    *ticketRec
}

// ticketRec is a ticket's single-use state, guarded by the core's lock.
type ticketRec struct {
	method     Method
	proof      string // the GUID id, challenge id or answers hash that passed
	generation uint64 // of the password the proof was checked against
	expires    time.Duration
	used       bool
	// token is a network ticket's bearer secret (Token); key its SHA-256.
	token string
	key   [sha256.Size]byte
}

// Method is the proof the ticket came from.
func (t *ResetTicket) Method() Method { return t.rec.method }

// Expiry is how long the ticket stays usable if its proof still stands;
// 0 once it is spent or its time is over.
func (t *ResetTicket) Expiry() time.Duration {
	c := t.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.rec.used {
		return 0
	}
	return max(t.rec.expires-c.tick(), 0)
}

// Token is a network ticket's bearer secret: a web client carries it from
// the proof's page to the new password's (Door.Ticket). Empty on the
// console.
func (t *ResetTicket) Token() string { return t.rec.token }

// String names the ticket's proof and door, never its token or proof.
func (t *ResetTicket) String() string {
	return "reset ticket (" + string(t.rec.method) + ") through " + t.caller.String()
}

// GoString is String.
func (t *ResetTicket) GoString() string { return t.String() }

// Format prints String for every verb.
func (t *ResetTicket) Format(f fmt.State, _ rune) { io.WriteString(f, t.String()) }

// maxNetworkTickets bounds the network's pending tickets; beyond it the
// one that expires first goes.
const maxNetworkTickets = 16

// newTicket is called with c.mu held.
func (c *Core) newTicket(caller Caller, m Method, proof string) (*ResetTicket, error) {
	r := &ticketRec{method: m, proof: proof, generation: c.st.Admin.Generation, expires: c.tick() + c.opts.TicketTTL}
	t := &ResetTicket{c: c, caller: caller, rec: r}
	if caller.Class != ClassNetwork {
		return t, nil
	}
	var raw [16]byte
	if _, err := io.ReadFull(c.opts.Rand, raw[:]); err != nil {
		return nil, fmt.Errorf("reading a random ticket token: %w", err)
	}
	r.token = base64.RawURLEncoding.EncodeToString(raw[:])
	r.key = sha256.Sum256([]byte(r.token))
	now := c.tick()
	for k, other := range c.tickets {
		if other.used || now >= other.expires {
			delete(c.tickets, k)
		}
	}
	if len(c.tickets) >= maxNetworkTickets {
		var first *ticketRec
		for _, other := range c.tickets {
			if first == nil || other.expires < first.expires {
				first = other
			}
		}
		delete(c.tickets, first.key)
	}
	c.tickets[r.key] = r
	return t, nil
}

// Ticket returns the network ticket whose token a client presents, if it
// can still be used, acting for this door's caller.
func (d *Door) Ticket(token string) (*ResetTicket, error) {
	if d.bad != nil {
		return nil, d.bad
	}
	if d.caller.Class != ClassNetwork || token == "" || len(token) > 64 {
		return nil, ErrTicketInvalid
	}
	c := d.c
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.tickets[sha256.Sum256([]byte(token))]
	if r == nil {
		return nil, ErrTicketInvalid
	}
	t := &ResetTicket{c: c, caller: d.caller, rec: r}
	if t.stillValid() != nil {
		return nil, ErrTicketInvalid
	}
	return t, nil
}

// SetPassword checks the new password against the policy (a refusal leaves
// the ticket usable), checks the proof is still the current one, then
// stores the password, spends the proof and ends every session, in one
// durable write. It returns a session for the new admin, so the door can
// offer a fresh GUID export at once.
func (t *ResetTicket) SetPassword(password string) (*Session, error) {
	c := t.c
	if err := c.opts.Policy.Check(AdminUser, password); err != nil {
		return nil, err
	}
	release, err := c.begin(t.caller, false, true)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := t.stillValid(); err != nil {
		return nil, err
	}
	after := c.afterChange(t.rec.method)
	err = c.setPassword(t.caller, password, func(next *state) {
		// The proof passed: what was counted against the method and the
		// login before it is forgotten.
		ds := next.door(t.caller.Class)
		ds.clearFailures(t.rec.method)
		ds.clearFailures(MethodLogin)
	})
	if err != nil {
		return nil, err
	}
	t.rec.used = true
	c.recordFor(t.caller, AuditRecord{Event: AuditRecovery, Method: string(t.rec.method), Outcome: "password-reset"})
	return c.newSession(t.caller, &after)
}

// stillValid reports whether the proof behind t still stands. The caller
// holds c.mu.
func (t *ResetTicket) stillValid() error {
	c := t.c
	st := c.st
	r := t.rec
	if c.closed {
		return ErrClosed
	}
	if r.used || c.tick() >= r.expires || st.Admin == nil || st.Admin.Generation != r.generation {
		return ErrTicketInvalid
	}
	switch r.method {
	case MethodGUID:
		if st.GUID == nil || st.GUID.ID != r.proof {
			return ErrTicketInvalid
		}
	case MethodQuestions:
		if st.Questions == nil || st.Questions.Hash != r.proof {
			return ErrTicketInvalid
		}
	case MethodEmail:
		ch := st.Challenges[t.caller.Class]
		if ch == nil || ch.ID != r.proof || c.challengeDead(ch) {
			return ErrTicketInvalid
		}
	default:
		return ErrTicketInvalid
	}
	return nil
}

// releaseKDFMemory hands argon2id's working memory (19 MiB or more, by
// design) back to the kernel at once: on a recorder that memory belongs to
// video decoding, and the Go heap would otherwise keep it for minutes.
func releaseKDFMemory() { debug.FreeOSMemory() }

// Status is a snapshot of the device's facts a door shows beside the
// journey. It never says what the owner may do: Journey does.
type Status struct {
	Serial    string
	Activated bool
	// QuestionIDs are the three chosen questions, when set up.
	QuestionIDs [3]QuestionID
	// PasswordBy is the door that set the current password ("menu",
	// "web", ...), and PasswordFrom its client address on the network.
	PasswordBy, PasswordFrom string
}

// Status reports the device's facts. It never waits for a running
// argon2id check, so it is safe to call from a UI goroutine.
func (d *Door) Status() Status {
	c := d.c
	st := c.snap.Load()
	s := Status{Serial: c.opts.Serial, Activated: st.Admin != nil}
	if st.Admin != nil && st.Admin.By != nil {
		s.PasswordBy, s.PasswordFrom = st.Admin.By.Door, st.Admin.By.Addr
	}
	if st.Questions != nil {
		s.QuestionIDs = st.Questions.IDs
	}
	return s
}

// methodUsable reports why method m cannot be used, or nil. The caller
// holds c.mu.
func (c *Core) methodUsable(m Method) error {
	if c.st.Admin == nil {
		return ErrNotActivated
	}
	if !c.offered(m) {
		return ErrMethodUnavailable
	}
	return nil
}
