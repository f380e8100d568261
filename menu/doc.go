// Package menu draws the recorder's local "Password Dimenticata" menu with
// tview: activation, login, the three recovery proofs, the new password and
// the account screen where recovery is set up.
//
// The menu never opens a file or a device. It talks to the recovery core and
// the USB stick watcher through the Core and Sticks interfaces declared here,
// and reads mouse packets from an io.Reader the daemon opened. Everything slow
// (argon2id, writing to a stick, listing a stick) runs off the UI goroutine
// behind a "Verifica in corso…" overlay, so the screen keeps redrawing and the
// pointer keeps moving. Every text on screen comes from one catalogue in
// Italian and English (package texts, shared by every door); errors from the core and the watcher
// become translated sentences, never raw Go errors.
//
// Every colour is a role of one style table (style.go), designed for the
// Linux console's eight backgrounds and bold-bright foregrounds and checked
// for 4.5:1 contrast in the console's palette and xterm's. Every cell
// passes through the display (display.go), which sends the table's styles
// as the console shows them and never draws a rune the font on screen
// lacks; texts are substituted for that font before layout
// (Display.Substitute).
//
// Layouts fill every screen from 80x25 to 240x67 and reflow at every
// resize: a frame on the screen's border, its text wrapped at spaces only
// in a centred column up to 120 cells wide; below 80x25 a single sentence
// says the screen is too small. With only a mouse every action is
// reachable by clicking, and every text field opens an on-screen keyboard.
package menu
