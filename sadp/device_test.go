package sadp

import (
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestAnswer(t *testing.T) {
	mac, _ := net.ParseMAC("02:00:5e:10:00:01")
	local := netip.MustParsePrefix("198.51.100.10/24")
	at := link{
		mac: mac, local: local, gateway: netip.MustParseAddr("198.51.100.1"),
		ipv6: netip.MustParsePrefix("2001:db8::10/64"), gateway6: netip.MustParseAddr("fe80::1"),
	}
	boot := time.Date(2026, 12, 7, 6, 5, 4, 0, time.FixedZone("CET", 3600))
	d := Description{
		Serial: "NVRDEMO0000001", Model: "NVR-DEMO", SoftwareVersion: "v1",
		Activated: true, GUID: true, Email: true, Locked: true, HTTPPort: 443, BootTime: boot,
	}
	m := answer(Probe{UUID: "U", Types: "inquiry"}, d, at)
	want := ProbeMatch{
		UUID: "U", Types: "inquiry", DeviceType: "0", DeviceDescription: "NVR-DEMO", DeviceSN: "NVRDEMO0000001",
		CommandPort: 0, HTTPPort: 443, MAC: "02-00-5e-10-00-01",
		IPv4Address: "198.51.100.10", IPv4SubnetMask: "255.255.255.0", IPv4Gateway: "198.51.100.1",
		IPv6Address: "2001:db8::10", IPv6Gateway: "fe80::1", IPv6MaskLen: 64, DHCP: FlagFalse,
		SoftwareVersion: "v1", DSPVersion: "N/A", BootTime: "2026-12-07 06:05:04", // the device's wall clock
		Encrypt: FlagFalse, ResetAbility: FlagFalse, Activated: FlagTrue,
		PasswordResetAbility: FlagFalse, PasswordResetModeSecond: FlagFalse,
		SupportSecurityQuestion: FlagFalse, SupportGUID: FlagTrue,
		SupportHCPlatform: FlagFalse, HCPlatformEnable: FlagFalse, IsModifyVerificationCode: FlagFalse,
		DeviceLock: FlagTrue, SupportMailBox: FlagTrue,
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
		w := answer(Probe{UUID: "U", Types: "inquiry"}, d, at).WebDoor
		switch {
		case tc.wantURL == "" && w != nil:
			t.Errorf("port %d host %q fp %q: an extension %+v, want none", tc.port, tc.host, tc.fp, *w)
		case tc.wantURL != "" && (w == nil || w.URL != tc.wantURL || w.CertSHA256 != fp):
			t.Errorf("port %d host %q: extension %+v, want %s", tc.port, tc.host, w, tc.wantURL)
		}
	}
	d.HTTPPort, d.WebHost, d.CertSHA256 = 0, "", ""

	// No MAC, no address, no gateways, no IPv6, no boot time: each
	// element says "none" the vendor's way, in the answer's bytes.
	m = answer(Probe{UUID: "U", Types: "inquiry"}, Description{}, link{})
	for _, want := range []string{
		"<MAC>00-00-00-00-00-00</MAC>", "<IPv4Address>0.0.0.0</IPv4Address>", "<IPv4SubnetMask>0.0.0.0</IPv4SubnetMask>",
		"<IPv4Gateway>0.0.0.0</IPv4Gateway>", "<IPv6Address>::</IPv6Address>", "<IPv6Gateway>::</IPv6Gateway>",
		"<IPv6MaskLen>0</IPv6MaskLen>", "<HttpPort>0</HttpPort>", "<BootTime>1970-01-01 00:00:00</BootTime>",
	} {
		if !strings.Contains(string(m.Marshal()), want) {
			t.Errorf("answer with nothing known lacks %s:\n%s", want, m.Marshal())
		}
	}

	// A command: denied, and nothing of the device.
	m = answer(Probe{UUID: "U", Types: "activate"}, d, at)
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
