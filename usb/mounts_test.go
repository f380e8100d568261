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

	"nvrmenu/internal/testenv"

	"golang.org/x/sys/unix"
)

func TestSticksFromMounts(t *testing.T) {
	f, err := os.Open("testdata/mountinfo-recorder.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mounts, err := ParseMountinfo(f)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		root string
		want map[string]Stick
	}{
		{"/media", map[string]Stick{
			"sda1":        {MountPoint: "/media/sda1", FSType: "vfat", Device: "/dev/sda1"},
			`NVR STICK\x`: {MountPoint: `/media/NVR STICK\x`, FSType: "vfat", Device: "/dev/sdb1", ReadOnly: true},
			"sdc1":        {MountPoint: "/media/sdc1", FSType: "tmpfs", Device: "none"}, // stacked on the exFAT
		}},
		{"/var/lib", map[string]Stick{
			"nvr": {MountPoint: "/var/lib/nvr", FSType: "ext4", Device: "/dev/mmcblk0p2"},
		}},
		{"/med", map[string]Stick{}}, // a prefix of a name is not a parent
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			w := &Watcher{root: tt.root}
			found := w.sticksFromMounts(mounts)
			got := map[string]Stick{}
			for id, o := range found {
				got[id] = o.stick
			}
			if len(got) != len(tt.want) {
				t.Errorf("got %d sticks %v, want %d", len(got), got, len(tt.want))
			}
			for id, want := range tt.want {
				if got[id] != want {
					t.Errorf("stick %q: got %+v, want %+v", id, got[id], want)
				}
			}
		})
	}
}

func TestDecodeUdevName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"NVRSTICK", "NVRSTICK"},
		{`NVR\x20STICK`, "NVR STICK"},
		{`a\x2fb\x5cc`, `a/b\c`},
		{`bad\x2`, `bad\x2`},
		{`bad\xzz`, `bad\xzz`},
		{`esc\x1b[2J`, "esc\x1b[2J"},
	}
	for _, tt := range tests {
		if got := decodeUdevName(tt.in); got != tt.want {
			t.Errorf("decodeUdevName(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFindLabel(t *testing.T) {
	var st unix.Stat_t
	if err := unix.Stat("/dev/loop0", &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFBLK {
		testenv.SkipOrFail(t, "needs the block device /dev/loop0")
	}
	dir := t.TempDir()
	for name, target := range map[string]string{
		`NVR\x20STICK\x1b[31m`: "/dev/loop0",
		"not-a-device":         "/etc/passwd",
		"dangling":             "/nonexistent",
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	major, minor := unix.Major(uint64(st.Rdev)), unix.Minor(uint64(st.Rdev))
	if got, want := findLabel(dir, major, minor), "NVR STICK"; got != want {
		t.Errorf("got label %q, want %q (made safe for display)", got, want)
	}
	if got := findLabel(dir, major, minor+1000); got != "" {
		t.Errorf("other device: got label %q, want none", got)
	}
	if got := findLabel(filepath.Join(dir, "missing"), major, minor); got != "" {
		t.Errorf("no label directory: got label %q, want none", got)
	}
}

func TestMountsSource(t *testing.T) {
	requireMount(t)
	root := t.TempDir()
	mountTmpfs(t, filepath.Join(root, "pre"), 0, "size=1m")
	w := newTestWatcher(t, Options{MediaRoot: root})

	sticks := w.Sticks()
	if len(sticks) != 1 || sticks[0].ID != "pre" || sticks[0].FSType != "tmpfs" || sticks[0].Device != "nvrtest" {
		t.Fatalf("got sticks %+v, want the tmpfs at pre", sticks)
	}
	sub := subscribe(t, w)
	sub.wait(t, "pre added", isEvent(StickAdded, "pre"))

	t.Run("mount and unmount", func(t *testing.T) {
		mp := filepath.Join(root, "my stick")
		mountTmpfs(t, mp, 0, "size=1m")
		added := sub.wait(t, "my stick added", isEvent(StickAdded, "my stick"))
		want := Stick{ID: "my stick", Seq: added.Stick.Seq, Name: "my stick", MountPoint: mp, FSType: "tmpfs", Device: "nvrtest"}
		if added.Stick != want {
			t.Errorf("got %+v, want %+v", added.Stick, want)
		}
		mustUnmount(t, mp, 0)
		if got := sub.wait(t, "my stick removed", isEvent(StickRemoved, "my stick")); got.Stick.Seq != added.Stick.Seq {
			t.Errorf("got seq %d removed, want %d", got.Stick.Seq, added.Stick.Seq)
		}
	})

	t.Run("read-only mount", func(t *testing.T) {
		mp := filepath.Join(root, "ro")
		mountTmpfs(t, mp, unix.MS_RDONLY, "size=1m")
		if got := sub.wait(t, "ro added", isEvent(StickAdded, "ro")); !got.Stick.ReadOnly {
			t.Errorf("got %+v, want read-only", got.Stick)
		}
		err := w.Write(context.Background(), "ro", "NVR1_20260101_0000.nvrguid", guidData)
		if !errors.Is(err, ErrReadOnly) || !errors.Is(err, unix.EROFS) {
			t.Errorf("got error %v, want ErrReadOnly", err)
		}
		mustUnmount(t, mp, unix.MNT_DETACH)
		sub.wait(t, "ro removed", isEvent(StickRemoved, "ro"))
	})

	t.Run("remounted read-only", func(t *testing.T) {
		mp := filepath.Join(root, "errors")
		mountTmpfs(t, mp, 0, "size=1m")
		added := sub.wait(t, "errors added", isEvent(StickAdded, "errors"))
		// What FAT's errors=remount-ro does after a corrupt sector.
		if err := unix.Mount("", mp, "", unix.MS_REMOUNT|unix.MS_RDONLY, ""); err != nil {
			t.Fatal(err)
		}
		got := sub.wait(t, "errors changed", isEvent(ContentChanged, "errors"))
		if !got.Stick.ReadOnly || got.Stick.Seq != added.Stick.Seq {
			t.Errorf("got %+v, want the same stick, read-only", got.Stick)
		}
		mustUnmount(t, mp, 0)
		sub.wait(t, "errors removed", isEvent(StickRemoved, "errors"))
	})

	t.Run("mounts elsewhere are ignored", func(t *testing.T) {
		mountTmpfs(t, filepath.Join(t.TempDir(), "elsewhere"), 0, "size=64k")
		mountTmpfs(t, root+"-sibling", 0, "size=64k") // shares the root's name as a prefix
		mountTmpfs(t, filepath.Join(root, "marker"), 0, "size=64k")
		if got := sub.wait(t, "an addition", func(e Event) bool { return e.Kind == StickAdded }); got.Stick.ID != "marker" {
			t.Errorf("got %v, want marker added", got)
		}
	})

	t.Run("stacked mount replaces the stick", func(t *testing.T) {
		var below Stick
		for _, s := range w.Sticks() {
			if s.ID == "pre" {
				below = s
			}
		}
		mp := filepath.Join(root, "pre")
		// Mounted and unmounted by hand: a cleanup unmounting mp would
		// take the mount below with it.
		if err := unix.Mount("nvrtest", mp, "tmpfs", 0, "size=64k"); err != nil {
			t.Fatal(err)
		}
		removed := sub.wait(t, "pre removed", isEvent(StickRemoved, "pre"))
		added := sub.wait(t, "pre added", isEvent(StickAdded, "pre"))
		if removed.Stick.Seq != below.Seq || added.Stick.Seq <= below.Seq {
			t.Errorf("got removed %v and added %v, want %v out and a new one in", removed, added, below)
		}
		mustUnmount(t, mp, 0)
		sub.wait(t, "top removed", isEvent(StickRemoved, "pre"))
		sub.wait(t, "the one below back", isEvent(StickAdded, "pre"))
	})

	t.Run("lazy unmount", func(t *testing.T) {
		mustUnmount(t, filepath.Join(root, "pre"), unix.MNT_DETACH)
		sub.wait(t, "pre removed", isEvent(StickRemoved, "pre"))
		if slices.ContainsFunc(w.Sticks(), func(s Stick) bool { return s.ID == "pre" }) {
			t.Errorf("got pre still in %v", w.Sticks())
		}
	})
}

func TestMountedWrites(t *testing.T) {
	requireMount(t)
	root := t.TempDir()
	w := newTestWatcher(t, Options{MediaRoot: root})
	sub := subscribe(t, w)
	ctx := context.Background()
	const name = "NVR1_20260101_0000.nvrguid"

	t.Run("full stick", func(t *testing.T) {
		mp := filepath.Join(root, "full")
		mountTmpfs(t, mp, 0, "size=64k")
		sub.wait(t, "full added", isEvent(StickAdded, "full"))
		err := w.Write(ctx, "full", name, bytes.Repeat([]byte("x"), 1<<20))
		if !errors.Is(err, ErrNoSpace) || !errors.Is(err, unix.ENOSPC) {
			t.Fatalf("got error %v, want ErrNoSpace", err)
		}
		if got := dirNames(t, mp); len(got) != 0 {
			t.Errorf("got files %q, want none left", got)
		}
		if err := w.Write(ctx, "full", name, guidData); err != nil {
			t.Errorf("small file after the failure: got error %v, want none", err)
		}
	})

	t.Run("unmounted during the write", func(t *testing.T) {
		mp := filepath.Join(root, "yank")
		mountTmpfs(t, mp, 0, "size=1m")
		sub.wait(t, "yank added", isEvent(StickAdded, "yank"))
		// A second mount of the same filesystem outside the media root
		// keeps it inspectable after the lazy unmount.
		witness := filepath.Join(t.TempDir(), "witness")
		mustMkdir(t, witness)
		if err := unix.Mount(mp, witness, "", unix.MS_BIND, ""); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Unmount(witness, unix.MNT_DETACH) })
		testHookBeforeRename = func() { mustUnmount(t, mp, unix.MNT_DETACH) }
		defer func() { testHookBeforeRename = nil }()
		err := w.Write(ctx, "yank", name, guidData)
		if !errors.Is(err, ErrStickGone) {
			t.Fatalf("got error %v, want ErrStickGone", err)
		}
		if got := dirNames(t, witness); len(got) != 0 {
			t.Errorf("got files %q on the stick, want none", got)
		}
		sub.wait(t, "yank removed", isEvent(StickRemoved, "yank"))
		if err := w.Write(ctx, "yank", name, guidData); !errors.Is(err, ErrStickGone) {
			t.Errorf("after removal: got error %v, want ErrStickGone", err)
		}
	})

	t.Run("unmounted, watcher not told yet", func(t *testing.T) {
		mp := filepath.Join(root, "quick")
		mountTmpfs(t, mp, 0, "size=1m")
		sub.wait(t, "quick added", isEvent(StickAdded, "quick"))
		st, err := w.lookup("quick")
		if err != nil {
			t.Fatal(err)
		}
		mustUnmount(t, mp, 0)
		// Call the write path with the state from before the unmount, as
		// a Write racing the watcher would.
		if err := w.writeFile(ctx, st, name, guidData); !errors.Is(err, ErrStickGone) {
			t.Errorf("got error %v, want ErrStickGone", err)
		}
		if got := dirNames(t, mp); len(got) != 0 {
			t.Errorf("got files %q in the empty mount point, want none", got)
		}
	})

	t.Run("listing while unmounted", func(t *testing.T) {
		mp := filepath.Join(root, "pulled")
		mountTmpfs(t, mp, 0, "size=1m")
		mustWrite(t, filepath.Join(mp, name), guidData)
		mustWrite(t, filepath.Join(mp, "a", "NVR2_20260101_0000.nvrguid"), guidData)
		sub.wait(t, "pulled added", isEvent(StickAdded, "pulled"))
		pulled := false
		lw := newTestWatcher(t, Options{MediaRoot: root, Match: func(n string) bool {
			if !pulled {
				pulled = true
				mustUnmount(t, mp, unix.MNT_DETACH) // mid-walk
			}
			return guidMatch(n)
		}})
		_, err := lw.List(ctx, "pulled")
		if !errors.Is(err, ErrStickGone) {
			t.Errorf("got error %v, want ErrStickGone", err)
		}
	})
}

// TestImageSticks mounts real filesystem images through loop devices, as a
// stick is: ext2 for the label, the device and a full disk, and FAT (when
// the kernel has vfat) for renameat2(RENAME_NOREPLACE) on FAT.
func TestImageSticks(t *testing.T) {
	requireMount(t)
	tests := []struct {
		fstype string
		mkfs   []string
		label  string
	}{
		{"ext2", []string{"mkfs.ext2", "-q", "-F", "-L", "NVR STICK"}, "NVR STICK"},
		{"vfat", []string{"mkfs.vfat", "-n", "NVRSTICK"}, "NVRSTICK"},
	}
	for _, tt := range tests {
		t.Run(tt.fstype, func(t *testing.T) {
			root := t.TempDir()
			mp := filepath.Join(root, "sda1")
			_, dev := mountImage(t, tt.fstype, mp, 2048, tt.mkfs...)
			labels := t.TempDir()
			linkName := strings.ReplaceAll(tt.label, " ", `\x20`)
			if err := os.Symlink(dev, filepath.Join(labels, linkName)); err != nil {
				t.Fatal(err)
			}
			w := newTestWatcher(t, Options{MediaRoot: root, LabelDir: labels})
			sticks := w.Sticks()
			if len(sticks) != 1 {
				t.Fatalf("got sticks %+v, want one", sticks)
			}
			s := sticks[0]
			if s.FSType != tt.fstype || s.Device != dev || s.Label != tt.label || s.Name != tt.label {
				t.Errorf("got %+v, want %s on %s labelled %q", s, tt.fstype, dev, tt.label)
			}
			ctx := context.Background()
			const name = "NVR1_20260101_0000.nvrguid"
			if err := w.Write(ctx, "sda1", name, guidData); err != nil {
				t.Fatalf("write: got error %v, want none", err)
			}
			if err := w.Write(ctx, "sda1", name, []byte("again")); !errors.Is(err, ErrExists) {
				t.Errorf("write again: got error %v, want ErrExists", err)
			}
			// The pre-check aside, the rename itself refuses to replace.
			dirFD, err := unix.Open(mp, unix.O_RDONLY|unix.O_DIRECTORY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer unix.Close(dirFD)
			mustWrite(t, filepath.Join(mp, "tmp"), []byte("tmp"))
			if err := renameNoReplace(dirFD, "tmp", name); !errors.Is(err, unix.EEXIST) {
				t.Errorf("renameat2 NOREPLACE on %s: got error %v, want EEXIST", tt.fstype, err)
			}
			os.Remove(filepath.Join(mp, "tmp"))
			l, err := w.List(ctx, "sda1")
			if err != nil || len(l.Candidates) != 1 || !bytes.Equal(l.Candidates[0].Data(), guidData) {
				t.Errorf("list: got %v, %v, want the file written", l.Candidates, err)
			}
			// Fill the image: the write fails whole, leaving nothing.
			err = w.Write(ctx, "sda1", "big.bin", bytes.Repeat([]byte("x"), 4<<20))
			if !errors.Is(err, ErrNoSpace) {
				t.Errorf("4 MiB on a 2 MiB image: got error %v, want ErrNoSpace", err)
			}
			names := dirNames(t, mp)
			names = slices.DeleteFunc(names, func(n string) bool { return n == "lost+found" })
			if !slices.Equal(names, []string{name}) {
				t.Errorf("got files %q, want just %q", names, name)
			}
		})
	}
}
