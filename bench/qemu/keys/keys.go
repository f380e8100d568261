// Package keys turns text into the key presses of QEMU's monitor command
// sendkey, for a guest whose console has a given keymap: QEMU presses
// keys by their position (its names are a US keyboard's), and the guest's
// keymap decides what each types, so an "@" is shift-2 under "us" and
// AltGr-q (alt_r-q) under "it".
package keys

import (
	"fmt"

	"nvrmenu/internal/vtcon"
)

// qcodes are QEMU's names of the keys by Linux keycode (the keys that type
// characters, and the modifiers below).
var qcodes = map[int]string{
	2: "1", 3: "2", 4: "3", 5: "4", 6: "5", 7: "6", 8: "7", 9: "8", 10: "9", 11: "0",
	12: "minus", 13: "equal",
	16: "q", 17: "w", 18: "e", 19: "r", 20: "t", 21: "y", 22: "u", 23: "i", 24: "o", 25: "p",
	26: "bracket_left", 27: "bracket_right",
	30: "a", 31: "s", 32: "d", 33: "f", 34: "g", 35: "h", 36: "j", 37: "k", 38: "l",
	39: "semicolon", 40: "apostrophe", 41: "grave_accent", 43: "backslash",
	44: "z", 45: "x", 46: "c", 47: "v", 48: "b", 49: "n", 50: "m",
	51: "comma", 52: "dot", 53: "slash", 57: "spc", 86: "less",
}

// The modifiers of the kernel's tables 0-3 (plain, shift, altgr,
// shift+altgr), as QEMU names them.
var modifiers = [4]string{"", "shift-", "alt_r-", "shift-alt_r-"}

// Special keys by the names the bench uses.
const (
	Enter     = "ret"
	Tab       = "tab"
	Escape    = "esc"
	Backspace = "backspace"
	Up        = "up"
	Down      = "down"
	Left      = "left"
	Right     = "right"
	Home      = "home"
	End       = "end"
)

// Map is one keymap's way of typing each rune.
type Map struct {
	layout string
	keys   map[rune]string
}

// For returns the map of a layout vtcon ships ("us", "it").
func For(layout string) (*Map, error) {
	m := &Map{layout: layout, keys: make(map[rune]string)}
	for table := range modifiers {
		for code := 0; code < 128; code++ {
			name, ok := qcodes[code]
			if !ok {
				continue
			}
			r, ok := vtcon.KeyRune(layout, table, code)
			if !ok {
				continue
			}
			if _, seen := m.keys[r]; !seen { // the fewest modifiers win
				m.keys[r] = modifiers[table] + name
			}
		}
	}
	if len(m.keys) == 0 {
		return nil, fmt.Errorf("keymap %q: not one of %v", layout, vtcon.Keymaps())
	}
	return m, nil
}

// Layout is the map's keymap.
func (m *Map) Layout() string { return m.layout }

// Key returns the sendkey argument that types r.
func (m *Map) Key(r rune) (string, error) {
	if k, ok := m.keys[r]; ok {
		return k, nil
	}
	return "", fmt.Errorf("the %s keymap types no %q on a key of its own", m.layout, r)
}

// Keys returns the sendkey arguments that type s.
func (m *Map) Keys(s string) ([]string, error) {
	var out []string
	for _, r := range s {
		k, err := m.Key(r)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, nil
}
