package recovery

import (
	"runtime/debug"
	"time"

	"nvrmenu/internal/pwpolicy"
)

// Activated reports whether the device has an admin password. Until it
// has, Activate is the only thing the core allows.
func (c *Core) Activated() bool { return c.snap.Load().Admin != nil }

// PasswordStrength rates a candidate admin password and lists every reason
// it would be refused. It is cheap enough for every keystroke and does not
// wait for other calls.
func (c *Core) PasswordStrength(password string) (pwpolicy.Strength, []pwpolicy.Reason) {
	return c.opts.Policy.Evaluate(AdminUser, password)
}

// Activate sets the first admin password on a device that has none,
// choosing the hash cost for this hardware first when the core was given a
// calibration, and returns the owner's session for setting up recovery.
func (c *Core) Activate(password string) (*Session, error) {
	if err := c.opts.Policy.Check(AdminUser, password); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
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
	if err != nil {
		return nil, err
	}
	err = c.commit(func(next *state) error {
		next.KDF = &kdfJSON{MemoryKiB: params.MemoryKiB, Time: params.Time, Threads: params.Threads}
		next.Admin = &adminState{Hash: h, Changed: c.now()}
		return nil
	})
	if err != nil {
		return nil, err
	}
	releaseKDFMemory()
	c.record(AuditRecord{Event: AuditActivation, Outcome: "ok"})
	return c.newSession(), nil
}

// Login checks the admin's user name and password. The try is counted on
// disk before the password is checked; a locked login returns a
// *LockedError, a wrong one an *AttemptError wrapping ErrWrongCredentials.
func (c *Core) Login(user, password string) (*Session, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st.Admin == nil {
		return nil, ErrNotActivated
	}
	a, err := c.beginAttempt(MethodLogin, nil)
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
	return c.newSession(), nil
}

// ChangePassword changes the admin password of a logged-in admin, who
// types the current one again (a walk-up at an unattended console must not
// be enough). The change expires the GUID and any pending email code.
func (s *Session) ChangePassword(current, next string) error {
	c := s.c
	if err := c.opts.Policy.Check(AdminUser, next); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := s.confirmPassword(current); err != nil {
		return err
	}
	return c.setPassword(next, nil)
}

// setPassword hashes and stores a new admin password. Every password
// change expires the GUID (its file is now stale: the menu offers a fresh
// export) and kills a pending email code. extra runs in the same write.
// The caller holds c.mu.
func (c *Core) setPassword(password string, extra func(next *state)) error {
	h, err := c.hash([]byte(password))
	releaseKDFMemory()
	if err != nil {
		return err
	}
	err = c.commit(func(next *state) error {
		next.Admin = &adminState{Hash: h, Changed: c.now(), Generation: c.st.Admin.Generation + 1}
		next.expireGUID()
		next.Challenge = nil
		if extra != nil {
			extra(next)
		}
		return nil
	})
	if err != nil {
		return err
	}
	c.record(AuditRecord{Event: AuditPasswordChange, Outcome: "ok"})
	c.notifyPasswordChanged()
	return nil
}

// ResetTicket is a recovery proof that passed: it lets the owner set a new
// password once, within Options.TicketTTL. The proof itself (GUID file,
// email code) is only spent when the new password is on disk, so an owner
// who gives up halfway keeps every way back in.
type ResetTicket struct {
	c          *Core
	method     Method
	proof      string // the GUID id, challenge id or answers hash that passed
	generation uint64 // of the password the proof was checked against
	expires    time.Duration
	used       bool
}

// Method is the proof the ticket came from.
func (t *ResetTicket) Method() Method { return t.method }

// newTicket is called with c.mu held.
func (c *Core) newTicket(m Method, proof string) *ResetTicket {
	return &ResetTicket{c: c, method: m, proof: proof, generation: c.st.Admin.Generation, expires: c.tick() + c.opts.TicketTTL}
}

// SetPassword checks the new password against the policy (a refusal leaves
// the ticket usable), checks the proof is still the current one, then
// stores the password, spends the proof and ends any admin session, in one
// durable write. It returns a session for the new admin, so the menu can
// offer a fresh GUID export at once.
func (t *ResetTicket) SetPassword(password string) (*Session, error) {
	c := t.c
	if err := c.opts.Policy.Check(AdminUser, password); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := t.stillValid(); err != nil {
		return nil, err
	}
	err := c.setPassword(password, func(next *state) {
		next.clearFailures(t.method)
		next.clearFailures(MethodLogin)
	})
	if err != nil {
		return nil, err
	}
	t.used = true
	c.record(AuditRecord{Event: AuditRecovery, Method: string(t.method), Outcome: "password-reset"})
	return c.newSession(), nil
}

// stillValid reports whether the proof behind t still stands. The caller
// holds c.mu.
func (t *ResetTicket) stillValid() error {
	c := t.c
	st := c.st
	if c.closed {
		return ErrClosed
	}
	if t.used || c.tick() >= t.expires || st.Admin == nil || st.Admin.Generation != t.generation {
		return ErrTicketInvalid
	}
	switch t.method {
	case MethodGUID:
		if st.GUID == nil || st.GUID.ID != t.proof {
			return ErrTicketInvalid
		}
	case MethodQuestions:
		if st.Questions == nil || st.Questions.Hash != t.proof {
			return ErrTicketInvalid
		}
	case MethodEmail:
		if st.Challenge == nil || st.Challenge.ID != t.proof || c.challengeDead(st.Challenge) {
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

// MethodState is what the menu shows for a recovery method at a glance.
type MethodState int

// The states of a recovery method.
const (
	MethodNotSetUp    MethodState = iota
	MethodReady                   // set up and usable
	MethodExpired                 // GUID used or outdated by a password change
	MethodUnavailable             // not offered on this device (config, no vendor key)
)

func (s MethodState) String() string {
	switch s {
	case MethodReady:
		return "ready"
	case MethodExpired:
		return "expired"
	case MethodUnavailable:
		return "unavailable"
	}
	return "not-set-up"
}

// Status is a snapshot of the device for the menu.
type Status struct {
	Serial    string
	Activated bool
	Methods   map[Method]MethodState // GUID, questions, email
	// QuestionIDs are the three chosen questions, when set up.
	QuestionIDs [3]QuestionID
	// MaskedEmail is the reserved address masked for display.
	MaskedEmail      string
	ChallengePending bool
	// Locked holds the time left for every locked method.
	Locked map[Method]time.Duration
}

// Status reports the device's state. It never waits for a running
// argon2id check, so it is safe to call from a UI goroutine.
func (c *Core) Status() Status {
	st := c.snap.Load()
	now := c.tick()
	s := Status{
		Serial:    c.opts.Serial,
		Activated: st.Admin != nil,
		Methods:   map[Method]MethodState{},
		Locked:    map[Method]time.Duration{},
	}
	s.Methods[MethodGUID] = MethodNotSetUp
	if st.GUID != nil {
		s.Methods[MethodGUID] = MethodReady
	} else if len(st.OldGUIDs) > 0 {
		s.Methods[MethodGUID] = MethodExpired
	}
	s.Methods[MethodQuestions] = MethodNotSetUp
	if st.Questions != nil {
		s.Methods[MethodQuestions] = MethodReady
		s.QuestionIDs = st.Questions.IDs
	}
	s.Methods[MethodEmail] = MethodNotSetUp
	if st.Email != nil {
		s.Methods[MethodEmail] = MethodReady
		s.MaskedEmail = MaskEmail(st.Email.Address)
	}
	if c.opts.VendorKey == nil {
		s.Methods[MethodEmail] = MethodUnavailable
	}
	for m := range s.Methods {
		if c.opts.Disabled[m] {
			s.Methods[m] = MethodUnavailable
		}
	}
	s.ChallengePending = st.Challenge != nil && !c.challengeDead(st.Challenge)
	for _, m := range []Method{MethodLogin, MethodGUID, MethodQuestions, MethodEmail} {
		if le := st.lockedFor(m, now, c.opts.Lockout); le != nil {
			s.Locked[m] = le.Remaining
		}
	}
	return s
}

// methodUsable reports why method m cannot be used, or nil. The caller
// holds c.mu.
func (c *Core) methodUsable(m Method) error {
	if c.st.Admin == nil {
		return ErrNotActivated
	}
	if c.opts.Disabled[m] || (m == MethodEmail && c.opts.VendorKey == nil) {
		return ErrMethodUnavailable
	}
	return nil
}
