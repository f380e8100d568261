package main

import (
	"fmt"
	"time"

	"nvrmenu/bench/perf"
)

// frameRun is one start of a program: time to its first usable frame and
// its memory then.
type frameRun struct {
	d        time.Duration
	firstOut time.Duration // to the program's first bytes on the pty
	rss, hwm int64         // KiB, read right after the frame
	anon     int64         // KiB of rss that is anonymous
	err      error
}

// firstFrames starts each program runs times, in turn (a, b, c, a, b, c,
// ...), so that the machine's load drifts over all of them alike.
func firstFrames(work string, progs []program, runs int, timeout time.Duration) map[string][]frameRun {
	out := map[string][]frameRun{}
	for i := range runs {
		for _, p := range progs {
			r := firstFrame(work, p, timeout)
			if r.err != nil {
				logf("first frame %s run %d: %v", p.name, i, r.err)
			}
			out[p.name] = append(out[p.name], r)
		}
	}
	return out
}

func firstFrame(work string, p program, timeout time.Duration) frameRun {
	t, err := p.start(work)
	if err != nil {
		return frameRun{err: err}
	}
	defer t.Kill()
	seen, err := t.WaitFor(p.ready, timeout)
	if err != nil {
		return frameRun{err: err}
	}
	r := frameRun{d: seen.Sub(t.Start), firstOut: t.FirstOutput().Sub(t.Start)}
	st, err := t.Proc().Status()
	if err != nil {
		return frameRun{err: fmt.Errorf("reading status: %w", err)}
	}
	r.rss, r.hwm, r.anon = st.VmRSSKiB, st.VmHWMKiB, st.RssAnonKiB
	return r
}

// frameSummary is the report's view of a program's runs.
type frameSummary struct {
	ok       int
	time     perf.Summary
	firstOut time.Duration // median
	rss, hwm int64         // medians, KiB
	anon     int64
	failed   int
}

func summarizeFrames(runs []frameRun) frameSummary {
	var ds, fo []time.Duration
	var rss, hwm, anon []int64
	s := frameSummary{}
	for _, r := range runs {
		if r.err != nil {
			s.failed++
			continue
		}
		ds = append(ds, r.d)
		fo = append(fo, r.firstOut)
		rss = append(rss, r.rss)
		hwm = append(hwm, r.hwm)
		anon = append(anon, r.anon)
	}
	s.ok = len(ds)
	s.time = perf.Summarize(ds)
	s.firstOut = perf.Median(fo)
	s.rss, s.hwm, s.anon = perf.MedianInt(rss), perf.MedianInt(hwm), perf.MedianInt(anon)
	return s
}
