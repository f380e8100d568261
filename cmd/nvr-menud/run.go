package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/config"
	"nvrmenu/internal/buildinfo"
	"nvrmenu/internal/dirlock"
	"nvrmenu/internal/regfile"
	"nvrmenu/menu"
	"nvrmenu/recovery"
	"nvrmenu/sadp"
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
	// setupConsole sets a virtual console up before the screen opens (nil:
	// nothing is set up, as in tests on simulated screens).
	setupConsole func(config.Console, *slog.Logger) console
	// signals receives SIGTERM, SIGINT and SIGHUP.
	signals chan os.Signal
	// demo is set by -demo: Ctrl-C quits the menu there, and demoHelp is
	// shown in the menu's frame (F1) and printed once at exit.
	demo     bool
	demoHelp string
	// listenSADP starts the SADP responder (sadp.go).
	listenSADP func(sadp.Options) (responder, error)
	sadp       *sadpDoor

	// uptime is how long the device has been switched on, for
	// web.activation_window (nil: the kernel's time since boot; the demo
	// device is switched on when the demo starts).
	uptime func() time.Duration

	// stopsTaken counts the SIGTERMs and SIGINTs a part of the daemon
	// took from signals (relaySignals); exit ends the process when one
	// is not taken within grace (default startupStopGrace).
	stopsTaken stopCounter
	exit       func(code int)
	grace      time.Duration
}

func run(args []string, stdout, stderr io.Writer) int {
	// Signals first, before any file is opened: from here on a SIGTERM
	// is never ignored, even if start-up hangs.
	raw := make(chan os.Signal, 4)
	signal.Notify(raw, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	defer func() { signal.Stop(raw); close(raw) }()
	d := &daemon{stdout: stdout, stderr: stderr, newScreen: openScreen, setupConsole: setupConsole, signals: make(chan os.Signal, 4), listenSADP: listenSADP, exit: os.Exit}
	go d.relaySignals(raw)
	return d.main(args)
}

func (d *daemon) main(args []string) (code int) {
	fl := flag.NewFlagSet("nvr-menud", flag.ContinueOnError)
	fl.SetOutput(d.stderr)
	configPath := fl.String("config", config.DefaultPath, "configuration `file`; the embedded default when there is none")
	demoDir := fl.String("demo", "", "run a self-contained demo device kept in `dir` (made if missing), in this terminal")
	version := fl.Bool("version", false, "print the version and exit")
	check := fl.Bool("check", false, "check the configuration file, say whether it loads, and exit (0 valid, 2 not)")
	var df demoFlags
	df.register(fl)
	fingerprint := fl.Bool("fingerprint", false, "print the SHA-256 fingerprint of the web door's certificate (made at first use) and exit")
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
	if set := df.set(fl); set != "" && *demoDir == "" {
		fmt.Fprintf(d.stderr, "nvr-menud: -%s is for the demo (-demo DIR); a recorder sets it in its configuration file\n", set)
		return exitConfig
	}
	if *demoDir != "" && flagSet(fl, "config") {
		fmt.Fprintf(d.stderr, "nvr-menud: -config is not for the demo: -demo makes its own configuration in %s (its flags: -lang, -serial, -web, -sadp-interfaces)\n", *demoDir)
		return exitConfig
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
		demo.flags = df
		if _, err := demo.config(); err != nil {
			fmt.Fprintf(d.stderr, "nvr-menud: %v\n", err)
			return exitConfig
		}
		load = demo.config
		d.demo = true
		if d.uptime == nil {
			d.uptime = recovery.SystemClock{}.Elapsed
		}
		// Not printed now: the menu would cover it at once. The menu
		// offers it on screen (F1), and it is printed when the demo ends.
		d.demoHelp = demo.help()
	}
	cfg, err := load()
	if err != nil {
		fmt.Fprintf(d.stderr, "nvr-menud: %v\n", err)
		return exitConfig
	}
	if *fingerprint {
		return d.printFingerprint(cfg)
	}
	log, closeLog, logWhere, err := openLog(cfg.Log, cfg.StateDir, d.stderr)
	if err != nil {
		fmt.Fprintf(d.stderr, "nvr-menud: %v\n", err)
		return exitConfig
	}
	defer func() { closeLog() }()
	log.Info("starting", "version", buildinfo.Version, "commit", buildinfo.Commit, "log", logWhere)
	d.sadp = &sadpDoor{listen: d.listenSADP, log: log, ownHost: d.demo}
	defer d.sadp.close()
	setTerminalEnv(cfg.Console.TTY)

	// A state directory that is not there: say so on the screen and wait
	// for it, rather than exit and be respawned by init for ever.
	if problem, _ := stateDirProblem(cfg.StateDir); problem != "" {
		next, err := d.waitStateDir(cfg, load, log)
		if err != nil {
			log.Error("stopped", "err", err)
			fmt.Fprintf(d.stderr, "nvr-menud: %v\n", err)
			return exitFailed
		}
		if next == nil {
			log.Info("stopped by signal while waiting for the state directory")
			return exitOK
		}
		cfg = *next
		// The default log lives in the state directory: there now.
		if l, c, where, err := openLog(cfg.Log, cfg.StateDir, d.stderr); err == nil {
			closeLog()
			log, closeLog, logWhere = l, c, where
			log.Info("starting", "version", buildinfo.Version, "commit", buildinfo.Commit, "log", logWhere)
		}
	}

	// One daemon per state directory, held across reloads; nothing else
	// (menu, doors) starts before it is held.
	lock, err := d.holdStateDir(cfg, log)
	for errors.Is(err, regfile.ErrNotRegular) {
		// Something that is not a file sits at the lock file's name (a
		// FIFO, a link): the directory cannot be used. Say so on screen
		// rather than exit and be restarted every second by init.
		log.Error("state directory unusable: showing the fault screen; remove what is in the way, then send SIGHUP", "err", err)
		retry, ferr := d.faultUntilSignal(cfg, filepath.Join(cfg.StateDir, dirlock.FileName), log)
		if ferr != nil {
			err = ferr
			break
		}
		if !retry {
			log.Info("stopped by signal on the fault screen")
			return exitOK
		}
		lock, err = d.holdStateDir(cfg, log)
	}
	if err != nil {
		log.Error("stopped", "err", err)
		fmt.Fprintf(d.stderr, "nvr-menud: %v\n", err)
		return exitFailed
	}
	if lock == nil {
		log.Info("stopped by signal while waiting for the state directory")
		return exitOK
	}
	defer func() { lock.Close() }()

	for {
		next, err := d.serve(cfg, lock, load, log)
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
		if next.StateDir != cfg.StateDir {
			// Another directory: take it without waiting, or keep
			// serving the one held.
			l, err := dirlock.TryLock(next.StateDir, d.holder(next.Console.TTY))
			if err != nil {
				log.Error("configuration reload refused: keeping the running one", "err", err)
				continue
			}
			lock.Close()
			lock = l
		}
		log.Info("configuration reloaded")
		cfg = *next
	}
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fl *flag.FlagSet, name string) bool {
	set := false
	fl.Visit(func(g *flag.Flag) { set = set || g.Name == name })
	return set
}

// holder is who this daemon is, for the lock file: its pid and the
// terminal it draws on.
func (d *daemon) holder(tty string) dirlock.Holder {
	return dirlock.Holder{PID: os.Getpid(), TTY: ttyName(tty)}
}

// holdStateDir takes the state directory's lock. When another daemon holds
// it, this one waits in the kernel for it to exit (no timer): on the
// holder's own terminal it draws nothing, on another it shows a fault
// screen saying who holds the directory. It returns nil, nil when a
// SIGTERM or SIGINT came first.
func (d *daemon) holdStateDir(cfg config.Config, log *slog.Logger) (*dirlock.Held, error) {
	me := d.holder(cfg.Console.TTY)
	l, err := dirlock.TryLock(cfg.StateDir, me)
	var held *dirlock.LockedError
	if !errors.As(err, &held) {
		return l, err
	}
	log.Warn("state directory held by another nvr-menud: waiting for it to exit", "dir", cfg.StateDir, "holder_pid", held.Holder.PID, "holder_tty", held.Holder.TTY)
	type taken struct {
		l   *dirlock.Held
		err error
	}
	got := make(chan taken, 1)
	go func() {
		l, err := dirlock.Lock(cfg.StateDir, me)
		got <- taken{l, err}
	}()
	var ended <-chan error // stays nil, never ready, with no screen shown
	stop := func() {}
	if held.Holder.TTY == "" || held.Holder.TTY != me.TTY {
		var err error
		ended, stop, err = d.showFault(cfg, menu.Options{Fault: menu.FaultLocked, FaultHolder: held.Holder}, log)
		if err != nil {
			return nil, err
		}
	}
	defer stop()
	for {
		select {
		case t := <-got:
			if t.err == nil {
				log.Info("state directory taken over", "dir", cfg.StateDir)
			}
			return t.l, t.err
		case sig := <-d.signals:
			if sig == syscall.SIGHUP {
				continue // nothing runs yet to reload
			}
			d.tookStop()
			return nil, nil
		case err := <-ended:
			return nil, fmt.Errorf("the fault screen: %w", err)
		}
	}
}

// faultUntilSignal shows the state fault screen naming path until a
// signal: SIGHUP asks to try again (retry), SIGTERM and SIGINT to stop.
func (d *daemon) faultUntilSignal(cfg config.Config, path string, log *slog.Logger) (retry bool, err error) {
	ended, stop, err := d.showFault(cfg, menu.Options{Fault: menu.FaultState, FaultDetail: path}, log)
	if err != nil {
		return false, err
	}
	defer stop()
	select {
	case sig := <-d.signals:
		if sig != syscall.SIGHUP {
			d.tookStop()
		}
		return sig == syscall.SIGHUP, nil
	case err := <-ended:
		return false, fmt.Errorf("the fault screen: %w", err)
	}
}

// showFault shows the fault screen opts describe (its Fault and details;
// the recorder, the language and the console are cfg's) on a console set
// up as the menu's. ended receives the screen's error should it stop by
// itself; stop closes it, whether or not it did, and puts the console
// back.
func (d *daemon) showFault(cfg config.Config, opts menu.Options, log *slog.Logger) (ended <-chan error, stop func(), err error) {
	display, restore := d.takeConsole(cfg.Console, log)
	screen, err := d.newScreen(cfg.Console.TTY)
	if err != nil {
		restore()
		return nil, nil, fmt.Errorf("opening the terminal %q: %w", cfg.Console.TTY, err)
	}
	opts.Model, opts.Serial, opts.Language, opts.Logger, opts.Display = cfg.Device.Model, cfg.Device.Serial, cfg.Language, log, display
	m, err := menu.New(opts)
	if err != nil {
		restore()
		return nil, nil, err
	}
	ran, finished := make(chan error, 1), make(chan struct{})
	go func() { ran <- m.Run(screen); close(finished) }()
	return ran, func() { m.Stop(); <-finished; restore() }, nil
}

// takeConsole sets a virtual console up for a screen of the menu, the
// fault screens as much as the menu's (setupConsole: our palette, font and
// keymap), and returns the menu's display and what puts the console back,
// to run once the screen is closed.
func (d *daemon) takeConsole(cc config.Console, log *slog.Logger) (menu.Display, func()) {
	if d.setupConsole == nil {
		return menu.Display{}, func() {}
	}
	con := d.setupConsole(cc, log)
	return con.display, func() {
		if err := con.restore(); err != nil {
			log.Error("console not restored", "err", err)
		}
	}
}

// serve runs the menu on cfg until SIGTERM or SIGINT (next is nil) or a
// SIGHUP with a configuration that loads (next is it: the caller starts
// again on it). A SIGHUP with a configuration that does not load is logged
// and changes nothing. A virtual console's palette, font and keymap are set
// before the screen opens and put back after it closes, on every way out.
// A panic below restores the terminal (tview finalises the screen before
// passing it on) and the console, is logged with its stack and returned as
// an error.
func (d *daemon) serve(cfg config.Config, lock *dirlock.Held, load func() (config.Config, error), log *slog.Logger) (next *config.Config, err error) {
	// Deferred before the recover below, so it runs after it: the screen
	// is closed first, then the console put back. First, too, because it
	// may set TERM, which says whether the terminal reports the mouse.
	display, restore := d.takeConsole(cfg.Console, log)
	defer restore()
	opts := menu.Options{
		Model:         cfg.Device.Model,
		Serial:        cfg.Device.Serial,
		Language:      cfg.Language,
		QRBlocks:      cfg.Console.QRBlocks,
		TerminalMouse: os.Getenv("TERM") != "linux",
		AllowQuit:     d.demo,
		DemoHelp:      d.demoHelp,
		Logger:        log,
		Display:       display,
	}
	// The terminal is taken (tcell's Init: terminfo, raw mode, its size)
	// on a goroutine of its own while the core and the sticks open: the
	// first frame waits for the slower of the two, not for both in turn.
	raw, err := d.newScreen(cfg.Console.TTY)
	if err != nil {
		return nil, fmt.Errorf("opening the terminal %q: %w", cfg.Console.TTY, err)
	}
	screen := initEarly(raw)
	st, err := openStack(cfg, lock, d.uptime, log)
	var stateErr *recovery.StateError
	switch {
	case errors.As(err, &stateErr):
		// Exiting would leave the recorder's console blank, restarted by
		// init every second: say it on screen instead, and wait for the
		// file to be restored (then SIGHUP) or for SIGTERM.
		log.Error("recovery state unusable: showing the fault screen; restore the file from a backup or move it away, then send SIGHUP", "err", err)
		opts.Fault, opts.FaultDetail, opts.FaultPrev = menu.FaultState, stateErr.Path, stateErr.Prev
	case err != nil:
		screen.release()
		return nil, err
	default:
		defer st.close()
		opts.Core, opts.Sticks, opts.Mouse = st.core.Console(), st.watcher, st.mouse
	}
	// The network doors — the web door and SADP, on the same core — start
	// once the menu's first frame is on screen: nothing of theirs
	// (certificate, listeners, netlink) stands before it. They stop before
	// the core closes.
	ready := make(chan struct{})
	if st != nil {
		opts.Ready = func() { close(ready) }
	}
	m, err := menu.New(opts)
	if err != nil {
		screen.release()
		return nil, err
	}
	reloaded := make(chan config.Config, 1)
	stopped := make(chan struct{})
	if st != nil {
		doors := d.startDoorsWhenReady(cfg, st.core, m, ready, stopped, log)
		defer doors()
	}
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
				} else {
					d.tookStop()
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

// earlyScreen is a screen whose Init started at once, on a goroutine of its
// own; the Init tview calls waits for it. A panic in it is raised again
// there, on the daemon's goroutine, whose recover restores the console.
type earlyScreen struct {
	tcell.Screen
	done     chan struct{}
	err      error
	panicked any
}

func initEarly(s tcell.Screen) *earlyScreen {
	e := &earlyScreen{Screen: s, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		defer func() { e.panicked = recover() }()
		e.err = s.Init()
	}()
	return e
}

// Init waits for the Init begun by initEarly and returns its error.
func (e *earlyScreen) Init() error {
	<-e.done
	if e.panicked != nil {
		panic(e.panicked)
	}
	return e.err
}

// release gives the terminal back when the menu never ran on it.
func (e *earlyScreen) release() {
	<-e.done
	if e.panicked == nil && e.err == nil {
		e.Screen.Fini()
	}
}

// startDoorsWhenReady starts the web door and the SADP responder on core
// once ready is closed (the menu's first frame), unless stopped comes
// first, and tells the menu what the web door is. It returns how to stop
// them: it waits for a start under way, then stops what started (SADP
// first: its answers announce the web door).
func (d *daemon) startDoorsWhenReady(cfg config.Config, core *recovery.Core, m *menu.Menu, ready, stopped <-chan struct{}, log *slog.Logger) (stop func()) {
	var stopWeb func()
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-ready:
		case <-stopped:
			return
		}
		var door webInfo
		stopWeb, door = d.startWeb(cfg, core, log)
		m.SetWebDoor(door.shown.fingerprint, door.shown.urls)
		// SADP answers only beside the real menu.
		d.sadp.attach(cfg, core, door)
	}()
	return func() {
		<-done
		if stopWeb != nil {
			d.sadp.detach()
			stopWeb()
		}
	}
}

// checkConfig is -check: an installer tries a configuration file before
// init starts the daemon on it. With no file there the daemon runs on the
// embedded default: that is what is checked, and said.
func (d *daemon) checkConfig(path string) int {
	cfg, err := config.Load(path)
	missing := errors.Is(err, fs.ErrNotExist)
	if missing {
		cfg, err = config.Default(), nil
	}
	if err == nil {
		if _, kerr := vendorKey(cfg); kerr != nil {
			err = fmt.Errorf("%s: key %w", path, kerr)
		}
	}
	if err != nil {
		fmt.Fprintf(d.stderr, "nvr-menud: %v\n", err)
		return exitConfig
	}
	if missing {
		fmt.Fprintf(d.stdout, "nvr-menud: no configuration file at %s: the daemon runs on the embedded default (config/default.toml), which is valid\n", path)
	} else {
		fmt.Fprintf(d.stdout, "nvr-menud: %s: configuration valid\n", path)
	}
	if problem, fix := stateDirProblem(cfg.StateDir); problem != "" {
		fmt.Fprintf(d.stdout, "nvr-menud: %s: the daemon will show a fault screen and wait until it is fixed: %s\n", problem, fix)
		return exitOK
	}
	// Who runs on its state directory: a probe that takes nothing, so it
	// never blocks a daemon starting at the same moment.
	switch held, h, err := dirlock.Probe(cfg.StateDir); {
	case err != nil:
		fmt.Fprintf(d.stdout, "nvr-menud: %s: cannot tell whether a daemon uses it: %v\n", cfg.StateDir, err)
	case held:
		fmt.Fprintf(d.stdout, "nvr-menud: %s: in use by a running nvr-menud (pid %d on %s); a second one would wait for it\n", cfg.StateDir, h.PID, orUnknown(h.TTY))
	default:
		fmt.Fprintf(d.stdout, "nvr-menud: %s: no daemon uses it now\n", cfg.StateDir)
	}
	return exitOK
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown terminal"
	}
	return s
}
