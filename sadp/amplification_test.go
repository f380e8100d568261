package sadp

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"
)

// The figures docs/sadp.md gives for what the responder sends per byte it
// receives ("Who gets an answer", "Refused messages"), measured on the
// real messages: the doc must quote each figure as this test words it.
//
// The smallest probe the parser accepts is its three required elements
// and nothing else (no XML declaration, a Uuid of one character). The
// largest answer to it has every field at the longest its source allows:
// the model's 48 characters and the serial's 32 (config's device.model
// and device.serial), the longest dotted IPv4 address, mask and gateway,
// the longest IPv6 address and gateway with a prefix of 128, port 65535,
// every flag "false", and an extension element whose URL names the
// longest IPv6 address (a door listening on one IPv6 address). The
// version is the build's (git describe): reckoned at 24 characters, as in
// v1.2.3-45-gabcdef1-dirty; each character more is a byte more. BootTime
// always has 19.
func TestAmplification(t *testing.T) {
	const version = "v1.2.3-45-gabcdef1-dirty"
	smallest := []byte("<Probe><Uuid>A</Uuid><Types>inquiry</Types></Probe>")
	smallestCommand := []byte("<Probe><Uuid>A</Uuid><Types>x</Types></Probe>")
	for _, b := range [][]byte{smallest, smallestCommand} {
		if _, err := ParseProbe(b); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
	}
	mac, _ := net.ParseMAC("02:00:5e:10:00:01")
	// No documentation range has three digits in every part: the
	// longest dotted addresses are public ones.
	const longestIPv6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
	at := link{
		mac:      mac,
		local:    netip.MustParsePrefix("198.151.200.210/31"), // mask 255.255.255.254
		gateway:  netip.MustParseAddr("198.151.200.211"),
		ipv6:     netip.MustParsePrefix(longestIPv6 + "/128"),
		gateway6: netip.MustParseAddr(longestIPv6),
	}
	worst := Description{
		Serial: strings.Repeat("S", 32), Model: strings.Repeat("M", 48), SoftwareVersion: version,
		HTTPPort: 65535, WebHost: longestIPv6, CertSHA256: strings.Repeat("ab", 32),
		BootTime: time.Date(2026, 12, 7, 10, 11, 12, 0, time.UTC),
	}
	inquiry, _ := ParseProbe(smallest)
	largest := answer(inquiry, worst, at).Marshal()
	// The largest answer of all echoes the longest Uuid and Types an
	// inquiry can have.
	largestOfAll := answer(Probe{UUID: strings.Repeat("A", 64), Types: TypeInquiryV32}, worst, at).Marshal()
	command, _ := ParseProbe(smallestCommand)
	denied := answer(command, worst, at).Marshal()
	command.UUID = "8A3F1C2E-5B6D-4E7F-8091-A2B3C4D5E6F7"
	denied36 := answer(command, worst, at).Marshal()
	for _, want := range []string{"<IPv4SubnetMask>255.255.255.254<", "[ffff:", "<IPv6Address>ffff:", "<IPv6Gateway>ffff:", "<IPv6MaskLen>128<"} {
		if !strings.Contains(string(largest), want) {
			t.Fatalf("not the worst case, no %s: %s", want, largest)
		}
	}

	// The documented example: a 36-character Uuid, the example answer.
	uuid36 := command.UUID
	probe := Probe{UUID: uuid36, Types: TypeInquiry}.Marshal()
	example := Description{
		Serial: "NVRDEMO0000001", Model: "NVR-DEMO", SoftwareVersion: "v1.2.0", Activated: true, GUID: true, Email: true,
		BootTime: time.Date(2026, 12, 7, 8, 30, 5, 0, time.UTC),
	}
	exampleAt := link{
		mac: mac, local: netip.MustParsePrefix("198.51.100.10/24"), gateway: netip.MustParseAddr("198.51.100.1"),
		ipv6: netip.MustParsePrefix("fe80::5eff:fe10:1/64"),
	}
	plain := answer(Probe{UUID: uuid36, Types: TypeInquiry}, example, exampleAt).Marshal()
	example.HTTPPort, example.CertSHA256 = 8443, strings.Repeat("ab", 32)
	extended := answer(Probe{UUID: uuid36, Types: TypeInquiry}, example, exampleAt).Marshal()

	lim := DefaultLimits
	ratio := func(out, in int) string { return fmt.Sprintf("%.1f", float64(out)/float64(in)) }
	const ipUDP = 28 // an IPv4 header without options, and UDP's
	figures := []string{
		fmt.Sprintf("An inquiry of %d bytes gets %d (%d with the extension element)", len(probe), len(plain), len(extended)),
		fmt.Sprintf("the smallest inquiry the parser accepts, %d bytes", len(smallest)),
		fmt.Sprintf("gets at most %d bytes", len(largest)),
		fmt.Sprintf("the largest answer of all, %d bytes, to an inquiry with a 64-character `Uuid` and `inquiry_v32`", len(largestOfAll)),
		string(plain), // the example answer, as the doc shows it
		fmt.Sprintf("%s times what came in (%s counting the %d bytes of IPv4 and UDP headers each way)", ratio(len(largest), len(smallest)), ratio(len(largest)+ipUDP, len(smallest)+ipUDP), ipUDP),
		fmt.Sprintf("at most %d answers a second (a burst of %d, then %d a second), %.1f KB/s", int(lim.PerSecond), lim.Burst, int(lim.PerSecond), lim.PerSecond*float64(len(largest))/1000),
		fmt.Sprintf("one source address gets at most %d answers at once (%.1f KB) and then %d a second", lim.SourceBurst, float64(lim.SourceBurst*len(largest))/1000, int(lim.SourcePerSecond)),
		fmt.Sprintf("The answer is %d bytes for the smallest command (%d bytes", len(denied), len(smallestCommand)),
		fmt.Sprintf("%s times", ratio(len(denied), len(smallestCommand))),
		fmt.Sprintf("(%d bytes for a 36-character `Uuid`)", len(denied36)),
	}
	doc, err := os.ReadFile("../docs/sadp.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ") // the doc's lines are wrapped
	for _, f := range figures {
		if !strings.Contains(text, f) {
			t.Errorf("docs/sadp.md does not say %q", f)
		}
	}
}
