package vtcon

import (
	"fmt"
	"slices"
	"sort"
)

// keymap is a layout: the kernel keymap tables plain (0), shift (1), altgr
// (2) and shift+altgr (3), keycodes 0-127, as KDSKBENT takes them. The
// other tables (control, alt and their mixes) are left as they are.
type keymap [4][128]uint16

// Keymaps are the layouts console.keymap may name, besides "keep".
func Keymaps() []string {
	names := make([]string, 0, len(keymaps))
	for n := range keymaps {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// The kernel's key types (linux/keyboard.h): a table entry is the type in
// the high byte and a value in the low one, or a Unicode character XORed
// with 0xF000 when it is not Latin-1.
const (
	ktLatin  = 0
	ktLetter = 11 // Latin-1, with Caps Lock
	nrTypes  = 15 // NR_TYPES: a type byte at or above it is Unicode
)

// KeyRune returns the character a layout's key types with the modifiers of
// table (0 plain, 1 shift, 2 altgr, 3 shift+altgr), and false when that key
// types no character (a function key, a modifier, a dead key).
func KeyRune(layout string, table, keycode int) (rune, bool) {
	m, ok := keymaps[layout]
	if !ok || table < 0 || table > 3 || keycode < 0 || keycode >= 128 {
		return 0, false
	}
	return entryRune(m[table][keycode])
}

func entryRune(v uint16) (rune, bool) {
	typ, val := v>>8, v&0xff
	switch {
	case typ >= nrTypes: // Unicode, XORed with 0xF000
		return rune(v ^ 0xf000), true
	case typ == ktLatin || typ == ktLetter:
		if val < 0x20 || val == 0x7f {
			return 0, false // control characters: Escape, Tab, Delete
		}
		return rune(val), true
	}
	return 0, false
}

func lookupKeymap(name string) (*keymap, error) {
	m, ok := keymaps[name]
	if !ok {
		return nil, fmt.Errorf("console keymap %q: want keep or one of %v", name, Keymaps())
	}
	return m, nil
}

// equalKeymap reports whether the four tables read from the console
// (current) are m's keys. Keycode 0 is no key: the kernel reads back there
// whether the table is allocated (K_ALLOCATED, K_NOSUCHMAP), not a key.
func equalKeymap(current, m *keymap) bool {
	for t := range m {
		if !slices.Equal(current[t][1:], m[t][1:]) {
			return false
		}
	}
	return true
}
