package perf

import (
	"testing"
)

func TestReplaceSection(t *testing.T) {
	const sec = "## Figures\n\n| a |\n"
	block := BeginMarker + "\n## Figures\n\n| a |\n" + EndMarker
	for _, tc := range []struct {
		name, doc, want, err string
	}{
		{"empty file", "", block + "\n", ""},
		{"appended to a file without markers", "# Benchmarks\n\nold prose\n", "# Benchmarks\n\nold prose\n\n" + block + "\n", ""},
		{"no final newline", "# B", "# B\n\n" + block + "\n", ""},
		{"replaced, prose around kept byte for byte", "# B\n\n" + BeginMarker + "\nold table\n" + EndMarker + "\n\n## Prose\nkept  \n", "# B\n\n" + block + "\n\n## Prose\nkept  \n", ""},
		{"empty section replaced", BeginMarker + EndMarker, block, ""},
		{"end missing", "x\n" + BeginMarker + "\n", "", "missing"},
		{"begin missing", "x\n" + EndMarker + "\n", "", "missing"},
		{"out of order", EndMarker + "\n" + BeginMarker + "\n", "", "order"},
		{"two sections", BeginMarker + EndMarker + BeginMarker + EndMarker, "", "more than one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReplaceSection(tc.doc, sec)
			if errorCase(t, err, tc.err) {
				return
			}
			if got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
			// Running it again changes nothing.
			again, err := ReplaceSection(got, sec)
			if err != nil || again != got {
				t.Errorf("second run: %v, changed to\n%q", err, again)
			}
		})
	}
}

func TestTable(t *testing.T) {
	got := Table([]string{"what", "size"}, [][]string{{"a|b", "1 KiB"}, {"c", ""}})
	want := "| what | size |\n| --- | --- |\n| a\\|b | 1 KiB |\n| c |  |\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
