// Package recovery is the UI-free core of nvrmenu: it holds the admin
// credential and decides whether a recovery proof — a GUID file, the three
// security answers or a reserved-email verification code — may rotate it.
//
// Everything it keeps lives in one versioned state file in the state
// directory, replaced atomically (temp file, fsync, rename, fsync of the
// directory), so a power cut leaves either the old or the new credential,
// never neither. Every failed try is counted and synced to disk before the
// proof is checked. The package never imports the menu, tview or tcell, and
// never logs a password, answer, code or secret.
//
// The files it reads from untrusted hands are documented byte by byte:
// the GUID file in docs/guid-file.md, the reserved-email QR payload in
// docs/qr-payload.md.
//
// Calls that verify a password or a proof run argon2id and take tens to
// hundreds of milliseconds: callers with a UI run them off the UI goroutine.
package recovery
