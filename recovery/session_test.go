package recovery

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestSessionTimeouts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		class Class
		// steps of idle time, each followed by a use
		steps []time.Duration
		live  bool
	}{
		{"console used every 4 minutes for an hour", ClassConsole, repeat(4*time.Minute, 15), true},
		{"console idle 5 minutes", ClassConsole, []time.Duration{5*time.Minute + time.Second}, false},
		{"network used every 4 minutes for 28", ClassNetwork, repeat(4*time.Minute, 7), true},
		{"network used every 4 minutes for 32", ClassNetwork, repeat(4*time.Minute, 8), false},
		{"network idle 5 minutes", ClassNetwork, []time.Duration{5*time.Minute + time.Second}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			c, _ := activatedCore(t, lanOptions(t, clock))
			d := c.Console()
			if tc.class == ClassNetwork {
				d = c.Door(webCaller("192.0.2.5"))
			}
			s, err := d.Login(AdminUser, firstPassword)
			if err != nil {
				t.Fatal(err)
			}
			for _, step := range tc.steps {
				clock.Advance(step)
				s.Touch()
			}
			if s.Active() != tc.live {
				t.Fatalf("session live %v, want %v", s.Active(), tc.live)
			}
			if !tc.live {
				if _, err := s.NewGUIDExport(); !errors.Is(err, ErrSessionEnded) {
					t.Fatalf("an ended session's call: %v, want ErrSessionEnded", err)
				}
				if s.Expiry() != 0 {
					t.Fatalf("an ended session expires in %v", s.Expiry())
				}
			}
		})
	}
}

func repeat(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func TestNetworkSessionTokens(t *testing.T) {
	clock := newFakeClock()
	opts := lanOptions(t, clock)
	opts.MaxNetworkSessions = 3
	c, _ := activatedCore(t, opts)
	web := c.Door(webCaller("192.0.2.5"))
	var tokens []string
	for range 4 {
		s, err := web.Login(AdminUser, firstPassword)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Token()) < 22 {
			t.Fatalf("token %q: want 128 random bits", s.Token())
		}
		tokens = append(tokens, s.Token())
		clock.Advance(time.Second)
	}
	// The fourth login ended the least recently used: the first.
	if _, err := web.Resume(tokens[0]); !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("the evicted session: %v", err)
	}
	for _, tok := range tokens[1:] {
		s, err := c.Door(webCaller("192.0.2.77")).Resume(tok)
		if err != nil {
			t.Fatalf("Resume: %v", err)
		}
		if s.Token() != "" || s.Caller().Addr.String() != "192.0.2.77" {
			t.Fatalf("a resumed session carries token %q, caller %v", s.Token(), s.Caller())
		}
	}
	for _, bad := range []string{"", "x", tokens[1] + "x", string(make([]byte, 65))} {
		if _, err := web.Resume(bad); !errors.Is(err, ErrSessionEnded) {
			t.Errorf("Resume(%q): %v", bad, err)
		}
	}
	if _, err := c.Console().Resume(tokens[1]); err == nil {
		t.Error("the console door resumed a network session")
	}
}

// TestPasswordChangeEndsEverySession: a change from any door ends every
// session of every door; the changer carries on with a fresh token.
func TestPasswordChangeEndsEverySession(t *testing.T) {
	clock := newFakeClock()
	c, console := activatedCore(t, lanOptions(t, clock))
	sub := c.Subscribe()
	defer sub.Close()
	web := c.Door(webCaller("192.0.2.20"))
	a, err := web.Login(AdminUser, firstPassword)
	if err != nil {
		t.Fatal(err)
	}
	b, err := web.Login(AdminUser, firstPassword)
	if err != nil {
		t.Fatal(err)
	}
	oldToken := a.Token()
	if err := a.ChangePassword(firstPassword, otherPassword); err != nil {
		t.Fatal(err)
	}
	if console.Active() || b.Active() {
		t.Fatal("a session outlived the password change")
	}
	if !a.Active() || a.Token() == "" || a.Token() == oldToken {
		t.Fatalf("the changer's session: active %v, token renewed %v", a.Active(), a.Token() != oldToken)
	}
	if _, err := web.Resume(oldToken); !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("the old token after the change: %v", err)
	}
	if _, err := web.Resume(a.Token()); err != nil {
		t.Fatalf("the new token: %v", err)
	}
	var kinds []string
	for evs, _ := sub.Events(); len(evs) > 0; evs, _ = sub.Events() {
		for _, e := range evs {
			kinds = append(kinds, fmt.Sprintf("%s by %s", e.Kind, e.Caller))
		}
	}
	if len(kinds) != 1 || kinds[0] != "password-changed by web 192.0.2.20" {
		t.Fatalf("events %q", kinds)
	}
}

// TestNetworkResetThroughTickets is a web reset: the proof's ticket
// crosses requests as a token, once.
func TestNetworkResetThroughTickets(t *testing.T) {
	clock := newFakeClock()
	c, s := activatedCore(t, lanOptions(t, clock))
	setQuestions(t, s)
	web := c.Door(webCaller("192.0.2.20"))
	tk, err := web.VerifyAnswers(rightAnswers)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Token() == "" {
		t.Fatal("a network ticket without a token")
	}
	if _, err := c.Console().Ticket(tk.Token()); !errors.Is(err, ErrTicketInvalid) {
		t.Fatalf("the console door took a network ticket: %v", err)
	}
	got, err := c.Door(webCaller("192.0.2.20")).Ticket(tk.Token())
	if err != nil {
		t.Fatal(err)
	}
	ns, err := got.SetPassword(otherPassword)
	if err != nil {
		t.Fatal(err)
	}
	if ns.Token() == "" || s.Active() {
		t.Fatalf("after a web reset: new token %q, console session active %v", ns.Token(), s.Active())
	}
	if _, err := web.Ticket(tk.Token()); !errors.Is(err, ErrTicketInvalid) {
		t.Fatalf("the spent ticket: %v", err)
	}
	mustLogin(t, c, otherPassword)
}

// TestPendingGUIDExport: a web client's export crosses two requests in
// the session: the same file until it is confirmed, then none.
func TestPendingGUIDExport(t *testing.T) {
	c, _ := activatedCore(t, lanOptions(t, newFakeClock()))
	web := c.Door(webCaller("192.0.2.5"))
	s, err := web.Login(AdminUser, firstPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.PendingGUIDExport(); ok {
		t.Fatal("a pending export before any")
	}
	e, err := s.NewGUIDExport()
	if err != nil {
		t.Fatal(err)
	}
	again, err := web.Resume(s.Token())
	if err != nil {
		t.Fatal(err)
	}
	got, ok := again.PendingGUIDExport()
	if !ok || string(got.Data()) != string(e.Data()) {
		t.Fatal("the next request does not see the same pending export")
	}
	if stateOf(c.Console(), MethodGUID) == "ready" {
		t.Fatal("the GUID is set before the owner confirmed the download")
	}
	if err := again.ConfirmGUIDExport(got); err != nil {
		t.Fatal(err)
	}
	if _, ok := again.PendingGUIDExport(); ok {
		t.Fatal("still pending after the confirmation")
	}
	if _, err := c.Door(webCaller("192.0.2.5")).VerifyGUIDFile(e.Data()); err != nil {
		t.Fatalf("the confirmed file: %v", err)
	}
}

// TestSessionReadWhileChanging: the menu checks its session on the UI
// goroutine while a password change swaps it (run with -race).
func TestSessionReadWhileChanging(t *testing.T) {
	c, s := activatedCore(t, testOptions(t, newFakeClock()))
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
				s.Active()
				s.Touch()
				s.Expiry()
				_ = fmt.Sprint(s)
			}
		}
	}()
	pw := []string{firstPassword, otherPassword}
	for i := range 4 {
		if err := s.ChangePassword(pw[i%2], pw[(i+1)%2]); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	<-done
	if !s.Active() {
		t.Fatal("the changer's session ended")
	}
	mustLogin(t, c, firstPassword)
}

// TestTicketCopiesPerRequest: two requests with one ticket token act each
// for its own caller; the ticket is spent once.
func TestTicketCopiesPerRequest(t *testing.T) {
	clock := newFakeClock()
	opts := lanOptions(t, clock)
	c, s := activatedCore(t, opts)
	setQuestions(t, s)
	tk, err := c.Door(webCaller("192.0.2.20")).VerifyAnswers(rightAnswers)
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Door(webCaller("192.0.2.21")).Ticket(tk.Token())
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Door(webCaller("192.0.2.22")).Ticket(tk.Token())
	if err != nil {
		t.Fatal(err)
	}
	if a.caller.Addr == b.caller.Addr || tk.caller.Addr.String() != "192.0.2.20" {
		t.Fatalf("callers mixed: %v %v %v", tk.caller, a.caller, b.caller)
	}
	if got := fmt.Sprintf("%v %+v %#v %s", a, a, a, a); strings.Contains(got, tk.Token()) {
		t.Fatalf("a ticket prints its token: %s", got)
	}
	if _, err := a.SetPassword(otherPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetPassword("Terza#Parola31"); !errors.Is(err, ErrTicketInvalid) {
		t.Fatalf("the same ticket through another request: %v, want ErrTicketInvalid", err)
	}
	if st := c.Console().Status(); st.PasswordFrom != "192.0.2.21" {
		t.Fatalf("the reset is recorded from %q, want the request that made it", st.PasswordFrom)
	}
}

// TestPendingExportNeedsAFreshPassword: a walk-up at an open browser tab,
// after the owner's password is more than 10 minutes old, can neither
// download nor confirm the pending GUID file.
func TestPendingExportNeedsAFreshPassword(t *testing.T) {
	clock := newFakeClock()
	c, _ := activatedCore(t, lanOptions(t, clock))
	web := c.Door(webCaller("192.0.2.5"))
	s, err := web.Login(AdminUser, firstPassword)
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.NewGUIDExport()
	if err != nil {
		t.Fatal(err)
	}
	for range 11 {
		clock.Advance(time.Minute)
		s.Touch() // the tab stays open
	}
	if _, ok := s.PendingGUIDExport(); ok {
		t.Fatal("the pending export outlived the fresh password")
	}
	if err := s.ConfirmGUIDExport(e); !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("confirming after 11 minutes: %v, want ErrReauthRequired", err)
	}
	if err := s.Reauthenticate(firstPassword); err != nil {
		t.Fatal(err)
	}
	if err := s.ConfirmGUIDExport(e); !errors.Is(err, ErrExportStale) {
		t.Fatalf("confirming the dropped export after reauthenticating: %v, want ErrExportStale", err)
	}
	e2, err := s.NewGUIDExport()
	if err != nil {
		t.Fatal(err)
	}
	e3, err := s.NewGUIDExport()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ConfirmGUIDExport(e2); !errors.Is(err, ErrExportStale) {
		t.Fatalf("confirming a replaced export: %v, want ErrExportStale", err)
	}
	if err := s.ConfirmGUIDExport(e3); err != nil {
		t.Fatal(err)
	}
	if err := s.ConfirmGUIDExport(e3); !errors.Is(err, ErrExportStale) {
		t.Fatalf("confirming twice: %v, want ErrExportStale", err)
	}
}
