package vtcon

import (
	"testing"

	"nvrmenu/internal/octant"
)

func TestSubstitute(t *testing.T) {
	ascii := func(r rune) bool { return r >= 0x20 && r < 0x7f }
	cp437 := glyphSet(cp437Map)
	for _, tc := range []struct {
		name string
		has  func(rune) bool
		in   string
		want string
	}{
		{"nil draws everything", nil, "Verifica in corso…", "Verifica in corso…"},
		{"ellipsis", ascii, "Verifica in corso…", "Verifica in corso..."},
		{"capitals", ascii, "ÀÈÉÌÒÙ àèéìòù", "AEEIOU aeeiou"},
		{"quotes and dashes", ascii, "l’amministratore “ok” – fine — «sì»", `l'amministratore "ok" - fine - "si"`},
		{"euro and degrees", ascii, "10 € a 20°", "10 EUR a 20o"},
		{"unknown becomes ?", ascii, "漢字✓", "???"},
		{"controls kept", ascii, "a\nb\tc", "a\nb\tc"},
		{"CP437 keeps what it has", cp437, "Verifica in corso… città È ▀▄█ ═║", "Verifica in corso... città È ▀▄█ ═║"},
		{"letters our font lacks", FontHas, "Łódź Ștefan Œuvre", "Lódz Stefan OEuvre"},
		{"CP437: em dash to hyphen, quote", cp437, "l’ok — sì", "l'ok - sì"},
		{"CP437: arrows", cp437, "▲▼◀▶", "▲▼◀▶"},
		{"ASCII: double lines to ASCII", ascii, "╔═╗║╚╝", "+=+|++"},
		{"ASCII: blocks", ascii, "▀▄█", `"_#`},
		{"chained: — to – when the font has –", func(r rune) bool { return ascii(r) || r == '–' }, "a—b", "a–b"},
		{"our font keeps all", FontHas, "Verifica in corso… ÀÈÌÒÙ “ok” €", "Verifica in corso… ÀÈÌÒÙ “ok” €"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Substitute(tc.in, tc.has); got != tc.want {
				t.Errorf("Substitute(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestSubstitutesReachASCII: every rune of the table ends in something an
// ASCII-only font draws, so a ■ never shows on any console.
func TestSubstitutesReachASCII(t *testing.T) {
	ascii := func(r rune) bool { return r >= 0x20 && r < 0x7f }
	for r := range substitutes {
		got := Substitute(string(r), ascii)
		for _, s := range got {
			if !ascii(s) || s == '?' && r != '\uFFFD' {
				t.Errorf("%q becomes %q on an ASCII font", r, got)
			}
		}
	}
	for _, r := range RequiredRunes {
		if _, qr := octant.Pattern(r); ascii(r) || qr || r >= '▖' && r <= '▟' {
			continue // the QR code's dots are drawn only where the font has them
		}
		if _, ok := substitutes[r]; !ok {
			t.Errorf("required rune %q has no substitute", r)
		}
	}
}
