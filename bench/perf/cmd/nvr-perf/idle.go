package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"nvrmenu/bench/perf"
)

// idleRow is one program idling on its first screen.
type idleRow struct {
	name   string
	ticks  int64 // utime+stime over the window, 10 ms each
	window time.Duration
	// Voluntary context switches of all threads over the window: each is a
	// thread going back to sleep after a wake-up.
	wakeups int64
	// perf stat's context switches over the window, -1 when perf did not
	// run.
	perfSwitches int64
	// strace -f -c over the window, on a separate instance, when it ran.
	strace string
	err    error
}

// idleWatch is one process watched during the window.
type idleWatch struct {
	row   idleRow
	t     *perf.Term
	stat0 perf.Stat
	vol0  int64
	perf  *exec.Cmd
	pout  bytes.Buffer
}

// idleCost idles every program at once for window: the daemon on its login
// screen, the daemon with a stick plugged after start (the watcher holds
// an inotify watch on it), the same under strace -c (apart, so that
// ptrace's stops do not count in the others), whiptail and dialog.
func idleCost(work string, nvr program, dev *perf.Device, others []program, window time.Duration, haveStrace bool) []idleRow {
	type entry struct {
		name   string
		p      program
		stick  bool
		strace bool
	}
	entries := []entry{
		{name: "nvr-menud, login screen", p: nvr},
		{name: "nvr-menud, login screen, stick plugged", p: nvr, stick: true},
	}
	if haveStrace {
		entries = append(entries, entry{name: "nvr-menud under strace -f -c", p: nvr, strace: true})
	}
	for _, o := range others {
		entries = append(entries, entry{name: o.name + ", password box", p: o})
	}
	_, perfErr := exec.LookPath("perf")
	var watches []*idleWatch
	for _, e := range entries {
		w := &idleWatch{row: idleRow{name: e.name, window: window, perfSwitches: -1}}
		watches = append(watches, w)
		t, err := e.p.start(work)
		if err != nil {
			w.row.err = err
			continue
		}
		w.t = t
		if _, err := t.WaitFor(e.p.ready, 10*time.Second); err != nil {
			w.row.err = err
			continue
		}
		if e.stick {
			// The run's own copy of the device is the newest demo dir in
			// the run's directory: plug a stick there.
			if err := os.Mkdir(filepath.Join(t.Cmd.Dir, "demo", "media", "IDLESTICK"), 0o700); err != nil {
				w.row.err = fmt.Errorf("plugging a stick: %w", err)
			}
		}
		if e.strace {
			w.perf = exec.Command("strace", "-f", "-c", "-p", fmt.Sprint(t.Cmd.Process.Pid), "-o", filepath.Join(t.Cmd.Dir, "strace.txt"))
		} else if perfErr == nil {
			w.perf = exec.Command("perf", "stat", "-x,", "-e", "context-switches,task-clock", "-p", fmt.Sprint(t.Cmd.Process.Pid), "--", "sleep", fmt.Sprint(window.Seconds()))
			w.perf.Stderr = &w.pout
		}
	}
	// Let every start-up finish (the Go runtime's first GC cycles, the
	// watcher's first listing) before the window opens.
	time.Sleep(3 * time.Second)
	for _, w := range watches {
		if w.t == nil || w.row.err != nil {
			continue
		}
		p := w.t.Proc()
		var err error
		if w.stat0, err = p.Stat(); err != nil {
			w.row.err = err
			continue
		}
		if w.vol0, _, err = p.ContextSwitches(); err != nil {
			w.row.err = err
			continue
		}
		if w.perf != nil {
			if err := w.perf.Start(); err != nil {
				w.perf = nil
			}
		}
	}
	time.Sleep(window)
	var wg sync.WaitGroup
	for _, w := range watches {
		if w.t == nil {
			continue
		}
		if w.row.err == nil {
			p := w.t.Proc()
			stat1, err := p.Stat()
			vol1, _, err2 := p.ContextSwitches()
			switch {
			case err != nil:
				w.row.err = err
			case err2 != nil:
				w.row.err = err2
			default:
				w.row.ticks = stat1.Ticks() - w.stat0.Ticks()
				w.row.wakeups = vol1 - w.vol0
			}
		}
		if w.perf != nil && w.perf.Process != nil {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if w.perf.Args[0] == "strace" {
					w.perf.Process.Signal(syscall.SIGINT)
					w.perf.Wait()
					f, err := os.Open(filepath.Join(w.t.Cmd.Dir, "strace.txt"))
					if err != nil {
						return
					}
					defer f.Close()
					if s, err := perf.ParseStraceSummary(f); err == nil {
						w.row.strace = fmt.Sprintf("%d calls: %s", s.Total, s)
					}
					return
				}
				w.perf.Wait()
				counts, err := perf.ParsePerfStat(&w.pout)
				if err == nil {
					if c, ok := counts["context-switches"]; ok {
						w.row.perfSwitches = int64(c.Value)
					}
				}
			}()
		}
	}
	wg.Wait()
	var rows []idleRow
	for _, w := range watches {
		if w.t != nil {
			w.t.Stop(5 * time.Second)
		}
		rows = append(rows, w.row)
	}
	return rows
}
