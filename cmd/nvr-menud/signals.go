package main

import (
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// startupStopGrace is how long a SIGTERM or SIGINT may wait for the daemon
// to take it. Once the menu, the fault screen or the wait for the state
// directory runs, each takes it at once and stops in order; before that
// (start-up: the configuration, the state, the doors) a stop is taken at
// the next of them, and if none comes within this time — something in
// start-up is stuck — the process exits anyway. Every write the daemon
// makes survives that, as it survives a power cut.
const startupStopGrace = 5 * time.Second

// relaySignals hands every signal of raw on to d.signals, from the
// process's first moment: a stop that nothing takes within
// startupStopGrace ends the process with exit 0 (d.exit). It returns when
// raw is closed.
func (d *daemon) relaySignals(raw <-chan os.Signal) {
	var sent int64
	for sig := range raw {
		d.signals <- sig
		if sig != syscall.SIGTERM && sig != syscall.SIGINT {
			continue
		}
		sent++
		n := sent
		time.AfterFunc(d.stopGrace(), func() {
			if d.stopsTaken.Load() >= n {
				return
			}
			fmt.Fprintf(d.stderr, "nvr-menud: %v received %v ago and start-up has not reached a point that takes it: exiting\n", sig, d.stopGrace())
			d.exit(exitOK)
		})
	}
}

// tookStop records that a SIGTERM or SIGINT read from d.signals is being
// acted on.
func (d *daemon) tookStop() { d.stopsTaken.Add(1) }

func (d *daemon) stopGrace() time.Duration {
	if d.grace > 0 {
		return d.grace
	}
	return startupStopGrace
}

// stopCounter is the daemon's count of the stops it took.
type stopCounter = atomic.Int64
