package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"nvrmenu/internal/buildinfo"
	"nvrmenu/internal/termsafe"
	"nvrmenu/sadp"
)

// Exit codes. The commands that act on a recorder (coming) add their own:
// device not found, method not offered, locked, wrong proof, fingerprint
// mismatch.
const (
	exitOK      = 0
	exitNetwork = 1 // no probe could be sent, or the network failed
	exitUsage   = 2
	exitNotYet  = 3 // a command that needs the web door, which is coming
)

const usage = `usage: nvr-sadp COMMAND [flags]

  list [-t DURATION] [-json | -csv] [-i IFACE]...
      Probe every interface (or the ones named) with SADP discovery, to the
      group 239.255.255.250 and to 255.255.255.255, and list the devices that
      answer within DURATION (default 3s): serial, model, IP, MAC, firmware,
      activated, recovery methods set up, locked. Devices that announce no
      nvrmenu web door (other vendors' among them) are marked read-only.

  forgot | activate | setup | export-guid DEVICE
      Coming: they work through the recorder's web door (HTTPS), which is not
      there yet.

  version`

// discover is sadp.Discover; tests replace it.
var discover = sadp.Discover

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, usage)
		return exitOK
	case "version", "-version":
		fmt.Fprintf(stdout, "nvr-sadp %s (commit %s, built %s)\n", buildinfo.Version, buildinfo.Commit, buildinfo.Date)
		return exitOK
	case "list":
		return list(args[1:], stdout, stderr)
	case "forgot", "activate", "setup", "export-guid":
		fmt.Fprintf(stderr, "nvr-sadp %s: not yet: it needs the recorder's web door (its HTTPS API), which is coming; nvr-sadp list works now\n", args[0])
		return exitNotYet
	}
	fmt.Fprintf(stderr, "nvr-sadp: unknown command %q: want list (or help)\n", termsafe.String(args[0]))
	return exitUsage
}

// list is `nvr-sadp list`.
func list(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("list", flag.ContinueOnError)
	fl.SetOutput(stderr)
	wait := fl.Duration("t", sadp.DefaultWait, "how long to collect answers (100ms to 60s)")
	asJSON := fl.Bool("json", false, "print JSON (an array of devices)")
	asCSV := fl.Bool("csv", false, "print CSV with a header line")
	var ifaces []string
	fl.Func("i", "probe only this `interface` (repeat, or comma-separate, for more)", func(s string) error {
		for _, name := range strings.Split(s, ",") {
			if name = strings.TrimSpace(name); name != "" {
				ifaces = append(ifaces, name)
			}
		}
		return nil
	})
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	switch {
	case fl.NArg() > 0:
		fmt.Fprintf(stderr, "nvr-sadp list: unexpected argument %q\n", termsafe.String(fl.Arg(0)))
		return exitUsage
	case *asJSON && *asCSV:
		fmt.Fprintln(stderr, "nvr-sadp list: -json and -csv: choose one")
		return exitUsage
	case *wait < 100*time.Millisecond || *wait > time.Minute:
		fmt.Fprintf(stderr, "nvr-sadp list: -t %v: want 100ms to 60s\n", *wait)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	d, err := discover(ctx, sadp.DiscoverOptions{Interfaces: ifaces, Wait: *wait})
	if err != nil {
		fmt.Fprintf(stderr, "nvr-sadp list: %s\n", termsafe.String(err.Error()))
		return exitNetwork
	}
	for _, p := range d.Problems {
		fmt.Fprintf(stderr, "nvr-sadp list: warning: %s\n", termsafe.String(p.Error()))
	}
	devices := make([]device, len(d.Devices))
	for i, f := range d.Devices {
		devices[i] = deviceOf(f)
	}
	switch {
	case *asJSON:
		err = writeJSON(stdout, devices)
	case *asCSV:
		err = writeCSV(stdout, devices)
	default:
		err = writeTable(stdout, devices)
	}
	if err != nil {
		fmt.Fprintf(stderr, "nvr-sadp list: writing the list: %v\n", err)
		return exitNetwork
	}
	fmt.Fprintf(stderr, "nvr-sadp list: %d device(s) answered on %s in %v\n", len(devices), termsafe.String(strings.Join(d.Interfaces, ", ")), *wait)
	return exitOK
}
