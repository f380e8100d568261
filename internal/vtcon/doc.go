// Package vtcon sets up a Linux virtual console for the menu: its 16-colour
// palette, a console font of our own with its Unicode map, the keyboard
// layout, and a watch on the console's size; and puts back what it changed.
//
// It is the daemon's side of the HDMI console: the menu never opens a
// device, and learns what it needs (glyphs, cell size, palette) from the
// daemon. The ioctls are Linux only (ioctl_console(2), console_codes(4));
// the rest — the palette values, the shipped font ("NVR Console", 8x16,
// 12x24 and 16x32, derived from Terminus, see fonts/README.md), the
// substitution table, the font size choice and the keymap tables — is
// plain data that tests, the menu and the QEMU bench use as well.
//
// # Colours on TERM=linux, as tcell v2.13.10 draws them
//
// tcell's built-in "linux" terminfo has 8 colours. It sends a colour 0–7 as
// ESC[3Nm / ESC[4Nm (ESC[3N;4Mm for both), after ESC[m\x0f at every change of
// style. It never sends SGR 90–97 or 100–107: a colour 8–15 or an RGB
// colour is first mapped to the nearest of colours 0–7 by tcell's own RGB
// values, not by this palette: ColorGray (8) and ColorWhite (15) become 7,
// ColorRed 1, ColorLime 2, ColorYellow 3, ColorBlue 4, ColorFuchsia 5,
// ColorAqua 6 (tcell_test.go pins this; #FFFF55 becomes 3 as well). AttrBold adds ESC[1m, and the Linux
// console draws bold as the bright foreground: colour N becomes N+8
// (drivers/tty/vt/vt.c build_attr: the intensity bit). So a bright
// foreground is colour N with AttrBold; there are no bright backgrounds
// (with our 512-glyph font the attribute byte has no room for one). The
// console replaces the foreground for AttrDim (ESC[2m: colour 8),
// AttrUnderline (ESC[4m: colour 6, no line is drawn) and AttrItalic (colour
// 2), whatever the style asked: avoid them. AttrReverse swaps the two
// colours but leaves the bright bit with the foreground.
package vtcon

//go:generate go run ./internal/genfont -out fonts
//go:generate go run ./internal/genkeymap -out keymap_gen.go
