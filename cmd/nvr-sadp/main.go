// Command nvr-sadp is the installer's tool for nvrmenu recorders on the LAN:
// it finds them (and every other SADP device) by SADP discovery, shows what
// each says about itself, and acts on an nvrmenu recorder through its web
// door's HTTPS API: activation, a forgotten password reset by GUID file,
// security questions or reserved e-mail, the set-up of those methods and
// the GUID export.
//
//	nvr-sadp list                       # probe every interface for 3 s, print a table
//	nvr-sadp list -t 5s -i eth0 -json   # or -csv
//	nvr-sadp forgot NVRDEMO0000001      # asks which method, then the new password
//	nvr-sadp setup 198.51.100.10        # questions, e-mail, GUID file, after a login
//
// The recorder's certificate is pinned by serial at first use
// (known_recorders in the user's config directory, like ssh's
// known_hosts) and every TLS connection must present it. Secrets come from
// the terminal without echo, from files or from standard input, never from
// the command line. Everything a device sends is made safe for the
// terminal, and for spreadsheets, before it is printed. It builds for
// Linux, macOS and Windows (./build.sh sadp).
//
// The program is its packages: internal/cli (the commands),
// internal/recorder (the pinned HTTPS client of the recorder's API) and
// internal/known (the pins).
package main

import (
	"context"
	"os"
	"os/signal"

	"nvrmenu/cmd/nvr-sadp/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
