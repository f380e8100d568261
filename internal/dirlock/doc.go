// Package dirlock gives one process at a time the hold of a state
// directory: an open file description lock (fcntl(2) F_OFD_SETLK) on a lock
// file in it, which the kernel lets go when the holder exits, however it
// exits. The daemon takes it once and keeps it across configuration
// reloads; the recovery core refuses a directory it does not hold. Linux
// only.
package dirlock
