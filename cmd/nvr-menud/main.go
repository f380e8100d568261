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
// restarts the daemon.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
