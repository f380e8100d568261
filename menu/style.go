package menu

import (
	"sync"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// The menu's colours, in one place. The Linux console has 8 colours (16
// with bold): stay within the basic ones.
var (
	colourBackground = tcell.ColorNavy
	colourText       = tcell.ColorWhite
	colourTitle      = tcell.ColorYellow
	colourField      = tcell.ColorTeal
	colourButton     = tcell.ColorSilver
	colourButtonText = tcell.ColorBlack
	colourFocus      = tcell.ColorYellow // a focused button's background
	colourDialog     = tcell.ColorGray
	// colourDialogText is the text on colourDialog. White on grey is colour
	// 7 on colour 7 on the Linux console's 8 colours: invisible.
	colourDialogText = tcell.ColorBlack
	colourError      = tcell.ColorRed
	colourOK         = tcell.ColorGreen
	colourDisabled   = tcell.ColorGray

	strengthColours = [...]tcell.Color{tcell.ColorRed, tcell.ColorOlive, tcell.ColorYellow, tcell.ColorGreen}
)

var themeOnce sync.Once

// applyTheme sets tview's shared styles, once per process.
func applyTheme() { themeOnce.Do(setTheme) }

func setTheme() {
	tview.Styles.PrimitiveBackgroundColor = colourBackground
	tview.Styles.ContrastBackgroundColor = colourField
	tview.Styles.MoreContrastBackgroundColor = colourDialog
	tview.Styles.BorderColor = colourText
	tview.Styles.TitleColor = colourTitle
	tview.Styles.GraphicsColor = colourText
	tview.Styles.PrimaryTextColor = colourText
	tview.Styles.SecondaryTextColor = colourTitle
	tview.Styles.TertiaryTextColor = colourOK
	tview.Styles.InverseTextColor = colourButtonText
	tview.Styles.ContrastSecondaryTextColor = colourTitle
}

var (
	buttonStyle        = styleOf(colourButtonText, colourButton)
	buttonFocusedStyle = styleOf(colourButtonText, colourFocus)
)

func styleOf(fg, bg tcell.Color) tcell.Style {
	return tcell.StyleDefault.Foreground(fg).Background(bg)
}
