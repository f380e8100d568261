// Package buildinfo holds the version, commit and build date that build.sh
// stamps into every binary with -ldflags -X.
//
// The build date matters beyond display: the recovery core treats a wall
// clock earlier than it as untrustworthy (a recorder without an RTC battery
// boots in 1970 or at its firmware's date).
package buildinfo

import "time"

// Stamped by build.sh; the defaults are what a plain `go build` gets.
var (
	Version = "dev"
	Commit  = "unknown"
	Date    = "2026-11-25T00:00:00Z"
)

// BuildTime parses Date. A malformed stamp yields the zero time, which makes
// every clock look trustworthy rather than none.
func BuildTime() time.Time {
	t, err := time.Parse(time.RFC3339, Date)
	if err != nil {
		return time.Time{}
	}
	return t
}
