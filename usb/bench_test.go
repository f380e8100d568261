package usb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Figures from these benchmarks go to BENCHMARKS.md; nothing here asserts
// a time.

// reportLatencies reports the median and the worst of the latencies.
func reportLatencies(b *testing.B, what string, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), what+"-median-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), what+"-worst-µs")
}

// BenchmarkMountToEvent measures the time from mount(2) returning to the
// StickAdded event reaching a subscriber, and from umount(2) to
// StickRemoved. Run it with -benchtime=100x for 100 mounts.
func BenchmarkMountToEvent(b *testing.B) {
	requireMount(b)
	root := b.TempDir()
	mp := filepath.Join(root, "sda1")
	mustMkdir(b, mp)
	w := newTestWatcher(b, Options{MediaRoot: root, Match: guidMatch})
	sub := subscribe(b, w)
	var added, removed []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := unix.Mount("nvrtest", mp, "tmpfs", 0, "size=64k"); err != nil {
			b.Fatal(err)
		}
		sub.wait(b, "added", isEvent(StickAdded, "sda1"))
		added = append(added, time.Since(start))
		start = time.Now()
		if err := unix.Unmount(mp, 0); err != nil {
			b.Fatal(err)
		}
		sub.wait(b, "removed", isEvent(StickRemoved, "sda1"))
		removed = append(removed, time.Since(start))
	}
	reportLatencies(b, "mount", added)
	reportLatencies(b, "umount", removed)
}

// BenchmarkDirToEvent is BenchmarkMountToEvent for the "dirs" source:
// mkdir(2) to StickAdded, rmdir(2) to StickRemoved.
func BenchmarkDirToEvent(b *testing.B) {
	root := b.TempDir()
	mp := filepath.Join(root, "sda1")
	w := newTestWatcher(b, Options{Source: SourceDirs, MediaRoot: root, Match: guidMatch})
	sub := subscribe(b, w)
	var added, removed []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := os.Mkdir(mp, 0o755); err != nil {
			b.Fatal(err)
		}
		sub.wait(b, "added", isEvent(StickAdded, "sda1"))
		added = append(added, time.Since(start))
		start = time.Now()
		if err := os.Remove(mp); err != nil {
			b.Fatal(err)
		}
		sub.wait(b, "removed", isEvent(StickRemoved, "sda1"))
		removed = append(removed, time.Since(start))
	}
	reportLatencies(b, "mkdir", added)
	reportLatencies(b, "rmdir", removed)
}

// BenchmarkList10000 lists a stick holding 10,000 files at its root, the
// entry cap: with 10 GUID files among them, and with MaxCandidates of them
// (each candidate is opened, checked and read). The page cache is warm: a
// real stick's first listing also waits for its reads.
func BenchmarkList10000(b *testing.B) {
	for _, tt := range []struct {
		name       string
		candidates int
	}{
		{"10-candidates", 10},
		{"256-candidates", MaxCandidates},
	} {
		b.Run(tt.name, func(b *testing.B) {
			root := b.TempDir()
			stick := filepath.Join(root, "sda1")
			mustMkdir(b, stick)
			for i := range 10000 {
				name := fmt.Sprintf("junk%05d.txt", i)
				if i < tt.candidates {
					name = fmt.Sprintf("NVR%05d_20260101_0000.nvrguid", i)
				}
				if err := os.WriteFile(filepath.Join(stick, name), guidData, 0o644); err != nil {
					b.Fatal(err)
				}
			}
			w := newTestWatcher(b, Options{Source: SourceDirs, MediaRoot: root, Match: guidMatch})
			ctx := context.Background()
			for b.Loop() {
				l, err := w.List(ctx, "sda1")
				if err != nil || len(l.Candidates) != tt.candidates {
					b.Fatalf("got %d candidates, %v, want %d", len(l.Candidates), err, tt.candidates)
				}
			}
		})
	}
}

// cpuTicks returns this process's user and system time in clock ticks
// (proc(5): fields 14 and 15 of /proc/self/stat).
func cpuTicks(t testing.TB) int64 {
	t.Helper()
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		t.Fatal(err)
	}
	// The command name in field 2 may hold spaces: count after its ')'.
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("/proc/self/stat: %q", data)
	}
	return utime + stime
}

// TestIdleCPU measures, for a minute, the CPU the whole test process uses
// while a "mounts" watcher (with a stick mounted and listed) and a "dirs"
// watcher (likewise) sit idle with a consumer each. It only logs the
// figure. It takes 60 s, so it runs only with NVRMENU_IDLE_BENCH=1.
func TestIdleCPU(t *testing.T) {
	if os.Getenv("NVRMENU_IDLE_BENCH") != "1" {
		t.Skip("skipped: set NVRMENU_IDLE_BENCH=1 to measure the idle watcher for 60 s")
	}
	sources := []Source{SourceDirs}
	if err := mountAllowed(t); err == nil {
		sources = append(sources, SourceMounts)
	} else {
		t.Logf("mounting not permitted (%v): measuring the dirs source only", err)
	}
	for _, source := range sources {
		root := t.TempDir()
		mp := filepath.Join(root, "sda1")
		if source == SourceMounts {
			mountTmpfs(t, mp, 0, "size=1m")
		}
		mustWrite(t, filepath.Join(mp, "NVR1_20260101_0000.nvrguid"), guidData)
		w := newTestWatcher(t, Options{Source: source, MediaRoot: root})
		if _, err := w.List(context.Background(), "sda1"); err != nil {
			t.Fatal(err)
		}
		sub := w.Subscribe()
		go func() {
			for range sub.Ready() {
				sub.Events()
			}
		}()
	}
	time.Sleep(2 * time.Second) // let start-up work finish before measuring
	const period, step = 60 * time.Second, 10 * time.Second
	start := cpuTicks(t)
	var steps []int64
	for range period / step {
		before := cpuTicks(t)
		time.Sleep(step)
		steps = append(steps, cpuTicks(t)-before)
	}
	t.Logf("idle watchers %v: %d clock ticks of CPU (user+system) in %v, per %v: %v; one tick is 1/100 s (getconf CLK_TCK)",
		sources, cpuTicks(t)-start, period, step, steps)
}
