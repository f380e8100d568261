package main

import (
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"nvrmenu/config"
	"nvrmenu/internal/buildinfo"
	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
	"nvrmenu/sadp"
)

// responder is what the daemon keeps of a running SADP responder.
type responder interface{ Close() error }

// listenSADP starts the real responder; tests replace it.
func listenSADP(opts sadp.Options) (responder, error) { return sadp.Listen(opts) }

// sadpDoor runs the SADP responder beside the menu. It is started by the
// first menu that runs on a usable core (never on the fault screen), kept
// across SIGHUP reloads while [sadp] is unchanged, rebuilt when it
// changed, and closed when the daemon exits. Between two menus, and on the
// fault screen, it has no core and answers no probe.
type sadpDoor struct {
	listen func(sadp.Options) (responder, error)
	log    *slog.Logger
	// ownHost answers probes from this machine's own addresses: the demo,
	// whose hint runs nvr-sadp list beside it.
	ownHost bool

	mu  sync.Mutex
	r   responder
	cfg config.SADP // what r was started with

	source atomic.Pointer[sadpSource] // nil: no answer
}

// sadpSource is what the answers are made of.
type sadpSource struct {
	core          *recovery.Core
	serial, model string
	// web is the door the answers announce: nvr-sadp resets through it.
	// Behind the firmware's own web server (a unix socket) the address
	// and certificate are that server's, which nvr-menud does not know:
	// the answers leave the door out, and the recorder lists read-only.
	web webInfo
}

// errNoCore: between two menus, or on the fault screen.
var errNoCore = errors.New("no recovery core open")

// attach makes the answers come from core and cfg, and starts, rebuilds or
// stops the responder as cfg.SADP says.
func (s *sadpDoor) attach(cfg config.Config, core *recovery.Core, web webInfo) {
	s.source.Store(&sadpSource{core: core, serial: cfg.Device.Serial, model: cfg.Device.Model, web: web})
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.r != nil && sameSADP(s.cfg, cfg.SADP) {
		return
	}
	if s.r != nil {
		s.r.Close()
		s.r = nil
		s.log.Info("sadp: stopped for the new configuration")
	}
	if !cfg.SADP.Enabled {
		return
	}
	r, err := s.listen(sadp.Options{Device: s, Interfaces: cfg.SADP.Interfaces, AnySubnet: cfg.SADP.AnySubnet, OwnHost: s.ownHost, Logger: s.log})
	if err != nil {
		// The menu matters more than discovery: it runs without it, and
		// the next reload tries again.
		s.log.Error("sadp: not answering discovery", "err", err)
		return
	}
	s.r, s.cfg = r, cfg.SADP
	s.log.Info("sadp: answering discovery", "interfaces", interfacesShown(cfg.SADP.Interfaces), "any_subnet", cfg.SADP.AnySubnet)
}

// detach stops the answers until the next attach: the core is closing.
func (s *sadpDoor) detach() { s.source.Store(nil) }

// close stops the responder for good.
func (s *sadpDoor) close() {
	s.detach()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.r != nil {
		s.r.Close()
		s.r = nil
	}
}

// Describe is sadp.Device: the answers say what the core says now.
func (s *sadpDoor) Describe() (sadp.Description, error) {
	src := s.source.Load()
	if src == nil {
		return sadp.Description{}, errNoCore
	}
	d := describe(src.core.JourneyOf(recovery.ClassNetwork), src.serial, src.model)
	if w := src.web; w.port > 0 && !w.fingerprint.IsZero() {
		d.HTTPPort, d.WebHost, d.CertSHA256 = w.port, w.host, w.fingerprint.Hex()
	}
	return d, nil
}

// describe turns the network doors' journey into what SADP answers say:
// a Support flag for each method offered and set up, and DeviceLock when a
// lock the network doors obey runs (the console's locks are the console's
// own business).
func describe(j journey.Journey, serial, model string) sadp.Description {
	setUp := func(m journey.Method) bool { s := j.Method(m); return s.Offered && s.SetUp }
	return sadp.Description{
		Serial:          serial,
		Model:           model,
		SoftwareVersion: buildinfo.Version,
		Activated:       j.Activated,
		GUID:            setUp(journey.GUID),
		Questions:       setUp(journey.Questions),
		Email:           setUp(journey.Email),
		Locked:          j.AnyLocked(),
	}
}

func sameSADP(a, b config.SADP) bool {
	return a.Enabled == b.Enabled && a.AnySubnet == b.AnySubnet && slices.Equal(a.Interfaces, b.Interfaces)
}

func interfacesShown(names []string) any {
	if len(names) == 0 {
		return "all suitable"
	}
	return names
}
