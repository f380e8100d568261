package perf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseStatus(t *testing.T) {
	f, err := os.Open("testdata/status-nvr-menud.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ParseStatus(f)
	if err != nil {
		t.Fatal(err)
	}
	want := Status{VmRSSKiB: 8272, VmHWMKiB: 8272, RssAnonKiB: 2420, RssFileKiB: 5852, VoluntaryCtxt: 41, NonvoluntaryCtxt: 3, Threads: 8}
	if got != want {
		t.Errorf("ParseStatus(a real nvr-menud status) = %+v, want %+v", got, want)
	}

	for _, tc := range []struct {
		name, in string
		want     Status
		err      string
	}{
		{"kernel thread: no Vm lines", "Name:\tkthreadd\nThreads:\t1\nvoluntary_ctxt_switches:\t9\n", Status{Threads: 1, VoluntaryCtxt: 9}, ""},
		{"extra spaces", "VmRSS:\t   5120 kB\nVmHWM:   6144 kB\n", Status{VmRSSKiB: 5120, VmHWMKiB: 6144}, ""},
		{"line without a colon is skipped", "garbage\nVmRSS:\t1 kB\n", Status{VmRSSKiB: 1}, ""},
		{"bad number", "VmRSS:\tlots kB\n", Status{}, "VmRSS"},
		{"other unit", "VmHWM:\t5 MB\n", Status{}, "unit"},
		{"no value", "VmRSS:\n", Status{}, "no value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseStatus(strings.NewReader(tc.in))
			if errorCase(t, err, tc.err) {
				return
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseStat(t *testing.T) {
	real, err := os.ReadFile("testdata/stat-nvr-menud.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		in   string
		want Stat
		err  string
	}{
		{"a real nvr-menud", string(real), Stat{Comm: "nvr-menud", UTime: 7, STime: 4}, ""},
		{"name with spaces and parentheses", "42 (a) b (c)) S 1 42 42 0 -1 0 0 0 0 0 130 25 0 0 20 0 1 0 1 1 1\n", Stat{Comm: "a) b (c)", UTime: 130, STime: 25}, ""},
		{"empty name", "7 () R 1 7 7 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 1 1 1", Stat{Comm: "", UTime: 1, STime: 2}, ""},
		{"no name", "42 S 1 2 3", Stat{}, "no command name"},
		{"cut short", "42 (x) S 1 42 42 0 -1 0 0 0 0 0 5", Stat{}, "fields"},
		{"bad utime", "42 (x) S 1 42 42 0 -1 0 0 0 0 0 x 2 0 0 20 0 1 0 1 1 1", Stat{}, "utime"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseStat([]byte(tc.in))
			if errorCase(t, err, tc.err) {
				return
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if got.Ticks() != tc.want.UTime+tc.want.STime {
				t.Errorf("Ticks() = %d, want utime+stime %d", got.Ticks(), tc.want.UTime+tc.want.STime)
			}
		})
	}
}

// TestProcContextSwitches reads a fake /proc tree: the switches of every
// thread are summed.
func TestProcContextSwitches(t *testing.T) {
	root := t.TempDir()
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	status, _ := os.ReadFile("testdata/status-nvr-menud.txt")
	write("100/status", string(status))
	write("100/stat", "100 (nvr-menud) S 1 100 100 0 -1 0 0 0 0 0 3 1 0 0 20 0 3 0 1 1 1\n")
	write("100/task/100/status", "voluntary_ctxt_switches:\t10\nnonvoluntary_ctxt_switches:\t1\n")
	write("100/task/101/status", "voluntary_ctxt_switches:\t5\nnonvoluntary_ctxt_switches:\t0\n")
	write("100/task/102/status", "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t2\n")
	p := Proc{Root: root, PID: 100}
	vol, invol, err := p.ContextSwitches()
	if err != nil {
		t.Fatal(err)
	}
	if vol != 15 || invol != 3 {
		t.Errorf("ContextSwitches() = %d, %d; want 15, 3", vol, invol)
	}
	st, err := p.Status()
	if err != nil || st.VmRSSKiB != 8272 {
		t.Errorf("Status() = %+v, %v; want VmRSS 8272", st, err)
	}
	s, err := p.Stat()
	if err != nil || s.Ticks() != 4 {
		t.Errorf("Stat() = %+v, %v; want 4 ticks", s, err)
	}
	if _, err := (Proc{Root: root, PID: 999}).Status(); err == nil {
		t.Error("Status of a process that is not there: no error")
	}
}

// errorCase checks err against a table case's expected error: want "" is
// no error (any error fails the test); otherwise an error saying want.
// It reports whether the case expected an error, when there is nothing
// more to check.
func errorCase(t *testing.T, err error, want string) bool {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatal(err)
		}
		return false
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err %v, want one saying %q", err, want)
	}
	return true
}
