package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func noLinks(string, string) error { return &os.LinkError{Op: "link", Err: syscall.EPERM} }

func TestWrite(t *testing.T) {
	for _, tc := range []struct {
		name string
		link func(string, string) error
	}{
		{"with hard links", nil},
		{"without hard links (FAT, some flash file systems)", noLinks},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "f.nvrguid")
			if err := Write(p, []byte("one"), Options{Link: tc.link}); err != nil {
				t.Fatal(err)
			}
			err := Write(p, []byte("two"), Options{Link: tc.link})
			if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), p) {
				t.Errorf("no Replace over an existing file: %v, want ErrExists naming %s", err, p)
			}
			if got := read(t, p); got != "one" {
				t.Errorf("the file changed to %q", got)
			}
			if err := Write(p, []byte("three"), Options{Replace: true, Link: tc.link}); err != nil {
				t.Fatal(err)
			}
			if got := read(t, p); got != "three" {
				t.Errorf("replaced: %q, want three", got)
			}
			if runtime.GOOS != "windows" {
				if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
					t.Errorf("mode %04o, want 0600", st.Mode().Perm())
				}
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Errorf("left behind: %v", ents)
			}
		})
	}
}

func TestWriteKeepsPrevious(t *testing.T) {
	for _, tc := range []struct {
		name string
		link func(string, string) error
	}{
		{"linked", nil},
		{"copied", noLinks},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "state.json")
			o := Options{Replace: true, Previous: "state.json.prev", TempPrefix: ".state.json.tmp-", Link: tc.link}
			if err := Write(p, []byte("v1"), o); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(p + ".prev"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a first write made a previous file: %v", err)
			}
			if err := Write(p, []byte("v2"), o); err != nil {
				t.Fatal(err)
			}
			if got, prev := read(t, p), read(t, p+".prev"); got != "v2" || prev != "v1" {
				t.Errorf("got %q and previous %q, want v2 and v1", got, prev)
			}
			if err := Write(p, []byte("v3"), o); err != nil {
				t.Fatal(err)
			}
			if got, prev := read(t, p), read(t, p+".prev"); got != "v3" || prev != "v2" {
				t.Errorf("got %q and previous %q, want v3 and v2", got, prev)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 2 {
				t.Errorf("files %v, want only the file and its previous", ents)
			}
		})
	}
}

// TestWriteErrorsNameThePath: a failure names the file the caller asked
// for, never the temporary name beside it, and leaves nothing behind.
func TestWriteErrorsNameThePath(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "dir", "f.png")
	err := Write(missing, []byte("x"), Options{})
	if err == nil || !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) || strings.Contains(err.Error(), ".tmp-") {
		t.Errorf("a file in a missing folder: %v, want ErrNotExist naming %s and no temporary name", err, missing)
	}
	if runtime.GOOS != "windows" && os.Getuid() != 0 {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o500)
		err := Write(filepath.Join(ro, "f"), []byte("x"), Options{})
		if err == nil || strings.Contains(err.Error(), ".tmp-") {
			t.Errorf("a read-only folder: %v, want an error without a temporary name", err)
		}
	}
}

func TestRemoveTemps(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{".state.json.tmp-123", ".state.json.tmp-prev", "state.json", "other.tmp-1"} {
		os.WriteFile(filepath.Join(dir, name), nil, 0o600)
	}
	os.Mkdir(filepath.Join(dir, ".state.json.tmp-dir"), 0o700)
	RemoveTemps(dir, ".state.json.tmp-")
	var left []string
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		left = append(left, e.Name())
	}
	if want := ".state.json.tmp-dir other.tmp-1 state.json"; strings.Join(left, " ") != want {
		t.Errorf("left %v, want %s", left, want)
	}
}
