package usb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// plugger plugs and pulls sticks for one source.
type plugger struct {
	source Source
	plug   func(t *testing.T, mp string)
	pull   func(t *testing.T, mp string, cycle int)
}

var pluggers = []plugger{
	{
		source: SourceDirs,
		plug:   func(t *testing.T, mp string) { mustMkdir(t, mp) },
		pull: func(t *testing.T, mp string, _ int) {
			if err := os.RemoveAll(mp); err != nil {
				t.Fatal(err)
			}
		},
	},
	{
		source: SourceMounts,
		plug: func(t *testing.T, mp string) {
			mustMkdir(t, mp)
			if err := unix.Mount("nvrtest", mp, "tmpfs", 0, "size=256k"); err != nil {
				t.Fatalf("mount %s: %v", mp, err)
			}
		},
		pull: func(t *testing.T, mp string, cycle int) {
			flags := 0
			if cycle%2 == 1 {
				flags = unix.MNT_DETACH // as the hotplug helper does on a yank
			}
			mustUnmount(t, mp, flags)
		},
	},
}

// TestLifecycle plugs and pulls two sticks at once hundreds of times,
// listing and writing along the way, then closes the watcher: no
// descriptor or goroutine may be left over.
func TestLifecycle(t *testing.T) {
	const cycles = 300
	for _, p := range pluggers {
		t.Run(string(p.source), func(t *testing.T) {
			if p.source == SourceMounts {
				requireMount(t)
			}
			root := t.TempDir()
			ids := []string{"sda1", "sdb1"}
			fds, goroutines := openFDs(t), runtimeGoroutines()

			w, err := NewWatcher(Options{Source: p.source, MediaRoot: root, Match: guidMatch})
			if err != nil {
				t.Fatal(err)
			}
			sub := &testSub{Subscription: w.Subscribe()}
			consumerDone := make(chan struct{})
			other := w.Subscribe() // a consumer as the menu runs it
			go func() {
				defer close(consumerDone)
				for range other.Ready() {
					other.Events()
				}
			}()
			ctx := context.Background()
			for cycle := range cycles {
				for _, id := range ids {
					p.plug(t, filepath.Join(root, id))
				}
				for _, id := range ids {
					sub.wait(t, fmt.Sprintf("cycle %d: %s added", cycle, id), isEvent(StickAdded, id))
				}
				if cycle%25 == 0 {
					name := fmt.Sprintf("NVR%d_20260101_0000.nvrguid", cycle)
					if err := w.Write(ctx, "sdb1", name, guidData); err != nil {
						t.Fatalf("cycle %d: write: %v", cycle, err)
					}
					l, err := w.List(ctx, "sdb1")
					if err != nil || len(l.Candidates) != 1 {
						t.Fatalf("cycle %d: list: got %v, %v, want the file written", cycle, listNames(l), err)
					}
					if _, err := w.List(ctx, "sda1"); err != nil {
						t.Fatalf("cycle %d: list: %v", cycle, err)
					}
				}
				for _, id := range ids {
					p.pull(t, filepath.Join(root, id), cycle)
				}
				for _, id := range ids {
					sub.wait(t, fmt.Sprintf("cycle %d: %s removed", cycle, id), isEvent(StickRemoved, id))
				}
			}
			if got := w.Sticks(); len(got) != 0 {
				t.Errorf("got sticks %v after the last pull, want none", got)
			}
			if err := w.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			<-consumerDone // Close ended the consumer's loop
			if _, ok := <-sub.Ready(); ok {
				if _, ok := <-sub.Ready(); ok {
					t.Errorf("subscription still open after Close")
				}
			}
			checkNoLeaks(t, fds, goroutines)
		})
	}
}

// TestOpenClose starts and stops watchers, subscribed and not, with sticks
// present: shutdown leaves nothing behind, the poll goroutine included.
func TestOpenClose(t *testing.T) {
	for _, p := range pluggers {
		t.Run(string(p.source), func(t *testing.T) {
			if p.source == SourceMounts {
				requireMount(t)
			}
			root := t.TempDir()
			mp := filepath.Join(root, "sda1")
			p.plug(t, mp)
			defer p.pull(t, mp, 1)
			fds, goroutines := openFDs(t), runtimeGoroutines()
			for i := range 100 {
				w, err := NewWatcher(Options{Source: p.source, MediaRoot: root, Match: guidMatch})
				if err != nil {
					t.Fatal(err)
				}
				if i%2 == 0 {
					w.Subscribe()
					if _, err := w.List(context.Background(), "sda1"); err != nil {
						t.Fatal(err)
					}
				}
				w.Close()
				w.Close() // idempotent
			}
			checkNoLeaks(t, fds, goroutines)
		})
	}
}

// TestPulledDuringListing takes the stick away in the middle of a
// listing: the listing reports the stick gone, never a hang or a panic.
func TestPulledDuringListing(t *testing.T) {
	root := t.TempDir()
	stick := filepath.Join(root, "sda1")
	mustWrite(t, filepath.Join(stick, "NVR1_20260101_0000.nvrguid"), guidData)
	mustWrite(t, filepath.Join(stick, "a", "NVR2_20260101_0000.nvrguid"), guidData)
	away := filepath.Join(t.TempDir(), "away")
	pulled := false
	w := newTestWatcher(t, Options{Source: SourceDirs, MediaRoot: root, Match: func(name string) bool {
		if !pulled {
			pulled = true
			if err := os.Rename(stick, away); err != nil {
				t.Error(err)
			}
		}
		return guidMatch(name)
	}})
	_, err := w.List(context.Background(), "sda1")
	if !errors.Is(err, ErrStickGone) {
		t.Errorf("got error %v, want ErrStickGone", err)
	}
}
