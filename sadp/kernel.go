package sadp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// ipv6Addresses reads a /proc/net/if_inet6 table and returns, for each
// interface, the IPv6 address an answer shows, with its prefix: a global
// one (unique local addresses included) before a link-local one, a stable
// one before a temporary (privacy) one, the table's order otherwise.
// Addresses still tentative, deprecated or whose duplicate detection
// failed are not shown; neither are the loopback's and the like. Lines it
// cannot read are skipped.
func ipv6Addresses(r io.Reader) map[string]netip.Prefix {
	const (
		ifaTemporary  = 0x01
		ifaDADFailed  = 0x08
		ifaDeprecated = 0x20
		ifaTentative  = 0x40
	)
	type best struct {
		p    netip.Prefix
		rank int // lower is better
	}
	found := make(map[string]best)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 {
			continue
		}
		a, ok := hexIPv6(f[0])
		bits, err1 := strconv.ParseUint(f[2], 16, 8)
		flags, err2 := strconv.ParseUint(f[4], 16, 32)
		if !ok || err1 != nil || err2 != nil || bits > 128 || flags&(ifaDADFailed|ifaDeprecated|ifaTentative) != 0 {
			continue
		}
		var rank int
		switch {
		case a.IsLinkLocalUnicast():
			rank = 2
		case a.IsGlobalUnicast():
			rank = 0
		default: // loopback, multicast, unspecified
			continue
		}
		if flags&ifaTemporary != 0 {
			rank++
		}
		if b, ok := found[f[5]]; !ok || rank < b.rank {
			found[f[5]] = best{netip.PrefixFrom(a, int(bits)), rank}
		}
	}
	addrs := make(map[string]netip.Prefix, len(found))
	for name, b := range found {
		addrs[name] = b.p
	}
	return addrs
}

// readBootTime reads the kernel's boot time (btime, in seconds since the
// epoch) from a /proc/stat table. The kernel gives it by the wall clock
// now: a clock set after boot (NTP on a recorder without a real-time
// clock) moves it with it.
func readBootTime(r io.Reader) (time.Time, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20) // the intr line is long
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "btime ")
		if !ok {
			continue
		}
		secs, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
		if err != nil || secs < 0 {
			return time.Time{}, fmt.Errorf("btime %q: not a time", rest)
		}
		return time.Unix(secs, 0), nil
	}
	if err := sc.Err(); err != nil {
		return time.Time{}, err
	}
	return time.Time{}, errors.New("no btime line")
}
