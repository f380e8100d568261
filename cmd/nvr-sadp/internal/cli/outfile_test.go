package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nvrmenu/texts"
)

// TestOutputPath: where a file the user names goes, and the folder made
// for it.
func TestOutputPath(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing")
	os.Mkdir(existing, 0o700)
	sep := string(filepath.Separator)
	for _, tc := range []struct {
		out, want string
		made      string // the folder made, or ""
	}{
		{out: existing, want: filepath.Join(existing, "REC.nvrguid")},
		{out: existing + sep, want: filepath.Join(existing, "REC.nvrguid")},
		{out: filepath.Join(dir, "new") + sep, want: filepath.Join(dir, "new", "REC.nvrguid"), made: filepath.Join(dir, "new")},
		{out: filepath.Join(dir, "a", "b", "mine.nvrguid"), want: filepath.Join(dir, "a", "b", "mine.nvrguid"), made: filepath.Join(dir, "a", "b")},
		{out: filepath.Join(dir, "plain.nvrguid"), want: filepath.Join(dir, "plain.nvrguid")},
		{out: filepath.Join(existing, "."), want: filepath.Join(existing, "REC.nvrguid")},
	} {
		var out bytes.Buffer
		tl := &tool{stdout: &out}
		tl.cat, _ = texts.New("en")
		got, err := tl.outputPath(tc.out, "REC.nvrguid")
		if err != nil || got != tc.want {
			t.Errorf("%q: %q, %v; want %q", tc.out, got, err, tc.want)
		}
		if said := strings.Contains(out.String(), "Folder "); said != (tc.made != "") || tc.made != "" && !strings.Contains(out.String(), tc.made) {
			t.Errorf("%q: said %q; want the folder made named: %q", tc.out, out.String(), tc.made)
		}
		if tc.made != "" {
			if st, err := os.Stat(tc.made); err != nil || !st.IsDir() {
				t.Errorf("%q: %s not made: %v", tc.out, tc.made, err)
			}
		}
	}
}

func TestPlainFileName(t *testing.T) {
	for name, want := range map[string]bool{
		"NVR1_20270314_093000.nvrguid":        true,
		"QR-NVR1-20270314-093000.png":         false, // not a GUID file
		".nvrguid":                            false,
		".hidden.nvrguid":                     false,
		"a/b.nvrguid":                         false,
		"a b.nvrguid":                         false,
		"x.png":                               false, // for .nvrguid
		"\x1b[2J.nvrguid":                     false,
		strings.Repeat("a", 121) + ".nvrguid": false,
	} {
		if got := plainFileName(name, ".nvrguid"); got != want {
			t.Errorf("plainFileName(%q, .nvrguid) = %v, want %v", name, got, want)
		}
	}
	if !plainFileName("QR-NVR1-20270314-093000.png", ".png") {
		t.Error("a QR code's name refused")
	}
}
