package recovery

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fullState makes a device with everything a state file can hold — every
// method set up, a pending code for each class, failures and a lock for
// each class — and returns its state file's bytes.
func fullState(t *testing.T) []byte {
	t.Helper()
	clock := newFakeClock()
	c, s, _, opts := emailCore(t, clock)
	c.opts.Throttle = ThrottlePolicy{Burst: 1 << 20, Every: time.Nanosecond}
	c.throttle.p = c.opts.Throttle
	setQuestions(t, s)
	exportGUID(t, s)
	exportGUID(t, s) // an old GUID too
	web := c.Door(webCaller("192.0.2.20"))
	for _, d := range []*Door{c.Console(), web} {
		if _, err := d.EmailChallenge(); err != nil {
			t.Fatal(err)
		}
		if _, err := d.VerifyAnswers([3]string{"no", "nope", "never"}); !errors.Is(err, ErrWrongAnswers) {
			t.Fatal(err)
		}
		for range 5 {
			if _, err := d.Login(AdminUser, "Sbagliata#99"); !errors.Is(err, ErrWrongCredentials) {
				t.Fatal(err)
			}
		}
	}
	for _, class := range classes {
		ds := c.st.Doors[class]
		if c.st.Challenges[class] == nil || ds == nil || ds.Locks[MethodLogin].LockFor == 0 || ds.failures(MethodQuestions) != 1 {
			t.Fatalf("the fixture lacks %s's challenge, lock or failures", class)
		}
	}
	data, err := os.ReadFile(statePath(opts.StateDir))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// canonical is a state as its own encoding, to compare two states.
func canonical(t *testing.T, st *state) string {
	t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestNoFlipLoadsAsAnotherState flips every bit of every byte of a real
// state file, one at a time: none may load as a different valid state.
// (A flip in the whitespace around the checksummed state may still load:
// as the very same state.)
func TestNoFlipLoadsAsAnotherState(t *testing.T) {
	data := fullState(t)
	orig, err := decodeState(data)
	if err != nil {
		t.Fatal(err)
	}
	want := canonical(t, orig)
	flips, loaded := 0, 0
	flipped := make([]byte, len(data))
	for i := range data {
		for bit := range 8 {
			copy(flipped, data)
			flipped[i] ^= 1 << bit
			flips++
			st, err := decodeState(flipped)
			if err != nil {
				if !errors.Is(err, ErrStateCorrupt) {
					t.Fatalf("byte %d bit %d: error %v is not ErrStateCorrupt", i, bit, err)
				}
				continue
			}
			loaded++
			if got := canonical(t, st); got != want {
				t.Fatalf("byte %d (%q) bit %d loads as a different state", i, data[i], bit)
			}
		}
	}
	t.Logf("%d flips of a %d-byte state file: %d loaded, all as the same state", flips, len(data), loaded)
}

// TestOldFormatStillLoads: a version 1 file (as the first builds wrote it)
// loads, with its counters and code as the console's, and is rewritten as
// version 2 at the next change.
func TestOldFormatStillLoads(t *testing.T) {
	clock := newFakeClock()
	opts := testOptions(t, clock)
	c, _ := activatedCore(t, opts)
	hash := c.st.Admin.Hash
	c.Close()
	v1 := `{"version": 1, "tick": 60000000000, "kdf": {"m": 64, "t": 1, "p": 1},
  "admin": {"hash": "` + hash + `", "changed": "2027-03-14T09:30:00Z", "generation": 3},
  "locks": {"login": {"failures": 2, "locks": 0}}, "recent_failures": [50000000000, 55000000000]}`
	path := statePath(opts.StateDir)
	if err := os.WriteFile(path, []byte(v1), 0o600); err != nil {
		t.Fatal(err)
	}
	c = openCore(t, opts)
	if got := c.st.doorOf(ClassConsole).failures(MethodLogin); got != 2 {
		t.Fatalf("the console's failures after the upgrade: %d, want 2", got)
	}
	var ae *AttemptError
	if _, err := c.Console().Login(AdminUser, "Sbagliata#99"); !errors.As(err, &ae) || ae.TriesLeft != 2 {
		t.Fatalf("a wrong login after the upgrade: %v, want 2 tries left", err)
	}
	data, _ := os.ReadFile(path)
	if !bytes.Contains(data, []byte(`"version": 2`)) || !bytes.Contains(data, []byte(`"sha256"`)) {
		t.Fatalf("not rewritten as version 2:\n%s", data)
	}
	prev, _ := os.ReadFile(filepath.Join(opts.StateDir, PrevStateFileName))
	if string(prev) != v1 {
		t.Fatal("the version 1 file is not kept as the previous one")
	}
}

// TestPreviousFileKept: every write keeps the file it replaces, by link
// or copy, and state.json never goes missing; a lost state.json with its
// .prev present is a fault, never a new device.
func TestPreviousFileKept(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	c, s := activatedCore(t, opts)
	path := statePath(opts.StateDir)
	prevPath := filepath.Join(opts.StateDir, PrevStateFileName)
	for range 3 {
		before, _ := os.ReadFile(path)
		setQuestions(t, s)
		prev, err := os.ReadFile(prevPath)
		if err != nil || !bytes.Equal(prev, before) {
			t.Fatalf("after a write, %s is not the file it replaced (%v)", PrevStateFileName, err)
		}
		if fi, err := os.Stat(prevPath); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s mode: %v %v", PrevStateFileName, fi.Mode(), err)
		}
	}
	// Where links are not supported, the previous file is copied.
	linkFile = func(string, string) error { return &os.LinkError{Op: "link", Err: syscall.EPERM} }
	before, _ := os.ReadFile(path)
	setQuestions(t, s)
	linkFile = os.Link
	if prev, err := os.ReadFile(prevPath); err != nil || !bytes.Equal(prev, before) {
		t.Fatalf("without links, %s is not a copy of the file it replaced (%v)", PrevStateFileName, err)
	}
	c.Close()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	_, err := Open(opts)
	var se *StateError
	if !errors.As(err, &se) || se.Prev != prevPath || !strings.Contains(err.Error(), "copy "+prevPath) {
		t.Fatalf("state.json gone, .prev there: %v, want a StateError naming %s", err, prevPath)
	}
	// Going back to .prev, as the fault screen says, works.
	prev, _ := os.ReadFile(prevPath)
	os.WriteFile(path, prev, 0o600)
	c = openCore(t, opts)
	mustLogin(t, c, firstPassword)
}
