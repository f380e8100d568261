package recovery

import (
	"bytes"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nvrmenu/internal/dirlock"
	"nvrmenu/internal/notify"
	"nvrmenu/internal/payload"
	"nvrmenu/internal/pwpolicy"
)

func TestActivation(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	calibrated := KDFParams{MemoryKiB: 128, Time: 3, Threads: 1}
	opts.Calibrate = func() KDFParams { return calibrated }
	c := openCore(t, opts)
	if _, err := c.Console().Activate("admin12345"); !errors.Is(err, pwpolicy.ErrRefused) {
		t.Fatalf("Activate with a refused password: %v", err)
	}
	s, err := c.Console().Activate(firstPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Active() || !c.Console().Activated() {
		t.Fatal("activation gave no live session")
	}
	if _, err := c.Console().Activate(otherPassword); !errors.Is(err, ErrAlreadyActivated) {
		t.Fatalf("second Activate: %v, want ErrAlreadyActivated", err)
	}
	// The calibrated cost is stored with the hash and used for new hashes.
	if p, _, _, _ := parsePHC(c.st.Admin.Hash); p != calibrated {
		t.Fatalf("admin hash made with %v, want the calibrated %v", p, calibrated)
	}
	c = reopen(t, c, opts)
	mustLogin(t, c, firstPassword)
	if c.kdfParams() != calibrated {
		t.Fatalf("after reboot new hashes use %v, want %v", c.kdfParams(), calibrated)
	}
}

func TestLoginAndSessions(t *testing.T) {
	c, first := activatedCore(t, testOptions(t, newFakeClock()))
	for _, tc := range []struct {
		user, password string
		want           error
	}{
		{"admin", "Gatto!Nero7", ErrWrongCredentials},
		{"Admin", firstPassword, ErrWrongCredentials},
		{"root", firstPassword, ErrWrongCredentials},
		// A stored hash is not a password (Dahua CVE-2017-7925).
		{"admin", c.st.Admin.Hash, ErrWrongCredentials},
	} {
		if _, err := c.Console().Login(tc.user, tc.password); !errors.Is(err, tc.want) {
			t.Errorf("Login(%q, %q) = %v, want %v", tc.user, tc.password, err, tc.want)
		}
	}
	second := mustLogin(t, c, firstPassword)
	if first.Active() {
		t.Fatal("a new login left the previous session alive")
	}
	second.Logout()
	if _, err := second.NewGUIDExport(); !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("export after logout: %v, want ErrSessionEnded", err)
	}
	if err := second.SetRecoveryEmail(testEmail); !errors.Is(err, ErrSessionEnded) {
		t.Fatalf("email after logout: %v, want ErrSessionEnded", err)
	}
}

func TestChangePassword(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	c, s := activatedCore(t, opts)
	for _, tc := range []struct {
		name, current, next string
		want                error
	}{
		{"wrong current", "Sbagliata#1", otherPassword, ErrWrongCredentials},
		{"refused new", firstPassword, "password", pwpolicy.ErrRefused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.ChangePassword(tc.current, tc.next); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	if err := s.ChangePassword(firstPassword, otherPassword); err != nil {
		t.Fatal(err)
	}
	c = reopen(t, c, opts)
	mustLogin(t, c, otherPassword)
	if _, err := c.Console().Login(AdminUser, firstPassword); !errors.Is(err, ErrWrongCredentials) {
		t.Fatalf("old password after change: %v", err)
	}
}

func TestNotifierRunsAfterPasswordChange(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "notified")
	script := filepath.Join(dir, "reload.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s' \"$NVRMENU_EVENT\" > "+out+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	opts := testOptions(t, newFakeClock())
	opts.Notifier = notify.Command{Argv: []string{script}, Timeout: 10 * time.Second}
	c, s := activatedCore(t, opts)
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("notifier ran at activation, before any password change")
	}
	if err := s.ChangePassword(firstPassword, otherPassword); err != nil {
		t.Fatal(err)
	}
	c.Close() // waits for the notification
	got, err := os.ReadFile(out)
	if err != nil || string(got) != string(EventPasswordChanged) {
		t.Fatalf("notifier wrote %q, %v; want %q", got, err, EventPasswordChanged)
	}
}

// TestNoSecretInStateOrAudit runs every flow and then searches the state
// directory for every secret that went through the core.
func TestNoSecretInStateOrAudit(t *testing.T) {
	clock := newFakeClock()
	c, s, vendor, opts := emailCore(t, clock)
	setQuestions(t, s)
	e, err := s.NewGUIDExport()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ConfirmGUIDExport(e); err != nil {
		t.Fatal(err)
	}
	guidSecret := strings.TrimPrefix(strings.Split(string(e.Data()), "\n")[3], "secret ")
	ch, err := c.Console().EmailChallenge()
	if err != nil {
		t.Fatal(err)
	}
	code := vendorCode(t, vendor, ch)
	_ = wrongLogin(c)
	_, _ = c.Console().VerifyAnswers([3]string{"sbagliata", "anche", "questa"})
	_, _ = c.Console().VerifyEmailCode("WRONG-CDE")
	ticket, err := c.Console().VerifyEmailCode(code)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ticket.SetPassword(otherPassword); err != nil {
		t.Fatal(err)
	}
	c.Close()

	secrets := []string{firstPassword, otherPassword, "Sbagliata#99", guidSecret, code, payload.FormatCode(code), "sbagliata", "WR0NGCDE"}
	for _, a := range rightAnswers {
		secrets = append(secrets, a, NormalizeAnswer(a))
	}
	var audit []byte
	entries, _ := os.ReadDir(opts.StateDir)
	for _, ent := range entries {
		data, err := os.ReadFile(filepath.Join(opts.StateDir, ent.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(ent.Name(), "audit") {
			audit = append(audit, data...)
		}
		for _, sec := range secrets {
			if bytes.Contains(bytes.ToLower(data), bytes.ToLower([]byte(sec))) {
				t.Errorf("%s contains the secret %q", ent.Name(), sec)
			}
		}
	}
	if bytes.Count(audit, []byte("\n")) < 8 {
		t.Fatalf("audit log has too few records:\n%s", audit)
	}
	for _, outcome := range []string{"wrong-password", "wrong-answers", "wrong-code", "password-reset"} {
		if !bytes.Contains(audit, []byte(outcome)) {
			t.Errorf("audit log lacks %q:\n%s", outcome, audit)
		}
	}
}

func TestOpenRefusesBadOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Options)
	}{
		{"no state dir", func(o *Options) { o.StateDir = "" }},
		{"serial with slash", func(o *Options) { o.Serial = "NVR/1" }},
		{"lowercase serial", func(o *Options) { o.Serial = "nvr1" }},
		{"serial too long", func(o *Options) { o.Serial = strings.Repeat("A", 33) }},
		{"kdf out of bounds", func(o *Options) { o.KDF = KDFParams{MemoryKiB: 1, Time: 1, Threads: 1} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions(t, newFakeClock())
			tc.edit(&opts)
			if _, err := Open(opts); err == nil {
				t.Fatal("Open accepted bad options")
			}
		})
	}
}

func TestRandomFailureIsAnError(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	c, s := activatedCore(t, opts)
	c.opts.Rand = bytes.NewReader(nil) // an exhausted entropy source
	if _, err := s.NewGUIDExport(); err == nil {
		t.Fatal("GUID export with no randomness succeeded")
	}
	c.opts.Rand = rand.Reader
	if _, err := s.NewGUIDExport(); err != nil {
		t.Fatal(err)
	}
}

func TestRecoverySetupNeedsAFreshPassword(t *testing.T) {
	clock := newFakeClock()
	c, s, _, _ := emailCore(t, clock)
	// The admin walked away from a console someone else keeps busy: the
	// session stays open, but the password was typed 11 minutes ago.
	for range 11 {
		clock.Advance(time.Minute)
		s.Touch()
	}
	cat := QuestionCatalogue()
	for name, change := range map[string]func() error{
		"email": func() error { return s.SetRecoveryEmail("intruso@esempio.it") },
		"questions": func() error {
			return s.SetSecurityQuestions([3]QuestionAnswer{{cat[0], "aa"}, {cat[1], "bb"}, {cat[2], "cc"}})
		},
		"guid": func() error { _, err := s.NewGUIDExport(); return err },
	} {
		if err := change(); !errors.Is(err, ErrReauthRequired) {
			t.Errorf("%s after 11 idle minutes: %v, want ErrReauthRequired", name, err)
		}
	}
	if err := s.Reauthenticate("Sbagliata#99"); !errors.Is(err, ErrWrongCredentials) {
		t.Fatalf("Reauthenticate with a wrong password: %v", err)
	}
	if err := s.Reauthenticate(firstPassword); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRecoveryEmail("anna@esempio.it"); err != nil {
		t.Fatalf("after Reauthenticate: %v", err)
	}
	if got := c.Console().Journey().Method(MethodEmail).MaskedEmail; got != "a***a@esempio.it" {
		t.Fatalf("masked email %q", got)
	}
}

// TestSessionCheckAndLogoutDoNotWait: the menu asks whether its session is
// live and ends it on its UI goroutine; neither may wait for another call
// holding the core's lock (an argon2id verification takes a second on a
// recorder). With the lock held here, both must still return.
func TestSessionCheckAndLogoutDoNotWait(t *testing.T) {
	c, s := activatedCore(t, testOptions(t, newFakeClock()))
	c.mu.Lock()
	done := make(chan [2]bool)
	go func() {
		before := s.Active()
		s.Logout()
		done <- [2]bool{before, s.Active()}
	}()
	select {
	case got := <-done:
		c.mu.Unlock()
		if got != [2]bool{true, false} {
			t.Fatalf("Active before and after Logout: %v, want [true false]", got)
		}
	case <-time.After(30 * time.Second):
		c.mu.Unlock() // else the cleanup's Close waits forever
		t.Fatal("Session.Active or Logout waits for the core's lock")
	}
}

// TestOpenHonoursTheDirectoryLock: a core is refused on a state directory
// another holder has locked, and a core given the daemon's lock leaves it
// held when it closes (a configuration reload reopens the core, never the
// lock).
func TestOpenHonoursTheDirectoryLock(t *testing.T) {
	dir := t.TempDir()
	held, err := dirlock.TryLock(dir, dirlock.Holder{PID: 4242})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if _, err := Open(Options{StateDir: dir, Serial: testSerial, KDF: testKDF}); !errors.Is(err, dirlock.ErrLocked) {
		t.Fatalf("Open while another holds the directory: %v, want dirlock.ErrLocked", err)
	}
	c, err := Open(Options{StateDir: dir, Serial: testSerial, KDF: testKDF, DirLock: held})
	if err != nil {
		t.Fatalf("Open with the lock given: %v", err)
	}
	c.Close()
	if locked, _, _ := dirlock.Probe(dir); !locked {
		t.Fatal("closing a core let go of a lock it was given")
	}
}
