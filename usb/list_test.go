package usb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestList(t *testing.T) {
	root := t.TempDir()
	stick := filepath.Join(root, "sda1")
	files := map[string][]byte{
		"NVR1_20260101_0000.nvrguid":       guidData,
		"nvr2_20260102_1200.NVRGUID":       []byte("lower case name"),
		"a/NVR3_20260103_0000.nvrguid":     []byte("level one"),
		"a/b/NVR4_20260104_0000.nvrguid":   []byte("level two"),
		"a/b/c/NVR5_20260105_0000.nvrguid": []byte("level three: too deep"),
		"readme.txt":                       []byte("not a candidate"),
		"NVR6_20260106_0000.nvrguid.bak":   []byte("not a candidate"),
		"big/NVR7_20260107_0000.nvrguid":   bytes.Repeat([]byte("x"), MaxFileSize+1),
		"exact/NVR8_20260108_0000.nvrguid": bytes.Repeat([]byte("y"), MaxFileSize),
		"empty/NVR9_20260109_0000.nvrguid": nil,
	}
	for name, data := range files {
		mustWrite(t, filepath.Join(stick, name), data)
	}
	w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root})

	got, err := w.List(context.Background(), "sda1")
	if err != nil {
		t.Fatalf("got error %v, want none", err)
	}
	want := []string{
		"NVR1_20260101_0000.nvrguid",
		"a/NVR3_20260103_0000.nvrguid",
		"a/b/NVR4_20260104_0000.nvrguid",
		"big/NVR7_20260107_0000.nvrguid",
		"empty/NVR9_20260109_0000.nvrguid",
		"exact/NVR8_20260108_0000.nvrguid",
		"nvr2_20260102_1200.NVRGUID",
	}
	if names := listNames(got); !reflect.DeepEqual(names, want) {
		t.Fatalf("got candidates %q, want %q", names, want)
	}
	if got.Stick.ID != "sda1" || got.Skipped != 0 {
		t.Errorf("got stick %q, skipped %d, want sda1 and 0", got.Stick.ID, got.Skipped)
	}
	// Entries: the root's 4 files and 4 folders, a: 2, a/b: 2 (c is
	// seen, not entered), big, exact, empty: 1 each.
	if want := 8 + 2 + 2 + 1 + 1 + 1; got.Visited != want {
		t.Errorf("got %d entries visited, want %d", got.Visited, want)
	}
	for _, c := range got.Candidates {
		t.Run(c.RelPath, func(t *testing.T) {
			data := files[c.RelPath]
			if c.Path != filepath.Join(stick, c.RelPath) || c.DisplayName != c.RelPath {
				t.Errorf("got path %q display %q, want %q and %q", c.Path, c.DisplayName, filepath.Join(stick, c.RelPath), c.RelPath)
			}
			if c.Size != int64(len(data)) || c.ModTime.IsZero() {
				t.Errorf("got size %d mtime %v, want %d and a time", c.Size, c.ModTime, len(data))
			}
			if wantLarge := len(data) > MaxFileSize; c.TooLarge != wantLarge {
				t.Errorf("got TooLarge %v, want %v", c.TooLarge, wantLarge)
			}
			if c.TooLarge {
				if c.Data() != nil {
					t.Errorf("got %d bytes of a file too large, want none read", len(c.Data()))
				}
			} else if !bytes.Equal(c.Data(), data) {
				t.Errorf("got data %q, want %q", c.Data(), data)
			}
		})
	}
}

func TestCandidateNeverPrintsData(t *testing.T) {
	c := Candidate{RelPath: "NVR1_20260101_0000.nvrguid", DisplayName: "NVR1_20260101_0000.nvrguid", data: guidData}
	l := Listing{Candidates: []Candidate{c}}
	secret := strings.Repeat("5e", 32)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		for _, v := range []any{c, &c, l, []Candidate{c}} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, secret) || strings.Contains(out, fmt.Sprintf("%x", secret)) ||
				strings.Contains(out, "115 101 99") { // "sec" as %d bytes
				t.Errorf("%s of %T: got %q, want no file contents", verb, v, out)
			}
		}
	}
	if got, want := c.String(), "file NVR1_20260101_0000.nvrguid"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestListLimits(t *testing.T) {
	root := t.TempDir()
	stick := filepath.Join(root, "sda1")
	mustWrite(t, filepath.Join(stick, "NVR1_20260101_0000.nvrguid"), guidData)
	for i := range 100 {
		mustWrite(t, filepath.Join(stick, "junk", fmt.Sprintf("f%03d", i)), nil)
	}

	t.Run("entry cap", func(t *testing.T) {
		w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root, MaxEntries: 50})
		got, err := w.List(context.Background(), "sda1")
		if !errors.Is(err, ErrTooManyEntries) {
			t.Fatalf("got error %v, want ErrTooManyEntries", err)
		}
		if got.Visited != 50 {
			t.Errorf("got %d entries visited, want 50", got.Visited)
		}
		if names := listNames(got); !reflect.DeepEqual(names, []string{"NVR1_20260101_0000.nvrguid"}) {
			t.Errorf("got partial candidates %q, want the root's file", names)
		}
	})

	t.Run("candidate cap", func(t *testing.T) {
		root := t.TempDir()
		for i := range MaxCandidates + 10 {
			mustWrite(t, filepath.Join(root, "sdb1", fmt.Sprintf("NVR%d_20260101_0000.nvrguid", i)), guidData)
		}
		w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root})
		got, err := w.List(context.Background(), "sdb1")
		if !errors.Is(err, ErrTooManyEntries) || len(got.Candidates) != MaxCandidates {
			t.Errorf("got %d candidates and error %v, want %d and ErrTooManyEntries", len(got.Candidates), err, MaxCandidates)
		}
	})

	t.Run("exactly at the cap", func(t *testing.T) {
		w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root, MaxEntries: 102})
		got, err := w.List(context.Background(), "sda1")
		if err != nil || got.Visited != 102 {
			t.Errorf("got %d visited and error %v, want 102 and none", got.Visited, err)
		}
	})

	t.Run("deadline already passed", func(t *testing.T) {
		w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root})
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		_, err := w.List(ctx, "sda1")
		if !errors.Is(err, ErrListTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got error %v, want ErrListTimeout", err)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := w.List(ctx, "sda1")
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrListTimeout) {
			t.Errorf("got error %v, want context.Canceled", err)
		}
	})

	t.Run("stuck stick: List returns at the deadline", func(t *testing.T) {
		fds, goroutines := openFDs(t), runtimeGoroutines()
		release := make(chan struct{})
		entered := make(chan struct{}, 1)
		stuck := func(name string) bool {
			// Stands for a read the kernel keeps blocked on a dying
			// stick: the walker cannot be interrupted.
			select {
			case entered <- struct{}{}:
			default:
			}
			<-release
			return guidMatch(name)
		}
		w, err := NewWatcher(Options{Source: SourceDirs, MediaRoot: root, Match: stuck, ListTimeout: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		got, err := w.List(context.Background(), "sda1")
		if !errors.Is(err, ErrListTimeout) {
			t.Errorf("got error %v, want ErrListTimeout", err)
		}
		if len(got.Candidates) != 0 {
			t.Errorf("got %d candidates, want none", len(got.Candidates))
		}
		<-entered
		close(release) // the walker ends on its own
		w.Close()
		checkNoLeaks(t, fds, goroutines)
	})

	t.Run("unknown stick", func(t *testing.T) {
		w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root})
		if _, err := w.List(context.Background(), "../etc"); !errors.Is(err, ErrStickGone) {
			t.Errorf("got error %v, want ErrStickGone", err)
		}
	})

	t.Run("after Close", func(t *testing.T) {
		w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root})
		w.Close()
		if _, err := w.List(context.Background(), "sda1"); !errors.Is(err, ErrClosed) {
			t.Errorf("got error %v, want ErrClosed", err)
		}
	})
}
