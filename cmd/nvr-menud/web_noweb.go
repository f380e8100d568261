//go:build noweb

package main

import (
	"fmt"
	"log/slog"

	"nvrmenu/config"
	"nvrmenu/recovery"
)

// webBuilt says this daemon has the web door: not in a noweb build.
const webBuilt = false

func (d *daemon) printFingerprint(config.Config) int {
	fmt.Fprintln(d.stderr, "nvr-menud: built without the web door (build tag noweb): no certificate")
	return exitFailed
}

// startWeb says, once, that the web door is not built in.
func (d *daemon) startWeb(cfg config.Config, _ *recovery.Core, log *slog.Logger) (func(), webInfo) {
	if cfg.Web.Listen != "" {
		log.Warn("web.listen ignored: this nvr-menud is built without the web door (build tag noweb)", "listen", cfg.Web.Listen)
	}
	return func() {}, webInfo{}
}
