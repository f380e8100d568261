package recovery

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMissingStateIsNotActivated(t *testing.T) {
	c := openCore(t, testOptions(t, newFakeClock()))
	if c.Console().Activated() || c.Console().Status().Activated {
		t.Fatal("fresh device reports activated")
	}
	if _, err := c.Console().Login(AdminUser, firstPassword); !errors.Is(err, ErrNotActivated) {
		t.Fatalf("Login on a fresh device: %v, want ErrNotActivated", err)
	}
	if _, err := c.Console().VerifyAnswers([3]string{"a1", "b2", "c3"}); !errors.Is(err, ErrNotActivated) {
		t.Fatalf("VerifyAnswers on a fresh device: %v, want ErrNotActivated", err)
	}
	if _, err := c.Console().EmailChallenge(); !errors.Is(err, ErrNotActivated) {
		t.Fatalf("EmailChallenge on a fresh device: %v, want ErrNotActivated", err)
	}
}

func TestUnusableStateFileIsNeverOverwritten(t *testing.T) {
	good := func(t *testing.T) []byte {
		opts := testOptions(t, newFakeClock())
		activatedCore(t, opts)
		data, err := os.ReadFile(statePath(opts.StateDir))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	for _, tc := range []struct {
		name    string
		content func(t *testing.T) []byte
		want    string
	}{
		{"empty", func(*testing.T) []byte { return nil }, "not valid JSON"},
		{"truncated", func(t *testing.T) []byte { d := good(t); return d[:len(d)/2] }, "not valid JSON"},
		{"garbage", func(*testing.T) []byte { return []byte("\x00\x01garbage") }, "not valid JSON"},
		{"no version", func(*testing.T) []byte { return []byte(`{"admin":null}`) }, "no version"},
		{"future version", func(*testing.T) []byte { return []byte(`{"version":3}`) }, "version 3, this build reads versions 1 and 2"},
		{"checksum mismatch", func(t *testing.T) []byte {
			return bytes.Replace(good(t), []byte(`"generation": 0`), []byte(`"generation": 7`), 1)
		}, "checksum mismatch"},
		{"no checksum", func(*testing.T) []byte { return []byte(`{"version":2,"state":{}}`) }, "no checksum"},
		{"new format read as old", func(t *testing.T) []byte {
			return bytes.Replace(good(t), []byte(`"version": 2`), []byte(`"version": 1`), 1)
		}, "unknown field"},
		{"unknown field", func(*testing.T) []byte { return []byte(`{"version":1,"backdoor":true}`) }, "unknown field"},
		{"bad admin hash", func(t *testing.T) []byte {
			return resealed(t, good(t), `"hash": "$argon2id`, `"hash": "$md5`)
		}, "admin.hash"},
		{"trailing data", func(t *testing.T) []byte { return append(good(t), []byte("{}")...) }, "not valid JSON"},
		{"recovery without admin", func(*testing.T) []byte {
			return []byte(`{"version":1,"email":{"address":"a@b.it"}}`)
		}, "without an admin password"},
		{"unknown lock method", func(*testing.T) []byte {
			return []byte(`{"version":1,"locks":{"telnet":{"failures":1,"locks":0}}}`)
		}, "telnet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions(t, newFakeClock())
			content := tc.content(t)
			path := statePath(opts.StateDir)
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Open(opts)
			var se *StateError
			if !errors.As(err, &se) || !errors.Is(err, ErrStateCorrupt) {
				t.Fatalf("Open error = %v, want a *StateError wrapping ErrStateCorrupt", err)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not name the file %s and %q", err, path, tc.want)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, content) {
				t.Fatal("the unusable state file was modified")
			}
		})
	}
}

// resealed replaces old with new in a version 2 state file's state and
// computes its checksum again: a file the core could have written, with a
// value it never writes.
func resealed(t *testing.T, data []byte, old, new string) []byte {
	t.Helper()
	var file stateFile
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	body := bytes.Replace(file.State, []byte(old), []byte(new), 1)
	sum := sha256.Sum256(body)
	return fmt.Appendf(nil, `{"version": 2, "sha256": "%x", "state": %s}`, sum, body)
}

func TestStateFileWrittenAtomically(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	// A temp file from a crash mid-write is cleaned up at start-up.
	stale := filepath.Join(opts.StateDir, stateTempPrefix+"123")
	if err := os.WriteFile(stale, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, s := activatedCore(t, opts)
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("stale temp file still there: %v", err)
	}
	if err := s.SetRecoveryEmail("mario.rossi@esempio.it"); !errors.Is(err, ErrMethodUnavailable) {
		t.Fatalf("SetRecoveryEmail without a vendor key: %v", err)
	}
	entries, err := os.ReadDir(opts.StateDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temp file left behind: %s", e.Name())
		}
	}
	fi, err := os.Stat(statePath(opts.StateDir))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", fi.Mode().Perm())
	}
	if _, err := loadState(opts.StateDir); err != nil {
		t.Fatalf("state written by the core does not load: %v", err)
	}
}

// breakStateWrites makes every later rename onto the state file fail, the
// way a dying flash chip would, while keeping the file readable.
func breakStateWrites(t *testing.T, dir string) {
	t.Helper()
	path := statePath(dir)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(path, "blocker"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.RemoveAll(path)
		os.WriteFile(path, data, 0o600)
	})
}

func TestTryNotCheckedWhenItCannotBeRecorded(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	c, _ := activatedCore(t, opts)
	breakStateWrites(t, opts.StateDir)
	// Even the right password is refused: a try that could not be counted
	// must not be checked, or cutting the disk would give free guesses.
	_, err := c.Console().Login(AdminUser, firstPassword)
	if err == nil || !strings.Contains(err.Error(), "recording the try") {
		t.Fatalf("Login with unwritable state: %v, want a recording error", err)
	}
	if errors.Is(err, ErrWrongCredentials) {
		t.Fatal("the password was checked although the try was not recorded")
	}
}

func TestFailedWriteKeepsOldPassword(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	c, s := activatedCore(t, opts)
	path := statePath(opts.StateDir)
	var saved []byte
	// The current password is checked and counted; then the disk fails
	// before the new password is written.
	testHookCounted = func() {
		saved, _ = os.ReadFile(path)
		os.Remove(path)
		os.MkdirAll(filepath.Join(path, "blocker"), 0o700)
	}
	t.Cleanup(func() { testHookCounted = func() {} })
	if err := s.ChangePassword(firstPassword, otherPassword); err == nil {
		t.Fatal("ChangePassword succeeded with an unwritable state file")
	}
	testHookCounted = func() {}
	if ok, _ := verifySecret(c.st.Admin.Hash, []byte(firstPassword)); !ok {
		t.Fatal("in memory, the old password no longer works after a failed write")
	}
	os.RemoveAll(path)
	if err := os.WriteFile(path, saved, 0o600); err != nil {
		t.Fatal(err)
	}
	c2 := reopen(t, c, opts)
	mustLogin(t, c2, firstPassword)
	if _, err := c2.Console().Login(AdminUser, otherPassword); !errors.Is(err, ErrWrongCredentials) {
		t.Fatalf("new password after a failed write: %v, want ErrWrongCredentials", err)
	}
}

func TestMissingStateDirIsNotAFreshDevice(t *testing.T) {
	opts := testOptions(t, newFakeClock())
	opts.StateDir = filepath.Join(opts.StateDir, "not-mounted")
	if _, err := Open(opts); err == nil || !strings.Contains(err.Error(), "not-mounted") {
		t.Fatalf("Open on a missing state directory: %v, want an error naming it", err)
	}
}
