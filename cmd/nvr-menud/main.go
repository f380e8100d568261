// Command nvr-menud draws the recorder's local "Password Dimenticata" menu
// on its console: it wires the configuration, the recovery core, the USB
// stick watcher, the mouse, the menu and the SADP responder (installers'
// discovery on the LAN), and nothing more.
//
//	nvr-menud                        # /etc/nvr-menu/config.toml, else the embedded default
//	nvr-menud -config FILE
//	nvr-menud -demo DIR              # a self-contained demo device in DIR, in this terminal
//	nvr-menud -demo DIR -serial NVRDEMO0000002 -sadp-interfaces eth0 [-web HOST:PORT]
//	nvr-menud -version
//
// On a Linux virtual console it sets its own palette, font and keymap
// first (internal/vtcon) and puts them back at exit. SIGTERM and SIGINT
// restore the terminal and exit 0; SIGHUP reloads the configuration (an
// invalid one is refused and the old one kept). A configuration that does
// not load stops the daemon with exit code 2; a panic restores the terminal
// and the console, is logged with its stack and exits 1, so that init
// restarts the daemon. notify.command runs under a copy of the daemon
// started again as its reaper: at its timeout everything it started is
// killed, a process that called setsid included.
package main

import (
	"os"

	"nvrmenu/internal/notify"
)

func main() {
	// Started again by the daemon as a notify command's reaper
	// (internal/notify): run the command, and nothing else.
	if notify.IsReaper() {
		os.Exit(notify.ReaperMain())
	}
	notifyReaper = "/proc/self/exe"
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
