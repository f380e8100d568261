package perf

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Status is what the harness reads from /proc/PID/status.
type Status struct {
	VmRSSKiB, VmHWMKiB int64
	// The resident set split: anonymous memory (heap, stacks) and pages of
	// mapped files (for a static binary, the executable itself: clean,
	// shared with the page cache, dropped first under memory pressure).
	RssAnonKiB, RssFileKiB int64
	// Voluntary and involuntary context switches of the thread the file
	// belongs to.
	VoluntaryCtxt, NonvoluntaryCtxt int64
	Threads                         int64
}

// ParseStatus reads a /proc/PID/status (or /proc/PID/task/TID/status) file.
// Fields it does not know are skipped; a known field with a bad value is an
// error.
func ParseStatus(r io.Reader) (Status, error) {
	var st Status
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		var dst *int64
		switch key {
		case "VmRSS":
			dst = &st.VmRSSKiB
		case "VmHWM":
			dst = &st.VmHWMKiB
		case "RssAnon":
			dst = &st.RssAnonKiB
		case "RssFile":
			dst = &st.RssFileKiB
		case "voluntary_ctxt_switches":
			dst = &st.VoluntaryCtxt
		case "nonvoluntary_ctxt_switches":
			dst = &st.NonvoluntaryCtxt
		case "Threads":
			dst = &st.Threads
		default:
			continue
		}
		fields := strings.Fields(value)
		if len(fields) == 0 {
			return Status{}, fmt.Errorf("status field %s: no value", key)
		}
		if len(fields) > 1 && fields[1] != "kB" {
			return Status{}, fmt.Errorf("status field %s: unit %q, want kB", key, fields[1])
		}
		n, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return Status{}, fmt.Errorf("status field %s: %w", key, err)
		}
		*dst = n
	}
	return st, sc.Err()
}

// Stat is what the harness reads from /proc/PID/stat: CPU time in clock
// ticks (USER_HZ, 100 a second on Linux).
type Stat struct {
	Comm         string
	UTime, STime int64
}

// Ticks is user plus system time.
func (s Stat) Ticks() int64 { return s.UTime + s.STime }

// ParseStat reads a /proc/PID/stat line. The command name is in
// parentheses and may hold spaces and parentheses itself, so the fields
// are counted from the last ')'.
func ParseStat(data []byte) (Stat, error) {
	open := bytes.IndexByte(data, '(')
	end := bytes.LastIndexByte(data, ')')
	if open < 0 || end < open {
		return Stat{}, fmt.Errorf("stat line %.40q: no command name", data)
	}
	// After ") ": state(3) ppid(4) ... utime(14) stime(15), 1-based.
	fields := strings.Fields(string(data[end+1:]))
	const utime, stime = 14 - 3, 15 - 3
	if len(fields) <= stime {
		return Stat{}, fmt.Errorf("stat line %.40q: %d fields after the name, want more than %d", data, len(fields), stime)
	}
	u, err := strconv.ParseInt(fields[utime], 10, 64)
	if err != nil {
		return Stat{}, fmt.Errorf("stat utime: %w", err)
	}
	s, err := strconv.ParseInt(fields[stime], 10, 64)
	if err != nil {
		return Stat{}, fmt.Errorf("stat stime: %w", err)
	}
	return Stat{Comm: string(data[open+1 : end]), UTime: u, STime: s}, nil
}

// Proc reads the /proc files of one process. Root is "/proc" unless a test
// points it elsewhere.
type Proc struct {
	Root string
	PID  int
}

func (p Proc) path(elem ...string) string {
	root := p.Root
	if root == "" {
		root = "/proc"
	}
	return filepath.Join(append([]string{root, strconv.Itoa(p.PID)}, elem...)...)
}

// Status reads the process's status file.
func (p Proc) Status() (Status, error) {
	f, err := os.Open(p.path("status"))
	if err != nil {
		return Status{}, err
	}
	defer f.Close()
	return ParseStatus(f)
}

// Stat reads the process's stat file (every thread's CPU time, summed by
// the kernel).
func (p Proc) Stat() (Stat, error) {
	data, err := os.ReadFile(p.path("stat"))
	if err != nil {
		return Stat{}, err
	}
	return ParseStat(data)
}

// ContextSwitches sums the voluntary and involuntary context switches of
// every thread alive now. A voluntary switch is a thread going to sleep:
// each is followed by a wake-up, so their count over an idle minute is the
// number of wake-ups, give or take the threads' first and last.
func (p Proc) ContextSwitches() (voluntary, involuntary int64, err error) {
	tasks, err := os.ReadDir(p.path("task"))
	if err != nil {
		return 0, 0, err
	}
	for _, t := range tasks {
		f, err := os.Open(p.path("task", t.Name(), "status"))
		if err != nil {
			continue // the thread ended meanwhile
		}
		st, err := ParseStatus(f)
		f.Close()
		if err != nil {
			return 0, 0, fmt.Errorf("task %s: %w", t.Name(), err)
		}
		voluntary += st.VoluntaryCtxt
		involuntary += st.NonvoluntaryCtxt
	}
	return voluntary, involuntary, nil
}
