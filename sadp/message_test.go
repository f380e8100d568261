package sadp

import (
	"encoding/xml"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const probeText = `<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>8A3F1C2E-5B6D-4E7F-8091-A2B3C4D5E6F7</Uuid><Types>inquiry</Types></Probe>`

// pythonProbe is what Python's xml.etree.ElementTree writes for a probe
// with tostring(root, xml_declaration=True): single quotes, us-ascii, a
// newline after the declaration.
const pythonProbe = "<?xml version='1.0' encoding='us-ascii'?>\n<Probe><Uuid>8A3F1C2E-5B6D-4E7F-8091-A2B3C4D5E6F7</Uuid><Types>inquiry</Types></Probe>"

// goProbe is what Go's encoding/xml writes for a probe, after xml.Header
// (double quotes, "UTF-8", a newline), as Go clients send it.
func goProbe(uuid, types string) string {
	b, err := xml.Marshal(struct {
		XMLName xml.Name `xml:"Probe"`
		Uuid    string
		Types   string
	}{Uuid: uuid, Types: types})
	if err != nil {
		panic(err)
	}
	return xml.Header + string(b)
}

// declared is a probe for Uuid u after the declaration decl.
func declared(decl string) string {
	return decl + "<Probe><Uuid>u</Uuid><Types>inquiry</Types></Probe>"
}

func TestParseProbe(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Probe
		err  error
	}{
		{"inquiry", probeText, Probe{"8A3F1C2E-5B6D-4E7F-8091-A2B3C4D5E6F7", "inquiry"}, nil},
		{"inquiry_v32, no declaration", `<Probe><Uuid>abc</Uuid><Types>inquiry_v32</Types></Probe>`, Probe{"abc", "inquiry_v32"}, nil},
		{"pretty-printed, with a comment", "<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<Probe>\n  <Uuid> u-1 </Uuid>\n  <Types>inquiry</Types>\n</Probe>\n", Probe{"u-1", "inquiry"}, nil},
		{"a command with more fields", `<Probe><Uuid>u</Uuid><Types>exchangecode</Types><MAC>00-11-22-33-44-55</MAC><Code>AAAA</Code></Probe>`, Probe{"u", "exchangecode"}, nil},
		{"UTF-8 declared in capitals", `<?xml version="1.0" encoding="UTF-8"?><Probe><Uuid>u</Uuid><Types>inquiry</Types></Probe>`, Probe{"u", "inquiry"}, nil},

		// Every declaration an XML writer produces.
		{"Go encoding/xml after xml.Header", goProbe("g-1", "inquiry"), Probe{"g-1", "inquiry"}, nil},
		{"Python ElementTree", pythonProbe, Probe{"8A3F1C2E-5B6D-4E7F-8091-A2B3C4D5E6F7", "inquiry"}, nil},
		{"single quotes, a newline, a MAC field", "<?xml version='1.0' encoding='utf-8'?>\n<Probe><Uuid>u</Uuid><MAC>ff-ff-ff-ff-ff-ff</MAC><Types>inquiry</Types></Probe>", Probe{"u", "inquiry"}, nil},
		{"CRLF throughout", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Probe>\r\n<Uuid>u</Uuid>\r\n<Types>inquiry</Types>\r\n</Probe>\r\n", Probe{"u", "inquiry"}, nil},
		{"a byte order mark", declared("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>"), Probe{"u", "inquiry"}, nil},
		{"a byte order mark, no declaration", "\xef\xbb\xbf<Probe><Uuid>u</Uuid><Types>inquiry</Types></Probe>", Probe{"u", "inquiry"}, nil},
		{"a byte order mark and a newline before", declared("\xef\xbb\xbf\r\n<?xml version='1.0'?>\n\n"), Probe{"u", "inquiry"}, nil},
		{"spaces around =, standalone", declared(`<?xml version = "1.0"  encoding= 'UTF-8' standalone="yes" ?>`), Probe{"u", "inquiry"}, nil},
		{"version 1.1", declared(`<?xml version="1.1" encoding="utf-8"?>`), Probe{"u", "inquiry"}, nil},
		{"no version", declared(`<?xml encoding="utf-8"?>`), Probe{"u", "inquiry"}, nil},
		{"us-ascii", declared(`<?xml version="1.0" encoding="us-ascii"?>`), Probe{"u", "inquiry"}, nil},
		{"US-ASCII", declared(`<?xml version="1.0" encoding="US-ASCII"?>`), Probe{"u", "inquiry"}, nil},
		{"ascii", declared(`<?xml version="1.0" encoding="ascii"?>`), Probe{"u", "inquiry"}, nil},
		{"utf8", declared(`<?xml version="1.0" encoding="utf8"?>`), Probe{"u", "inquiry"}, nil},
		{"Utf-8", declared(`<?xml version="1.0" encoding="Utf-8"?>`), Probe{"u", "inquiry"}, nil},
		{"ISO-8859-1", declared(`<?xml version="1.0" encoding="ISO-8859-1"?>`), Probe{"u", "inquiry"}, nil},
		{"iso-8859-15", declared(`<?xml version="1.0" encoding="iso-8859-15"?>`), Probe{"u", "inquiry"}, nil},
		{"latin1", declared(`<?xml version="1.0" encoding="latin1"?>`), Probe{"u", "inquiry"}, nil},
		{"windows-1252", declared(`<?xml version="1.0" encoding="windows-1252"?>`), Probe{"u", "inquiry"}, nil},
		{"Windows-1252", declared(`<?xml version="1.0" encoding="Windows-1252"?>`), Probe{"u", "inquiry"}, nil},
		{"cp1252", declared(`<?xml version="1.0" encoding="cp1252"?>`), Probe{"u", "inquiry"}, nil},
		{"GB2312", declared(`<?xml version="1.0" encoding="GB2312"?>`), Probe{"u", "inquiry"}, nil},
		{"Shift_JIS", declared(`<?xml version="1.0" encoding="Shift_JIS"?>`), Probe{"u", "inquiry"}, nil},
		{"UTF-8 text in another field", "<?xml version='1.0' encoding='UTF-8'?><Probe><Uuid>u</Uuid><Types>inquiry</Types><Name>caf\xc3\xa9</Name></Probe>", Probe{"u", "inquiry"}, nil},

		// What no declaration makes acceptable.
		{"non-ASCII under us-ascii", "<?xml version='1.0' encoding='us-ascii'?>\n<Probe><Uuid>u</Uuid><Types>inquiry</Types><Name>caf\xc3\xa9</Name></Probe>", Probe{}, ErrMalformed},
		{"a Latin-1 byte under ISO-8859-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Probe><Uuid>u</Uuid><Types>inquiry</Types><Name>caf\xe9</Name></Probe>", Probe{}, ErrMalformed},
		{"non-ASCII under windows-1252, in the Uuid", "<?xml version='1.0' encoding='windows-1252'?><Probe><Uuid>\x80</Uuid><Types>inquiry</Types></Probe>", Probe{}, ErrMalformed},
		{"UTF-16 declared", declared(`<?xml version="1.0" encoding="UTF-16"?>`), Probe{}, ErrMalformed},
		{"UTF-7 declared", declared(`<?xml version="1.0" encoding="UTF-7"?>`), Probe{}, ErrMalformed},
		{"EBCDIC declared", declared(`<?xml version="1.0" encoding="cp037"?>`), Probe{}, ErrMalformed},
		{"an unknown encoding", declared(`<?xml version="1.0" encoding="klingon"?>`), Probe{}, ErrMalformed},
		{"an encoding that is no name", declared(`<?xml version="1.0" encoding="utf 8"?>`), Probe{}, ErrMalformed},
		{"version 2.0", declared(`<?xml version="2.0"?>`), Probe{}, ErrMalformed},
		{"version 1.", declared(`<?xml version="1."?>`), Probe{}, ErrMalformed},
		{"an unknown pseudo-attribute", declared(`<?xml version="1.0" charset="utf-8"?>`), Probe{}, ErrMalformed},
		{"encoding twice", declared(`<?xml version="1.0" encoding="utf-8" encoding="us-ascii"?>`), Probe{}, ErrMalformed},
		{"unquoted", declared(`<?xml version=1.0?>`), Probe{}, ErrMalformed},
		{"mismatched quotes", declared(`<?xml version="1.0'?>`), Probe{}, ErrMalformed},
		{"no space between", declared(`<?xml version="1.0"encoding="utf-8"?>`), Probe{}, ErrMalformed},
		{"standalone maybe", declared(`<?xml version="1.0" standalone="maybe"?>`), Probe{}, ErrMalformed},
		{"an unclosed declaration", `<?xml version="1.0" encoding="utf-8"<Probe><Uuid>u</Uuid><Types>inquiry</Types></Probe>`, Probe{}, ErrMalformed},
		{"the declaration twice", declared(`<?xml version="1.0"?><?xml version="1.0"?>`), Probe{}, ErrMalformed},
		{"the declaration after a comment", declared(`<!-- c --><?xml version="1.0"?>`), Probe{}, ErrMalformed},
		{"an upper-case declaration", declared(`<?XML version="1.0"?>`), Probe{}, ErrMalformed},
		{"xml-stylesheet", declared(`<?xml-stylesheet href="x"?>`), Probe{}, ErrMalformed},
		{"a byte order mark after a newline", declared("\n\xef\xbb\xbf<?xml version='1.0'?>"), Probe{}, ErrMalformed},
		{"a UTF-16 byte order mark", declared("\xff\xfe<?xml version='1.0'?>"), Probe{}, ErrMalformed},
		{"DTD after a Python declaration", "<?xml version='1.0' encoding='us-ascii'?>\n<!DOCTYPE Probe [<!ENTITY a 'aaaa'>]><Probe><Uuid>&a;</Uuid><Types>inquiry</Types></Probe>", Probe{}, ErrMalformed},
		{"an entity after a Python declaration", "<?xml version='1.0' encoding='us-ascii'?>\n<Probe><Uuid>&x;</Uuid><Types>inquiry</Types></Probe>", Probe{}, ErrMalformed},
		{"too deep after a Python declaration", "<?xml version='1.0' encoding='us-ascii'?>\n<Probe><Uuid>u</Uuid><Types>inquiry</Types><MAC><a/></MAC></Probe>", Probe{}, ErrMalformed},
		{"too many fields after a Python declaration", "<?xml version='1.0' encoding='us-ascii'?>\n<Probe><Uuid>u</Uuid><Types>inquiry</Types>" + manyFields(31) + "</Probe>", Probe{}, ErrMalformed},
		{"too large after a Python declaration", "<?xml version='1.0' encoding='us-ascii'?>\n<Probe><Uuid>u</Uuid><Types>inquiry</Types><Pad>" + strings.Repeat("x", MaxProbeSize) + "</Pad></Probe>", Probe{}, ErrTooLarge},

		{"too large", "<Probe><Uuid>u</Uuid><Types>inquiry</Types><Pad>" + strings.Repeat("x", MaxProbeSize) + "</Pad></Probe>", Probe{}, ErrTooLarge},
		{"DTD", `<?xml version="1.0"?><!DOCTYPE Probe [<!ENTITY a "aaaa">]><Probe><Uuid>&a;</Uuid><Types>inquiry</Types></Probe>`, Probe{}, ErrMalformed},
		{"external entity", `<!DOCTYPE Probe SYSTEM "file:///etc/passwd"><Probe><Uuid>u</Uuid><Types>inquiry</Types></Probe>`, Probe{}, ErrMalformed},
		{"undefined entity", `<Probe><Uuid>&x;</Uuid><Types>inquiry</Types></Probe>`, Probe{}, ErrMalformed},
		{"nested field", `<Probe><Uuid><a>u</a></Uuid><Types>inquiry</Types></Probe>`, Probe{}, ErrMalformed},
		{"too many fields", "<Probe><Uuid>u</Uuid><Types>inquiry</Types>" + manyFields(40) + "</Probe>", Probe{}, ErrMalformed},
		{"attribute", `<Probe version="2"><Uuid>u</Uuid><Types>inquiry</Types></Probe>`, Probe{}, ErrMalformed},
		{"namespace prefix", `<s:Probe><Uuid>u</Uuid><Types>inquiry</Types></s:Probe>`, Probe{}, ErrMalformed},
		{"Uuid twice", `<Probe><Uuid>u</Uuid><Uuid>v</Uuid><Types>inquiry</Types></Probe>`, Probe{}, ErrMalformed},
		{"mixed text", `<Probe>hi<Uuid>u</Uuid><Types>inquiry</Types></Probe>`, Probe{}, ErrMalformed},
		{"second root", `<Probe><Uuid>u</Uuid><Types>inquiry</Types></Probe><Probe/>`, Probe{}, ErrMalformed},
		{"text after the root", `<Probe><Uuid>u</Uuid><Types>inquiry</Types></Probe>junk`, Probe{}, ErrMalformed},
		{"unclosed", `<Probe><Uuid>u</Uuid><Types>inquiry</Types>`, Probe{}, ErrMalformed},
		{"mismatched end tag", `<Probe><Uuid>u</Types><Types>inquiry</Types></Probe>`, Probe{}, ErrMalformed},
		{"invalid UTF-8", "<Probe><Uuid>u\xff</Uuid><Types>inquiry</Types></Probe>", Probe{}, ErrMalformed},
		{"NUL byte", "<Probe><Uuid>u</Uuid><Types>inquiry</Types></Probe>\x00", Probe{}, ErrMalformed},
		{"processing instruction", `<?xml version="1.0"?><?php echo 1 ?><Probe><Uuid>u</Uuid><Types>inquiry</Types></Probe>`, Probe{}, ErrMalformed},
		{"empty", ``, Probe{}, ErrMalformed},
		{"not XML", "\x21\x02\x42\x01garbage", Probe{}, ErrMalformed},
		{"an answer, not a probe", `<ProbeMatch><Uuid>u</Uuid><Types>inquiry</Types></ProbeMatch>`, Probe{}, ErrUnexpected},
		{"no Types", `<Probe><Uuid>u</Uuid></Probe>`, Probe{}, ErrUnexpected},
		{"Uuid with markup characters", `<Probe><Uuid>a&lt;b</Uuid><Types>inquiry</Types></Probe>`, Probe{}, ErrMalformed},
		{"Uuid too long", "<Probe><Uuid>" + strings.Repeat("a", 65) + "</Uuid><Types>inquiry</Types></Probe>", Probe{}, ErrMalformed},
		{"Types with a space", `<Probe><Uuid>u</Uuid><Types>inq uiry</Types></Probe>`, Probe{}, ErrMalformed},
		{"empty Types", `<Probe><Uuid>u</Uuid><Types></Types></Probe>`, Probe{}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseProbe([]byte(tt.in))
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("ParseProbe: got error %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("ParseProbe: got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func manyFields(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("<F")
		b.WriteByte(byte('a' + i%26))
		b.WriteByte(byte('a' + i/26))
		b.WriteString("/>")
	}
	return b.String()
}

func TestProbeMarshalRoundTrip(t *testing.T) {
	p := Probe{UUID: newUUID(), Types: TypeInquiryV32}
	got, err := ParseProbe(p.Marshal())
	if err != nil || got != p {
		t.Fatalf("round trip: got %+v, %v; want %+v", got, err, p)
	}
	if !strings.HasPrefix(string(p.Marshal()), `<?xml version="1.0" encoding="UTF-8"?><Probe><Uuid>`) {
		t.Errorf("probe %s: want the declaration and <Probe><Uuid> first, as clients send it", p.Marshal())
	}
	if !p.IsInquiry() || (Probe{Types: "INQUIRY"}).IsInquiry() == false || (Probe{Types: "activate"}).IsInquiry() {
		t.Error("IsInquiry: want true for inquiry and inquiry_v32 in any case, false for a command")
	}
}

// ours is a full answer, as the responder sends it.
var ours = ProbeMatch{
	UUID: "8A3F1C2E-5B6D-4E7F-8091-A2B3C4D5E6F7", Types: "inquiry",
	DeviceType: DeviceTypeNVRMenu, DeviceDescription: "NVR-DEMO", DeviceSN: "NVRDEMO0000001",
	HTTPPort: 8443, MAC: "02-00-5e-10-00-01",
	IPv4Address: "192.0.2.10", IPv4SubnetMask: "255.255.255.0", IPv4Gateway: "192.0.2.1",
	IPv6Address: "fe80::5eff:fe10:1", IPv6MaskLen: 64, DHCP: FlagFalse,
	SoftwareVersion: "v1.2.3-4-gabcdef", DSPVersion: "N/A", BootTime: "2026-12-07 08:30:05",
	Encrypt: FlagFalse, ResetAbility: FlagFalse, Activated: FlagTrue,
	PasswordResetAbility: FlagFalse, PasswordResetModeSecond: FlagFalse,
	SupportSecurityQuestion: FlagFalse, SupportGUID: FlagTrue,
	SupportHCPlatform: FlagFalse, HCPlatformEnable: FlagFalse, IsModifyVerificationCode: FlagFalse,
	DeviceLock: FlagFalse, SupportMailBox: FlagTrue,
	WebDoor: &WebDoor{URL: "https://192.0.2.10:8443/", CertSHA256: strings.Repeat("ab", 32)},
}

func TestProbeMatchRoundTrip(t *testing.T) {
	for _, m := range []ProbeMatch{
		ours,
		{UUID: "u", Types: "inquiry", DeviceSN: "S"}, // what an unknown device may send
		{UUID: "u", Types: "activate", Result: ResultDenied},
		{UUID: "u<&>", Types: "inquiry", DeviceDescription: "Lobby & <Dock>"}, // escaped both ways
		{UUID: "u", Types: "inquiry", CommandPort: 8000, AnalogChannelNum: 4, DigitalChannelNum: 16, DiskNumber: 2, IPv6MaskLen: 128,
			IPv6Address: "2001:db8::1", IPv6Gateway: "fe80::1", DHCP: FlagTrue, HCPlatformEnable: FlagTrue},
	} {
		got, err := ParseProbeMatch(m.Marshal())
		if err != nil {
			t.Fatalf("parsing %s: %v", m.Marshal(), err)
		}
		if !reflect.DeepEqual(*got, m) {
			t.Errorf("round trip of %s:\ngot  %+v\nwant %+v", m.Marshal(), *got, m)
		}
	}
}

// TestProbeMatchNone: no gateway, no IPv6 address go on the wire as the
// unspecified address, which is how devices say "none", and read back as
// none; numbers outside their range, or not decimal, read as 0; the
// vendor's "flase" reads as false.
func TestProbeMatchNone(t *testing.T) {
	b := (&ProbeMatch{UUID: "u", Types: "inquiry"}).Marshal()
	for _, want := range []string{"<IPv4Gateway>0.0.0.0</IPv4Gateway>", "<IPv6Address>::</IPv6Address>", "<IPv6Gateway>::</IPv6Gateway>", "<CommandPort>0</CommandPort>"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
	const head = `<ProbeMatch><Uuid>u</Uuid><Types>inquiry</Types>`
	for _, tc := range []struct {
		in   string
		want ProbeMatch
	}{
		{head + `<IPv4Gateway> 0.0.0.0 </IPv4Gateway><IPv6Address>::</IPv6Address><IPv6Gateway>::</IPv6Gateway></ProbeMatch>`, ProbeMatch{UUID: "u", Types: "inquiry"}},
		{head + `<HttpPort>65536</HttpPort><CommandPort>-1</CommandPort><IPv6MaskLen>129</IPv6MaskLen><DiskNumber>+2</DiskNumber><AnalogChannelNum>0x4</AnalogChannelNum></ProbeMatch>`, ProbeMatch{UUID: "u", Types: "inquiry"}},
		{head + `<HttpPort>080</HttpPort><IPv6MaskLen>128</IPv6MaskLen><DigitalChannelNum>65535</DigitalChannelNum></ProbeMatch>`, ProbeMatch{UUID: "u", Types: "inquiry", HTTPPort: 80, IPv6MaskLen: 128, DigitalChannelNum: 65535}},
		{head + `<HCPlatformEnable>flase</HCPlatformEnable><DHCP>TRUE</DHCP><Encrypt>yes</Encrypt></ProbeMatch>`, ProbeMatch{UUID: "u", Types: "inquiry", HCPlatformEnable: FlagFalse, DHCP: FlagTrue}},
	} {
		m, err := ParseProbeMatch([]byte(tc.in))
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if !reflect.DeepEqual(*m, tc.want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tc.in, *m, tc.want)
		}
	}
}

func TestDeniedCarriesNothingButTheEcho(t *testing.T) {
	m := ProbeMatch{UUID: "u", Types: "exchangecode", Result: ResultDenied, DeviceSN: "S", MAC: "m"}
	if got, want := string(m.Marshal()), `<?xml version="1.0" encoding="UTF-8"?><ProbeMatch><Uuid>u</Uuid><Types>exchangecode</Types><Result>denied</Result></ProbeMatch>`; got != want {
		t.Errorf("denied answer:\ngot  %s\nwant %s", got, want)
	}
}

// genericClient is how the open-source SADP clients decode an answer: an
// encoding/xml struct with the field names of FIELD-NOTES, the ports as
// integers, the flags as text, everything else ignored.
type genericClient struct {
	XMLName                 xml.Name `xml:"ProbeMatch"`
	Uuid                    string   `xml:"Uuid"`
	Types                   string   `xml:"Types"`
	DeviceType              string   `xml:"DeviceType"`
	DeviceDescription       string   `xml:"DeviceDescription"`
	DeviceSN                string   `xml:"DeviceSN"`
	MAC                     string   `xml:"MAC"`
	IPv4Address             string   `xml:"IPv4Address"`
	IPv4SubnetMask          string   `xml:"IPv4SubnetMask"`
	IPv4Gateway             string   `xml:"IPv4Gateway"`
	IPv6Address             string   `xml:"IPv6Address"`
	IPv6Gateway             string   `xml:"IPv6Gateway"`
	IPv6MaskLen             int      `xml:"IPv6MaskLen"`
	DHCP                    string   `xml:"DHCP"`
	CommandPort             int      `xml:"CommandPort"`
	HttpPort                int      `xml:"HttpPort"`
	SoftwareVersion         string   `xml:"SoftwareVersion"`
	DSPVersion              string   `xml:"DSPVersion"`
	BootTime                string   `xml:"BootTime"`
	Activated               string   `xml:"Activated"`
	PasswordResetAbility    string   `xml:"PasswordResetAbility"`
	SupportGUID             string   `xml:"SupportGUID"`
	SupportSecurityQuestion string   `xml:"SupportSecurityQuestion"`
	SupportMailBox          string   `xml:"SupportMailBox"`
	DeviceLock              string   `xml:"DeviceLock"`
	OEMInfo                 string   `xml:"OEMInfo"`
}

// TestAnswerDecodedByAGenericClient: a client that knows nothing of us
// reads our answer with the field names it has always read, the extension
// element ignored.
func TestAnswerDecodedByAGenericClient(t *testing.T) {
	var c genericClient
	if err := xml.Unmarshal(ours.Marshal(), &c); err != nil {
		t.Fatalf("a generic client cannot decode our answer: %v\n%s", err, ours.Marshal())
	}
	want := genericClient{
		XMLName: xml.Name{Local: "ProbeMatch"}, Uuid: ours.UUID, Types: "inquiry",
		DeviceType: "0", DeviceDescription: "NVR-DEMO", DeviceSN: "NVRDEMO0000001",
		MAC: "02-00-5e-10-00-01", IPv4Address: "192.0.2.10", IPv4SubnetMask: "255.255.255.0", IPv4Gateway: "192.0.2.1",
		IPv6Address: "fe80::5eff:fe10:1", IPv6Gateway: "::", IPv6MaskLen: 64, DHCP: "false",
		CommandPort: 0, HttpPort: 8443, SoftwareVersion: "v1.2.3-4-gabcdef", DSPVersion: "N/A", BootTime: "2026-12-07 08:30:05",
		Activated: "true", PasswordResetAbility: "false",
		SupportGUID: "true", SupportSecurityQuestion: "false", SupportMailBox: "true", DeviceLock: "false",
	}
	if c != want {
		t.Errorf("generic client read:\ngot  %+v\nwant %+v", c, want)
	}
	// A client that splits the MAC on dashes, as they do.
	if parts := strings.Split(c.MAC, "-"); len(parts) != 6 {
		t.Errorf("MAC %q: want six dash-separated bytes", c.MAC)
	}
}

// vendorAnswer is the shape of a real recorder's answer (the fields of a
// published capture, with documentation addresses and made-up values).
const vendorAnswer = `<?xml version="1.0" encoding="UTF-8" ?>
<ProbeMatch>
<Uuid>D0C1B2A3-0000-4000-8000-000000000001</Uuid>
<Types>inquiry</Types>
<Encrypt>true</Encrypt>
<Salt>00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff</Salt>
<DeviceType>44322</DeviceType>
<DeviceDescription>XX-7804-DEMO</DeviceDescription>
<DeviceSN>XX-7804-DEMO0420190822CCCH000000000WCVU</DeviceSN>
<CommandPort>8000</CommandPort>
<HttpPort>80</HttpPort>
<MAC>02-00-5e-00-53-01</MAC>
<IPv4Address>198.51.100.64</IPv4Address>
<IPv4SubnetMask>255.255.255.0</IPv4SubnetMask>
<IPv4Gateway>198.51.100.1</IPv4Gateway>
<IPv6Address>fe80::1</IPv6Address>
<IPv6Gateway>::</IPv6Gateway>
<IPv6MaskLen>64</IPv6MaskLen>
<DHCP>false</DHCP>
<AnalogChannelNum>4</AnalogChannelNum>
<DigitalChannelNum>5</DigitalChannelNum>
<SoftwareVersion>V3.5.38build 191215</SoftwareVersion>
<DSPVersion>V5.0, build 191213</DSPVersion>
<BootTime>2021-05-19 14:31:12</BootTime>
<OEMInfo>N/A</OEMInfo>
<Activated>true</Activated>
<PasswordResetAbility>true</PasswordResetAbility>
<DeviceLock>true</DeviceLock>
<SupportGUID>true</SupportGUID>
<SupportSecurityQuestion>true</SupportSecurityQuestion>
</ProbeMatch>
` + "\x00\x00"

func TestParseAnotherVendorsAnswer(t *testing.T) {
	m, err := ParseProbeMatch([]byte(vendorAnswer))
	if err != nil {
		t.Fatal(err)
	}
	want := ProbeMatch{
		UUID: "D0C1B2A3-0000-4000-8000-000000000001", Types: "inquiry",
		DeviceType: "44322", DeviceDescription: "XX-7804-DEMO", DeviceSN: "XX-7804-DEMO0420190822CCCH000000000WCVU",
		CommandPort: 8000, HTTPPort: 80, MAC: "02-00-5e-00-53-01",
		IPv4Address: "198.51.100.64", IPv4SubnetMask: "255.255.255.0", IPv4Gateway: "198.51.100.1",
		IPv6Address: "fe80::1", IPv6Gateway: "", IPv6MaskLen: 64, DHCP: FlagFalse, // "::" is none
		AnalogChannelNum: 4, DigitalChannelNum: 5,
		SoftwareVersion: "V3.5.38build 191215", DSPVersion: "V5.0, build 191213", BootTime: "2021-05-19 14:31:12",
		Encrypt: FlagTrue, Activated: FlagTrue, PasswordResetAbility: FlagTrue,
		SupportGUID: FlagTrue, SupportSecurityQuestion: FlagTrue, SupportMailBox: FlagUnknown, DeviceLock: FlagTrue,
	}
	if !reflect.DeepEqual(*m, want) {
		t.Errorf("got  %+v\nwant %+v", *m, want)
	}
	// The same answer as Python's ElementTree would declare it.
	python := strings.Replace(vendorAnswer, `<?xml version="1.0" encoding="UTF-8" ?>`, "<?xml version='1.0' encoding='us-ascii'?>", 1)
	if m, err := ParseProbeMatch([]byte(python)); err != nil || !reflect.DeepEqual(*m, want) {
		t.Errorf("declared us-ascii with single quotes: got %+v, %v", m, err)
	}
}

func TestParseProbeMatchRefusesHostileAnswers(t *testing.T) {
	const head = `<ProbeMatch><Uuid>u</Uuid><Types>inquiry</Types>`
	nested := head + strings.Repeat("<a>", 10) + strings.Repeat("</a>", 10) + "</ProbeMatch>"
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><ProbeMatch><Uuid>&lol2;</Uuid></ProbeMatch>`
	for name, in := range map[string]string{
		"billion laughs":      laughs,
		"too deep":            nested,
		"too many elements":   head + manyFields(300) + "</ProbeMatch>",
		"field too long":      head + "<DeviceSN>" + strings.Repeat("A", 2000) + "</DeviceSN></ProbeMatch>",
		"serial twice":        head + "<DeviceSN>A</DeviceSN><DeviceSN>B</DeviceSN></ProbeMatch>",
		"too large":           head + "<X>" + strings.Repeat("A", MaxAnswerSize) + "</X></ProbeMatch>",
		"a probe, not answer": `<Probe><Uuid>u</Uuid><Types>inquiry</Types></Probe>`,
	} {
		if m, err := ParseProbeMatch([]byte(in)); err == nil {
			t.Errorf("%s: parsed as %+v, want an error", name, m)
		}
	}
}

func TestWebDoorValid(t *testing.T) {
	fp := strings.Repeat("0f", 32)
	for _, tc := range []struct {
		w    WebDoor
		want bool
	}{
		{WebDoor{"https://192.0.2.10:8443/", fp}, true},
		{WebDoor{"https://nvr.example/", fp}, true},
		{WebDoor{"http://192.0.2.10/", fp}, false},
		{WebDoor{"https://user:pw@192.0.2.10/", fp}, false},
		{WebDoor{"https:///nohost", fp}, false},
		{WebDoor{"https://192.0.2.10/", fp[:62]}, false},
		{WebDoor{"https://192.0.2.10/", strings.ToUpper(fp)}, false},
		{WebDoor{"https://192.0.2.10/", strings.Repeat("zz", 32)}, false},
		{WebDoor{"https://192.0.2.10/" + strings.Repeat("a", 256), fp}, false},
		{WebDoor{"", ""}, false},
	} {
		if got := tc.w.Valid(); got != tc.want {
			t.Errorf("%+v.Valid() = %v, want %v", tc.w, got, tc.want)
		}
	}
	// An invalid extension is dropped, the rest of the answer kept.
	bad := ours
	bad.WebDoor = &WebDoor{URL: "javascript:alert(1)", CertSHA256: fp}
	m, err := ParseProbeMatch(bad.Marshal())
	if err != nil || m.WebDoor != nil || m.DeviceSN != ours.DeviceSN {
		t.Errorf("answer with a bad extension: got %+v, %v; want it without the extension", m, err)
	}
}
