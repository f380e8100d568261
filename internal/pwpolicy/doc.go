// Package pwpolicy is the admin password rule and its strength meter: which
// passwords are accepted, why one is refused, and how strong an accepted one
// is, with the common-password blocklist embedded.
//
// It is a leaf package that builds on every platform, so that every door —
// the recorder's menu and web page, and the installer's nvr-sadp tool on
// Linux, macOS or Windows — rates a password exactly as the core does.
// Evaluate allocates nothing for an accepted password and is cheap enough
// for every keystroke. It never logs or keeps a password.
package pwpolicy
