package recovery

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// exportGUID makes and confirms a GUID export, returning the file's bytes.
func exportGUID(t *testing.T, s *Session) (name string, data []byte) {
	t.Helper()
	e, err := s.NewGUIDExport()
	if err != nil {
		t.Fatalf("NewGUIDExport: %v", err)
	}
	if err := s.ConfirmGUIDExport(e); err != nil {
		t.Fatalf("ConfirmGUIDExport: %v", err)
	}
	return e.FileName, e.Data()
}

func TestGUIDFileNameAndFormat(t *testing.T) {
	clock := newFakeClock()
	c, s := activatedCore(t, testOptions(t, clock))
	e, err := s.NewGUIDExport()
	if err != nil {
		t.Fatal(err)
	}
	if want := testSerial + "_20270314_093000.nvrguid"; e.FileName != want {
		t.Fatalf("file name %q, want %q", e.FileName, want)
	}
	if serial, ok := GUIDFileSerial(e.FileName); !ok || serial != testSerial {
		t.Fatalf("GUIDFileSerial(%q) = %q, %v", e.FileName, serial, ok)
	}
	f, err := ParseGUIDFile(e.Data())
	if err != nil {
		t.Fatal(err)
	}
	if f.Serial != testSerial || len(f.ID) != 32 || !bytes.Equal(f.Marshal(), e.Data()) {
		t.Fatalf("round trip: %v", f)
	}
	secretHex := strings.TrimPrefix(strings.Split(string(e.Data()), "\n")[3], "secret ")
	for _, shown := range []string{f.String(), e.String(), strings.Join([]string{f.GoString()}, "")} {
		if strings.Contains(shown, secretHex) {
			t.Fatalf("secret printed by %q", shown)
		}
	}
	// Until confirmed, the device has no GUID.
	if stateOf(c.Console(), MethodGUID) != "not-set-up" {
		t.Fatal("an unconfirmed export changed the device")
	}
}

func TestGUIDFileSerial(t *testing.T) {
	for _, tc := range []struct {
		name, serial string
		ok           bool
	}{
		{"NVR0012345_20261125_0930.nvrguid", "NVR0012345", true},
		{"NVR0012345_20261125_093015.nvrguid", "NVR0012345", true},
		{"NVR0012345_20261125_09301.nvrguid", "", false},
		{"NVR0012345_20261125_0930_15.nvrguid", "", false},
		{"nvr0012345_20261125_0930.NVRGUID", "NVR0012345", true},
		{"A-B_20261125_0930.nvrguid", "A-B", true},
		{"NVR0012345_20261125_0930.guid", "", false},
		{"NVR0012345_2026112_0930.nvrguid", "", false},
		{"NVR0012345-20261125-0930.nvrguid", "", false},
		{"_20261125_0930.nvrguid", "", false},
		{"NVR/123_20261125_0930.nvrguid", "", false},
		{".nvrguid", "", false},
		{"NVR\x1b[2J_20261125_0930.nvrguid", "", false},
		{strings.Repeat("A", 33) + "_20261125_0930.nvrguid", "", false},
	} {
		serial, ok := GUIDFileSerial(tc.name)
		if serial != tc.serial || ok != tc.ok {
			t.Errorf("GUIDFileSerial(%q) = %q, %v; want %q, %v", tc.name, serial, ok, tc.serial, tc.ok)
		}
	}
}

func TestParseGUIDFileRefuses(t *testing.T) {
	id := strings.Repeat("ab", 16)
	secret := strings.Repeat("0f", 32)
	good := "nvrmenu-guid v1\nserial NVR1\nid " + id + "\nsecret " + secret + "\n"
	if _, err := ParseGUIDFile([]byte(good)); err != nil {
		t.Fatalf("good file refused: %v", err)
	}
	for name, accepted := range map[string]string{
		"crlf":             strings.ReplaceAll(good, "\n", "\r\n"),
		"no final newline": strings.TrimSuffix(good, "\n"),
		"byte order mark":  "\ufeff" + good,
	} {
		if _, err := ParseGUIDFile([]byte(accepted)); err != nil {
			t.Errorf("%s: refused: %v", name, err)
		}
	}
	for name, bad := range map[string]string{
		"empty":             "",
		"other header":      strings.Replace(good, "v1", "v2", 1),
		"uppercase hex":     strings.Replace(good, id, strings.ToUpper(id), 1),
		"short secret":      strings.Replace(good, secret, secret[:62], 1),
		"extra line":        good + "x\n",
		"blank line at end": good + "\n",
		"missing line":      strings.Replace(good, "serial NVR1\n", "", 1),
		"lowercase serial":  strings.Replace(good, "NVR1", "nvr1", 1),
		"serial with slash": strings.Replace(good, "NVR1", "NVR/1", 1),
		"two spaces":        strings.Replace(good, "id ", "id  ", 1),
		"lines swapped":     "nvrmenu-guid v1\nid " + id + "\nserial NVR1\nsecret " + secret + "\n",
		"escape in serial":  strings.Replace(good, "NVR1", "\x1b[31m", 1),
		"over 4 KiB":        good + strings.Repeat(" ", MaxGUIDFileLen),
		"nul":               strings.Replace(good, "NVR1", "NVR1\x00", 1),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseGUIDFile([]byte(bad)); !errors.Is(err, ErrGUIDMalformed) {
				t.Fatalf("got %v, want ErrGUIDMalformed", err)
			}
		})
	}
}

func TestGUIDResetFlow(t *testing.T) {
	clock := newFakeClock()
	opts := testOptions(t, clock)
	c, s := activatedCore(t, opts)
	_, file := exportGUID(t, s)
	s.Logout()
	if stateOf(c.Console(), MethodGUID) != "ready" {
		t.Fatal("GUID not ready after export")
	}

	ticket, err := c.Console().VerifyGUIDFile(file)
	if err != nil {
		t.Fatalf("VerifyGUIDFile: %v", err)
	}
	// Giving up halfway spends nothing: the file still works.
	if _, err := c.Console().VerifyGUIDFile(file); err != nil {
		t.Fatalf("GUID refused before the reset completed: %v", err)
	}
	admin, err := ticket.SetPassword(otherPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !admin.Active() {
		t.Fatal("no admin session after the reset: the menu could not offer a fresh export")
	}
	c = reopen(t, c, opts)
	mustLogin(t, c, otherPassword)
	if _, err := c.Console().Login(AdminUser, firstPassword); !errors.Is(err, ErrWrongCredentials) {
		t.Fatalf("old password after reset: %v", err)
	}
	if got := stateOf(c.Console(), MethodGUID); got != "expired" {
		t.Fatalf("GUID state after a reset %v, want expired", got)
	}
	if _, err := c.Console().VerifyGUIDFile(file); !errors.Is(err, ErrGUIDExpired) {
		t.Fatalf("used GUID file: %v, want ErrGUIDExpired", err)
	}
}

func TestGUIDOutcomes(t *testing.T) {
	clock := newFakeClock()
	opts := testOptions(t, clock)
	c, s := activatedCore(t, opts)
	_, current := exportGUID(t, s)
	cur, _ := ParseGUIDFile(current)

	otherDevice := cur
	otherDevice.Serial = "NVROTHER"
	wrongSecret := cur
	wrongSecret.secret[0] ^= 1
	unknownID := cur
	unknownID.ID = strings.Repeat("cd", 16)

	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"another device", otherDevice.Marshal(), ErrGUIDOtherDevice},
		{"wrong secret", wrongSecret.Marshal(), ErrGUIDWrong},
		{"unknown id", unknownID.Marshal(), ErrGUIDWrong},
		{"not a GUID file", []byte("\x89PNG..."), ErrGUIDMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Console().VerifyGUIDFile(tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	// A wrong secret and an unknown id read exactly alike.
	_, e1 := c.Console().VerifyGUIDFile(wrongSecret.Marshal())
	_, e2 := c.Console().VerifyGUIDFile(unknownID.Marshal())
	if errors.Unwrap(e1).Error() != errors.Unwrap(e2).Error() {
		t.Fatalf("wrong secret %q and unknown id %q are told apart", e1, e2)
	}
}

func TestNewGUIDExportKeepsOldUntilConfirmed(t *testing.T) {
	c, s := activatedCore(t, testOptions(t, newFakeClock()))
	_, old := exportGUID(t, s)
	e, err := s.NewGUIDExport()
	if err != nil {
		t.Fatal(err)
	}
	// Writing the new file failed (say, the stick was pulled): the old
	// file still works and the new one does not.
	if _, err := c.Console().VerifyGUIDFile(old); err != nil {
		t.Fatalf("old GUID before the new one is confirmed: %v", err)
	}
	if _, err := c.Console().VerifyGUIDFile(e.Data()); !errors.Is(err, ErrGUIDWrong) {
		t.Fatalf("unconfirmed GUID: %v, want ErrGUIDWrong", err)
	}
	if err := s.ConfirmGUIDExport(e); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Console().VerifyGUIDFile(old); !errors.Is(err, ErrGUIDExpired) {
		t.Fatalf("replaced GUID: %v, want ErrGUIDExpired", err)
	}
	if _, err := c.Console().VerifyGUIDFile(e.Data()); err != nil {
		t.Fatalf("new GUID: %v", err)
	}
}

func TestGUIDLockoutAfterSevenWrongFiles(t *testing.T) {
	clock := newFakeClock()
	c, s := activatedCore(t, testOptions(t, clock))
	_, good := exportGUID(t, s)
	f, _ := ParseGUIDFile(good)
	f.secret[5] ^= 0xff
	bad := f.Marshal()
	for i := 1; i <= 6; i++ {
		var ae *AttemptError
		if _, err := c.Console().VerifyGUIDFile(bad); !errors.As(err, &ae) || ae.TriesLeft != 7-i {
			t.Fatalf("wrong file %d: %v, want %d tries left", i, err, 7-i)
		}
	}
	var ae *AttemptError
	if _, err := c.Console().VerifyGUIDFile(bad); !errors.As(err, &ae) || ae.LockedFor != 30*time.Minute {
		t.Fatalf("seventh wrong file: %v, want a 30 minute lock", err)
	}
	if _, err := c.Console().VerifyGUIDFile(good); !errors.Is(err, ErrLocked) {
		t.Fatalf("right file while locked: %v, want ErrLocked", err)
	}
	clock.Advance(30 * time.Minute)
	if _, err := c.Console().VerifyGUIDFile(good); err != nil {
		t.Fatalf("right file after the lock: %v", err)
	}
}

func TestPasswordChangeExpiresGUID(t *testing.T) {
	c, s := activatedCore(t, testOptions(t, newFakeClock()))
	_, file := exportGUID(t, s)
	if err := s.ChangePassword(firstPassword, otherPassword); err != nil {
		t.Fatal(err)
	}
	if got := stateOf(c.Console(), MethodGUID); got != "expired" {
		t.Fatalf("GUID after a password change: %v, want expired", got)
	}
	if _, err := c.Console().VerifyGUIDFile(file); !errors.Is(err, ErrGUIDExpired) {
		t.Fatalf("GUID file after a password change: %v, want ErrGUIDExpired", err)
	}
}

func TestTicketExpiresAndGoesStale(t *testing.T) {
	clock := newFakeClock()
	c, s := activatedCore(t, testOptions(t, clock))
	_, file := exportGUID(t, s)
	ticket, err := c.Console().VerifyGUIDFile(file)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Minute)
	if _, err := ticket.SetPassword(otherPassword); !errors.Is(err, ErrTicketInvalid) {
		t.Fatalf("ticket after 10 minutes: %v, want ErrTicketInvalid", err)
	}
	s = mustLogin(t, c, firstPassword) // the idle session ended meanwhile
	// A ticket whose GUID was replaced meanwhile is stale too.
	ticket, err = c.Console().VerifyGUIDFile(file)
	if err != nil {
		t.Fatal(err)
	}
	exportGUID(t, s)
	if _, err := ticket.SetPassword(otherPassword); !errors.Is(err, ErrTicketInvalid) {
		t.Fatalf("ticket of a replaced GUID: %v, want ErrTicketInvalid", err)
	}
}

func FuzzParseGUIDFile(f *testing.F) {
	f.Add([]byte("nvrmenu-guid v1\nserial NVR1\nid " + strings.Repeat("ab", 16) + "\nsecret " + strings.Repeat("0f", 32) + "\n"))
	f.Add([]byte("nvrmenu-guid v1\r\nserial A\r\nid 0\r\nsecret 1"))
	f.Add([]byte("\ufeff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ParseGUIDFile(data)
		if err != nil {
			if !errors.Is(err, ErrGUIDMalformed) {
				t.Fatalf("error %v does not wrap ErrGUIDMalformed", err)
			}
			return
		}
		if len(data) > MaxGUIDFileLen {
			t.Fatalf("accepted %d bytes", len(data))
		}
		again, err := ParseGUIDFile(g.Marshal())
		if err != nil || again != g {
			t.Fatalf("canonical form does not round-trip: %v", err)
		}
	})
}

func TestGUIDExportNeverPrintsItsSecret(t *testing.T) {
	_, s := activatedCore(t, testOptions(t, newFakeClock()))
	e, err := s.NewGUIDExport()
	if err != nil {
		t.Fatal(err)
	}
	secretHex := strings.TrimPrefix(strings.Split(string(e.Data()), "\n")[3], "secret ")
	f, _ := ParseGUIDFile(e.Data())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d", "%q"} {
		for _, v := range []any{e, *e, f} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, secretHex) || strings.Contains(out, secretHex[:16]) {
				t.Fatalf("%s of %T prints the secret: %s", verb, v, out)
			}
		}
	}
}

// TestExpiredGUIDFileRefusedUncounted (#19.4): this device's own GUID file,
// after its GUID expired, is refused as expired on its day, replaced by a
// newer one or by a password change, and costs no try: twenty of them
// leave the GUID method as it was, and the current file still opens it.
//
// Why this leaks nothing an attacker could use: the uncounted answer needs
// the genuine old file, its 128-bit id and its 256-bit secret, whose
// SHA-256 the device kept when the GUID expired (the secret opens nothing
// any more: keeping its hash gives away nothing that works). Someone who
// holds that file learns its expiry day and why, which the owner who
// exported it already knows; nothing about the current GUID, whose secret
// is never compared on this path. A file that only copies an old id (or
// has any other secret) is not authenticated: it takes the counted path as
// before, so the uncounted one cannot be used to try secrets for free. An
// old GUID of a state written before the hashes were kept cannot be told
// from such a forgery: its file is counted, as it always was.
func TestExpiredGUIDFileRefusedUncounted(t *testing.T) {
	clock := newFakeClock()
	opts := testOptions(t, clock)
	c, s := activatedCore(t, opts)
	_, first := exportGUID(t, s)
	clock.Advance(48 * time.Hour)
	replacedOn := clock.Now().UTC().Format(time.DateOnly)
	s = mustLogin(t, c, firstPassword)
	_, current := exportGUID(t, s)

	door := c.Console()
	if st := door.GUIDFileState(current); !st.Current {
		t.Fatalf("the current file's state: %+v, want current", st)
	}
	if st := door.GUIDFileState(first); st.Current || st.Expired.IsZero() || !st.Replaced {
		t.Fatalf("the replaced file's state: %+v, want expired, replaced", st)
	}
	for i := range 20 {
		_, err := door.VerifyGUIDFile(first)
		var expired *GUIDExpiredError
		var counted *AttemptError
		if !errors.As(err, &expired) || errors.As(err, &counted) || !errors.Is(err, ErrGUIDExpired) {
			t.Fatalf("try %d with the replaced file: %v, want an uncounted expiry", i+1, err)
		}
		if p := Explain(err); p.Code != "guid-expired" || p.ExpiredOn != replacedOn || !p.Replaced || p.Counted {
			t.Fatalf("explained as %+v, want expired on %s, replaced, not counted", p, replacedOn)
		}
	}
	if got := stateOf(door, MethodGUID); got != "ready" {
		t.Fatalf("after twenty expired files the GUID method is %s, want ready", got)
	}

	// A forgery of the old id, with another secret: counted.
	forged, _ := ParseGUIDFile(first)
	forged.secret[0] ^= 1
	var counted *AttemptError
	if _, err := door.VerifyGUIDFile(forged.Marshal()); !errors.As(err, &counted) || !errors.Is(err, ErrGUIDExpired) || counted.TriesLeft != 6 {
		t.Fatalf("a forged old id: %v, want a counted expiry, 6 tries left", err)
	}
	if st := door.GUIDFileState(forged.Marshal()); st != (GUIDFileState{}) {
		t.Fatalf("the forgery's state: %+v, want nothing known", st)
	}

	// A password change expires the current file: its day, not replaced.
	clock.Advance(24 * time.Hour)
	changedOn := clock.Now().UTC().Format(time.DateOnly)
	s = mustLogin(t, c, firstPassword)
	if err := s.ChangePassword(firstPassword, otherPassword); err != nil {
		t.Fatal(err)
	}
	_, err := door.VerifyGUIDFile(current)
	if p := Explain(err); p.Code != "guid-expired" || p.ExpiredOn != changedOn || p.Replaced || p.Counted {
		t.Fatalf("the file after a password change: %+v (%v), want expired on %s by the password, not counted", p, err, changedOn)
	}

	// An old GUID kept without its hash (a state written before it was
	// kept): its file is counted, as before.
	c.mu.Lock()
	err = c.commit(func(next *state) error {
		for i := range next.OldGUIDs {
			next.OldGUIDs[i].SecretHash = ""
		}
		return nil
	})
	c.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := door.VerifyGUIDFile(first); !errors.As(err, &counted) || !errors.Is(err, ErrGUIDExpired) {
		t.Fatalf("an old GUID without its hash: %v, want a counted expiry", err)
	}
}
