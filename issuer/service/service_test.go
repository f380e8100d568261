package service

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"nvrmenu/internal/payload"
	"nvrmenu/issuer/keyring"
	"nvrmenu/issuer/ledger"
	"nvrmenu/issuer/limits"
)

var t0 = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

type sink struct {
	mu   sync.Mutex
	to   []string
	msgs []string
	err  error
}

func (s *sink) Send(_ context.Context, from, to string, msg []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.to = append(s.to, to)
	s.msgs = append(s.msgs, string(msg))
	return nil
}

type harness struct {
	svc  *Service
	key  payload.PrivateKey
	now  time.Time
	sink *sink
	log  *bytes.Buffer
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	k, err := payload.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	l, err := ledger.OpenBolt(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	h := &harness{key: k, now: t0, sink: &sink{}, log: &bytes.Buffer{}}
	h.svc = New(Options{
		Keyring: keyring.New(k), Ledger: l, Sender: h.sink,
		From: "pw_recovery@vendor.example", MaxCodeAge: 168 * time.Hour, CodeLife: 48 * time.Hour,
		Window: 24 * time.Hour, PerChallenge: 2, PerSerial: 3, PerAddress: 4,
		Client: limits.Bucket{Burst: 3, Every: time.Minute}, Global: limits.Bucket{Burst: 5, Every: time.Second}, Clients: 100,
		Now:    func() time.Time { return h.now },
		Logger: slog.New(slog.NewTextHandler(h.log, nil)),
	})
	return h
}

// seal makes a recorder's payload for serial and address, made at created.
func (h *harness) seal(t *testing.T, serial, email string, created time.Time, code string) string {
	t.Helper()
	c := payload.Content{Code: code, Serial: serial, Email: email, Created: created}
	rand.Read(c.ID[:])
	text, err := payload.Seal(h.key.Public(), c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func kindOf(err error) Kind {
	var r *Refusal
	if errors.As(err, &r) {
		return r.Kind
	}
	return 0
}

func TestSendAndLimits(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	p := h.seal(t, "NVR0012345", "mario.rossi@esempio.it", t0.Add(-time.Hour), "7K2M9QXD")
	url, _ := payload.Render(p, "https://recover.vendor.example/r/")
	sent, err := h.svc.Send(ctx, []string{"garbage", url}, "phone")
	if err != nil || sent.Masked != "m***i@esempio.it" || sent.Times != 1 {
		t.Fatalf("Send = %+v, %v", sent, err)
	}
	if len(h.sink.to) != 1 || h.sink.to[0] != "mario.rossi@esempio.it" || !strings.Contains(h.sink.msgs[0], "7K2M-9QXD") {
		t.Fatalf("mailed %q", h.sink.to)
	}
	// The same challenge again: the same code, within its limit.
	if sent, err := h.svc.Send(ctx, []string{p}, "smtp"); err != nil || sent.Times != 2 {
		t.Fatalf("second send: %+v, %v", sent, err)
	}
	if _, err := h.svc.Send(ctx, []string{p}, "smtp"); kindOf(err) != KindLimit {
		t.Fatalf("third send of one challenge: %v, want KindLimit", err)
	}
	// Per serial: a new challenge of the same recorder, then its limit.
	if _, err := h.svc.Send(ctx, []string{h.seal(t, "NVR0012345", "mario.rossi@esempio.it", t0, "11111111")}, "smtp"); err != nil {
		t.Fatal(err)
	}
	_, err = h.svc.Send(ctx, []string{h.seal(t, "NVR0012345", "other@esempio.it", t0, "22222222")}, "smtp")
	var r *Refusal
	if !errors.As(err, &r) || r.Kind != KindLimit || r.Retry != 14*time.Hour || !strings.Contains(r.Unwrap().Error(), "serial") {
		t.Fatalf("fourth mail for one serial: %v, want the serial's limit, 14h to wait", err)
	}
	// Per address, whatever the domain's case: mario has 3; the fourth
	// passes, the fifth not.
	if _, err := h.svc.Send(ctx, []string{h.seal(t, "NVR2", "mario.rossi@ESEMPIO.it", t0, "33333333")}, "smtp"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Send(ctx, []string{h.seal(t, "NVR3", "mario.rossi@Esempio.IT", t0, "44444444")}, "smtp"); kindOf(err) != KindLimit {
		t.Fatalf("fifth mail to one address: %v", err)
	}
	// The next window.
	h.now = t0.Add(24 * time.Hour)
	if _, err := h.svc.Send(ctx, []string{p}, "smtp"); err != nil {
		t.Fatalf("next day: %v", err)
	}
	if strings.Contains(h.log.String(), "7K2M") || strings.Contains(h.log.String(), "mario.rossi@") {
		t.Fatalf("the log shows a code or an address:\n%s", h.log)
	}
	if !strings.Contains(h.log.String(), "code mailed") || !strings.Contains(h.log.String(), "refused") {
		t.Fatalf("log:\n%s", h.log)
	}
}

func TestRefusals(t *testing.T) {
	h := newHarness(t)
	other, _ := payload.GenerateKey(rand.Reader)
	ctx := context.Background()
	good := h.seal(t, "NVR1", "a.b@c.example", t0, "7K2M9QXD")
	raw, _ := payload.Outer(good)
	raw[len(raw)-1] ^= 1
	tampered := payload.Text(raw, "")
	foreign, _ := payload.Seal(other.Public(), payload.Content{Code: "7K2M9QXD", Serial: "NVR1", Email: "a.b@c.example", Created: t0}, rand.Reader)
	for _, tc := range []struct {
		name  string
		texts []string
		want  Kind
	}{
		{"nothing", nil, KindNoPayload},
		{"garbage", []string{"hello"}, KindMalformed},
		{"another vendor key", []string{foreign}, KindOtherKey},
		{"tampered", []string{tampered}, KindTampered},
		{"too old", []string{h.seal(t, "NVR1", "a.b@c.example", t0.Add(-169*time.Hour), "7K2M9QXD")}, KindTooOld},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := h.svc.Send(ctx, tc.texts, "smtp"); kindOf(err) != tc.want {
				t.Fatalf("got %v, want kind %d", err, tc.want)
			}
			if _, err := h.svc.Preview(strings.Join(tc.texts, "")); tc.texts != nil && kindOf(err) != tc.want {
				t.Fatalf("Preview: %v, want kind %d", err, tc.want)
			}
		})
	}
	if len(h.sink.to) != 0 {
		t.Fatalf("refusals mailed %q", h.sink.to)
	}
	// A recorder whose clock was never set dates its challenge 1970: its
	// age is unknowable, and it is mailed (within the limits).
	unset := h.seal(t, "NVR2", "d.e@c.example", time.Unix(0, 0), "7K2M9QXD")
	if _, err := h.svc.Send(ctx, []string{unset}, "smtp"); err != nil || len(h.sink.to) != 1 {
		t.Fatalf("a challenge from a recorder with an unset clock: %v (mails %d)", err, len(h.sink.to))
	}
	h.sink.to = nil
	pv, err := h.svc.Preview(good)
	if err != nil || pv.Serial != "NVR1" || pv.Masked != "a***b@c.example" || !pv.Created.Equal(t0) || len(h.sink.to) != 0 {
		t.Fatalf("Preview = %+v, %v (mails %d)", pv, err, len(h.sink.to))
	}
	// The relay fails: temporary or permanent.
	h.sink.err = errors.New("connection refused")
	if _, err := h.svc.Send(ctx, []string{good}, "smtp"); kindOf(err) != KindUnavailable || !err.(*Refusal).Temporary() {
		t.Fatalf("relay down: %v", err)
	}
	h.sink.err = &smtp.SMTPError{Code: 550, Message: "no such user"}
	if _, err := h.svc.Send(ctx, []string{h.seal(t, "NVR9", "x.y@c.example", t0, "7K2M9QXD")}, "smtp"); kindOf(err) != KindUndeliverable {
		t.Fatalf("relay refuses the address: %v", err)
	}
}

func TestAdmit(t *testing.T) {
	h := newHarness(t)
	a := netip.MustParseAddr("2001:db8:1:2::10")
	b := netip.MustParseAddr("2001:db8:1:2::20") // the same /64
	for i := 0; i < 3; i++ {
		if err := h.svc.Admit(a, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.svc.Admit(b, false); kindOf(err) != KindBusy {
		t.Fatalf("a fourth request from the same /64: %v", err)
	}
	if err := h.svc.Admit(b, true); err != nil {
		t.Fatalf("a trusted MTA is not held to the client's rate: %v", err)
	}
	// Everyone's bucket (5): 4 taken.
	if err := h.svc.Admit(netip.MustParseAddr("192.0.2.1"), false); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.Admit(netip.MustParseAddr("192.0.2.2"), false); kindOf(err) != KindBusy {
		t.Fatalf("past the global burst: %v", err)
	}
	h.now = h.now.Add(time.Second)
	if err := h.svc.Admit(netip.MustParseAddr("192.0.2.2"), false); err != nil {
		t.Fatalf("a second later: %v", err)
	}
}

func TestAddressKey(t *testing.T) {
	if AddressKey("Mario@Esempio.IT") != AddressKey("Mario@esempio.it") || AddressKey("mario@esempio.it") == AddressKey("Mario@esempio.it") || strings.Contains(AddressKey("a@b.it"), "b.it") {
		t.Fatal("AddressKey: the domain's case must not count, the local part's must, and no address may show")
	}
}
