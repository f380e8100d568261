package softkbd

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// theme holds every style the keyboard draws with, taken from tview.Styles
// when the keyboard is made so it follows the menu's colours, or set by
// SetStyles.
type theme struct {
	key      tcell.Style // a key cap
	selected tcell.Style // the key Enter presses
	latched  tcell.Style // Shift while upper case is on
	field    tcell.Style // the text typed so far
	cursor   tcell.Style // the cursor mark after the text
	more     tcell.Style // the mark showing text scrolled out on the left
}

// Styles are the keyboard's styles, for a caller with a style table of its
// own.
type Styles struct {
	Key, Selected, Latched, Field, Cursor, More tcell.Style
}

// SetStyles sets every style the keyboard draws with.
func (k *Keyboard) SetStyles(s Styles) *Keyboard {
	k.theme = theme{key: s.Key, selected: s.Selected, latched: s.Latched, field: s.Field, cursor: s.Cursor, more: s.More}
	return k
}

// SetCapFunc sets how a character key shows its rune, for a font that
// lacks some (an "À" shown as "A'"); nil shows the rune itself. What it
// returns is cut to the key's width.
func (k *Keyboard) SetCapFunc(f func(rune) string) *Keyboard {
	k.capText = f
	return k
}

// newTheme derives the keyboard's styles from tview.Styles.
func newTheme() theme {
	s := tview.Styles
	field := tcell.StyleDefault.Background(s.PrimaryTextColor).Foreground(s.PrimitiveBackgroundColor)
	return theme{
		key:      tcell.StyleDefault.Background(s.ContrastBackgroundColor).Foreground(s.PrimaryTextColor),
		selected: tcell.StyleDefault.Background(s.SecondaryTextColor).Foreground(s.PrimitiveBackgroundColor),
		latched:  tcell.StyleDefault.Background(s.MoreContrastBackgroundColor).Foreground(s.PrimitiveBackgroundColor),
		field:    field,
		cursor:   field.Reverse(true),
		more:     tcell.StyleDefault.Background(s.PrimitiveBackgroundColor).Foreground(s.SecondaryTextColor),
	}
}
