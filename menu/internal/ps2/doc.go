// Package ps2 decodes the PS/2 mouse packets of Linux's /dev/input/mice and
// tracks a pointer on a grid of character cells.
//
// The recorder's HDMI console has no working terminal mouse (tcell reads only
// SGR mouse reports, which the Linux virtual console never sends), so the menu
// reads the kernel's mousedev device itself and turns its relative moves into
// a cell position.
//
// Scope and limits:
//
//   - Only the default 3-byte PS/2 protocol that mousedev speaks until someone
//     switches it is understood: three buttons and a 9-bit delta on each axis.
//     The IntelliMouse and Explorer extensions (4-byte packets, wheel, buttons
//     4 and 5) are not, so no wheel events come from here.
//   - It never opens a file or a device and imports no UI package: ReadPackets
//     works on an io.Reader that the caller has opened, and the caller turns
//     Pointer positions into UI events.
//   - A mouse is allowed to vanish: ReadPackets simply returns the read error,
//     and the caller treats any error as "no mouse".
package ps2
