//go:build unix

package known

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestWriters: a known-recorders file that anyone but the
// user (or root) could have written, or whose directory they could write,
// is refused with what to do.
func TestWriters(t *testing.T) {
	pin := []byte("S1 " + pinA.Hex() + "\n")
	setup := func(t *testing.T, dirMode, fileMode os.FileMode) string {
		dir := filepath.Join(t.TempDir(), "nvr-sadp")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, FileName)
		if err := os.WriteFile(p, pin, 0o600); err != nil {
			t.Fatal(err)
		}
		// Chmod, not the modes above: the umask would clear bits.
		if err := os.Chmod(p, fileMode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, dirMode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name            string
		dir, file       os.FileMode
		want            string // "": read
		fileUID, dirUID int    // chown to these first (as root only); -1 leaves them
	}{
		{name: "0600 in 0700", dir: 0o700, file: 0o600, fileUID: -1, dirUID: -1},
		{name: "readable by others", dir: 0o755, file: 0o644, fileUID: -1, dirUID: -1},
		{name: "group-writable file", dir: 0o700, file: 0o620, want: "chmod 600", fileUID: -1, dirUID: -1},
		{name: "world-writable file", dir: 0o700, file: 0o606, want: "chmod 600", fileUID: -1, dirUID: -1},
		{name: "group-writable directory", dir: 0o770, file: 0o600, want: "chmod 700", fileUID: -1, dirUID: -1},
		{name: "world-writable directory", dir: 0o777, file: 0o600, want: "chmod 700", fileUID: -1, dirUID: -1},
		{name: "sticky world-writable directory, as /tmp", dir: 0o777 | os.ModeSticky, file: 0o600, fileUID: -1, dirUID: -1},
		{name: "a file of another user", dir: 0o700, file: 0o600, want: "belongs to another user", fileUID: 4242, dirUID: -1},
		{name: "a directory of another user", dir: 0o755, file: 0o600, want: "belongs to another user", fileUID: -1, dirUID: 4242},
		{name: "a file of root", dir: 0o700, file: 0o644, fileUID: 0, dirUID: -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := setup(t, tc.dir, tc.file)
			if tc.fileUID >= 0 || tc.dirUID >= 0 {
				if os.Geteuid() != 0 {
					t.Skip("changing a file's owner needs root")
				}
				if err := os.Lchown(p, tc.fileUID, -1); err != nil {
					t.Fatal(err)
				}
				if err := os.Lchown(filepath.Dir(p), tc.dirUID, -1); err != nil {
					t.Fatal(err)
				}
			}
			k, err := Load(p)
			switch {
			case tc.want == "" && (err != nil || k.Lookup("S1") != pinA):
				t.Errorf("got %v, want the pin read", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want refused saying %q", err, tc.want)
			}
		})
	}
	// The same rule for a user who is not root: root's files are allowed,
	// another user's are not.
	st, err := os.Stat(setup(t, 0o700, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if uid := os.Geteuid(); uid == 0 {
		if err := writers("f", st, 1000); err != nil {
			t.Errorf("a root-owned file for uid 1000: %v, want allowed", err)
		}
	} else if err := writers("f", st, uid+1); err == nil || !strings.Contains(err.Error(), "uid") {
		t.Errorf("a file of uid %d read by uid %d: %v, want refused", uid, uid+1, err)
	}
}

// TestConcurrentPins: runs that pin at the same time, each
// with the file as it loaded it before the others wrote, lose no pin.
func TestConcurrentPins(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nvr-sadp", FileName)
	const runs = 16
	var loaded []*File
	for range runs {
		k, err := Load(path) // every run read the file while it was empty
		if err != nil {
			t.Fatal(err)
		}
		loaded = append(loaded, k)
	}
	var wg sync.WaitGroup
	errs := make(chan error, runs)
	for i, k := range loaded {
		wg.Go(func() { errs <- k.Pin(fmt.Sprintf("NVR%04d", i), pinA, time.Unix(0, 0)) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	k, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range runs {
		if got := k.Lookup(fmt.Sprintf("NVR%04d", i)); got != pinA {
			t.Errorf("NVR%04d: pin %v after %d runs pinned at once, want %v", i, got, runs, pinA)
		}
	}
	// A forget from a run that loaded before those pins removes only its
	// own serial's.
	if _, err := loaded[0].Forget("NVR0003"); err != nil {
		t.Fatal(err)
	}
	if k, err = Load(path); err != nil {
		t.Fatal(err)
	}
	if !k.Lookup("NVR0003").IsZero() || k.Lookup("NVR0004") != pinA {
		t.Errorf("after forget NVR0003: NVR0003 %v, NVR0004 %v", k.Lookup("NVR0003"), k.Lookup("NVR0004"))
	}
}
