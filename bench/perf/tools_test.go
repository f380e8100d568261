package perf

import (
	"strings"
	"testing"
)

func TestParsePerfStat(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want map[string]PerfCount
	}{
		{"counted", "71,,context-switches,244697368,100.00,290.146,/sec\n244.70,msec,task-clock,244704582,100.00,0.489,CPUs utilized\n",
			map[string]PerfCount{"context-switches": {71, true}, "task-clock": {244.70, true}}},
		{"a task that never ran", "<not counted>,,context-switches,0,100.00,,\n<not supported>,,cycles,0,100.00,,\n",
			map[string]PerfCount{"context-switches": {}, "cycles": {}}},
		{"other lines skipped", "# started on Mon\n\nstrace: attached\nfoo,bar\n3,,cpu-migrations,1,100.00,,\n",
			map[string]PerfCount{"cpu-migrations": {3, true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParsePerfStat(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for k, w := range tc.want {
				if got[k] != w {
					t.Errorf("%s: got %+v, want %+v", k, got[k], w)
				}
			}
		})
	}
}

const straceSample = `% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 62.50    0.000005           2         2           epoll_pwait
 37.50    0.000003           1         3         1 futex
  0.00    0.000000           0         1           nanosleep
------ ----------- ----------- --------- --------- ----------------
100.00    0.000008           1         6         1 total
`

func TestParseStraceSummary(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     string
		total  int64
		calls  map[string]int64
		errs   map[string]int64
		str    string
		errMsg string
	}{
		{"table", straceSample, 6, map[string]int64{"epoll_pwait": 2, "futex": 3, "nanosleep": 1}, map[string]int64{"futex": 1}, "futex 3, epoll_pwait 2, nanosleep 1", ""},
		{"nothing traced", "", 0, map[string]int64{}, map[string]int64{}, "none", ""},
		{"header only", "% time     seconds  usecs/call     calls    errors syscall\n------ -----\n", 0, map[string]int64{}, map[string]int64{}, "none", ""},
		{"no total line", "% time     seconds  usecs/call     calls    errors syscall\n100.00 0.1 4 10216 write\n", 10216, map[string]int64{"write": 10216}, map[string]int64{}, "write 10216", ""},
		{"bad calls", "% time     seconds  usecs/call     calls    errors syscall\n100.00 0.1 4 many write\n", 0, nil, nil, "", "calls"},
		{"too few fields", "% time     seconds  usecs/call     calls    errors syscall\n100.00 write\n", 0, nil, nil, "", "fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseStraceSummary(strings.NewReader(tc.in))
			if errorCase(t, err, tc.errMsg) {
				return
			}
			if got.Total != tc.total {
				t.Errorf("Total = %d, want %d", got.Total, tc.total)
			}
			if len(got.Calls) != len(tc.calls) || len(got.Errors) != len(tc.errs) {
				t.Errorf("got %v / %v, want %v / %v", got.Calls, got.Errors, tc.calls, tc.errs)
			}
			for k, v := range tc.calls {
				if got.Calls[k] != v {
					t.Errorf("calls[%s] = %d, want %d", k, got.Calls[k], v)
				}
			}
			for k, v := range tc.errs {
				if got.Errors[k] != v {
					t.Errorf("errors[%s] = %d, want %d", k, got.Errors[k], v)
				}
			}
			if s := got.String(); s != tc.str {
				t.Errorf("String() = %q, want %q", s, tc.str)
			}
		})
	}
}
