// Package perf is the performance harness of nvr-menud: it runs programs on
// a pseudo-terminal read through a VT emulator, reads what the kernel says
// about them (/proc/PID/status, /proc/PID/stat), and turns the samples into
// the figures of BENCHMARKS.md.
//
// The harness reports; it never fails a build on a figure. Linux only. Its
// command is ./cmd/nvr-perf, run by `./build.sh bench`; the unit tests here
// cover its parsing and statistics and need no terminal program, no root
// and no emulator.
package perf
