package usb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// Folder names of the hostile stick that try to take over a terminal.
const (
	escapeDir = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred"
	rloDir    = "invoice\u202Egnp.exe"
	badUTF8   = "bad\xff\xfeutf8"
)

// makeHostileStick fills dir with what the issue lists: a symbolic link to
// /etc, symbolic link loops, a FIFO and a device node named like GUID files,
// a 100 MiB sparse file named like one, 10,000 files, deep nesting, and
// names carrying terminal escape sequences, a right-to-left override and
// invalid UTF-8. It returns the candidates a full listing must find and the
// number of entries it must skip.
func makeHostileStick(t *testing.T, dir string) (wantCandidates []string, wantSkipped int) {
	t.Helper()
	outside := t.TempDir() // not on the stick
	mustWrite(t, filepath.Join(outside, "OUT_20260101_0000.nvrguid"), guidData)

	mustWrite(t, filepath.Join(dir, "NVR1_20260101_0000.nvrguid"), guidData)
	symlinks := map[string]string{
		"etc":                             "/etc",
		"outside":                         outside,
		"LINK_20260101_0000.nvrguid":      filepath.Join(outside, "OUT_20260101_0000.nvrguid"),
		"loop":                            "loop",
		"loopa":                           "loopb",
		"loopb":                           "loopa",
		"LOOP_20260101_0000.nvrguid":      "LOOP_20260101_0000.nvrguid",
		"deep/up":                         "..",
		"deep/1/UP_20260101_0000.nvrguid": "../../NVR1_20260101_0000.nvrguid",
	}
	mustMkdir(t, filepath.Join(dir, "deep", "1"))
	for name, target := range symlinks {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	wantSkipped = 3 // LINK_, LOOP_, deep/1/UP_
	if err := unix.Mkfifo(filepath.Join(dir, "FIFO_20260101_0000.nvrguid"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantSkipped++
	if err := unix.Mknod(filepath.Join(dir, "DEV_20260101_0000.nvrguid"), unix.S_IFCHR|0o644, int(unix.Mkdev(1, 5))); err == nil {
		wantSkipped++ // like /dev/zero: reading it would never end
	} else {
		t.Logf("no device node on this stick (%v): mknod needs root", err)
	}
	sparse, err := os.Create(filepath.Join(dir, "SPARSE_20260101_0000.nvrguid"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sparse.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	sparse.Close()

	// 10,000 files, two levels down so that the listing with the default
	// cap has seen everything else before it stops.
	bulk := filepath.Join(dir, "bulk", "many")
	mustMkdir(t, bulk)
	for i := range 10000 {
		f, err := os.Create(filepath.Join(bulk, fmt.Sprintf("f%05d", i)))
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}

	// Deep nesting: a GUID file at every level; only levels 0-2 count.
	level := filepath.Join(dir, "deep")
	for i := range 30 {
		mustWrite(t, filepath.Join(level, fmt.Sprintf("DEEP%d_20260101_0000.nvrguid", i+1)), guidData)
		level = filepath.Join(level, fmt.Sprint(i+1))
	}
	mustMkdir(t, level)

	for _, d := range []struct{ dir, file string }{
		{escapeDir, "ESC_20260101_0000.nvrguid"},
		{rloDir, "RLO_20260101_0000.nvrguid"},
		{badUTF8, "UTF_20260101_0000.nvrguid"},
	} {
		mustWrite(t, filepath.Join(dir, d.dir, d.file), guidData)
	}
	// A folder named like a GUID file is a folder.
	mustMkdir(t, filepath.Join(dir, "DIR_20260101_0000.nvrguid"))

	wantCandidates = []string{
		"NVR1_20260101_0000.nvrguid",
		"SPARSE_20260101_0000.nvrguid",
		badUTF8 + "/UTF_20260101_0000.nvrguid",
		"deep/1/DEEP2_20260101_0000.nvrguid",
		"deep/DEEP1_20260101_0000.nvrguid",
		escapeDir + "/ESC_20260101_0000.nvrguid",
		rloDir + "/RLO_20260101_0000.nvrguid",
	}
	slices.Sort(wantCandidates)
	return wantCandidates, wantSkipped
}

func TestHostileStick(t *testing.T) {
	tests := []struct {
		source Source
		setup  func(t *testing.T, stick string)
	}{
		{SourceDirs, func(t *testing.T, stick string) { mustMkdir(t, stick) }},
		{SourceMounts, func(t *testing.T, stick string) {
			requireMount(t)
			mountTmpfs(t, stick, 0, "size=64m")
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.source), func(t *testing.T) {
			root := t.TempDir()
			stick := filepath.Join(root, "sda1")
			tt.setup(t, stick)
			wantCandidates, wantSkipped := makeHostileStick(t, stick)

			t.Run("default cap of 10,000 entries", func(t *testing.T) {
				w := newTestWatcher(t, Options{Source: tt.source, MediaRoot: root})
				got, err := w.List(context.Background(), "sda1")
				if !errors.Is(err, ErrTooManyEntries) {
					t.Fatalf("got error %v, want ErrTooManyEntries", err)
				}
				if got.Visited != DefaultMaxEntries {
					t.Errorf("got %d entries visited, want %d", got.Visited, DefaultMaxEntries)
				}
				// The root and level one are read before any level-two
				// folder, so the cap in bulk/many can only have hidden
				// level-two files.
				names := listNames(got)
				for _, want := range wantCandidates {
					if strings.Count(want, "/") < 2 && !slices.Contains(names, want) {
						t.Errorf("got candidates %q, want %q among them", names, want)
					}
				}
				for _, name := range names {
					if !slices.Contains(wantCandidates, name) {
						t.Errorf("got candidate %q, want only %q", name, wantCandidates)
					}
				}
				checkHostileListing(t, stick, got, -1)
			})

			t.Run("full listing", func(t *testing.T) {
				w := newTestWatcher(t, Options{Source: tt.source, MediaRoot: root, MaxEntries: 20000})
				got, err := w.List(context.Background(), "sda1")
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				if names := listNames(got); !reflect.DeepEqual(names, wantCandidates) {
					t.Errorf("got candidates %q, want %q", names, wantCandidates)
				}
				if got.Visited <= DefaultMaxEntries {
					t.Errorf("got %d entries visited, want more than %d", got.Visited, DefaultMaxEntries)
				}
				checkHostileListing(t, stick, got, wantSkipped)
			})
		})
	}
}

// checkHostileListing asserts the rules on every candidate of a listing of
// the hostile stick; wantSkipped < 0 skips the count (a partial listing).
func checkHostileListing(t *testing.T, stick string, got Listing, wantSkipped int) {
	t.Helper()
	if wantSkipped >= 0 && got.Skipped != wantSkipped {
		t.Errorf("got %d skipped (links, FIFO, device), want %d", got.Skipped, wantSkipped)
	}
	wantDisplay := map[string]string{
		escapeDir + "/ESC_20260101_0000.nvrguid": "red/ESC_20260101_0000.nvrguid",
		rloDir + "/RLO_20260101_0000.nvrguid":    "invoicegnp.exe/RLO_20260101_0000.nvrguid",
		badUTF8 + "/UTF_20260101_0000.nvrguid":   "bad\ufffd\ufffdutf8/UTF_20260101_0000.nvrguid",
	}
	for _, c := range got.Candidates {
		if c.Path != filepath.Join(stick, c.RelPath) {
			t.Errorf("%q: got path %q, want it under the stick", c.DisplayName, c.Path)
		}
		if strings.HasPrefix(c.RelPath, "etc/") || strings.HasPrefix(c.RelPath, "outside/") ||
			strings.Count(c.RelPath, "/") > maxDepth {
			t.Errorf("%q: listed through a link or too deep", c.DisplayName)
		}
		if len(c.Data()) > MaxFileSize {
			t.Errorf("%q: got %d bytes read, want at most %d", c.DisplayName, len(c.Data()), MaxFileSize)
		}
		assertDisplaySafe(t, c.DisplayName)
		if want, ok := wantDisplay[c.RelPath]; ok && c.DisplayName != want {
			t.Errorf("got display name %q, want %q", c.DisplayName, want)
		}
		switch c.RelPath {
		case "SPARSE_20260101_0000.nvrguid":
			if !c.TooLarge || c.Size != 100<<20 || c.Data() != nil {
				t.Errorf("sparse file: got TooLarge %v, size %d, %d bytes read; want true, 100 MiB, none",
					c.TooLarge, c.Size, len(c.Data()))
			}
		default:
			if string(c.Data()) != string(guidData) {
				t.Errorf("%q: got data %q, want the GUID file", c.DisplayName, c.Data())
			}
			// The raw path still opens the file.
			if data, err := os.ReadFile(c.Path); err != nil || string(data) != string(guidData) {
				t.Errorf("%q: reading the raw path: got %v", c.DisplayName, err)
			}
		}
	}
}
