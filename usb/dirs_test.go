package usb

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestNewWatcherOptions(t *testing.T) {
	root := t.TempDir()
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{"relative root", Options{Source: SourceDirs, MediaRoot: "media", Match: guidMatch}, "absolute"},
		{"no root", Options{Source: SourceDirs, Match: guidMatch}, "absolute"},
		{"no matcher", Options{Source: SourceDirs, MediaRoot: root}, "matcher"},
		{"unknown source", Options{Source: "udev", MediaRoot: root, Match: guidMatch}, `source "udev"`},
		{"dirs source needs the root", Options{Source: SourceDirs, MediaRoot: filepath.Join(root, "missing"), Match: guidMatch}, "watch media root"},
		{"mounts source needs the mount table", Options{MediaRoot: root, MountinfoPath: filepath.Join(root, "nope"), Match: guidMatch}, "mount table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewWatcher(tt.opts)
			if err == nil {
				w.Close()
				t.Fatalf("got no error, want one containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got error %q, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestDirsSource(t *testing.T) {
	root := t.TempDir()
	mustMkdir(t, filepath.Join(root, "pre"))
	mustWrite(t, filepath.Join(root, "notastick.txt"), []byte("x"))
	if err := os.Symlink(filepath.Join(root, "pre"), filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root})

	sticks := w.Sticks()
	if len(sticks) != 1 || sticks[0].ID != "pre" || sticks[0].MountPoint != filepath.Join(root, "pre") ||
		sticks[0].Name != "pre" || sticks[0].Seq == 0 || sticks[0].FSType != "" || sticks[0].ReadOnly {
		t.Fatalf("got sticks %+v, want just pre", sticks)
	}
	sub := subscribe(t, w)
	if got := sub.wait(t, "pre added", func(Event) bool { return true }); got.Kind != StickAdded || got.Stick != sticks[0] {
		t.Fatalf("got first event %v, want pre added", got)
	}

	t.Run("directory added and removed", func(t *testing.T) {
		mustMkdir(t, filepath.Join(root, "sda1"))
		added := sub.wait(t, "sda1 added", isEvent(StickAdded, "sda1"))
		if added.Stick.MountPoint != filepath.Join(root, "sda1") {
			t.Errorf("got mount point %q, want %q", added.Stick.MountPoint, filepath.Join(root, "sda1"))
		}
		if got := len(w.Sticks()); got != 2 {
			t.Errorf("got %d sticks, want 2", got)
		}
		if err := os.Remove(filepath.Join(root, "sda1")); err != nil {
			t.Fatal(err)
		}
		removed := sub.wait(t, "sda1 removed", isEvent(StickRemoved, "sda1"))
		if removed.Stick.Seq != added.Stick.Seq {
			t.Errorf("got removed seq %d, want %d", removed.Stick.Seq, added.Stick.Seq)
		}
	})

	t.Run("symbolic links and files are not sticks", func(t *testing.T) {
		if err := os.Symlink(root, filepath.Join(root, "link2")); err != nil {
			t.Fatal(err)
		}
		mustWrite(t, filepath.Join(root, "file"), nil)
		mustMkdir(t, filepath.Join(root, "marker"))
		// Events come in order: the first addition must be the marker.
		got := sub.wait(t, "an addition", func(e Event) bool { return e.Kind == StickAdded })
		if got.Stick.ID != "marker" {
			t.Errorf("got %v, want marker added", got)
		}
	})

	t.Run("renamed directory is a new stick", func(t *testing.T) {
		if err := os.Rename(filepath.Join(root, "marker"), filepath.Join(root, "renamed")); err != nil {
			t.Fatal(err)
		}
		sub.wait(t, "marker removed", isEvent(StickRemoved, "marker"))
		sub.wait(t, "renamed added", isEvent(StickAdded, "renamed"))
	})

	t.Run("a late subscriber gets the present sticks", func(t *testing.T) {
		late := w.Subscribe()
		defer late.Close()
		<-late.Ready()
		var ids []string
		for _, e := range late.Events() {
			ids = append(ids, e.Stick.ID+":"+e.Kind.String())
		}
		if want := []string{"pre:added", "renamed:added"}; !reflect.DeepEqual(ids, want) {
			t.Errorf("got %v, want %v", ids, want)
		}
	})
}

func TestContentChanged(t *testing.T) {
	root := t.TempDir()
	stick := filepath.Join(root, "sda1")
	mustMkdir(t, filepath.Join(stick, "a", "b", "c"))
	w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root})
	sub := subscribe(t, w)
	sub.wait(t, "sda1 added", isEvent(StickAdded, "sda1"))
	if _, err := w.List(context.Background(), "sda1"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func()
	}{
		{"file created at the root", func() { mustWrite(t, filepath.Join(stick, "NVR1_20260101_0000.nvrguid"), guidData) }},
		{"file created two levels down", func() { mustWrite(t, filepath.Join(stick, "a", "b", "x"), nil) }},
		{"file removed at level one", func() { mustWrite(t, filepath.Join(stick, "a", "y"), nil); os.Remove(filepath.Join(stick, "a", "y")) }},
		{"folder renamed", func() { os.Rename(filepath.Join(stick, "a", "b", "c"), filepath.Join(stick, "a", "b", "d")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.change()
			got := sub.wait(t, "content changed", isEvent(ContentChanged, "sda1"))
			if got.Stick.MountPoint != stick {
				t.Errorf("got %+v, want the sda1 stick", got.Stick)
			}
		})
	}

	t.Run("folders watched are dropped with the stick", func(t *testing.T) {
		if got := len(w.fsw.WatchList()); got != 4 { // root, sda1, sda1/a, sda1/a/b
			t.Errorf("got %d watches, want 4: %v", got, w.fsw.WatchList())
		}
		if err := os.RemoveAll(stick); err != nil {
			t.Fatal(err)
		}
		sub.wait(t, "sda1 removed", isEvent(StickRemoved, "sda1"))
		if got := w.fsw.WatchList(); len(got) != 1 || got[0] != root {
			t.Errorf("got watches %v, want just the root", got)
		}
	})
}
