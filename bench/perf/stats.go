package perf

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Summary is what the report says about one series of samples.
type Summary struct {
	N                     int
	Min, Median, P99, Max time.Duration
}

// Summarize sorts a copy of samples and returns its summary; an empty
// series gives the zero Summary.
func Summarize(samples []time.Duration) Summary {
	if len(samples) == 0 {
		return Summary{}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	return Summary{
		N:      len(s),
		Min:    s[0],
		Median: medianSorted(s),
		P99:    percentileSorted(s, 99),
		Max:    s[len(s)-1],
	}
}

// Median is the middle sample, or the mean of the two middle ones.
func Median(samples []time.Duration) time.Duration {
	if len(samples) == 0 {
		return 0
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	return medianSorted(s)
}

func medianSorted(s []time.Duration) time.Duration {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Percentile is the nearest-rank percentile p (0 < p <= 100): the smallest
// sample with at least p% of the samples at or below it. Nearest rank never
// invents a value between two samples, so a p99 of 1,000 events is the
// 990th smallest.
func Percentile(samples []time.Duration, p float64) time.Duration {
	if len(samples) == 0 {
		return 0
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	return percentileSorted(s, p)
}

func percentileSorted(s []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	rank = min(max(rank, 1), len(s))
	return s[rank-1]
}

// Ratio is a/b, or NaN when b is zero (a figure that was not taken).
func Ratio(a, b time.Duration) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// MedianInt is the median of integer samples (KiB, ticks), rounded down
// when the two middle ones differ by an odd amount.
func MedianInt(samples []int64) int64 {
	if len(samples) == 0 {
		return 0
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// FormatDuration prints d with three significant figures in the unit that
// suits it: "843 µs", "1.27 ms", "48.1 ms", "2.31 s".
func FormatDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d < time.Microsecond:
		return fmt.Sprintf("%d ns", d.Nanoseconds())
	case d < time.Millisecond:
		return sig3(float64(d)/float64(time.Microsecond)) + " µs"
	case d < time.Second:
		return sig3(float64(d)/float64(time.Millisecond)) + " ms"
	default:
		return sig3(d.Seconds()) + " s"
	}
}

// sig3 prints v (0 < v < 1000) with three significant figures.
func sig3(v float64) string {
	switch {
	case v >= 99.95:
		return fmt.Sprintf("%.0f", v)
	case v >= 9.995:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// FormatKiB prints a size given in KiB as MiB with two decimals: "5.87 MiB".
func FormatKiB(kib int64) string {
	return fmt.Sprintf("%.2f MiB", float64(kib)/1024)
}

// FormatBytes prints a file size as MiB with two decimals, or KiB below
// one MiB: "4.61 MiB", "812 KiB".
func FormatBytes(b int64) string {
	if b < 1<<20 {
		return fmt.Sprintf("%d KiB", (b+512)/1024)
	}
	return fmt.Sprintf("%.2f MiB", float64(b)/(1<<20))
}
