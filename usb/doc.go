// Package usb watches the USB sticks mounted under the recorder's media root,
// lists the GUID files on them safely and writes exports to them atomically.
//
// Scope and limits:
//
//   - Linux only: it reads /proc/self/mountinfo, polls it for changes and uses
//     inotify (through fsnotify), openat, renameat2 and eventfd.
//   - It never mounts or unmounts anything: the firmware's hotplug helper
//     does, and the watcher only observes the mount table.
//   - It never blocks the UI goroutine: Sticks, Subscribe and the
//     Subscription methods only take short in-memory locks, and a slow
//     subscriber never holds up the watcher (events are coalesced). List and
//     Write do I/O on a stick and belong on a goroutine of their own.
//   - A stick is hostile input: listing never follows a symbolic link, opens
//     only regular files and never blocks on a FIFO or device, caps the
//     entries visited and the time spent, reads at most MaxFileSize bytes of
//     a file, and hands out names already made safe for display.
//   - It knows nothing of screens or of the GUID file grammar: the caller
//     gives the file name matcher (Options.Match).
package usb
