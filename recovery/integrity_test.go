package recovery

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// TestOldFormatStillLoads: a version 1 file (as the first builds wrote
// it), on a device that never wrote version 2, loads with its counters
// and code as the console's, and is rewritten as version 2 at once: the
// marker made, no .prev of version 1 kept.
func TestOldFormatStillLoads(t *testing.T) {
	clock := newFakeClock()
	elsewhere := testOptions(t, clock)
	c, _ := activatedCore(t, elsewhere)
	hash := c.st.Admin.Hash
	c.Close()
	opts := testOptions(t, clock) // a device the first builds ran on
	v1 := `{"version": 1, "tick": 60000000000, "kdf": {"m": 64, "t": 1, "p": 1},
  "admin": {"hash": "` + hash + `", "changed": "2027-03-14T09:30:00Z", "generation": 3},
  "locks": {"login": {"failures": 2, "locks": 0}}, "recent_failures": [50000000000, 55000000000]}`
	path := statePath(opts.StateDir)
	if err := os.WriteFile(path, []byte(v1), 0o600); err != nil {
		t.Fatal(err)
	}
	c = openCore(t, opts)
	data, _ := os.ReadFile(path)
	if !bytes.Contains(data, []byte(`"version": 2`)) || !bytes.Contains(data, []byte(`"sha256"`)) {
		t.Fatalf("not rewritten as version 2 at open:\n%s", data)
	}
	if _, err := os.Stat(filepath.Join(opts.StateDir, V2MarkerFileName)); err != nil {
		t.Fatalf("no version 2 marker after the upgrade: %v", err)
	}
	if _, err := os.Stat(filepath.Join(opts.StateDir, PrevStateFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a %s kept after the upgrade: %v", PrevStateFileName, err)
	}
	if got := c.st.doorOf(ClassConsole).failures(MethodLogin); got != 2 {
		t.Fatalf("the console's failures after the upgrade: %d, want 2", got)
	}
	var ae *AttemptError
	if _, err := c.Console().Login(AdminUser, "Sbagliata#99"); !errors.As(err, &ae) || ae.TriesLeft != 2 {
		t.Fatalf("a wrong login after the upgrade: %v, want 2 tries left", err)
	}
	// The device now refuses version 1, even its own old file.
	c.Close()
	os.WriteFile(path, []byte(v1), 0o600)
	if _, err := Open(opts); !errors.Is(err, ErrStateCorrupt) {
		t.Fatalf("the old version 1 file put back after the upgrade: %v, want ErrStateCorrupt", err)
	}
}

// TestVersion1OnlyWhereNoVersion2WasWritten: on a device that wrote
// version 2 (its state.json.prev, or the state.json.v2 marker, is there),
// a version 1 file can only be written by hand: it is a fault, never a
// new device to claim nor a device with its locks erased. A lost file is
// a fault there too.
func TestVersion1OnlyWhereNoVersion2WasWritten(t *testing.T) {
	for _, tc := range []struct {
		name string
		// v1 is the file written over state.json; "" removes it.
		v1       func(hash string) string
		keepPrev bool // state.json.prev left in place
		want     string
	}{
		{"new device by hand, .prev there", func(string) string { return `{"version":1}` }, true, "version 1 file"},
		{"new device by hand, .prev removed", func(string) string { return `{"version":1}` }, false, "version 1 file"},
		{"admin kept, counters dropped", func(h string) string {
			return `{"version":1,"kdf":{"m":64,"t":1,"p":1},"admin":{"hash":"` + h + `","changed":"2027-03-14T09:30:00Z","generation":1}}`
		}, true, "version 1 file"},
		{"admin kept, counters dropped, .prev removed", func(h string) string {
			return `{"version":1,"kdf":{"m":64,"t":1,"p":1},"admin":{"hash":"` + h + `","changed":"2027-03-14T09:30:00Z","generation":1}}`
		}, false, "version 1 file"},
		{"state.json and .prev removed", nil, false, "was lost"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions(t, newFakeClock())
			c, s := activatedCore(t, opts)
			setQuestions(t, s) // a second write: .prev exists
			for range 5 {
				wrongLogin(c)
			}
			hash := c.st.Admin.Hash
			c.Close()
			path := statePath(opts.StateDir)
			if !tc.keepPrev {
				os.Remove(filepath.Join(opts.StateDir, PrevStateFileName))
			}
			var content []byte
			if tc.v1 == nil {
				os.Remove(path)
			} else {
				content = []byte(tc.v1(hash))
				os.WriteFile(path, content, 0o600)
			}
			_, err := Open(opts)
			var se *StateError
			if !errors.As(err, &se) || !errors.Is(err, ErrStateCorrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Open: %v, want a StateError saying %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), V2MarkerFileName) {
				t.Fatalf("the error does not say to move %s away to start over: %v", V2MarkerFileName, err)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, content) {
				t.Fatal("the refused file was changed")
			}
		})
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

// TestHandWrittenFilesRefusedOrSame: on a device that wrote version 2,
// every file written by hand that differs from the one the daemon wrote —
// cut at any byte, any byte taken out, a character put in anywhere, the
// same state as version 1 (with its counters or without), the state
// re-indented or compacted, another version number, no checksum, two
// states in one file — is refused, or loads as exactly the same state
// (whitespace outside the checksummed state, the checksum in capitals).
// Each is loaded as the daemon loads it, from the state directory.
//
// What no file check can refuse is a file the daemon could have written
// itself: its own older file put back (the documented way back one
// change), or a state edited and resealed with a new SHA-256 — the
// checksum is there against rot, and whoever can write this root-only
// directory can compute one. Version 1 has no checksum at all, which is
// why it loads only where no version 2 was ever written.
func TestHandWrittenFilesRefusedOrSame(t *testing.T) {
	data := fullState(t)
	orig, err := decodeState(data)
	if err != nil {
		t.Fatal(err)
	}
	want := canonical(t, orig)
	dir := t.TempDir()
	if err := writeV2Marker(dir); err != nil {
		t.Fatal(err)
	}
	path := statePath(dir)
	refused, same := 0, 0
	judge := func(what string, file []byte) {
		t.Helper()
		if bytes.Equal(file, data) {
			return
		}
		if err := os.WriteFile(path, file, 0o600); err != nil {
			t.Fatal(err)
		}
		st, err := loadState(dir)
		if err != nil {
			var se *StateError
			if !errors.As(err, &se) {
				t.Fatalf("%s: error %v is not a StateError", what, err)
			}
			refused++
			return
		}
		if got := canonical(t, st); got != want {
			t.Fatalf("%s loads as a different state:\n%s", what, file)
		}
		same++
	}
	// The byte-by-byte edits, by the thousand, are judged as loadState
	// judges the bytes it read on this device (a version 1 file is
	// refused: the marker is there); the edits below go through the
	// file itself.
	judgeBytes := func(what string, file []byte) {
		t.Helper()
		if bytes.Equal(file, data) {
			return
		}
		st, version, err := decodeStateVersion(file)
		switch {
		case err != nil:
			if !errors.Is(err, ErrStateCorrupt) {
				t.Fatalf("%s: error %v is not ErrStateCorrupt", what, err)
			}
			refused++
		case version == 1:
			refused++
		case canonical(t, st) != want:
			t.Fatalf("%s loads as a different state:\n%s", what, file)
		default:
			same++
		}
	}
	for n := range len(data) {
		judgeBytes(fmt.Sprintf("cut at byte %d", n), data[:n])
	}
	for i := range data {
		judgeBytes(fmt.Sprintf("byte %d taken out", i), slices.Concat(data[:i], data[i+1:]))
		for _, c := range []byte{' ', '0', '"', ',', '}', '1'} {
			judgeBytes(fmt.Sprintf("%q put in at byte %d", c, i), slices.Concat(data[:i], []byte{c}, data[i:]))
		}
	}

	var file stateFile
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	var compact, indented bytes.Buffer
	json.Compact(&compact, file.State)
	json.Indent(&indented, file.State, "", "\t")
	v1 := func(st *state, counters bool) []byte {
		v := stateV1{Version: 1, Tick: st.Tick, KDF: st.KDF, Admin: st.Admin, GUID: st.GUID, OldGUIDs: st.OldGUIDs, Questions: st.Questions, Email: st.Email}
		if ch := st.Challenges[ClassConsole]; ch != nil {
			v.Challenge = ch
		}
		if ds := st.Doors[ClassConsole]; counters && ds != nil {
			v.Locks, v.RecentFailures = ds.Locks, ds.RecentFailures
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sum := *file.SHA256
	for _, tc := range []struct {
		name string
		file []byte
	}{
		{"the same state as version 1, with the console's counters", v1(orig, true)},
		{"the same state as version 1, without counters", v1(orig, false)},
		{"version 1 with nothing in it", []byte(`{"version":1}`)},
		{"the state compacted, checksum unchanged", fmt.Appendf(nil, `{"version":2,"sha256":%q,"state":%s}`, sum, compact.Bytes())},
		{"the state re-indented, checksum unchanged", fmt.Appendf(nil, `{"version":2,"sha256":%q,"state":%s}`, sum, indented.Bytes())},
		{"the whole file on one line", fmt.Appendf(nil, `{"version":2,"sha256":%q,"state":%s}`, sum, file.State)},
		{"the fields in another order", fmt.Appendf(nil, `{"state":%s,"sha256":%q,"version":2}`, file.State, sum)},
		{"the checksum in capitals", bytes.Replace(data, []byte(sum), []byte(strings.ToUpper(sum)), 1)},
		{"version 1 with the version 2 fields", bytes.Replace(data, []byte(`"version": 2`), []byte(`"version": 1`), 1)},
		{"version 3", bytes.Replace(data, []byte(`"version": 2`), []byte(`"version": 3`), 1)},
		{"no checksum", fmt.Appendf(nil, `{"version":2,"state":%s}`, file.State)},
		{"an empty checksum", fmt.Appendf(nil, `{"version":2,"sha256":"","state":%s}`, file.State)},
		{"no state", fmt.Appendf(nil, `{"version":2,"sha256":%q}`, sum)},
		{"a second, empty state after the first", fmt.Appendf(nil, `{"version":2,"sha256":%q,"state":%s,"state":{}}`, sum, file.State)},
		{"an empty state before the real one", fmt.Appendf(nil, `{"version":2,"sha256":%q,"state":{},"state":%s}`, sum, file.State)},
		{"an empty state with the real checksum", fmt.Appendf(nil, `{"version":2,"sha256":%q,"state":{}}`, sum)},
		{"the version twice", fmt.Appendf(nil, `{"version":1,"version":2,"sha256":%q,"state":%s}`, sum, file.State)},
		{"a second object after the file", append(slices.Clone(data), []byte(`{"version":1}`)...)},
	} {
		judge(tc.name, tc.file)
	}
	t.Logf("%d hand-written files: %d refused, %d loaded as the very same state", refused+same, refused, same)
}
