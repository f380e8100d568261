package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/config"
	"nvrmenu/internal/buildinfo"
	"nvrmenu/menu"
	"nvrmenu/recovery"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // a failure at run time, a panic: init restarts us
	exitConfig = 2 // the configuration does not load, or bad flags
)

// daemon holds what tests replace: the streams, the screen and the signals.
type daemon struct {
	stdout, stderr io.Writer
	// newScreen opens the terminal to draw on ("" is the one we run in).
	newScreen func(tty string) (tcell.Screen, error)
	// signals receives SIGTERM, SIGINT and SIGHUP.
	signals chan os.Signal
	// demo is set by -demo: Ctrl-C quits the menu there, and demoHelp is
	// shown in the menu's frame (F1) and printed once at exit.
	demo     bool
	demoHelp string
}

func run(args []string, stdout, stderr io.Writer) int {
	d := &daemon{stdout: stdout, stderr: stderr, newScreen: openScreen, signals: make(chan os.Signal, 4)}
	signal.Notify(d.signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	defer signal.Stop(d.signals)
	return d.main(args)
}

func (d *daemon) main(args []string) (code int) {
	fl := flag.NewFlagSet("nvr-menud", flag.ContinueOnError)
	fl.SetOutput(d.stderr)
	configPath := fl.String("config", config.DefaultPath, "configuration `file`; the embedded default when there is none")
	demoDir := fl.String("demo", "", "run a self-contained demo device kept in `dir` (made if missing), in this terminal")
	version := fl.Bool("version", false, "print the version and exit")
	check := fl.Bool("check", false, "check the configuration file, say whether it loads, and exit (0 valid, 2 not)")
	if err := fl.Parse(args); err != nil {
		return exitConfig
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(d.stderr, "nvr-menud: unexpected argument %q\n", fl.Arg(0))
		return exitConfig
	}
	if *version {
		fmt.Fprintf(d.stdout, "nvr-menud %s (commit %s, built %s)\n", buildinfo.Version, buildinfo.Commit, buildinfo.Date)
		return exitOK
	}
	if *check {
		return d.checkConfig(*configPath)
	}
	// Descriptors inherited from whoever started us would reach the
	// notify command.
	closeOnExecInherited()

	load := func() (config.Config, error) { return loadConfig(*configPath) }
	var demo *demoDevice
	if *demoDir != "" {
		var err error
		demo, err = prepareDemo(*demoDir)
		if err != nil {
			fmt.Fprintf(d.stderr, "nvr-menud: demo: %v\n", err)
			return exitFailed
		}
		load = demo.config
		d.demo = true
		// Not printed now: the menu would cover it at once. The menu
		// offers it on screen (F1), and it is printed when the demo ends.
		d.demoHelp = demo.help()
	}
	cfg, err := load()
	if err != nil {
		fmt.Fprintf(d.stderr, "nvr-menud: %v\n", err)
		return exitConfig
	}
	log, closeLog, err := openLog(cfg.Log, d.stderr)
	if err != nil {
		fmt.Fprintf(d.stderr, "nvr-menud: %v\n", err)
		return exitConfig
	}
	defer closeLog()
	log.Info("starting", "version", buildinfo.Version, "commit", buildinfo.Commit)
	setTerminalEnv(cfg.Console.TTY)

	for {
		next, err := d.serve(cfg, load, log)
		if err != nil {
			log.Error("stopped", "err", err)
			fmt.Fprintf(d.stderr, "nvr-menud: %v\n", err)
			return exitFailed
		}
		if next == nil {
			log.Info("stopped by signal")
			if demo != nil {
				fmt.Fprint(d.stdout, demo.help())
			}
			return exitOK
		}
		log.Info("configuration reloaded")
		cfg = *next
	}
}

// serve runs the menu on cfg until SIGTERM or SIGINT (next is nil) or a
// SIGHUP with a configuration that loads (next is it: the caller starts
// again on it). A SIGHUP with a configuration that does not load is logged
// and changes nothing. A panic below restores the terminal (tview finalises
// the screen before passing it on), is logged with its stack and returned as
// an error.
func (d *daemon) serve(cfg config.Config, load func() (config.Config, error), log *slog.Logger) (next *config.Config, err error) {
	opts := menu.Options{
		Language:      cfg.Language,
		QRBlocks:      cfg.Console.QRBlocks,
		TerminalMouse: os.Getenv("TERM") != "linux",
		AllowQuit:     d.demo,
		DemoHelp:      d.demoHelp,
		Logger:        log,
	}
	st, err := openStack(cfg, log)
	var stateErr *recovery.StateError
	switch {
	case errors.As(err, &stateErr):
		// Exiting would leave the recorder's console blank, restarted by
		// init every second: say it on screen instead, and wait for the
		// file to be restored (then SIGHUP) or for SIGTERM.
		log.Error("recovery state unusable: showing the fault screen; restore the file from a backup or move it away, then send SIGHUP", "err", err)
		opts.Fault, opts.FaultDetail = menu.FaultState, stateErr.Path
	case err != nil:
		return nil, err
	default:
		defer st.close()
		opts.Core, opts.Sticks, opts.Mouse = st.core, st.watcher, st.mouse
	}
	screen, err := d.newScreen(cfg.Console.TTY)
	if err != nil {
		return nil, fmt.Errorf("opening the terminal %q: %w", cfg.Console.TTY, err)
	}
	m, err := menu.New(opts)
	if err != nil {
		return nil, err
	}
	reloaded := make(chan config.Config, 1)
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		for {
			select {
			case sig := <-d.signals:
				if sig == syscall.SIGHUP {
					c, err := load()
					if err != nil {
						log.Error("configuration reload refused: keeping the running one", "err", err)
						continue
					}
					reloaded <- c
				}
				m.Stop()
				return
			case <-stopped:
				return
			}
		}
	}()
	defer func() {
		if p := recover(); p != nil {
			screen.Fini()
			log.Error("panic", "value", fmt.Sprint(p), "stack", string(debug.Stack()))
			next, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	// The two mouse paths apart: the terminal's own reports (xterm and the
	// like) and the PS/2 device the menu reads on a console.
	mouseDevice := "none configured"
	switch {
	case opts.Mouse != nil:
		mouseDevice = cfg.Console.Mouse
	case cfg.Console.Mouse != "":
		mouseDevice = "unavailable: " + cfg.Console.Mouse
	}
	log.Info("menu started", "language", cfg.Language, "usb", cfg.USB.Source,
		"terminal_mouse", opts.TerminalMouse, "mouse_device", mouseDevice, "fault", opts.Fault != menu.NoFault)
	if err := m.Run(screen); err != nil {
		return nil, err
	}
	select {
	case c := <-reloaded:
		return &c, nil
	default:
		return nil, nil
	}
}

// checkConfig is -check: an installer tries a configuration file before
// init starts the daemon on it.
func (d *daemon) checkConfig(path string) int {
	cfg, err := config.Load(path)
	if err == nil {
		if _, kerr := vendorKey(cfg); kerr != nil {
			err = fmt.Errorf("%s: key %w", path, kerr)
		}
	}
	if err != nil {
		fmt.Fprintf(d.stderr, "nvr-menud: %v\n", err)
		return exitConfig
	}
	fmt.Fprintf(d.stdout, "nvr-menud: %s: configuration valid\n", path)
	return exitOK
}
