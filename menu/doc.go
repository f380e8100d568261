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
// Layouts fit 80x25 cells and grow up to 240x67; with only a mouse every
// action is reachable by clicking, and every text field opens an on-screen
// keyboard.
package menu
