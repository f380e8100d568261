package vtcon

import (
	"slices"

	"nvrmenu/internal/vtcon/psf"
)

// fontUnimap is the kernel's Unicode map for a font: one pair per code
// point of the Basic Multilingual Plane the font lists (the kernel's map has
// 16-bit code points), sorted.
func fontUnimap(f *psf.Font) []unipair {
	var pairs []unipair
	for g, rs := range f.Unicode {
		for _, r := range rs {
			if r >= 0 && r <= 0xffff {
				pairs = append(pairs, unipair{Unicode: uint16(r), FontPos: uint16(g)})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b unipair) int { return int(a.Unicode) - int(b.Unicode) })
	return pairs
}

// glyphSet returns what a console with the Unicode map pairs draws: every
// code point in the map, and printable ASCII, which the console draws from
// its glyph of the same number when the map lacks it (vt.c's "legacy
// mode" fallback).
func glyphSet(pairs []unipair) func(rune) bool {
	set := make(map[rune]bool, len(pairs))
	for _, p := range pairs {
		set[rune(p.Unicode)] = true
	}
	return func(r rune) bool { return r >= 0x20 && r < 0x7f || set[r] }
}
