// Package texts is the one catalogue of everything nvrmenu says to a
// person, in Italian and English: the local menu's screens, the web page,
// the installer's nvr-sadp tool, the security questions, the password
// meter's words and every error.
//
// Errors reach it as a Problem: a stable code with what the owner needs to
// know (tries left, time locked, which rule a password breaks). The core
// (recovery.Explain) and the USB watcher (usb.ErrorCode) turn their errors
// into codes, and the web door's JSON API sends the same Problem, so that
// nvr-sadp words it exactly as the recorder's own screen does.
//
// It is a leaf package that builds on every platform: it imports nothing of
// nvrmenu but the password policy's reason codes.
package texts
