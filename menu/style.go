package menu

import (
	"sync"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/internal/palette"
)

// The style table: every colour the menu draws with is a role below, and
// every role is a pair of palette indices. No screen picks a colour of its
// own; the contrast tests walk this table.
//
// The pairs are designed for the Linux console, the recorder's HDMI monitor:
// eight backgrounds (0–7) and sixteen foregrounds, the bright ones (8–15)
// reached with bold. tcell's built-in "linux" terminfo has 8 colours, so
// tcell v2.13 sends a foreground 8–15 as the nearest of 0–7 (yellow
// becomes ESC[33m, brown) and never sends bold unless the style has it:
// each cell is "ESC[m ESC[3f;4bm", then "ESC[1m" for bold. The console
// shows bold as the bright form of the foreground (the kernel's vt.c turns
// on the intensity bit), so the menu sends a bright foreground as its base
// colour with bold (onConsole). A bright background does not exist there
// (the ncurses 16-colour terminfo's way reads as underline on newer
// kernels), so no role has one.
//
// On a terminal emulator the indices are sent as they are: xterm's 16
// colours (palette.Xterm), today's look. The daemon sets palette.Console on
// the console; its colour 3 is an orange, the one colour that marks focus.

// role is what a piece of the screen is.
type role int

const (
	roleText           role = iota // body text on the screen's background
	roleHeading                    // titles and field labels
	roleNotice                     // a neutral line the menu writes: "reading the sticks"
	roleOK                         // a success
	roleError                      // an error: a red band, so it reads as one at a glance
	roleBorder                     // frames
	roleField                      // an input field
	roleFieldFocus                 // the focused input field
	roleButton                     // a button
	roleFocus                      // the focused button, or the selected item of the focused list
	roleItem                       // a list item
	roleItemIdle                   // the selected item of a list without the focus
	roleSecondary                  // a list item's second line
	roleDisabled                   // a list item that cannot be chosen (also said in words)
	roleStateReady                 // a recovery method set up
	roleStateMissing               // a recovery method not set up, or expired
	roleDialog                     // a dialog's text and frame
	roleDialogButton               // a dialog's button
	roleKey                        // an on-screen keyboard key
	roleKeyLatched                 // Shift while upper case is on
	roleStrengthRisky              // the strength meter's bar and word, per level
	roleStrengthWeak               //
	roleStrengthMedium             //
	roleStrengthStrong             //
	roleQR                         // QR in half blocks: light modules are the foreground
	roleQRLight                    // QR in full cells: a light module
	roleQRDark                     // QR in full cells: a dark module
	rolePointer                    // the mouse pointer's cell
	rolePointerOnLight             // the pointer over a light background
	roleHint                       // the demo's help line on the bottom border
	roleTitleBar                   // the title bar: the recorder
	roleTitleBarPlace              // the title bar: where the owner is
	roleKeycap                     // a key's name in the footer
	roleFooter                     // what the key does, in the footer
	rolePanel                      // a screen's panel: its frame and title
	roleDialogFrame                // a dialog's frame, over the screen
	roleShadow                     // the shadow a dialog casts on the screen
	roleCount
)

// pair is a foreground (0–15) and a background (0–7), palette indices.
type pair struct{ fg, bg uint8 }

// The palette indices the table uses, by their ANSI names.
const (
	black, red, green, orange, navy, magenta, cyan, grey       = 0, 1, 2, 3, 4, 5, 6, 7
	dark, brightRed, brightGreen, yellow, brightBlue           = 8, 9, 10, 11, 12
	brightMagenta, brightCyan, white                     uint8 = 13, 14, 15
)

// styleTable is the one table of pairs. Every pair reaches 4.5:1 (WCAG 2) in
// palette.Console as the console shows it and in palette.Xterm:
// TestStyleTableContrast.
var styleTable = [roleCount]pair{
	roleText:           {white, navy},
	roleHeading:        {yellow, navy},
	roleNotice:         {brightCyan, navy},
	roleOK:             {brightGreen, navy},
	roleError:          {white, red},
	roleBorder:         {white, navy},
	roleField:          {black, cyan},
	roleFieldFocus:     {black, orange},
	roleButton:         {black, grey},
	roleFocus:          {black, orange},
	roleItem:           {white, navy},
	roleItemIdle:       {black, grey},
	roleSecondary:      {yellow, navy},
	roleDisabled:       {cyan, navy},
	roleStateReady:     {brightGreen, navy},
	roleStateMissing:   {orange, navy},
	roleDialog:         {white, navy},
	roleDialogButton:   {black, grey},
	roleKey:            {black, grey},
	roleKeyLatched:     {yellow, black},
	roleStrengthRisky:  {brightRed, black},
	roleStrengthWeak:   {orange, black},
	roleStrengthMedium: {yellow, black},
	roleStrengthStrong: {brightGreen, black},
	roleQR:             {white, black},
	roleQRLight:        {black, grey},
	roleQRDark:         {white, black},
	rolePointer:        {black, grey},
	rolePointerOnLight: {grey, black},
	roleHint:           {black, grey},
	roleTitleBar:       {white, black},
	roleTitleBarPlace:  {yellow, black},
	roleKeycap:         {black, grey},
	roleFooter:         {white, navy},
	rolePanel:          {brightCyan, navy},
	roleDialogFrame:    {yellow, navy},
	roleShadow:         {grey, black},
}

// strengthRoles are the meter's four levels, risky to strong.
var strengthRoles = [...]role{roleStrengthRisky, roleStrengthWeak, roleStrengthMedium, roleStrengthStrong}

// colour is palette index i as tcell names it.
func colour(i uint8) tcell.Color { return tcell.PaletteColor(int(i)) }

// style is the role's style, as the menu hands it to tview; the display
// (display.go) adapts it to the console on the way to the screen.
func (r role) style() tcell.Style {
	p := styleTable[r]
	return tcell.StyleDefault.Foreground(colour(p.fg)).Background(colour(p.bg))
}

func (r role) fg() tcell.Color { return colour(styleTable[r].fg) }
func (r role) bg() tcell.Color { return colour(styleTable[r].bg) }

// onConsole is how a style reaches an 8-colour console: a bright
// foreground becomes its base colour with bold, which the console shows
// bright; a bright background (none in the table) its base colour. Reverse
// is resolved here (the console would brighten the swapped foreground with
// bold), dim is dropped (the console draws it in its own half-bright
// colour). The terminal's default colours are the menu's text and
// background: undrawn cells are never the console's black.
func onConsole(st tcell.Style) tcell.Style {
	fg, bg := paletteOf(st)
	_, _, attrs := st.Decompose()
	if attrs&tcell.AttrReverse != 0 {
		fg, bg = bg, fg
	}
	attrs &^= tcell.AttrReverse | tcell.AttrDim | tcell.AttrBold
	if fg >= 8 {
		fg -= 8
		attrs |= tcell.AttrBold
	}
	bg &= 7
	// The console's entries in the daemon's order (palette.ConsoleSlot):
	// the background blue is entry 0, what fbcon fills its margins with.
	fg, bg = palette.ConsoleSlot(fg), palette.ConsoleSlot(bg)
	return tcell.StyleDefault.Foreground(colour(fg)).Background(colour(bg)).Attributes(attrs)
}

// onTerminal is how a style reaches a terminal emulator with 16 colours or
// more: as it is, but for the terminal's default colours, which become the
// menu's text and background, and reverse video, resolved here as on the
// console (the pointer alone is sent reversed: see pointer.draw).
func onTerminal(st tcell.Style) tcell.Style {
	fg, bg, attrs := st.Decompose()
	if fg == tcell.ColorDefault || fg == tcell.ColorReset {
		fg = roleText.fg()
	}
	if bg == tcell.ColorDefault || bg == tcell.ColorReset {
		bg = roleText.bg()
	}
	if attrs&tcell.AttrReverse != 0 {
		fg, bg = bg, fg
		st = st.Reverse(false)
	}
	return st.Foreground(fg).Background(bg)
}

// paletteOf returns a style's colours as palette indices 0–15; the
// terminal's defaults are the menu's text and background, and a colour
// outside the 16 is the nearest of them.
func paletteOf(st tcell.Style) (fg, bg uint8) {
	f, b, _ := st.Decompose()
	return index(f, styleTable[roleText].fg), index(b, styleTable[roleText].bg)
}

func index(c tcell.Color, def uint8) uint8 {
	switch {
	case c == tcell.ColorDefault || c == tcell.ColorReset:
		return def
	case c >= tcell.ColorBlack && c <= tcell.ColorWhite:
		return uint8(c - tcell.ColorBlack)
	}
	sixteen := make([]tcell.Color, 16)
	for i := range sixteen {
		sixteen[i] = colour(uint8(i))
	}
	return uint8(tcell.FindColor(c, sixteen) - tcell.ColorBlack)
}

// shown returns the colours a cell drawn with st (as it reaches the screen)
// really has: on the console, bold brightens the foreground. It is what the
// contrast tests measure.
func shown(st tcell.Style, console bool, pal *[16]palette.RGB) (fg, bg palette.RGB) {
	f, b := paletteOf(st)
	_, _, attrs := st.Decompose()
	if attrs&tcell.AttrReverse != 0 {
		f, b = b, f
	}
	if console {
		if attrs&tcell.AttrBold != 0 {
			f |= 8
		}
		b &= 7
		// The console's entries hold the colours in the daemon's order.
		f, b = palette.ConsoleSlot(f), palette.ConsoleSlot(b)
	}
	return pal[f], pal[b]
}

var themeOnce sync.Once

// applyTheme sets tview's shared styles from the table, once per process:
// what tview draws with its defaults (a drop-down's list, a frame's title)
// follows the table too.
func applyTheme() { themeOnce.Do(setTheme) }

func setTheme() {
	tview.Styles.PrimitiveBackgroundColor = roleText.bg()
	tview.Styles.ContrastBackgroundColor = roleField.bg()
	tview.Styles.MoreContrastBackgroundColor = roleDialog.bg()
	tview.Styles.BorderColor = roleBorder.fg()
	tview.Styles.TitleColor = roleHeading.fg()
	tview.Styles.GraphicsColor = roleText.fg()
	tview.Styles.PrimaryTextColor = roleText.fg()
	tview.Styles.SecondaryTextColor = roleHeading.fg()
	tview.Styles.TertiaryTextColor = roleOK.fg()
	tview.Styles.InverseTextColor = roleField.fg()
	tview.Styles.ContrastSecondaryTextColor = roleField.fg()
}
