package recovery

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"nvrmenu/internal/mailaddr"
	"nvrmenu/internal/payload"
)

// Reserved-email recovery: the device makes a challenge — a random 8-character
// verification code (40 bits, Crockford base32) kept only as a salted
// argon2id hash — and shows it sealed to the vendor's public key inside a QR
// code (payload.go). The vendor opens it and mails the code to the reserved
// address sealed inside, which the person at the recorder cannot change.
// The code is single-use and dies after CodeTTL on a trusted clock, when a
// newer challenge is made, when the address or the password changes, or
// after maxCodeTries wrong entries; it survives reboots.

// maxCodeTries wrong entries kill a verification code.
const maxCodeTries = 5

// Errors of the email method.
var (
	ErrInvalidEmail  = errors.New("not a valid email address")
	ErrNoChallenge   = errors.New("no verification code pending: export or show the QR code first")
	ErrCodeExpired   = errors.New("verification code expired: make a new QR code")
	ErrCodeMalformed = payload.ErrCodeMalformed
	ErrWrongCode     = errors.New("wrong verification code")
)

// The part of a refused address to correct, each wrapping ErrInvalidEmail:
// a door tells the owner which one.
var (
	ErrEmailEmpty    = fmt.Errorf("%w: empty", ErrInvalidEmail)
	ErrEmailLocal    = fmt.Errorf("%w: the part before the @", ErrInvalidEmail)
	ErrEmailDomain   = fmt.Errorf("%w: the domain", ErrInvalidEmail)
	ErrEmailTopLabel = fmt.Errorf("%w: the domain's last label", ErrInvalidEmail)
)

// ValidateEmail checks a reserved address: a bare address (no display
// name, no quoting), printable ASCII, at most 254 characters, a top-level
// label of two characters or more. A refusal wraps the sentinel of the
// part to correct (ErrEmailEmpty, ErrEmailLocal, ErrEmailDomain,
// ErrEmailTopLabel), which wraps ErrInvalidEmail.
func ValidateEmail(addr string) error {
	err := mailaddr.Check(addr)
	if err == nil {
		return nil
	}
	part := ErrInvalidEmail
	switch mailaddr.PartOf(err) {
	case mailaddr.PartEmpty:
		part = ErrEmailEmpty
	case mailaddr.PartLocal:
		part = ErrEmailLocal
	case mailaddr.PartDomain:
		part = ErrEmailDomain
	case mailaddr.PartTopLabel:
		part = ErrEmailTopLabel
	}
	return fmt.Errorf("%w: %s", part, strings.TrimPrefix(err.Error(), mailaddr.ErrInvalid.Error()+": "))
}

// SetRecoveryEmail sets (or changes) the reserved address. A pending code
// dies with the old address.
func (s *Session) SetRecoveryEmail(addr string) error {
	if err := ValidateEmail(addr); err != nil {
		return err
	}
	return s.setEmail(&emailState{Address: addr}, "set")
}

// ClearRecoveryEmail removes the email method.
func (s *Session) ClearRecoveryEmail() error { return s.setEmail(nil, "cleared") }

func (s *Session) setEmail(e *emailState, outcome string) error {
	c := s.c
	release, err := c.begin(s.caller, false, false)
	if err != nil {
		return err
	}
	defer release()
	if err := s.checkFresh(); err != nil {
		return err
	}
	if e != nil {
		if err := c.methodUsable(MethodEmail); err != nil {
			return err
		}
	}
	err = c.commit(func(next *state) error {
		next.Email = e
		next.Challenges = nil
		return nil
	})
	if err != nil {
		return err
	}
	s.used()
	c.recordFor(s.caller, AuditRecord{Event: AuditRecoverySetup, Method: string(MethodEmail), Outcome: outcome})
	c.publish(EventMethodsChanged, s.caller)
	return nil
}

// Challenge is a pending email verification, as a door shows it.
type Challenge struct {
	// Payload is the QR code's text (see docs/qr-payload.md): the vendor's
	// recovery page URL when Options.AppURL is set, else "NVRR1:" text.
	Payload string
	// URL is Payload when it is the recovery page's URL (a link a phone
	// can open), else empty.
	URL string
	// MaskedEmail is where the code will be mailed, masked.
	MaskedEmail string
	// RecoveryAddress is the vendor mailbox to send the QR code to.
	RecoveryAddress string
	Created         time.Time
	// Expires is zero while the clock is not trusted.
	Expires time.Time
	// TriesLeft before the code dies.
	TriesLeft int
}

// EmailChallenge returns the door class's pending challenge, making one
// only when none is pending. Showing or exporting the QR again therefore
// sends the same code: a lost or spam-filtered email can simply be sent
// again. Each door class has its own challenge, with its own code and
// wrong-entry count: the network can spoil only its own.
func (d *Door) EmailChallenge() (Challenge, error) {
	return d.emailChallenge(false)
}

// NewEmailChallenge replaces the door class's pending challenge with a new
// one; the old code dies. Doors offer it only on the owner's explicit
// request.
func (d *Door) NewEmailChallenge() (Challenge, error) {
	return d.emailChallenge(true)
}

// PendingEmailChallenge returns the door class's pending challenge
// without ever making one: what a page that only shows the QR code, or a
// GET, may ask. ok is false when none is pending.
func (d *Door) PendingEmailChallenge() (ch Challenge, ok bool, err error) {
	if d.bad != nil {
		return Challenge{}, false, d.bad
	}
	c := d.c
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pendingChallenge(d.caller.Class)
}

// maxNetworkRenewals caps the network's new email challenges in any hour,
// whatever number of addresses asks: each one costs an argon2id hash and a
// write to flash.
const maxNetworkRenewals = 20

func (d *Door) emailChallenge(renew bool) (Challenge, error) {
	if d.bad != nil {
		return Challenge{}, d.bad
	}
	c := d.c
	class := d.caller.Class
	if !renew {
		// Showing the pending challenge again costs nothing.
		c.mu.Lock()
		v, ok, err := c.pendingChallenge(class)
		c.mu.Unlock()
		if err != nil || ok {
			return v, err
		}
	}
	release, err := c.begin(d.caller, true, true)
	if err != nil {
		return Challenge{}, err
	}
	defer release()
	v, ok, err := c.pendingChallenge(class)
	if err != nil || (ok && !renew) {
		return v, err
	}
	if class == ClassNetwork {
		if err := c.allowRenewal(); err != nil {
			return Challenge{}, err
		}
	}
	ch, err := c.makeChallenge()
	if err != nil {
		return Challenge{}, err
	}
	err = c.commit(func(next *state) error {
		if next.Challenges == nil {
			next.Challenges = map[Class]*challengeState{}
		}
		next.Challenges[class] = ch
		if class == ClassNetwork {
			// Counted in the same write: a restart does not reset the cap.
			next.EmailRenewals = append(recentRenewals(next.EmailRenewals, c.tick()), c.tick())
		}
		return nil
	})
	if err != nil {
		return Challenge{}, err
	}
	c.recordFor(d.caller, AuditRecord{Event: AuditChallenge, Method: string(MethodEmail), Outcome: "created"})
	return c.challengeView(ch), nil
}

// pendingChallenge returns class's live challenge, if any, after the
// checks every challenge call makes: method usable and set up, not locked.
// The caller holds c.mu.
func (c *Core) pendingChallenge(class Class) (Challenge, bool, error) {
	if err := c.methodUsable(MethodEmail); err != nil {
		return Challenge{}, false, err
	}
	if c.st.Email == nil {
		return Challenge{}, false, ErrMethodNotSetUp
	}
	if c.closed {
		return Challenge{}, false, ErrClosed
	}
	// A locked email method makes no new codes: each one is a fresh set
	// of tries.
	if le := c.st.doorOf(class).lockedFor(MethodEmail, c.tick(), c.opts.Lockout); le != nil {
		return Challenge{}, false, le
	}
	if err := c.refreshChallenge(class); err != nil {
		return Challenge{}, false, err
	}
	if ch := c.st.Challenges[class]; ch != nil {
		return c.challengeView(ch), true, nil
	}
	return Challenge{}, false, nil
}

// allowRenewal enforces maxNetworkRenewals, on the renewals the state
// file holds. The caller holds c.mu.
func (c *Core) allowRenewal() error {
	now := c.tick()
	if recent := recentRenewals(c.st.EmailRenewals, now); len(recent) >= maxNetworkRenewals {
		return &ThrottledError{Retry: recent[len(recent)-maxNetworkRenewals] + time.Hour - now}
	}
	return nil
}

// recentRenewals is the part of renewals less than an hour old at now.
func recentRenewals(renewals []time.Duration, now time.Duration) []time.Duration {
	i := 0
	for i < len(renewals) && renewals[i] <= now-time.Hour {
		i++
	}
	if i == len(renewals) {
		return nil
	}
	return renewals[i:]
}

// makeChallenge draws a code and id and seals them for the vendor.
func (c *Core) makeChallenge() (*challengeState, error) {
	var raw [5 + 16]byte
	if _, err := io.ReadFull(c.opts.Rand, raw[:]); err != nil {
		return nil, fmt.Errorf("reading random code: %w", err)
	}
	code := payload.CodeEncoding.EncodeToString(raw[:5])
	content := payload.Content{Code: code, Serial: c.opts.Serial, Email: c.st.Email.Address}
	copy(content.ID[:], raw[5:])
	now := c.now()
	content.Created = now
	text, err := payload.Seal(*c.opts.VendorKey, content, c.opts.Rand)
	if err != nil {
		return nil, err
	}
	h, err := c.hash([]byte(code))
	releaseKDFMemory()
	if err != nil {
		return nil, err
	}
	return &challengeState{
		ID:             hex.EncodeToString(content.ID[:]),
		CodeHash:       h,
		Payload:        text,
		Created:        now,
		CreatedTick:    c.tick(),
		CreatedTrusted: c.clockTrusted(now),
	}, nil
}

func (c *Core) challengeView(ch *challengeState) Challenge {
	v := Challenge{
		Payload:         ch.Payload,
		MaskedEmail:     mailaddr.Mask(c.st.Email.Address),
		RecoveryAddress: c.opts.RecoveryAddress,
		Created:         ch.Created,
		TriesLeft:       maxCodeTries - ch.Wrong,
	}
	if ch.CreatedTrusted {
		v.Expires = ch.Created.Add(c.opts.CodeTTL)
	}
	// The state keeps the text made with the challenge; the form shown is
	// today's app URL's, on the same sealed bytes.
	if c.opts.AppURL != "" {
		if text, err := payload.Render(ch.Payload, c.opts.AppURL); err == nil {
			v.Payload, v.URL = text, text
		} else {
			c.log.Warn("pending challenge kept in its stored form", "err", err)
		}
	}
	return v
}

// challengeDead reports whether a pending code can no longer be used: too
// many wrong entries, CodeTTL of running time (ticks, which no clock change
// moves), or CodeTTL by a trusted wall clock (which also counts the time
// the recorder was off).
func (c *Core) challengeDead(ch *challengeState) bool {
	if ch.Wrong >= maxCodeTries || c.tick()-ch.CreatedTick >= c.opts.CodeTTL {
		return true
	}
	now := c.now()
	return ch.CreatedTrusted && c.clockTrusted(now) && now.Sub(ch.Created) >= c.opts.CodeTTL
}

// refreshChallenge removes class's dead challenge, and starts the expiry
// of one made on an untrusted clock as soon as the clock is trusted: a
// recorder that booted in 1970 must not keep a code forever, nor kill it
// at once when NTP arrives. The caller holds c.mu.
func (c *Core) refreshChallenge(class Class) error {
	ch := c.st.Challenges[class]
	if ch == nil {
		return nil
	}
	now := c.now()
	switch {
	case c.challengeDead(ch):
		err := c.commit(func(next *state) error {
			delete(next.Challenges, class)
			if len(next.Challenges) == 0 {
				next.Challenges = nil
			}
			return nil
		})
		if err == nil {
			c.record(AuditRecord{Event: AuditChallenge, Method: string(MethodEmail), Outcome: "expired"})
		}
		return err
	case !ch.CreatedTrusted && c.clockTrusted(now):
		return c.commit(func(next *state) error {
			next.Challenges[class].Created = now
			next.Challenges[class].CreatedTrusted = true
			return nil
		})
	}
	return nil
}

// VerifyEmailCode checks a typed verification code against the door
// class's pending challenge. A malformed code is refused without counting
// (it cannot be right); otherwise the try is counted on disk — against the
// method's lockout and the code's own five tries — before the code is
// checked.
//
// A code that verified stays pending until the new password is stored
// with it (ResetTicket.SetPassword) or it dies: an owner who leaves the
// new-password step can type the same code again, instead of waiting for
// a second e-mail. Verifying it again is a counted try like any other, and
// a right code uses none of its five wrong entries.
func (d *Door) VerifyEmailCode(typed string) (*ResetTicket, error) {
	if d.bad != nil {
		return nil, d.bad
	}
	code, err := payload.ParseCode(typed)
	if err != nil {
		return nil, err
	}
	c := d.c
	class := d.caller.Class
	release, err := c.begin(d.caller, true, true)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := c.methodUsable(MethodEmail); err != nil {
		return nil, err
	}
	if c.st.Email == nil {
		return nil, ErrMethodNotSetUp
	}
	if ch := c.st.Challenges[class]; ch != nil && c.challengeDead(ch) {
		if err := c.refreshChallenge(class); err != nil {
			return nil, err
		}
		return nil, ErrCodeExpired
	}
	if err := c.refreshChallenge(class); err != nil {
		return nil, err
	}
	ch := c.st.Challenges[class]
	if ch == nil {
		return nil, ErrNoChallenge
	}
	a, err := c.beginAttempt(d.caller, MethodEmail, func(next *state) { next.Challenges[class].Wrong++ })
	if err != nil {
		return nil, err
	}
	ok, err := verifySecret(ch.CodeHash, []byte(code))
	releaseKDFMemory()
	if err != nil {
		return nil, err
	}
	if !ok {
		if c.st.Challenges[class].Wrong >= maxCodeTries {
			if err := c.refreshChallenge(class); err != nil {
				c.log.Warn("removing a spent verification code", "err", err)
			}
		}
		return nil, c.fail(a, ErrWrongCode)
	}
	c.succeed(a, func(next *state) { next.Challenges[class].Wrong = ch.Wrong })
	return c.newTicket(d.caller, MethodEmail, ch.ID)
}
