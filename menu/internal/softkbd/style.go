package softkbd

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// theme holds every style the keyboard draws with, taken from tview.Styles
// when the keyboard is made so it follows the menu's colours. All of them
// are among the eight colours of the Linux console.
type theme struct {
	key      tcell.Style // a key cap
	selected tcell.Style // the key Enter presses
	latched  tcell.Style // Shift while upper case is on
	field    tcell.Style // the text typed so far
	cursor   tcell.Style // the cursor mark after the text
	more     tcell.Style // the mark showing text scrolled out on the left
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
