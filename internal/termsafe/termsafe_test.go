package termsafe

import (
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain name kept", "NVR0012345_20261125_0930.nvrguid", "NVR0012345_20261125_0930.nvrguid"},
		{"accents and CJK kept", "perché 日本", "perché 日本"},
		{"replacement character in input kept", "a\ufffdb", "a\ufffdb"},
		{"CSI colour", "a\x1b[31;1mred\x1b[0m", "ared"},
		{"CSI clear screen and cursor", "\x1b[2J\x1b[H\x1b[?25lx", "x"},
		{"OSC title ended by BEL", "\x1b]0;pwned\x07name", "name"},
		{"OSC hyperlink ended by ST", "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"DCS string", "\x1bPq#0;2;0;0;0\x1b\\after", "after"},
		{"unterminated OSC swallows the rest", "ok\x1b]0;title", "ok"},
		{"OSC cut short by a new escape", "\x1b]0;t\x1b[1mX", "X"},
		{"two-byte escape", "\x1bcreset", "reset"},
		{"charset escape with intermediate", "\x1b(Bx", "x"},
		{"lone ESC at the end", "x\x1b", "x"},
		{"broken CSI keeps the text after it", "\x1b[12é", "é"},
		{"C1 CSI", "a\u009b31mb", "ab"},
		{"C1 OSC ended by C1 ST", "a\u009d0;t\u009cb", "ab"},
		{"C0 controls", "a\tb\nc\rd\x00e\x07f\x08g", "abcdefg"},
		{"DEL and C1 controls", "a\x7fb\u0085c\u008ed", "abcd"},
		{"right-to-left override", "invoice\u202Efdp.exe", "invoicefdp.exe"},
		{"all embeddings and isolates", "\u202Aa\u202Bb\u202Cc\u202Dd\u2066e\u2067f\u2068g\u2069", "abcdefg"},
		{"marks and separators", "a\u200Eb\u200Fc\u061Cd\u2028e\u2029f", "abcdef"},
		{"invalid UTF-8 replaced byte by byte", "a\xff\xfeb", "a\ufffd\ufffdb"},
		{"truncated rune", "a\xe6\x97", "a\ufffd\ufffd"},
		{"surrogate half", "a\xed\xa0\x80b", "a\ufffd\ufffd\ufffdb"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := String(tt.in)
			if got != tt.want {
				t.Errorf("String(%q): got %q, want %q", tt.in, got, tt.want)
			}
			assertSafe(t, got)
			if again := String(got); again != got {
				t.Errorf("not idempotent: got %q, then %q", got, again)
			}
			if IsSafe(tt.in) != (tt.in == tt.want) {
				t.Errorf("IsSafe(%q) = %v, want %v", tt.in, IsSafe(tt.in), tt.in == tt.want)
			}
		})
	}
}

// assertSafe fails the test when s holds anything String removes.
func assertSafe(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%q: invalid UTF-8", s)
	}
	for _, r := range s {
		if UnsafeRune(r) {
			t.Errorf("%q: holds %U", s, r)
		}
	}
}

func FuzzString(f *testing.F) {
	f.Add("\x1b]0;t\x07a\u202Eb\xff")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		got := String(s)
		assertSafe(t, got)
		if !IsSafe(got) || IsSafe(s) != (s == got) {
			t.Fatalf("IsSafe disagrees with String on %q", s)
		}
		if again := String(got); again != got {
			t.Fatalf("not idempotent: %q gives %q, then %q", s, got, again)
		}
	})
}
