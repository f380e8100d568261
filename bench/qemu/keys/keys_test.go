package keys

import (
	"strings"
	"testing"
)

func TestKeys(t *testing.T) {
	for _, tt := range []struct {
		layout string
		text   string
		want   []string
	}{
		{"us", "aZ5@ .", []string{"a", "shift-z", "5", "shift-2", "spc", "dot"}},
		{"it", "aZ5@ .", []string{"a", "shift-z", "5", "alt_r-q", "spc", "dot"}},
		{"it", "$%!&", []string{"shift-4", "shift-5", "shift-1", "shift-6"}},
		{"us", "$%!&", []string{"shift-4", "shift-5", "shift-1", "shift-7"}},
		{"it", "òàè", []string{"semicolon", "apostrophe", "bracket_left"}},
	} {
		m, err := For(tt.layout)
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.Keys(tt.text)
		if err != nil || strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s: Keys(%q) = %q, %v; want %q", tt.layout, tt.text, got, err, tt.want)
		}
	}
}

// TestTypesTheBenchTexts: every printable ASCII character, which the
// bench's passwords, answers and addresses are made of, has a key in both
// layouts.
func TestTypesTheBenchTexts(t *testing.T) {
	for _, layout := range []string{"us", "it"} {
		m, err := For(layout)
		if err != nil {
			t.Fatal(err)
		}
		for r := rune(0x20); r < 0x7f; r++ {
			if _, err := m.Key(r); err != nil {
				t.Errorf("%v", err)
			}
		}
	}
	if _, err := For("xx"); err == nil {
		t.Error(`For("xx") found a keymap`)
	}
}
