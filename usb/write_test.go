package usb

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// dirNames lists a directory, failing the test on error.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestWrite(t *testing.T) {
	root := t.TempDir()
	stick := filepath.Join(root, "sda1")
	mustMkdir(t, stick)
	w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root})
	const name = "NVR1_20260101_0000.nvrguid"
	ctx := context.Background()

	t.Run("new file", func(t *testing.T) {
		if err := w.Write(ctx, "sda1", name, guidData); err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		if got, err := os.ReadFile(filepath.Join(stick, name)); err != nil || !bytes.Equal(got, guidData) {
			t.Errorf("got %q, %v, want the data", got, err)
		}
		if got := dirNames(t, stick); !slices.Equal(got, []string{name}) {
			t.Errorf("got files %q, want just %q", got, name)
		}
	})

	t.Run("existing file is left alone", func(t *testing.T) {
		err := w.Write(ctx, "sda1", name, []byte("other"))
		if !errors.Is(err, ErrExists) {
			t.Fatalf("got error %v, want ErrExists", err)
		}
		if got, _ := os.ReadFile(filepath.Join(stick, name)); !bytes.Equal(got, guidData) {
			t.Errorf("got %q, want the first data", got)
		}
		if got := dirNames(t, stick); !slices.Equal(got, []string{name}) {
			t.Errorf("got files %q, want just %q", got, name)
		}
	})

	t.Run("existing name created while writing", func(t *testing.T) {
		const late = "NVR2_20260101_0000.nvrguid"
		testHookBeforeRename = func() { mustWrite(t, filepath.Join(stick, late), []byte("first")) }
		defer func() { testHookBeforeRename = nil }()
		err := w.Write(ctx, "sda1", late, guidData)
		if !errors.Is(err, ErrExists) || !errors.Is(err, unix.EEXIST) {
			t.Fatalf("got error %v, want ErrExists from the rename", err)
		}
		if got, _ := os.ReadFile(filepath.Join(stick, late)); string(got) != "first" {
			t.Errorf("got %q, want the file written first", got)
		}
		if got := dirNames(t, stick); !slices.Equal(got, []string{name, late}) {
			t.Errorf("got files %q, want no temporary file", got)
		}
	})

	t.Run("refused names", func(t *testing.T) {
		for _, bad := range []string{
			"", ".", "..", "a/b", "../x", "x..y", "/etc/passwd", "a\x00b", "a\nb", "\x1b[2J",
			"a\u202Eb", "a\xffb", `a\b`, "a:b", "a*b", "a?b", `a"b`, "a<b", "a>b", "a|b",
			"trailing.", "trailing ", strings.Repeat("x", 256), ".nvrmenu-123.tmp",
		} {
			err := w.Write(ctx, "sda1", bad, guidData)
			if !errors.Is(err, ErrBadName) {
				t.Errorf("name %q: got error %v, want ErrBadName", bad, err)
			}
		}
		if got := dirNames(t, stick); len(got) != 2 {
			t.Errorf("got files %q, want nothing new", got)
		}
	})

	t.Run("unknown stick", func(t *testing.T) {
		for _, id := range []string{"sdz9", "..", "sda1/..", ""} {
			if err := w.Write(ctx, id, "x.txt", nil); !errors.Is(err, ErrStickGone) {
				t.Errorf("stick %q: got error %v, want ErrStickGone", id, err)
			}
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		testHookBeforeRename = cancel
		defer func() { testHookBeforeRename = nil }()
		if err := w.Write(cctx, "sda1", "c.txt", guidData); !errors.Is(err, context.Canceled) {
			t.Fatalf("got error %v, want context.Canceled", err)
		}
		if got := dirNames(t, stick); len(got) != 2 {
			t.Errorf("got files %q, want no temporary or new file", got)
		}
	})

	t.Run("stick folder replaced during the write", func(t *testing.T) {
		moved := filepath.Join(t.TempDir(), "moved")
		testHookBeforeRename = func() {
			if err := os.Rename(stick, moved); err != nil {
				t.Fatal(err)
			}
			mustMkdir(t, stick)
		}
		defer func() { testHookBeforeRename = nil }()
		err := w.Write(ctx, "sda1", "r.txt", guidData)
		if !errors.Is(err, ErrStickGone) {
			t.Fatalf("got error %v, want ErrStickGone", err)
		}
		if got := dirNames(t, moved); len(got) != 2 {
			t.Errorf("got files %q in the old folder, want no temporary or new file", got)
		}
		if got := dirNames(t, stick); len(got) != 0 {
			t.Errorf("got files %q in the new folder, want none", got)
		}
	})

	t.Run("after Close", func(t *testing.T) {
		w.Close()
		if err := w.Write(ctx, "sda1", "x.txt", nil); !errors.Is(err, ErrClosed) {
			t.Errorf("got error %v, want ErrClosed", err)
		}
	})
}

// TestRenameNoReplaceOld covers the path for kernels without renameat2,
// which this kernel never takes by itself.
func TestRenameNoReplaceOld(t *testing.T) {
	dir := t.TempDir()
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	mustWrite(t, filepath.Join(dir, "tmp1"), []byte("one"))
	mustWrite(t, filepath.Join(dir, "tmp2"), []byte("two"))

	if err := renameNoReplaceOld(fd, "tmp1", "final"); err != nil {
		t.Fatalf("free name: got error %v, want none", err)
	}
	if err := renameNoReplaceOld(fd, "tmp2", "final"); !errors.Is(err, unix.EEXIST) {
		t.Fatalf("taken name: got error %v, want EEXIST", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "final")); string(got) != "one" {
		t.Errorf("got %q, want the first file", got)
	}
	if got := dirNames(t, dir); !slices.Equal(got, []string{"final", "tmp2"}) {
		t.Errorf("got files %q, want final and tmp2", got)
	}
}

// TestWriteRemovesLeftovers: a temporary file that a power cut or a yank left
// on a stick is removed by the next write; a write in progress keeps its own,
// and nothing that is not a regular file of ours is touched.
func TestWriteRemovesLeftovers(t *testing.T) {
	root := t.TempDir()
	stick := filepath.Join(root, "sdb1")
	mustMkdir(t, stick)
	w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root})
	ctx := context.Background()
	leftover := tempPrefix + "ABCDEFGHIJKLMNOP.tmp"
	if err := os.WriteFile(filepath.Join(stick, leftover), []byte("half a GUID"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustMkdir(t, filepath.Join(stick, tempPrefix+"folder.tmp"))
	if err := os.Symlink("/etc/passwd", filepath.Join(stick, tempPrefix+"link.tmp")); err != nil {
		t.Fatal(err)
	}
	other := tempPrefix + "notes.txt" // not ours: no .tmp suffix
	if err := os.WriteFile(filepath.Join(stick, other), nil, 0o644); err != nil {
		t.Fatal(err)
	}

	// While the first write waits before its rename, a second one runs:
	// it must leave the first's temporary file alone.
	var inner error
	testHookBeforeRename = func() {
		testHookBeforeRename = nil
		inner = w.Write(ctx, "sdb1", "SECOND.png", []byte("png"))
	}
	t.Cleanup(func() { testHookBeforeRename = nil })
	if err := w.Write(ctx, "sdb1", "FIRST.nvrguid", guidData); err != nil {
		t.Fatalf("first write: %v", err)
	}
	if inner != nil {
		t.Fatalf("second write: %v", inner)
	}
	got := dirNames(t, stick)
	want := []string{tempPrefix + "folder.tmp", tempPrefix + "link.tmp", other, "FIRST.nvrguid", "SECOND.png"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("files on the stick: %q, want %q", got, want)
	}
	if data, err := os.ReadFile(filepath.Join(stick, "FIRST.nvrguid")); err != nil || !bytes.Equal(data, guidData) {
		t.Fatalf("first file: %q, %v", data, err)
	}
}
