package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"nvrmenu/config"
	"nvrmenu/internal/buildinfo"
	"nvrmenu/internal/dirlock"
	"nvrmenu/internal/notify"
	"nvrmenu/internal/payload"
	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery"
	"nvrmenu/usb"
)

// loadConfig reads the configuration at path; with no file there, the
// embedded default (a recorder without a config file still runs).
func loadConfig(path string) (config.Config, error) {
	cfg, err := config.Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		return config.Default(), nil
	}
	return cfg, err
}

// vendorKey parses the configured vendor key, nil when there is none. config
// checks its form; the core also refuses weak keys, which only it knows.
func vendorKey(cfg config.Config) (*payload.PublicKey, error) {
	if cfg.Recovery.VendorPublicKey == "" {
		return nil, nil
	}
	k, err := payload.ParsePublicKey(cfg.Recovery.VendorPublicKey)
	if err != nil {
		return nil, fmt.Errorf("recovery.vendor_public_key: %w", err)
	}
	return &k, nil
}

// notifyReaper is the program notify.command runs under (see
// internal/notify): the daemon's own binary, set by main. Tests that run
// the daemon in-process have no reaper in their binary and leave it empty.
var notifyReaper string

// stack is what the menu talks to, built from one configuration.
type stack struct {
	core    *recovery.Core
	watcher *usb.Watcher
	mouse   io.ReadCloser // nil: keyboard only
}

// openStack opens the core (on the state directory lock holds), the
// watcher and the mouse for cfg. uptime is how long the device has been
// on (nil: the kernel's time since boot).
func openStack(cfg config.Config, lock *dirlock.Held, uptime func() time.Duration, log *slog.Logger) (*stack, error) {
	opts := recovery.Options{
		DirLock:         lock,
		StateDir:        cfg.StateDir,
		Serial:          cfg.Device.Serial,
		NotBefore:       buildinfo.BuildTime(),
		Policy:          pwpolicy.Policy{MinLength: pwpolicy.MinLength, MaxLength: cfg.Password.MaxLength},
		RecoveryAddress: cfg.Recovery.RecoveryAddress,
		AppURL:          cfg.Recovery.AppURL,
		CodeTTL:         cfg.Recovery.CodeTTL,
		Disabled: map[recovery.Method]bool{
			recovery.MethodGUID:      !cfg.Recovery.GUID,
			recovery.MethodQuestions: !cfg.Recovery.Questions,
			recovery.MethodEmail:     !cfg.Recovery.Email,
		},
		Calibrate: func() recovery.KDFParams {
			return recovery.CalibrateKDF(uint32(cfg.KDF.MemoryCapMiB)*1024, cfg.KDF.TargetTime, recovery.MeasureKDF)
		},
		Notifier: notify.Command{Argv: cfg.Notify.Command, Timeout: cfg.Notify.Timeout, Reaper: notifyReaper},
		// web.activation: vendors let their web page activate a device.
		NetworkActivation: cfg.Web.Activation,
		// web.activation_window: only for a while after power-on.
		NetworkActivationWindow: cfg.Web.ActivationWindow,
		Uptime:                  uptime,
		Logger:                  log,
		AuditDir:                cfg.StateDir,
	}
	k, err := vendorKey(cfg)
	if err != nil {
		return nil, err
	}
	opts.VendorKey = k
	core, err := recovery.Open(opts)
	if err != nil {
		return nil, err
	}
	w, err := usb.NewWatcher(usb.Options{
		Source:    usb.Source(cfg.USB.Source),
		MediaRoot: cfg.USB.MediaRoot,
		Match:     recovery.IsGUIDFileName,
		Logger:    log,
	})
	if err != nil {
		core.Close()
		return nil, err
	}
	st := &stack{core: core, watcher: w}
	if cfg.Console.Mouse != "" {
		// No mouse is a normal state (none plugged, no mousedev): the menu
		// runs keyboard-only, and says so here once.
		f, err := os.Open(cfg.Console.Mouse)
		if err != nil {
			log.Warn("no mouse: keyboard only", "device", cfg.Console.Mouse, "err", err)
		} else {
			st.mouse = f
		}
	}
	return st, nil
}

// close releases everything; the core records how far its locks have run.
func (s *stack) close() {
	if s.mouse != nil {
		s.mouse.Close()
	}
	s.watcher.Close()
	s.core.Close()
}
