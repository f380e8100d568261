// Command nvr-sadp is the installer's tool for nvrmenu recorders on the LAN:
// it finds them (and every other SADP device) by SADP discovery and shows
// what each says about itself: serial, model, addresses, firmware, whether
// it is activated, which recovery methods are set up, whether it is locked.
//
//	nvr-sadp list                       # probe every interface for 3 s, print a table
//	nvr-sadp list -t 5s -i eth0 -json   # or -csv
//
// Everything a device sends is made safe for the terminal, and for
// spreadsheets, before it is printed. The commands that act on a recorder
// (forgot, activate, setup, export-guid) need the recorder's web door and
// are coming. It builds for Linux, macOS and Windows (./build.sh sadp).
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
