// Command nvr-perf is nvr-menud's performance harness: it measures the
// daemon's first frame, input latency, memory, binary size, idle cost and
// recovery cost beside whiptail and dialog, and writes the figures into
// BENCHMARKS.md between the markers <!-- perf:begin --> and
// <!-- perf:end -->. `./build.sh bench` runs it from the repository's
// root; it reports and never fails on a figure.
//
//	go run ./bench/perf/cmd/nvr-perf [-runs 30] [-events 1000] [-idle 60s] [-out BENCHMARKS.md]
//
// Run as root it installs what it lacks from Debian (whiptail, dialog,
// qemu-user-static, strace) and fetches Debian's arm64 whiptail and
// dialog into out/bench/arm64-sysroot; otherwise it says what it skipped.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "nvr-perf:", err)
		os.Exit(1)
	}
}

var started = time.Now()

// logf tells the progress on stderr, with the time since start.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(started).Seconds(), fmt.Sprintf(format, args...))
}

type options struct {
	runs, armRuns, events, flowRuns int
	idle                            time.Duration
	out, work                       string
	only                            string
	keep                            bool
}

func run(args []string) error {
	var o options
	fl := flag.NewFlagSet("nvr-perf", flag.ContinueOnError)
	fl.IntVar(&o.runs, "runs", 30, "first-frame runs of each program on the host")
	fl.IntVar(&o.armRuns, "arm-runs", 30, "first-frame runs of each program under qemu-user")
	fl.IntVar(&o.events, "events", 1000, "keys and clicks for the input latency")
	fl.IntVar(&o.flowRuns, "flow-runs", 3, "runs of each reset flow")
	fl.DurationVar(&o.idle, "idle", 60*time.Second, "idle window")
	fl.StringVar(&o.out, "out", "BENCHMARKS.md", "file whose perf section is written; \"\" prints it only")
	fl.StringVar(&o.work, "work", "out/bench", "work directory (binaries, sysroot, run directories)")
	fl.StringVar(&o.only, "only", "", "comma-separated steps to run (frame,latency,flows,idle,size,kdf); default all")
	fl.BoolVar(&o.keep, "keep", false, "keep the run directories (out/bench/runs) for a look")
	if err := fl.Parse(args); err != nil {
		return err
	}
	return bench(o)
}
