package perf

import (
	"math"
	"slices"
	"testing"
	"time"
)

func ms(v ...float64) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x * float64(time.Millisecond))
	}
	return out
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []time.Duration
		want time.Duration
	}{
		{"empty", nil, 0},
		{"one", ms(7), 7 * time.Millisecond},
		{"odd, unsorted", ms(9, 1, 5), 5 * time.Millisecond},
		{"even: mean of the middle two", ms(4, 1, 3, 2), 2500 * time.Microsecond},
		{"ties", ms(2, 2, 2, 9), 2 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.in)
			if got := Median(tc.in); got != tc.want {
				t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
			}
			if !slices.Equal(in, tc.in) {
				t.Errorf("Median sorted its argument: %v, was %v", tc.in, in)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	thousand := make([]time.Duration, 1000)
	for i := range thousand {
		thousand[len(thousand)-1-i] = time.Duration(i+1) * time.Microsecond // 1000 µs .. 1 µs
	}
	for _, tc := range []struct {
		name string
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{"empty", nil, 99, 0},
		{"p99 of 1,000 is the 990th smallest", thousand, 99, 990 * time.Microsecond},
		{"p50 of 1,000 is the 500th", thousand, 50, 500 * time.Microsecond},
		{"p100 is the largest", thousand, 100, 1000 * time.Microsecond},
		{"tiny p is the smallest", thousand, 0.01, time.Microsecond},
		{"p99 of 10 is the largest", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"p90 of 10 is the 9th", ms(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 90, 9 * time.Millisecond},
		{"one sample", ms(3), 99, 3 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Percentile(tc.in, tc.p); got != tc.want {
				t.Errorf("Percentile(p%v) = %v, want %v", tc.p, got, tc.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	got := Summarize(ms(5, 1, 3, 2, 4))
	want := Summary{N: 5, Min: time.Millisecond, Median: 3 * time.Millisecond, P99: 5 * time.Millisecond, Max: 5 * time.Millisecond}
	if got != want {
		t.Errorf("Summarize = %+v, want %+v", got, want)
	}
	if got := Summarize(nil); got != (Summary{}) {
		t.Errorf("Summarize(nil) = %+v, want zero", got)
	}
}

func TestRatio(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b time.Duration
		want float64
	}{
		{"half", 5 * time.Millisecond, 10 * time.Millisecond, 0.5},
		{"twice", 20 * time.Millisecond, 10 * time.Millisecond, 2},
		{"equal", time.Second, time.Second, 1},
		{"zero numerator", 0, time.Second, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Ratio(tc.a, tc.b); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("Ratio(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
		})
	}
	if got := Ratio(time.Second, 0); !math.IsNaN(got) {
		t.Errorf("Ratio(1s, 0) = %v, want NaN (a figure not taken)", got)
	}
}

func TestMedianInt(t *testing.T) {
	for _, tc := range []struct {
		in   []int64
		want int64
	}{
		{nil, 0},
		{[]int64{8272}, 8272},
		{[]int64{3, 1, 2}, 2},
		{[]int64{1, 4, 2, 3}, 2}, // (2+3)/2 rounded down
		{[]int64{6000, 6100}, 6050},
	} {
		if got := MedianInt(tc.in); got != tc.want {
			t.Errorf("MedianInt(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0"},
		{420 * time.Nanosecond, "420 ns"},
		{843 * time.Microsecond, "843 µs"},
		{1270 * time.Microsecond, "1.27 ms"},
		{48100 * time.Microsecond, "48.1 ms"},
		{999_960 * time.Microsecond, "1000 ms"},
		{2310 * time.Millisecond, "2.31 s"},
	} {
		if got := FormatDuration(tc.d); got != tc.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	for _, tc := range []struct {
		b    int64
		want string
	}{
		{831 * 1024, "831 KiB"},
		{6029474, "5.75 MiB"},
		{5 << 20, "5.00 MiB"},
	} {
		if got := FormatBytes(tc.b); got != tc.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", tc.b, got, tc.want)
		}
	}
	if got := FormatKiB(8272); got != "8.08 MiB" {
		t.Errorf("FormatKiB(8272) = %q, want 8.08 MiB", got)
	}
}
