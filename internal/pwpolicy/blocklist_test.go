package pwpolicy

import (
	"strings"
	"testing"
)

// blocklistEntries returns the embedded list's lines.
func blocklistEntries(t testing.TB) []string {
	t.Helper()
	if !strings.HasSuffix(blocklist, "\n") {
		t.Fatal("blocklist.txt does not end in a newline")
	}
	return strings.Split(strings.TrimSuffix(blocklist, "\n"), "\n")
}

func TestBlocklistFile(t *testing.T) {
	entries := blocklistEntries(t)
	passwords := 0
	prev := ""
	for i, e := range entries {
		if i > 0 && e <= prev {
			t.Fatalf("line %d: got %q after %q, want strictly increasing entries", i+1, e, prev)
		}
		prev = e
		for j := 0; j < len(e); j++ {
			if c := e[j]; c < 0x20 || c > 0x7e || (c >= 'A' && c <= 'Z') {
				t.Fatalf("line %d: got %q, want lowercase printable ASCII", i+1, e)
			}
		}
		switch n := len(e); {
		case n >= 8 && n <= 64:
			passwords++
		case n >= 4 && n < 8:
			for j := 0; j < n; j++ {
				if e[j] < 'a' || e[j] > 'z' {
					t.Fatalf("line %d: got short entry %q, want letters only", i+1, e)
				}
			}
		default:
			t.Fatalf("line %d: got %q of %d characters, want 4..64", i+1, e, n)
		}
	}
	if passwords < 10_000 {
		t.Errorf("got %d passwords of 8..64 characters, want at least 10,000", passwords)
	}
}

func TestEveryBlocklistEntryIsRefused(t *testing.T) {
	p := Policy{MinLength: 8, MaxLength: 64}
	for _, e := range blocklistEntries(t) {
		variants := []string{e, strings.ToUpper(e), strings.ToUpper(e[:1]) + e[1:]}
		for _, v := range variants {
			_, reasons := p.Evaluate("admin", v)
			err := p.Check("admin", v)
			if err == nil {
				t.Fatalf("Check(%q): got nil, want a refusal", v)
			}
			// Short entries are base words: refused for their length.
			if len(e) >= 8 && (len(reasons) == 0 || reasons[len(reasons)-1] != ReasonCommonPassword) {
				t.Fatalf("Evaluate(%q): got reasons %v, want %q among them", v, reasons, ReasonCommonPassword)
			}
		}
	}
}

func TestBlocklistContains(t *testing.T) {
	entries := blocklistEntries(t)
	for _, tc := range []struct {
		word string
		want bool
	}{
		{entries[0], true},
		{entries[len(entries)/2], true},
		{entries[len(entries)-1], true},
		{"password", true},
		{"12345678", true},
		{"iloveyou", true},
		{"dragon", true},
		{"", false},
		{"\x00", false},
		{"~~~~~~~~", false},
		{"gatto!nero77", false},
		{"passwo", false},
		{"dragonx", false},
		{"passwordx", false},
		{"password\npassword", false},
		{"\npassword", false},
		{"password\n", false},
		{strings.Repeat("z", 64), false},
	} {
		t.Run(tc.word, func(t *testing.T) {
			if got := blocklistContains([]byte(tc.word)); got != tc.want {
				t.Fatalf("blocklistContains(%q): got %v, want %v", tc.word, got, tc.want)
			}
		})
	}
}

func TestBlocklistContainsAllocatesNothing(t *testing.T) {
	word := []byte("gatto!nero77")
	if got := testing.AllocsPerRun(100, func() { blocklistContains(word) }); got != 0 {
		t.Fatalf("got %v allocations, want 0", got)
	}
}

func BenchmarkBlocklistContains(b *testing.B) {
	word := []byte("gatto!nero77")
	for b.Loop() {
		blocklistContains(word)
	}
}
