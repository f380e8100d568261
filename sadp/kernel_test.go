package sadp

import (
	"maps"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"
)

func TestIPv6Addresses(t *testing.T) {
	f, err := os.Open("testdata/proc-net-if_inet6.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := ipv6Addresses(f)
	want := map[string]netip.Prefix{
		// A stable global address before a temporary one and a
		// link-local one, wherever they stand in the table.
		"eth0": netip.MustParsePrefix("2001:db8::10/64"),
		// The global one is still tentative: the link-local one.
		"eth1": netip.MustParsePrefix("fe80::1/64"),
		// The stable one is deprecated: the temporary one.
		"wlan0": netip.MustParsePrefix("2001:db8:0:2::2/64"),
		// lo's loopback, veth9's failed duplicate detection, tap0's
		// multicast address: none shown.
	}
	if !maps.Equal(got, want) {
		t.Errorf("ipv6Addresses: got %v, want %v", got, want)
	}
}

func TestDefaultGateways6(t *testing.T) {
	f, err := os.Open("testdata/proc-net-ipv6_route.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := defaultGateways6(f)
	want := map[string]netip.Addr{
		"eth0":  netip.MustParseAddr("fe80::2"), // the lower metric of two
		"wlan0": netip.MustParseAddr("2001:db8:0:2::1"),
		// eth1's route has no gateway flag, lo's rejects, veth9's is not
		// up, tap0's is a reject route through a gateway.
	}
	if !maps.Equal(got, want) {
		t.Errorf("defaultGateways6: got %v, want %v", got, want)
	}
}

func TestReadBootTime(t *testing.T) {
	f, err := os.Open("testdata/proc-stat.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := readBootTime(f)
	if err != nil || !got.Equal(time.Unix(1796639737, 0)) {
		t.Errorf("readBootTime: got %v, %v; want the sample's btime 1796639737", got, err)
	}
	for _, in := range []string{"cpu  1 2 3\n", "btime\n", "btime x\n", "btime -5\n", ""} {
		if got, err := readBootTime(strings.NewReader(in)); err == nil {
			t.Errorf("readBootTime(%q) = %v, want an error", in, got)
		}
	}
}
