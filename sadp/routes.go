package sadp

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"io"
	"net/netip"
	"strconv"
	"strings"
)

// defaultGateways reads a /proc/net/route table and returns each
// interface's IPv4 default gateway: the up route to 0.0.0.0/0 through a
// gateway with the lowest metric. Lines it cannot read are skipped (the
// table is the kernel's, but an interface name could hold anything).
//
// The kernel prints each address as the 32-bit word holding it in network
// order, in the machine's own byte order, hence NativeEndian.
func defaultGateways(r io.Reader) map[string]netip.Addr {
	const rtfUp, rtfGateway = 0x1, 0x2
	type best struct {
		gw     netip.Addr
		metric uint64
	}
	found := make(map[string]best)
	sc := bufio.NewScanner(r)
	sc.Scan() // the header
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 8 {
			continue
		}
		dst, err1 := strconv.ParseUint(f[1], 16, 32)
		gw, err2 := strconv.ParseUint(f[2], 16, 32)
		flags, err3 := strconv.ParseUint(f[3], 16, 32)
		metric, err4 := strconv.ParseUint(f[6], 10, 32)
		mask, err5 := strconv.ParseUint(f[7], 16, 32)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil || err5 != nil {
			continue
		}
		if dst != 0 || mask != 0 || flags&(rtfUp|rtfGateway) != rtfUp|rtfGateway || gw == 0 {
			continue
		}
		var a [4]byte
		binary.NativeEndian.PutUint32(a[:], uint32(gw))
		if b, ok := found[f[0]]; !ok || metric < b.metric {
			found[f[0]] = best{netip.AddrFrom4(a), metric}
		}
	}
	gws := make(map[string]netip.Addr, len(found))
	for name, b := range found {
		gws[name] = b.gw
	}
	return gws
}

// defaultGateways6 reads a /proc/net/ipv6_route table and returns each
// interface's IPv6 default gateway: the up route to ::/0 through a
// gateway, not a reject route, with the lowest metric. Lines it cannot read
// are skipped.
func defaultGateways6(r io.Reader) map[string]netip.Addr {
	const rtfUp, rtfGateway, rtfReject = 0x1, 0x2, 0x200
	type best struct {
		gw     netip.Addr
		metric uint64
	}
	found := make(map[string]best)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 10 {
			continue
		}
		dst, ok1 := hexIPv6(f[0])
		gw, ok2 := hexIPv6(f[4])
		dstLen, err1 := strconv.ParseUint(f[1], 16, 8)
		metric, err2 := strconv.ParseUint(f[5], 16, 32)
		flags, err3 := strconv.ParseUint(f[8], 16, 32)
		if !ok1 || !ok2 || err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		if !dst.IsUnspecified() || dstLen != 0 || flags&(rtfUp|rtfGateway|rtfReject) != rtfUp|rtfGateway || gw.IsUnspecified() {
			continue
		}
		if b, ok := found[f[9]]; !ok || metric < b.metric {
			found[f[9]] = best{gw, metric}
		}
	}
	gws := make(map[string]netip.Addr, len(found))
	for name, b := range found {
		gws[name] = b.gw
	}
	return gws
}

// hexIPv6 reads an IPv6 address as the kernel's tables print it: 32 hex
// digits, in network order.
func hexIPv6(s string) (netip.Addr, bool) {
	var a [16]byte
	if len(s) != 32 {
		return netip.Addr{}, false
	}
	if _, err := hex.Decode(a[:], []byte(s)); err != nil {
		return netip.Addr{}, false
	}
	return netip.AddrFrom16(a), true
}
