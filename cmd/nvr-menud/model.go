package main

import (
	"nvrmenu/config"
	"nvrmenu/internal/certfp"
)

// deviceModel is the model name the doors tell installers' tools.
func deviceModel(cfg config.Config) string { return cfg.Device.Model }

// webInfo is what the SADP answers announce of the running web door: its
// certificate's fingerprint, its TCP port, and its host when it listens on
// one address only (empty: the address each probe came in on). The zero
// value is no door to announce (none, on a unix socket behind the
// firmware's web server, or a noweb build).
type webInfo struct {
	fingerprint certfp.Fingerprint
	port        int
	host        string
	// shown is what the console's activation and account screens show of
	// a door that runs, wherever it listens (the loopback too): its
	// certificate's fingerprint and the addresses it is reached at.
	shown shownDoor
}

// shownDoor is the web door as the console shows it, for an installer to
// compare with what nvr-sadp or the browser shows.
type shownDoor struct {
	fingerprint certfp.Fingerprint
	urls        []string
}
