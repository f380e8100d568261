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
}
