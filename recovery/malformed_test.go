package recovery

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestMalformedProofsNeverCount is the rule, one row per proof: a try
// counts toward a lock only when its proof could be right. A proof that
// cannot be right by its form alone — a password shorter than any admin
// password (8 characters), a file that is not a GUID file, a code that is
// not 8 letters and digits, an answer missing or shorter than 2 — is
// refused at once on every door: not counted, not in the audit log as a
// try, not spending the address's throttle, no argon2id. A proof of the
// right form is counted before it is checked, a wrong user name included.
func TestMalformedProofsNeverCount(t *testing.T) {
	clock := newFakeClock()
	c, s, _, opts := emailCore(t, clock)
	// One costly try per address, so a malformed proof that spent it
	// would show.
	c.opts.Throttle = ThrottlePolicy{Burst: 1, Every: time.Hour}
	c.throttle.p = c.opts.Throttle
	setQuestions(t, s)
	exportGUID(t, s)
	for _, d := range []*Door{c.Console(), c.Door(webCaller("192.0.2.40"))} {
		if _, err := d.EmailChallenge(); err != nil {
			t.Fatal(err)
		}
	}
	c.throttle.buckets = nil // the challenges spent the web's token
	logPath := filepath.Join(opts.StateDir, auditFileName)
	n := 0
	for _, tc := range []struct {
		name    string
		method  Method
		try     func(d *Door, s *Session) error
		want    error
		counted bool
	}{
		{"an empty password", MethodLogin, func(d *Door, _ *Session) error { _, err := d.Login(AdminUser, ""); return err }, ErrPasswordTooShort, false},
		{"a 7-character password", MethodLogin, func(d *Door, _ *Session) error { _, err := d.Login(AdminUser, "Gatto!N"); return err }, ErrPasswordTooShort, false},
		{"an empty password and user", MethodLogin, func(d *Door, _ *Session) error { _, err := d.Login("", ""); return err }, ErrPasswordTooShort, false},
		{"an empty password to reauthenticate", MethodLogin, func(_ *Door, s *Session) error { return s.Reauthenticate("") }, ErrPasswordTooShort, false},
		{"an empty current password to change it", MethodLogin, func(_ *Door, s *Session) error { return s.ChangePassword("", otherPassword) }, ErrPasswordTooShort, false},
		{"not a GUID file", MethodGUID, func(d *Door, _ *Session) error { _, err := d.VerifyGUIDFile([]byte("hello")); return err }, ErrGUIDMalformed, false},
		{"an empty GUID file", MethodGUID, func(d *Door, _ *Session) error { _, err := d.VerifyGUIDFile(nil); return err }, ErrGUIDMalformed, false},
		{"a code of 7 characters", MethodEmail, func(d *Door, _ *Session) error { _, err := d.VerifyEmailCode("ABCD123"); return err }, ErrCodeMalformed, false},
		{"an empty code", MethodEmail, func(d *Door, _ *Session) error { _, err := d.VerifyEmailCode(""); return err }, ErrCodeMalformed, false},
		{"an answer missing", MethodQuestions, func(d *Door, _ *Session) error { _, err := d.VerifyAnswers([3]string{"aa", "", "cc"}); return err }, ErrAnswersIncomplete, false},
		{"an answer of one character", MethodQuestions, func(d *Door, _ *Session) error { _, err := d.VerifyAnswers([3]string{"aa", "b", "cc"}); return err }, ErrAnswersIncomplete, false},
		// The right form: counted, then checked.
		{"a wrong 8-character password", MethodLogin, func(d *Door, _ *Session) error { _, err := d.Login(AdminUser, "Gatto!Ne"); return err }, ErrWrongCredentials, true},
		{"a wrong user name", MethodLogin, func(d *Door, _ *Session) error { _, err := d.Login("root", firstPassword); return err }, ErrWrongCredentials, true},
		{"wrong answers", MethodQuestions, func(d *Door, _ *Session) error { _, err := d.VerifyAnswers([3]string{"aa", "bb", "cc"}); return err }, ErrWrongAnswers, true},
		{"a wrong code", MethodEmail, func(d *Door, _ *Session) error { _, err := d.VerifyEmailCode("ABCD-1234"); return err }, ErrWrongCode, true},
	} {
		for _, d := range []*Door{c.Console(), c.Door(webCaller("192.0.2.41"))} {
			t.Run(tc.name+" through "+d.Caller().Door, func(t *testing.T) {
				n++
				// A fresh address each time: its one token shows whether
				// the try spent it.
				if d.Caller().Class == ClassNetwork {
					d = c.Door(webCaller("192.0.2." + itoa(100+n)))
				}
				class := d.Caller().Class
				s := loginThrough(t, d)
				defer s.Logout()
				before := c.st.doorOf(class).failures(tc.method)
				lines := len(auditReadLines(t, logPath))
				err := tc.try(d, s)
				if !errors.Is(err, tc.want) {
					t.Fatalf("got %v, want %v", err, tc.want)
				}
				var ae *AttemptError
				if got := errors.As(err, &ae); got != tc.counted {
					t.Fatalf("counted %v, want %v (%v)", got, tc.counted, err)
				}
				p := Explain(err)
				if p.Counted != tc.counted {
					t.Fatalf("the problem says counted %v, want %v", p.Counted, tc.counted)
				}
				after := c.st.doorOf(class).failures(tc.method)
				if tc.counted {
					if after != before+1 {
						t.Fatalf("failures %d -> %d, want one more", before, after)
					}
					c.commit(func(next *state) error { next.door(class).clearFailures(tc.method); return nil })
					return
				}
				if after != before {
					t.Fatalf("failures %d -> %d: a malformed proof was counted", before, after)
				}
				for _, l := range auditReadLines(t, logPath)[lines:] {
					if l.Outcome == "counted" {
						t.Fatalf("the audit log counts a malformed proof: %+v", l)
					}
				}
				if class == ClassNetwork {
					// The address's one token is still there.
					if err := c.throttle.take(d.Caller().Addr, c.tick()); err != nil {
						t.Fatalf("the malformed proof spent the address's throttle: %v", err)
					}
				}
			})
		}
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// loginThrough logs in through d, whatever its throttle says.
func loginThrough(t *testing.T, d *Door) *Session {
	t.Helper()
	c := d.c
	p := c.throttle.p
	c.throttle.p = ThrottlePolicy{Burst: 1 << 20, Every: time.Nanosecond}
	s, err := d.Login(AdminUser, firstPassword)
	c.throttle.p = p
	if err != nil {
		t.Fatal(err)
	}
	// The login's token is given back: the test watches the next ones.
	c.throttle.mu.Lock()
	delete(c.throttle.buckets, throttleKey(d.caller.Addr))
	c.throttle.mu.Unlock()
	return s
}
