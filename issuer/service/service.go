// Package service is the recovery service's one engine: it opens a
// recorder's payload (through the keyring), checks its age, charges the
// limits (the ledger's shared ones and the in-memory ones per client and
// for everyone), mails the code to the reserved address sealed inside,
// and records it. The mail door (mailin) and the phone page (phone) only
// turn their input into a call here and the answer into their own words.
//
// It needs no trust in whoever asks: the code only ever goes to the
// address sealed in the payload. It logs every refusal and every mail
// with log/slog, never the code and never a whole address.
package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"nvrmenu/internal/mailaddr"
	"nvrmenu/internal/payload"
	"nvrmenu/issuer/keyring"
	"nvrmenu/issuer/ledger"
	"nvrmenu/issuer/limits"
	"nvrmenu/issuer/mailout"
)

// Options configure a Service.
type Options struct {
	Keyring *keyring.Keyring
	Ledger  ledger.Ledger
	Sender  mailout.Sender
	// From is the code mails' sender; Host the Message-ID's right side.
	From, Host string
	// MaxCodeAge refuses older challenges; CodeLife is the usual life the
	// mail tells.
	MaxCodeAge, CodeLife time.Duration
	// The shared limits: at most so many mails in each Window.
	Window                              time.Duration
	PerChallenge, PerSerial, PerAddress int
	// The in-memory limits, per instance.
	Client, Global limits.Bucket
	Clients        int
	// Now is the clock (default time.Now).
	Now    func() time.Time
	Logger *slog.Logger
}

// Service is the engine. Safe for concurrent use.
type Service struct {
	o       Options
	clients *limits.Keyed
	global  *limits.Single
}

// New makes a Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Host == "" {
		o.Host = "localhost"
	}
	return &Service{o: o, clients: limits.NewKeyed(o.Client, max(o.Clients, 1)), global: limits.NewSingle(o.Global)}
}

// Kind is why a request was refused.
type Kind int

// The refusals.
const (
	KindNoPayload     Kind = iota + 1 // nothing that looks like a payload
	KindMalformed                     // not a payload
	KindOtherKey                      // sealed for another vendor key
	KindTampered                      // altered or damaged
	KindTooOld                        // older than MaxCodeAge
	KindLimit                         // a shared limit reached
	KindBusy                          // a client's or everyone's rate
	KindUnavailable                   // the ledger or the relay failed: try again
	KindUndeliverable                 // the relay refused the reserved address
)

var kindText = map[Kind]string{
	KindNoPayload:     "no recovery QR code or payload found",
	KindMalformed:     "not a recovery QR code",
	KindOtherKey:      "recovery QR code made for another vendor",
	KindTampered:      "recovery QR code altered or damaged",
	KindTooOld:        "recovery QR code too old: make a new one on the recorder",
	KindLimit:         "too many codes sent for this recorder or address: try again later",
	KindBusy:          "too many requests: try again later",
	KindUnavailable:   "service temporarily unavailable: try again later",
	KindUndeliverable: "the reserved address does not accept mail",
}

// Refusal is every error Send and Preview return. Its Error is fit to
// show the sender: no code, no address.
type Refusal struct {
	Kind  Kind
	Retry time.Duration // for KindLimit and KindBusy: when to try again
	err   error         // what happened, for the log
}

func (r *Refusal) Error() string { return kindText[r.Kind] }

// Unwrap gives the cause.
func (r *Refusal) Unwrap() error { return r.err }

// Temporary reports whether asking again later may work.
func (r *Refusal) Temporary() bool {
	return r.Kind == KindBusy || r.Kind == KindUnavailable
}

// Admit charges a request from client to the per-client bucket (unless
// trusted: the vendor's own MTA over LMTP, which carries everyone's mail)
// and to everyone's. It is called before any work.
func (s *Service) Admit(client netip.Addr, trusted bool) error {
	now := s.o.Now()
	if !trusted && client.IsValid() {
		if ok, retry := s.clients.Allow(limits.ClientKey(client), now); !ok {
			s.o.Logger.Warn("refused", "reason", "client rate", "client", limits.ClientKey(client), "retry", retry.Round(time.Second))
			return &Refusal{Kind: KindBusy, Retry: retry}
		}
	}
	if ok, retry := s.global.Allow(now); !ok {
		s.o.Logger.Warn("refused", "reason", "global rate", "client", clientKey(client), "retry", retry.Round(time.Millisecond))
		return &Refusal{Kind: KindBusy, Retry: retry}
	}
	return nil
}

func clientKey(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return limits.ClientKey(a)
}

// Preview is what the phone page shows before the owner presses Send.
type Preview struct {
	Serial  string
	Masked  string
	Created time.Time
}

// open opens the first text that opens, or refuses with the first's
// reason.
func (s *Service) open(texts []string) (payload.Content, error) {
	if len(texts) == 0 {
		return payload.Content{}, &Refusal{Kind: KindNoPayload}
	}
	var first error
	for _, t := range texts {
		c, err := s.o.Keyring.Open(t)
		if err == nil {
			// A challenge dated before the payload format existed comes
			// from a recorder whose clock was never set (no RTC battery,
			// no NTP: the field's common complaint): its age cannot be
			// known, and refusing it would take the e-mail method from
			// exactly those owners. Mailing it again is held by the
			// limits like any request; the code only works on the
			// recorder that made it, while it lives there.
			if c.Created.Before(payload.FormatEpoch) {
				return c, nil
			}
			if age := s.o.Now().Sub(c.Created); age > s.o.MaxCodeAge {
				return c, &Refusal{Kind: KindTooOld, err: fmt.Errorf("challenge made %v ago by the recorder's clock (%s)", age.Round(time.Minute), c.Created.Format(time.RFC3339))}
			}
			return c, nil
		}
		if first == nil {
			first = err
		}
	}
	kind := KindMalformed
	switch {
	case errors.Is(first, payload.ErrOtherKey):
		kind = KindOtherKey
	case errors.Is(first, payload.ErrTampered):
		kind = KindTampered
	}
	return payload.Content{}, &Refusal{Kind: kind, err: first}
}

// Preview opens a payload for the page: which recorder, which masked
// address, when it was made. It mails nothing and charges nothing.
func (s *Service) Preview(text string) (Preview, error) {
	c, err := s.open([]string{text})
	if err != nil {
		s.refused(err, "phone", c)
		return Preview{}, err
	}
	return Preview{Serial: c.Serial, Masked: mailaddr.Mask(c.Email), Created: c.Created}, nil
}

// Sent is what Send did, fit for a log and a reply.
type Sent struct {
	Serial string
	Masked string
	// Times is how many times this challenge's code has now been mailed.
	Times int
}

// Send opens the first of texts that opens (a message may hold several
// candidates), charges the shared limits, mails the code to the reserved
// address and records it. via names the door ("smtp", "lmtp", "phone").
// Every error is a *Refusal.
func (s *Service) Send(ctx context.Context, texts []string, via string) (Sent, error) {
	c, err := s.open(texts)
	if err != nil {
		s.refused(err, via, c)
		return Sent{}, err
	}
	now := s.o.Now()
	id := hex.EncodeToString(c.ID[:])
	counters := []ledger.Counter{
		{Key: "challenge:" + id, Limit: s.o.PerChallenge, Window: s.o.Window},
		{Key: "serial:" + c.Serial, Limit: s.o.PerSerial, Window: s.o.Window},
		{Key: "address:" + AddressKey(c.Email), Limit: s.o.PerAddress, Window: s.o.Window},
	}
	if err := s.o.Ledger.Charge(ctx, now, counters); err != nil {
		var ex *ledger.ExceededError
		r := &Refusal{Kind: KindUnavailable, err: err}
		if errors.As(err, &ex) {
			r = &Refusal{Kind: KindLimit, Retry: ex.Retry, err: fmt.Errorf("%s limit of %d a window", strings.SplitN(ex.Key, ":", 2)[0], ex.Limit)}
		}
		s.refused(r, via, c)
		return Sent{}, r
	}
	m := mailout.Mail{To: c.Email, Serial: c.Serial, Code: c.Code, Created: c.Created, Life: s.o.CodeLife, MaxLife: s.o.MaxCodeAge, Challenge: c.ID}
	msg := mailout.Compose(m, s.o.From, now, s.o.Host)
	if err := s.o.Sender.Send(ctx, s.o.From, c.Email, msg); err != nil {
		clear(msg)
		kind := KindUnavailable
		if !mailout.Temporary(err) {
			kind = KindUndeliverable
		}
		r := &Refusal{Kind: kind, err: err}
		s.refused(r, via, c)
		return Sent{}, r
	}
	clear(msg)
	masked := mailaddr.Mask(c.Email)
	if err := s.o.Ledger.Record(ctx, ledger.Entry{Challenge: c.ID, Serial: c.Serial, Masked: masked, Via: via, At: now}); err != nil {
		// The mail is gone already: a missing entry is logged, not undone.
		s.o.Logger.Error("ledger entry not written", "challenge", id, "err", err)
	}
	times := 0
	if es, err := s.o.Ledger.Entries(ctx, c.ID); err == nil {
		times = len(es)
	}
	s.o.Logger.Info("code mailed", "via", via, "serial", c.Serial, "to", masked, "challenge", id,
		"created", c.Created.Format(time.RFC3339), "times", times, "took", s.o.Now().Sub(now).Round(time.Microsecond))
	return Sent{Serial: c.Serial, Masked: masked, Times: times}, nil
}

// refused logs a refusal: the reason, the cause, and what is known of the
// payload (never the code, the address masked).
func (s *Service) refused(err error, via string, c payload.Content) {
	var r *Refusal
	if !errors.As(err, &r) {
		return
	}
	attrs := []any{"via", via, "reason", r.Error()}
	if r.err != nil {
		attrs = append(attrs, "err", r.err.Error())
	}
	if c.Serial != "" {
		attrs = append(attrs, "serial", c.Serial, "to", mailaddr.Mask(c.Email), "challenge", hex.EncodeToString(c.ID[:]))
	}
	if r.Retry > 0 {
		attrs = append(attrs, "retry", r.Retry.Round(time.Second))
	}
	level := slog.LevelWarn
	if r.Kind == KindUnavailable {
		level = slog.LevelError
	}
	s.o.Logger.Log(context.Background(), level, "refused", attrs...)
}

// AddressKey is how the ledger knows a reserved address: a hash of the
// address with its domain in lower case (the part before the @ is the
// mailbox's to interpret, but a domain has one case), so the ledger holds
// no address.
func AddressKey(addr string) string {
	local, domain, _ := strings.Cut(addr, "@")
	sum := sha256.Sum256([]byte("nvrmenu recovery address v1\x00" + local + "@" + strings.ToLower(domain)))
	return hex.EncodeToString(sum[:16])
}

// Healthy reports whether the service can work (its ledger answers).
func (s *Service) Healthy(ctx context.Context) error { return s.o.Ledger.Ping(ctx) }

// Prune drops the ledger's ended windows and entries older than keep,
// every interval, until ctx ends.
func (s *Service) Prune(ctx context.Context, every, keep time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := s.o.Ledger.Prune(ctx, s.o.Now(), keep); err != nil && ctx.Err() == nil {
			s.o.Logger.Warn("ledger prune", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Deliver is Send for the mail door, which needs only the outcome.
func (s *Service) Deliver(ctx context.Context, candidates []string, via string) error {
	_, err := s.Send(ctx, candidates, via)
	return err
}
