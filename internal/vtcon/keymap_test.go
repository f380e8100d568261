package vtcon

import (
	"slices"
	"testing"
)

// Keycodes of the keys tested (linux/input-event-codes.h, by their US
// names).
const (
	keyTwo        = 3
	keyMinus      = 12
	keyEqual      = 13
	keyQ          = 16
	keyLeftBrace  = 26
	keyRightBrace = 27
	keySemicolon  = 39
	keyApostrophe = 40
	keyBackslash  = 43
	key102nd      = 86
	keyRightAlt   = 100
)

func TestItalianLayout(t *testing.T) {
	for _, tc := range []struct {
		name       string
		table, key int
		want       rune
	}{
		{"ò", 0, keySemicolon, 'ò'},
		{"ç is shift+ò", 1, keySemicolon, 'ç'},
		{"@ is AltGr+ò", 2, keySemicolon, '@'},
		{"à", 0, keyApostrophe, 'à'},
		{"° is shift+à", 1, keyApostrophe, '°'},
		{"# is AltGr+à", 2, keyApostrophe, '#'},
		{"è", 0, keyLeftBrace, 'è'},
		{"é is shift+è", 1, keyLeftBrace, 'é'},
		{"[ is AltGr+è", 2, keyLeftBrace, '['},
		{"{ is shift+AltGr+è", 3, keyLeftBrace, '{'},
		{"+", 0, keyRightBrace, '+'},
		{"] is AltGr++", 2, keyRightBrace, ']'},
		{"ì", 0, keyEqual, 'ì'},
		{"^ is shift+ì", 1, keyEqual, '^'},
		{"ù", 0, keyBackslash, 'ù'},
		{"§ is shift+ù", 1, keyBackslash, '§'},
		{"'", 0, keyMinus, '\''},
		{"? is shift+'", 1, keyMinus, '?'},
		{"\" is shift+2", 1, keyTwo, '"'},
		{"< on the 102nd key", 0, key102nd, '<'},
		{"q", 0, keyQ, 'q'},
		{"Q", 1, keyQ, 'Q'},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, ok := KeyRune("it", tc.table, tc.key); !ok || got != tc.want {
				t.Errorf("it table %d key %d: %q, %v; want %q", tc.table, tc.key, got, ok, tc.want)
			}
		})
	}
	// The right Alt key is AltGr (KT_SHIFT, KG_ALTGR) on the Italian layout.
	if v := keymaps["it"][0][keyRightAlt]; v != 0x0701 {
		t.Errorf("it: right Alt is 0x%04x, want 0x0701 (AltGr)", v)
	}
	// Letters are KT_LETTER, so that Caps Lock applies; ò too.
	if v := keymaps["it"][0][keyQ]; v>>8 != ktLetter {
		t.Errorf("it: q is 0x%04x, want type KT_LETTER", v)
	}
}

func TestUSLayout(t *testing.T) {
	for _, tc := range []struct {
		table, key int
		want       rune
	}{
		{1, keyTwo, '@'}, {0, keySemicolon, ';'}, {1, keySemicolon, ':'}, {0, keyApostrophe, '\''},
		{0, keyLeftBrace, '['}, {1, keyLeftBrace, '{'}, {0, keyBackslash, '\\'}, {0, keyQ, 'q'},
	} {
		if got, ok := KeyRune("us", tc.table, tc.key); !ok || got != tc.want {
			t.Errorf("us table %d key %d: %q, %v; want %q", tc.table, tc.key, got, ok, tc.want)
		}
	}
	if _, ok := KeyRune("us", 0, 1); ok {
		t.Error("Escape types a character")
	}
	if _, ok := KeyRune("fr", 0, keyQ); ok {
		t.Error("a layout we do not ship types something")
	}
}

func TestKeymapsListed(t *testing.T) {
	if got := Keymaps(); !slices.Equal(got, []string{"it", "us"}) {
		t.Errorf("Keymaps() = %v", got)
	}
	if _, err := lookupKeymap("de"); err == nil {
		t.Error("lookupKeymap(de): no error")
	}
	if !equalKeymap(keymaps["it"], keymaps["it"]) || equalKeymap(keymaps["it"], keymaps["us"]) {
		t.Error("equalKeymap is wrong")
	}
	// Read back from a console a killed daemon left with the Italian
	// layout, entry 0 of each table says the table is allocated
	// (K_ALLOCATED), not a key: it is still the Italian layout.
	left := *keymaps["it"]
	for t := range left {
		left[t][0] = 0x027e
	}
	if !equalKeymap(&left, keymaps["it"]) {
		t.Error("a keymap differing only in entry 0 (no key) taken for another")
	}
	if keymapSource == "" {
		t.Error("no keymapSource")
	}
}

func TestEntryRune(t *testing.T) {
	for _, tc := range []struct {
		v    uint16
		want rune
		ok   bool
	}{
		{0x0061, 'a', true},          // KT_LATIN a
		{0x0b61, 'a', true},          // KT_LETTER a
		{0x00e0, 'à', true},          // KT_LATIN à
		{0x20ac ^ 0xf000, '€', true}, // Unicode, XORed
		{0x03a9 ^ 0xf000, 'Ω', true}, // Unicode below 0x1000
		{0x001b, 0, false},           // Escape
		{0x0200, 0, false},           // K_HOLE
		{0x0701, 0, false},           // AltGr
		{0x0401, 0, false},           // a dead key
	} {
		got, ok := entryRune(tc.v)
		if got != tc.want || ok != tc.ok {
			t.Errorf("entryRune(0x%04x) = %q, %v; want %q, %v", tc.v, got, ok, tc.want, tc.ok)
		}
	}
}
