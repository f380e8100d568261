package perf

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// PerfCount is one event of `perf stat -x,` output.
type PerfCount struct {
	Value float64
	// Counted is false for "<not counted>" (the task never ran while
	// perf watched) and "<not supported>".
	Counted bool
}

// ParsePerfStat reads the CSV that `perf stat -x, -e EVENTS` writes on
// stderr: value, unit, event, run time, percentage, ... Lines that are not
// counts (comments, blank lines, other stderr) are skipped.
func ParsePerfStat(r io.Reader) (map[string]PerfCount, error) {
	out := map[string]PerfCount{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) < 3 || f[2] == "" {
			continue
		}
		event := f[2]
		switch v := f[0]; v {
		case "<not counted>", "<not supported>":
			out[event] = PerfCount{}
		default:
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue // not a count line
			}
			out[event] = PerfCount{Value: n, Counted: true}
		}
	}
	return out, sc.Err()
}

// StraceSummary is `strace -c`'s table: calls per system call.
type StraceSummary struct {
	Calls  map[string]int64
	Errors map[string]int64
	Total  int64
}

// ParseStraceSummary reads the table `strace -c` writes when it detaches:
//
//	% time     seconds  usecs/call     calls    errors syscall
//	------ ----------- ----------- --------- --------- ----------------
//	 62.50    0.000005           2         2           epoll_pwait
//	 37.50    0.000003           1         3         1 futex
//	------ ----------- ----------- --------- --------- ----------------
//	100.00    0.000008           1         5         1 total
//
// An empty table (no system call at all) is a zero summary.
func ParseStraceSummary(r io.Reader) (StraceSummary, error) {
	s := StraceSummary{Calls: map[string]int64{}, Errors: map[string]int64{}}
	sc := bufio.NewScanner(r)
	header := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "% time"):
			header = true
			continue
		case !header || line == "" || strings.HasPrefix(line, "---"):
			continue
		}
		f := strings.Fields(line)
		// time seconds usecs/call calls [errors] name
		if len(f) < 5 || len(f) > 6 {
			return StraceSummary{}, fmt.Errorf("strace summary line %q: %d fields", line, len(f))
		}
		calls, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return StraceSummary{}, fmt.Errorf("strace summary line %q: calls: %w", line, err)
		}
		name := f[len(f)-1]
		var errs int64
		if len(f) == 6 {
			if errs, err = strconv.ParseInt(f[4], 10, 64); err != nil {
				return StraceSummary{}, fmt.Errorf("strace summary line %q: errors: %w", line, err)
			}
		}
		if name == "total" {
			s.Total = calls
			continue
		}
		s.Calls[name] = calls
		if errs > 0 {
			s.Errors[name] = errs
		}
	}
	if err := sc.Err(); err != nil {
		return StraceSummary{}, err
	}
	if s.Total == 0 {
		for _, n := range s.Calls {
			s.Total += n
		}
	}
	return s, nil
}

// String lists the calls, most frequent first: "epoll_pwait 2, futex 3".
func (s StraceSummary) String() string {
	type kv struct {
		k string
		v int64
	}
	var l []kv
	for k, v := range s.Calls {
		l = append(l, kv{k, v})
	}
	// Most calls first, then by name, for a stable report.
	slices.SortFunc(l, func(a, b kv) int {
		if c := cmp.Compare(b.v, a.v); c != 0 {
			return c
		}
		return strings.Compare(a.k, b.k)
	})
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = fmt.Sprintf("%s %d", e.k, e.v)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
