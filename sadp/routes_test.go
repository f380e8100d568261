package sadp

import (
	"encoding/binary"
	"maps"
	"net/netip"
	"os"
	"testing"
)

func TestDefaultGateways(t *testing.T) {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		t.Skip("testdata/proc-net-route.txt was taken on a little-endian machine")
	}
	f, err := os.Open("testdata/proc-net-route.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := defaultGateways(f)
	want := map[string]netip.Addr{
		"eth0": netip.MustParseAddr("198.51.100.1"),
		"eth1": netip.MustParseAddr("192.0.2.2"), // the lower metric of two
		// wlan0's route is not up, veth9's has no gateway: neither is one.
	}
	if !maps.Equal(got, want) {
		t.Errorf("defaultGateways: got %v, want %v", got, want)
	}
}
