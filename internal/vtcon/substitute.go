package vtcon

import "strings"

// substitutes are what Substitute draws instead of a rune the font lacks,
// best first; a candidate is used only if the font draws all of it.
var substitutes = map[rune][]string{
	'…': {"..."}, '’': {"'"}, '‘': {"'"}, '“': {`"`}, '”': {`"`}, '«': {`"`}, '»': {`"`},
	'–': {"-"}, '—': {"–", "-"}, '−': {"-"}, '€': {"EUR"}, '•': {"·", "*"}, '·': {"•", "."},
	'°': {"o"}, '×': {"x"}, '±': {"+/-"}, '\u00a0': {" "}, '\uFFFD': {"?"},
	'à': {"a"}, 'è': {"e"}, 'é': {"e"}, 'ì': {"i"}, 'ò': {"o"}, 'ù': {"u"},
	'á': {"a"}, 'í': {"i"}, 'ó': {"o"}, 'ú': {"u"}, 'ç': {"c"},
	'À': {"A"}, 'È': {"E"}, 'É': {"E"}, 'Ì': {"I"}, 'Ò': {"O"}, 'Ù': {"U"},
	'Á': {"A"}, 'Í': {"I"}, 'Ó': {"O"}, 'Ú': {"U"}, 'Ç': {"C"},
	'←': {"<"}, '→': {">"}, '↑': {"^"}, '↓': {"v"},
	'▲': {"↑", "^"}, '▼': {"↓", "v"}, '◀': {"←", "<"}, '▶': {"→", ">"},
	'─': {"-"}, '│': {"|"}, '┌': {"+"}, '┐': {"+"}, '└': {"+"}, '┘': {"+"},
	'├': {"+"}, '┤': {"+"}, '┬': {"+"}, '┴': {"+"}, '┼': {"+"},
	'═': {"─", "="}, '║': {"│", "|"}, '╔': {"┌", "+"}, '╗': {"┐", "+"}, '╚': {"└", "+"}, '╝': {"┘", "+"},
	'╠': {"├", "+"}, '╣': {"┤", "+"}, '╦': {"┬", "+"}, '╩': {"┴", "+"}, '╬': {"┼", "+"},
	'╒': {"┌", "+"}, '╓': {"┌", "+"}, '╕': {"┐", "+"}, '╖': {"┐", "+"}, '╘': {"└", "+"}, '╙': {"└", "+"},
	'╛': {"┘", "+"}, '╜': {"┘", "+"}, '╞': {"├", "+"}, '╟': {"├", "+"}, '╡': {"┤", "+"}, '╢': {"┤", "+"},
	'╤': {"┬", "+"}, '╥': {"┬", "+"}, '╧': {"┴", "+"}, '╨': {"┴", "+"}, '╪': {"┼", "+"}, '╫': {"┼", "+"},
	'━': {"─", "-"}, '┃': {"│", "|"}, '╭': {"┌", "+"}, '╮': {"┐", "+"}, '╰': {"└", "+"}, '╯': {"┘", "+"},
	'█': {"#"}, '▓': {"█", "#"}, '▒': {"▓", "░", "#"}, '░': {"▒", ":"}, '■': {"█", "#"},
	'▀': {`"`}, '▄': {"_"}, '▌': {"█", "|"}, '▐': {"█", "|"},
}

// Substitute replaces every rune of s the font cannot draw (has reports
// which it can) by the first substitute it can draw — "..." for "…", "A"
// for "À", "'" for "’", "L" for "Ł" — and by "?" when none is drawable, so that the
// console never shows its replacement glyph. A nil has draws everything:
// s comes back unchanged. Substitutes may be wider than the rune ("…" is
// three cells as "..."): apply it to text before laying it out. The
// console draws ASCII even without a Unicode map, so has should hold for
// every printable ASCII rune.
func Substitute(s string, has func(rune) bool) string {
	if has == nil {
		return s
	}
	all := func(t string) bool {
		for _, r := range t {
			if !has(r) {
				return false
			}
		}
		return true
	}
	if all(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if has(r) || r < 0x20 {
			b.WriteRune(r)
			continue
		}
		sub := "?"
		for _, c := range append(substitutes[r], baseLetters[r]) {
			if c != "" && all(c) {
				sub = c
				break
			}
		}
		b.WriteString(sub)
	}
	return b.String()
}
