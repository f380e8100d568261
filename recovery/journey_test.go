package recovery

import (
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"nvrmenu/internal/payload"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// TestJourney: the journey says, for each state the owner may find the
// recorder in, which methods may be used and why not, in the order every
// door lists them.
func TestJourney(t *testing.T) {
	answers := [3]string{"Fido", "Roma", "Panda"}
	picks := [3]QuestionAnswer{{"first-pet", answers[0]}, {"birth-city", answers[1]}, {"first-car", answers[2]}}
	setUp := func(t *testing.T, c *Core, s *Session) {
		t.Helper()
		// A method the device does not offer cannot be set up.
		if err := s.SetSecurityQuestions(picks); err != nil && !errors.Is(err, ErrMethodUnavailable) {
			t.Fatal(err)
		}
		if err := s.SetRecoveryEmail(testEmail); err != nil && !errors.Is(err, ErrMethodUnavailable) {
			t.Fatal(err)
		}
		e, err := s.NewGUIDExport()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ConfirmGUIDExport(e); err != nil {
			t.Fatal(err)
		}
	}
	type want struct {
		usable bool
		why    texts.Code // "" when usable
	}
	for _, tc := range []struct {
		name      string
		activate  bool
		noVendor  bool
		disabled  Method
		prepare   func(t *testing.T, c *Core, s *Session)
		want      map[Method]want
		loginLock bool
	}{
		{"not activated", false, false, "", nil,
			map[Method]want{MethodEmail: {false, texts.CodeNotActivated}, MethodGUID: {false, texts.CodeNotActivated}, MethodQuestions: {false, texts.CodeNotActivated}}, false},
		{"nothing set up", true, false, "", nil,
			map[Method]want{MethodEmail: {false, texts.CodeNotSetUp}, MethodGUID: {false, texts.CodeNotSetUp}, MethodQuestions: {false, texts.CodeNotSetUp}}, false},
		{"every method ready", true, false, "", setUp,
			map[Method]want{MethodEmail: {true, ""}, MethodGUID: {true, ""}, MethodQuestions: {true, ""}}, false},
		{"no vendor key", true, true, "", setUp,
			map[Method]want{MethodEmail: {false, texts.CodeUnavailable}, MethodGUID: {true, ""}, MethodQuestions: {true, ""}}, false},
		{"questions turned off", true, false, MethodQuestions, setUp,
			map[Method]want{MethodEmail: {true, ""}, MethodGUID: {true, ""}, MethodQuestions: {false, texts.CodeUnavailable}}, false},
		{"the GUID file expired", true, false, "", func(t *testing.T, c *Core, s *Session) {
			setUp(t, c, s)
			if err := s.ChangePassword(firstPassword, otherPassword); err != nil {
				t.Fatal(err)
			}
		}, map[Method]want{MethodEmail: {true, ""}, MethodGUID: {false, texts.CodeGUIDExpired}, MethodQuestions: {true, ""}}, false},
		{"the questions locked", true, false, "", func(t *testing.T, c *Core, s *Session) {
			setUp(t, c, s)
			for range 5 {
				c.Console().VerifyAnswers([3]string{"x1", "x2", "x3"})
			}
		}, map[Method]want{MethodEmail: {true, ""}, MethodGUID: {true, ""}, MethodQuestions: {false, texts.CodeLocked}}, false},
		{"the login locked", true, false, "", func(t *testing.T, c *Core, s *Session) {
			for range 5 {
				c.Console().Login(AdminUser, "Sbagliata#1")
			}
		}, map[Method]want{MethodEmail: {false, texts.CodeNotSetUp}, MethodGUID: {false, texts.CodeNotSetUp}, MethodQuestions: {false, texts.CodeNotSetUp}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions(t, newFakeClock())
			if !tc.noVendor {
				k, err := payload.GenerateKey(rand.Reader)
				if err != nil {
					t.Fatal(err)
				}
				pub := k.Public()
				opts.VendorKey = &pub
			}
			if tc.disabled != "" {
				opts.Disabled = map[Method]bool{tc.disabled: true}
			}
			c := openCore(t, opts)
			if tc.activate {
				s, err := c.Console().Activate(firstPassword)
				if err != nil {
					t.Fatal(err)
				}
				if tc.prepare != nil {
					tc.prepare(t, c, s)
				}
			}
			j := c.Console().Journey()
			var order []Method
			for _, st := range j.Methods {
				order = append(order, st.Method)
				w := tc.want[st.Method]
				var why texts.Code
				if st.Why != nil {
					why = st.Why.Code
				}
				if st.Usable != w.usable || why != w.why || st.Usable != (st.Why == nil) {
					t.Errorf("%s: usable %v, why %q; want %v, %q", st.Method, st.Usable, why, w.usable, w.why)
				}
			}
			if len(order) != 3 || order[0] != MethodEmail || order[1] != MethodGUID || order[2] != MethodQuestions {
				t.Errorf("the methods in the order %v, want email, guid, questions (journey.Recovery)", order)
			}
			if (j.LoginRefused != nil) != tc.loginLock {
				t.Errorf("login refused: %+v, want %v", j.LoginRefused, tc.loginLock)
			}
			if l := j.Method(MethodQuestions).Why; l != nil && l.Code == texts.CodeLocked && l.Lock() != 30*time.Minute {
				t.Errorf("the lock's time left %v, want 30m", l.Lock())
			}
		})
	}
}

// TestAfterReset: every password change expires the GUID file, and the
// session it opens says so and offers a fresh export when there was one.
func TestAfterReset(t *testing.T) {
	answers := [3]string{"Fido", "Roma", "Panda"}
	picks := [3]QuestionAnswer{{"first-pet", answers[0]}, {"birth-city", answers[1]}, {"first-car", answers[2]}}
	for _, tc := range []struct {
		name      string
		guid      bool // a GUID file exported before
		change    func(t *testing.T, c *Core, s *Session, guid []byte) *Session
		wantAfter journey.AfterReset
	}{
		{"a reset by the questions, no GUID file ever", false, func(t *testing.T, c *Core, s *Session, _ []byte) *Session {
			return resetWith(t)(c.Console().VerifyAnswers(answers))
		}, journey.AfterReset{Method: MethodQuestions}},
		{"a reset by the questions with a GUID file", true, func(t *testing.T, c *Core, s *Session, _ []byte) *Session {
			return resetWith(t)(c.Console().VerifyAnswers(answers))
		}, journey.AfterReset{Method: MethodQuestions, GUIDExpired: true, OfferGUIDExport: true}},
		{"a reset by the GUID file", true, func(t *testing.T, c *Core, s *Session, guid []byte) *Session {
			return resetWith(t)(c.Console().VerifyGUIDFile(guid))
		}, journey.AfterReset{Method: MethodGUID, GUIDExpired: true, OfferGUIDExport: true}},
		{"a change of the password with a GUID file", true, func(t *testing.T, c *Core, s *Session, _ []byte) *Session {
			if err := s.ChangePassword(firstPassword, otherPassword); err != nil {
				t.Fatal(err)
			}
			return s
		}, journey.AfterReset{GUIDExpired: true, OfferGUIDExport: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, s := activatedCore(t, testOptions(t, newFakeClock()))
			if err := s.SetSecurityQuestions(picks); err != nil {
				t.Fatal(err)
			}
			var guid []byte
			if tc.guid {
				e, err := s.NewGUIDExport()
				if err != nil {
					t.Fatal(err)
				}
				guid = e.Data()
				if err := s.ConfirmGUIDExport(e); err != nil {
					t.Fatal(err)
				}
			}
			if _, ok := s.AfterReset(); ok {
				t.Fatal("a session opened by an activation says it changed a password")
			}
			after, ok := tc.change(t, c, s, guid).AfterReset()
			if !ok || after != tc.wantAfter {
				t.Errorf("after: %+v, %v; want %+v", after, ok, tc.wantAfter)
			}
			cat, _ := texts.New("en")
			words := after.Words(cat)
			if offered := strings.Contains(words, cat.T(texts.GUIDExpiredOffer)); offered != tc.wantAfter.OfferGUIDExport {
				t.Errorf("words %q: the fresh export offered %v, want %v", words, offered, tc.wantAfter.OfferGUIDExport)
			}
		})
	}
}

// resetWith sets otherPassword with the ticket a proof gave.
func resetWith(t *testing.T) func(*ResetTicket, error) *Session {
	return func(tk *ResetTicket, err error) *Session {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		s, err := tk.SetPassword(otherPassword)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}
