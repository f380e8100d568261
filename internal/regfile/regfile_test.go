package regfile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestOnlyRegularFilesNeverWaiting: every kind of thing that may sit at a
// path is opened at once, for reading and for writing, and anything but a
// regular file is refused: a FIFO without a writer (or a reader) would
// hang open(2), a link would lead elsewhere.
func TestOnlyRegularFilesNeverWaiting(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	os.WriteFile(target, []byte("outside"), 0o600)
	makers := map[string]func(path string) error{
		"regular":          func(p string) error { return os.WriteFile(p, []byte("data"), 0o600) },
		"fifo":             func(p string) error { return syscall.Mkfifo(p, 0o600) },
		"symlink":          func(p string) error { return os.Symlink(target, p) },
		"dangling symlink": func(p string) error { return os.Symlink(filepath.Join(dir, "nowhere"), p) },
		"directory":        func(p string) error { return os.Mkdir(p, 0o700) },
	}
	for _, tc := range []struct {
		kind   string
		flag   int
		linked bool // OpenLinked
		ok     bool
	}{
		{"regular", os.O_RDONLY, false, true},
		{"regular", os.O_WRONLY | os.O_APPEND | os.O_CREATE, false, true},
		{"regular", os.O_RDWR | os.O_CREATE, false, true},
		{"fifo", os.O_RDONLY, false, false},
		{"fifo", os.O_WRONLY | os.O_APPEND | os.O_CREATE, false, false},
		{"fifo", os.O_RDWR | os.O_CREATE, false, false},
		{"fifo", os.O_RDONLY, true, false},
		{"symlink", os.O_RDONLY, false, false},
		{"symlink", os.O_WRONLY | os.O_APPEND | os.O_CREATE, false, false},
		{"symlink", os.O_RDWR | os.O_CREATE, false, false},
		{"dangling symlink", os.O_WRONLY | os.O_CREATE, false, false},
		{"symlink", os.O_RDONLY, true, true},
		{"directory", os.O_RDONLY, false, false},
	} {
		name := tc.kind + "/" + map[int]string{os.O_RDONLY: "read", os.O_WRONLY | os.O_APPEND | os.O_CREATE: "append", os.O_RDWR | os.O_CREATE: "readwrite", os.O_WRONLY | os.O_CREATE: "create"}[tc.flag]
		if tc.linked {
			name += "/linked"
		}
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f")
			if err := makers[tc.kind](path); err != nil {
				t.Fatal(err)
			}
			type result struct {
				f   *os.File
				err error
			}
			done := make(chan result, 1)
			go func() {
				var r result
				if tc.linked {
					r.f, r.err = OpenLinked(path, tc.flag, 0o600)
				} else {
					r.f, r.err = OpenFile(path, tc.flag, 0o600)
				}
				done <- r
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(10 * time.Second):
				// Unblock the open, or the test binary hangs too.
				if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
					f.Close()
				}
				t.Fatal("open blocked")
			}
			if tc.ok {
				if r.err != nil {
					t.Fatalf("refused: %v", r.err)
				}
				r.f.Close()
				return
			}
			if r.err == nil {
				r.f.Close()
				t.Fatal("opened")
			}
			if !errors.Is(r.err, ErrNotRegular) {
				t.Fatalf("error %v does not wrap ErrNotRegular", r.err)
			}
		})
	}
	if data, _ := os.ReadFile(target); string(data) != "outside" {
		t.Fatalf("the link's target was written: %q", data)
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file was created through a dangling link: %v", err)
	}
}

func TestReadFileBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("12345"), 0o600)
	if data, err := ReadFile(path, 5); err != nil || string(data) != "12345" {
		t.Fatalf("ReadFile at its size: %q, %v", data, err)
	}
	if _, err := ReadFile(path, 4); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("ReadFile over its size: %v, want ErrTooLarge", err)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing"), 4); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("ReadFile of a missing file: %v, want ErrNotExist", err)
	}
}
