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
	"nvrmenu/texts"
)

// usage is `nvr-sadp -h`, in the session's language.
func usage() string {
	c, _ := texts.New(sessionLanguage(""))
	return c.T(texts.SadpUsage)
}

// discover is sadp.Discover; tests replace it.
var discover = sadp.Discover

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage())
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, usage())
		return exitOK
	case "version", "-version":
		fmt.Fprintf(stdout, "nvr-sadp %s (commit %s, built %s)\n", buildinfo.Version, buildinfo.Commit, buildinfo.Date)
		return exitOK
	case "list":
		return list(args[1:], stdout, stderr)
	case "forget":
		return forget(args[1:], stdout, stderr)
	case "forgot", "activate", "setup", "export-guid":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		t := &tool{cmd: args[0], ctx: ctx, stdout: stdout, stderr: stderr, now: time.Now}
		switch args[0] {
		case "forgot":
			return t.forgot(args[1:], stdin)
		case "activate":
			return t.activate(args[1:], stdin)
		case "setup":
			return t.setup(args[1:], stdin)
		default:
			return t.exportGUIDCmd(args[1:], stdin)
		}
	}
	fmt.Fprintf(stderr, "nvr-sadp: unknown command %q: want list, forgot, activate, setup, export-guid or forget (or help)\n", termsafe.String(args[0]))
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
