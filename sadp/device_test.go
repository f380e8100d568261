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

	// The extension element only with a port and a fingerprint; its URL
	// on the receiving interface's address unless the door has a host.
	fp := strings.Repeat("c3", 32)
	for _, tc := range []struct {
		port    int
		host    string
		fp      string
		wantURL string
	}{
		{8443, "", fp, "https://" + local.Addr().String() + ":8443/"},
		{8443, "192.0.2.7", fp, "https://192.0.2.7:8443/"},
		{443, "2001:db8::1", fp, "https://[2001:db8::1]:443/"},
		{8443, "", "", ""},
		{0, "", fp, ""},
	} {
		d.HTTPPort, d.WebHost, d.CertSHA256 = tc.port, tc.host, tc.fp
		w := answer(Probe{UUID: "U", Types: "inquiry"}, d, mac, local, gw).WebDoor
		switch {
		case tc.wantURL == "" && w != nil:
			t.Errorf("port %d host %q fp %q: an extension %+v, want none", tc.port, tc.host, tc.fp, *w)
		case tc.wantURL != "" && (w == nil || w.URL != tc.wantURL || w.CertSHA256 != fp):
			t.Errorf("port %d host %q: extension %+v, want %s", tc.port, tc.host, w, tc.wantURL)
		}
	}
	d.HTTPPort, d.WebHost, d.CertSHA256 = 0, "", ""

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
