package sadp

import (
	"net"
	"net/netip"
	"strings"
	"testing"
)

func TestAnswer(t *testing.T) {
	mac, _ := net.ParseMAC("02:00:5e:10:00:01")
	local := netip.MustParsePrefix("198.51.100.10/24")
	gw := netip.MustParseAddr("198.51.100.1")
	d := Description{
		Serial: "NVRDEMO0000001", Model: "NVR-DEMO", SoftwareVersion: "v1",
		Activated: true, GUID: true, Email: true, Locked: true, HTTPPort: 443,
	}
	m := answer(Probe{UUID: "U", Types: "inquiry"}, d, mac, local, gw)
	want := ProbeMatch{
		UUID: "U", Types: "inquiry", DeviceType: "0", DeviceDescription: "NVR-DEMO", DeviceSN: "NVRDEMO0000001",
		HTTPPort: 443, MAC: "02-00-5e-10-00-01", IPv4Address: "198.51.100.10", IPv4SubnetMask: "255.255.255.0",
		IPv4Gateway: "198.51.100.1", SoftwareVersion: "v1", Activated: FlagTrue,
		SupportGUID: FlagTrue, SupportSecurityQuestion: FlagFalse, SupportMailBox: FlagTrue, DeviceLock: FlagTrue,
	}
	if *m != want {
		t.Errorf("answer:\ngot  %+v\nwant %+v", *m, want)
	}

	// The extension element only with both halves, and valid.
	fp := strings.Repeat("c3", 32)
	for _, tc := range []struct {
		url, fp string
		want    bool
	}{
		{"https://198.51.100.10/", fp, true},
		{"https://198.51.100.10/", "", false},
		{"", fp, false},
		{"http://198.51.100.10/", fp, false},
	} {
		d.WebURL, d.CertSHA256 = tc.url, tc.fp
		if got := answer(Probe{UUID: "U", Types: "inquiry"}, d, mac, local, gw).WebDoor != nil; got != tc.want {
			t.Errorf("web door %q %q: extension %v, want %v", tc.url, tc.fp, got, tc.want)
		}
	}

	// No gateway, no address: the elements are left out.
	m = answer(Probe{UUID: "U", Types: "inquiry"}, d, nil, netip.Prefix{}, netip.Addr{})
	if m.IPv4Address != "" || m.IPv4Gateway != "" || m.MAC != "" {
		t.Errorf("answer without address: %+v", m)
	}

	// A command: denied, and nothing of the device.
	m = answer(Probe{UUID: "U", Types: "activate"}, d, mac, local, gw)
	if *m != (ProbeMatch{UUID: "U", Types: "activate", Result: ResultDenied}) {
		t.Errorf("command: got %+v, want only the denial", *m)
	}
}

func TestPrefixMask(t *testing.T) {
	for bits, want := range map[int]string{0: "0.0.0.0", 8: "255.0.0.0", 23: "255.255.254.0", 32: "255.255.255.255"} {
		if got := prefixMask(netip.PrefixFrom(netip.MustParseAddr("198.51.100.1"), bits)); got != want {
			t.Errorf("/%d: got %s, want %s", bits, got, want)
		}
	}
}
