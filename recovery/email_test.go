package recovery

import (
	"crypto/rand"
	"errors"
	"nvrmenu/internal/payload"
	"strings"
	"testing"
	"time"
)

const testEmail = "mario.rossi@esempio.it"

// emailCore returns an activated core with a vendor key and a reserved
// address, the vendor's private key, and the admin session.
func emailCore(t *testing.T, clock *fakeClock) (*Core, *Session, payload.PrivateKey, Options) {
	t.Helper()
	vendor, err := payload.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub := vendor.Public()
	opts := testOptions(t, clock)
	opts.VendorKey = &pub
	c, s := activatedCore(t, opts)
	if err := s.SetRecoveryEmail(testEmail); err != nil {
		t.Fatal(err)
	}
	return c, s, vendor, opts
}

// vendorCode is what the vendor would mail back for a challenge.
func vendorCode(t *testing.T, vendor payload.PrivateKey, ch Challenge) string {
	t.Helper()
	content, err := vendor.Open(ch.Payload)
	if err != nil {
		t.Fatalf("vendor cannot open the payload: %v", err)
	}
	if content.Email != testEmail || content.Serial != testSerial {
		t.Fatalf("payload carries %q for %q", content.Email, content.Serial)
	}
	return content.Code
}

func TestValidateEmail(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want error // nil: accepted; else the part's sentinel
	}{
		{"mario@esempio.it", nil},
		{"m.rossi+nvr@posta.esempio.it", nil},
		{"", ErrEmailEmpty},
		{"mario", ErrEmailDomain},
		{"mario@localhost", ErrEmailDomain},
		{"Mario <mario@esempio.it>", ErrEmailLocal},
		{"\"mario rossi\"@esempio.it", ErrEmailLocal},
		{"mario@esempio..it", ErrEmailDomain},
		{"mario@.esempio.it", ErrEmailDomain},
		{"mario@esempio.it.", ErrEmailDomain},
		{"mar io@esempio.it", ErrEmailLocal},
		{"mario@esempio.it\n", ErrEmailDomain},
		{"màrio@esempio.it", ErrEmailLocal},
		{"mario.rossi@gmail.c", ErrEmailTopLabel},
		{"mario@esempio.123", ErrEmailTopLabel},
		{strings.Repeat("a", 65) + "@esempio.it", ErrEmailLocal},
		{"a@" + strings.Repeat("b", 250) + ".it", ErrEmailDomain},
	} {
		err := ValidateEmail(tc.addr)
		switch {
		case tc.want == nil && err != nil:
			t.Errorf("ValidateEmail(%q) = %v, want nil", tc.addr, err)
		case tc.want != nil && (!errors.Is(err, tc.want) || !errors.Is(err, ErrInvalidEmail)):
			t.Errorf("ValidateEmail(%q) = %v, want %v (an ErrInvalidEmail)", tc.addr, err, tc.want)
		}
	}
}

func TestEmailResetFlow(t *testing.T) {
	clock := newFakeClock()
	c, s, vendor, opts := emailCore(t, clock)
	s.Logout()
	st := c.Console().Journey().Method(MethodEmail)
	if !st.Usable || st.MaskedEmail != "m***i@esempio.it" {
		t.Fatalf("Status = %+v", st)
	}
	ch, err := c.Console().EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	if ch.MaskedEmail != "m***i@esempio.it" || ch.RecoveryAddress != "pw_recovery@example.com" || ch.TriesLeft != 5 {
		t.Fatalf("challenge view %+v", ch)
	}
	if want := clock.Now().Add(48 * time.Hour); !ch.Expires.Equal(want) {
		t.Fatalf("expires %v, want %v", ch.Expires, want)
	}
	code := vendorCode(t, vendor, ch)

	// Showing it again, even after a reboot, gives the same QR: resend.
	c = reopen(t, c, opts)
	again, err := c.Console().EmailChallenge()
	if err != nil || again.Payload != ch.Payload {
		t.Fatalf("second EmailChallenge made a new code (%v)", err)
	}

	// The owner types it in lowercase, with the hyphen the mail shows.
	typed := strings.ToLower(payload.FormatCode(code))
	ticket, err := c.Console().VerifyEmailCode(typed)
	if err != nil {
		t.Fatalf("VerifyEmailCode(%q): %v", typed, err)
	}
	if _, err := ticket.SetPassword(otherPassword); err != nil {
		t.Fatal(err)
	}
	mustLogin(t, c, otherPassword)
	// Single use.
	if _, err := c.Console().VerifyEmailCode(code); !errors.Is(err, ErrNoChallenge) {
		t.Fatalf("code after use: %v, want ErrNoChallenge", err)
	}
}

func TestWrongCodesKillTheCode(t *testing.T) {
	clock := newFakeClock()
	c, _, vendor, _ := emailCore(t, clock)
	ch, err := c.Console().EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	code := vendorCode(t, vendor, ch)
	wrong := "ZZZZZZZZ"
	if code == wrong {
		wrong = "YYYYYYYY"
	}
	if _, err := c.Console().VerifyEmailCode("short"); !errors.Is(err, ErrCodeMalformed) {
		t.Fatalf("malformed code: %v", err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := c.Console().VerifyEmailCode(wrong); !errors.Is(err, ErrWrongCode) {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	if c.Console().Journey().Method(MethodEmail).ChallengePending {
		t.Fatal("code still pending after 5 wrong entries")
	}
	clock.Advance(30 * time.Minute) // past the lock
	if _, err := c.Console().VerifyEmailCode(code); !errors.Is(err, ErrNoChallenge) {
		t.Fatalf("right code after 5 wrong ones: %v, want ErrNoChallenge", err)
	}
	// A new challenge brings a new code.
	fresh, err := c.Console().EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Payload == ch.Payload {
		t.Fatal("dead challenge was reused")
	}
}

func TestCodeExpiry(t *testing.T) {
	for _, tc := range []struct {
		name    string
		created time.Time     // clock when the challenge is made
		later   time.Duration // then the clock moves on by this much
		trusted time.Time     // and, if set, NTP fixes it to this
		alive   bool
	}{
		{"47h on a good clock", time.Time{}, 47 * time.Hour, time.Time{}, true},
		{"48h on a good clock", time.Time{}, 48 * time.Hour, time.Time{}, false},
		{"made in 1970, 47h later still 1970", time.Unix(0, 0), 47 * time.Hour, time.Time{}, true},
		// The wall clock cannot be trusted, but 48 h of running time can.
		{"made in 1970, 48h later still 1970", time.Unix(0, 0), 48 * time.Hour, time.Time{}, false},
		{"made in 1970, NTP arrives", time.Unix(0, 0), time.Hour, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			c, _, vendor, _ := emailCore(t, clock)
			if !tc.created.IsZero() {
				clock.Set(tc.created)
			}
			ch, err := c.Console().EmailChallenge()
			if err != nil {
				t.Fatal(err)
			}
			if !tc.created.IsZero() && !ch.Expires.IsZero() {
				t.Fatal("a code made on an untrusted clock claims an expiry")
			}
			clock.Advance(tc.later)
			if !tc.trusted.IsZero() {
				clock.Set(tc.trusted)
			}
			_, err = c.Console().VerifyEmailCode(vendorCode(t, vendor, ch))
			if tc.alive && err != nil {
				t.Fatalf("code refused: %v", err)
			}
			if !tc.alive && !errors.Is(err, ErrCodeExpired) {
				t.Fatalf("got %v, want ErrCodeExpired", err)
			}
		})
	}
}

func TestUntrustedCodeExpiresAfterNTP(t *testing.T) {
	clock := newFakeClock()
	c, _, vendor, _ := emailCore(t, clock)
	clock.Set(time.Unix(0, 0))
	ch, err := c.Console().EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	if v, err := c.Console().EmailChallenge(); err != nil || v.Expires.IsZero() {
		t.Fatalf("after NTP the code has no expiry (%v)", err)
	}
	clock.Advance(48 * time.Hour)
	if _, err := c.Console().VerifyEmailCode(vendorCode(t, vendor, ch)); !errors.Is(err, ErrCodeExpired) {
		t.Fatalf("48h after NTP: %v, want ErrCodeExpired", err)
	}
}

func TestCodeDiesWithEmailPasswordOrNewChallenge(t *testing.T) {
	for _, tc := range []struct {
		name string
		kill func(t *testing.T, c *Core, s *Session)
	}{
		{"newer challenge", func(t *testing.T, c *Core, s *Session) {
			if _, err := c.Console().NewEmailChallenge(); err != nil {
				t.Fatal(err)
			}
		}},
		{"email changed", func(t *testing.T, c *Core, s *Session) {
			if err := s.SetRecoveryEmail("anna@esempio.it"); err != nil {
				t.Fatal(err)
			}
		}},
		{"password changed", func(t *testing.T, c *Core, s *Session) {
			if err := s.ChangePassword(firstPassword, otherPassword); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, s, vendor, _ := emailCore(t, newFakeClock())
			ch, err := c.Console().EmailChallenge()
			if err != nil {
				t.Fatal(err)
			}
			code := vendorCode(t, vendor, ch)
			tc.kill(t, c, s)
			_, err = c.Console().VerifyEmailCode(code)
			if err == nil || errors.Is(err, ErrCodeMalformed) {
				t.Fatalf("old code after %s: %v, want a refusal", tc.name, err)
			}
		})
	}
}

func TestEmailUnavailableWithoutVendorKey(t *testing.T) {
	c, s := activatedCore(t, testOptions(t, newFakeClock()))
	if err := s.SetRecoveryEmail(testEmail); !errors.Is(err, ErrMethodUnavailable) {
		t.Fatalf("SetRecoveryEmail: %v, want ErrMethodUnavailable", err)
	}
	if got := stateOf(c.Console(), MethodEmail); got != "unavailable" {
		t.Fatalf("status %v, want unavailable", got)
	}
}

func BenchmarkEmailChallenge(b *testing.B) {
	vendor, _ := payload.GenerateKey(rand.Reader)
	pub := vendor.Public()
	dir := b.TempDir()
	c, err := Open(Options{StateDir: dir, Serial: testSerial, VendorKey: &pub})
	if err != nil {
		b.Fatal(err)
	}
	s, err := c.Console().Activate(firstPassword)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SetRecoveryEmail(testEmail); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ch, err := c.Console().NewEmailChallenge()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := payload.QRPNG(ch.Payload, 512); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEmailAppURL: with an app URL the QR code is the recovery page's URL,
// and changing the URL (or removing it) keeps the pending challenge: the
// same sealed bytes, the same code, shown in the form of the day.
func TestEmailAppURL(t *testing.T) {
	clock := newFakeClock()
	c, s, vendor, opts := emailCore(t, clock)
	s.Logout()
	opts.AppURL = "https://recover.vendor.example/r/"
	c = reopen(t, c, opts)
	ch, err := c.Console().EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ch.Payload, "HTTPS://RECOVER.VENDOR.EXAMPLE/R/") || ch.URL != ch.Payload {
		t.Fatalf("challenge payload %q, URL %q; want the upper-case page URL in both", ch.Payload, ch.URL)
	}
	code := vendorCode(t, vendor, ch)
	for _, app := range []string{"https://127.0.0.1:8444/r/", ""} {
		opts.AppURL = app
		c = reopen(t, c, opts)
		again, err := c.Console().EmailChallenge()
		if err != nil {
			t.Fatal(err)
		}
		if got := vendorCode(t, vendor, again); got != code || !again.Created.Equal(ch.Created) {
			t.Fatalf("app URL %q: a new challenge was made", app)
		}
		switch {
		case app == "" && (!strings.HasPrefix(again.Payload, payload.Prefix) || again.URL != ""):
			t.Fatalf("without an app URL: payload %q, URL %q; want NVRR1 text and no URL", again.Payload, again.URL)
		case app != "" && !strings.HasPrefix(again.Payload, strings.ToUpper(app)):
			t.Fatalf("app URL %q: payload %q", app, again.Payload)
		}
	}
	if _, err := c.Console().VerifyEmailCode(code); err != nil {
		t.Fatalf("the code of the challenge kept across app URLs: %v", err)
	}
	opts.AppURL = "http://recover.vendor.example/r/"
	if _, err := Open(opts); err == nil || !strings.Contains(err.Error(), "app URL") {
		t.Fatalf("Open with an http app URL: %v, want an error", err)
	}
}
