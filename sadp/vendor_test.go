package sadp

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// kind is the type a strict client decodes an element into.
type kind int

const (
	kText     kind = iota // any text, empty included
	kUnsigned             // an kUnsigned decimal number (u32)
	kBoolean              // exactly true or false
	kIPv4                 // a dotted IPv4 address
	kIPv6                 // an IPv6 address, :: included
	kMAC                  // six two-digit hex bytes, dash-separated
	kBootTime             // YYYY-MM-DD HH:MM:SS
)

func (k kind) String() string {
	return [...]string{"text", "an unsigned number", "true or false", "an IPv4 address", "an IPv6 address", "a dashed MAC", "a boot time"}[k]
}

// vendorFields are the elements of a vendor's inquiry answer, with the
// type the strictest published clients decode each into (FIELD-NOTES,
// "SADP"): a structure that requires every one of them, numbers as
// kUnsigned integers, booleans as true/false, and drops the whole answer
// when one is missing or spelled otherwise. The addresses, the MAC and
// BootTime are held to the vendor's formats too, and the elements our
// answers carried before (DeviceLock, the Support* flags) are required as
// well: a client that reads them must keep finding them.
var vendorFields = []struct {
	name string
	kind kind
}{
	{"Uuid", kText}, {"Types", kText},
	{"DeviceType", kUnsigned}, {"DeviceDescription", kText}, {"DeviceSN", kText},
	{"CommandPort", kUnsigned}, {"HttpPort", kUnsigned}, {"MAC", kMAC},
	{"IPv4Address", kIPv4}, {"IPv4SubnetMask", kIPv4}, {"IPv4Gateway", kIPv4},
	{"IPv6Address", kIPv6}, {"IPv6Gateway", kIPv6}, {"IPv6MaskLen", kUnsigned},
	{"DHCP", kBoolean}, {"AnalogChannelNum", kUnsigned}, {"DigitalChannelNum", kUnsigned},
	{"SoftwareVersion", kText}, {"DSPVersion", kText}, {"BootTime", kBootTime},
	{"Encrypt", kBoolean}, {"ResetAbility", kBoolean}, {"DiskNumber", kUnsigned},
	{"Activated", kBoolean}, {"PasswordResetAbility", kBoolean}, {"PasswordResetModeSecond", kBoolean},
	{"SupportHCPlatform", kBoolean}, {"HCPlatformEnable", kBoolean}, {"IsModifyVerificationCode", kBoolean},
	{"SupportSecurityQuestion", kBoolean}, {"SupportGUID", kBoolean}, {"SupportMailBox", kBoolean},
	{"DeviceLock", kBoolean},
}

var dashedMAC = regexp.MustCompile(`^[0-9a-fA-F]{2}(-[0-9a-fA-F]{2}){5}$`)

// decodeStrict decodes an answer as the strictest clients do: the root
// <ProbeMatch>, each field once, every vendor field present and of its
// type. It returns the fields' text, or every problem found.
func decodeStrict(b []byte) (map[string]string, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	fields := make(map[string]string)
	var (
		path []string
		errs []error
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			if len(path) == 1 && t.Name.Local != "ProbeMatch" {
				return nil, fmt.Errorf("root <%s>, not <ProbeMatch>", t.Name.Local)
			}
			if len(path) == 2 {
				if _, dup := fields[t.Name.Local]; dup {
					errs = append(errs, fmt.Errorf("<%s> twice", t.Name.Local))
				}
				fields[t.Name.Local] = ""
			}
		case xml.EndElement:
			path = path[:len(path)-1]
		case xml.CharData:
			if len(path) == 2 {
				fields[path[1]] += string(t)
			}
		}
	}
	for _, f := range vendorFields {
		v, ok := fields[f.name]
		if !ok {
			errs = append(errs, fmt.Errorf("no <%s>", f.name))
			continue
		}
		var bad bool
		switch f.kind {
		case kUnsigned:
			_, err := strconv.ParseUint(v, 10, 32)
			bad = err != nil || !isDigits(v, 10)
		case kBoolean:
			bad = v != "true" && v != "false"
		case kIPv4:
			a, err := netip.ParseAddr(v)
			bad = err != nil || !a.Is4()
		case kIPv6:
			a, err := netip.ParseAddr(v)
			bad = err != nil || !a.Is6() || a.Zone() != ""
		case kMAC:
			bad = !dashedMAC.MatchString(v)
		case kBootTime:
			_, err := time.Parse("2006-01-02 15:04:05", v)
			bad = err != nil
		}
		if bad {
			errs = append(errs, fmt.Errorf("<%s>%s</%s> is not %s", f.name, v, f.name, f.kind))
		}
	}
	return fields, errors.Join(errs...)
}

// TestAnswerIsAVendorInquiryAnswer: whatever the recorder knows or not,
// its answer to an inquiry decodes as a vendor's inquiry answer.
func TestAnswerIsAVendorInquiryAnswer(t *testing.T) {
	mac, _ := net.ParseMAC("02:00:5e:10:00:01")
	full := link{
		mac: mac, local: netip.MustParsePrefix("198.51.100.10/24"), gateway: netip.MustParseAddr("198.51.100.1"),
		ipv6: netip.MustParsePrefix("2001:db8::10/64"), gateway6: netip.MustParseAddr("fe80::1"),
	}
	onlyIPv4 := link{mac: mac, local: netip.MustParsePrefix("192.0.2.7/31")}
	fp := strings.Repeat("ab", 32)
	boot := time.Date(2026, 12, 7, 23, 59, 59, 0, time.Local)
	for _, tc := range []struct {
		name string
		p    Probe
		d    Description
		at   link
	}{
		{"everything known", Probe{UUID: "8A3F1C2E-5B6D-4E7F-8091-A2B3C4D5E6F7", Types: TypeInquiry},
			Description{Serial: "NVRDEMO0000001", Model: "NVR-DEMO", SoftwareVersion: "v1.2.0", Activated: true, GUID: true, Questions: true, Email: true, Locked: true, HTTPPort: 8443, CertSHA256: fp, BootTime: boot}, full},
		{"a new recorder, IPv4 only, no door", Probe{UUID: "u", Types: "INQUIRY_V32"},
			Description{Serial: "S", Model: "M", SoftwareVersion: "dev"}, onlyIPv4},
		{"nothing known", Probe{UUID: "u", Types: TypeInquiry}, Description{}, link{}},
		{"the longest fields", Probe{UUID: strings.Repeat("F", 64), Types: "INQUIRY_V32"},
			Description{Serial: strings.Repeat("S", 32), Model: strings.Repeat("M", 48), SoftwareVersion: "v1.2.3-45-gabcdef1-dirty",
				HTTPPort: 65535, WebHost: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", CertSHA256: fp, BootTime: boot},
			link{mac: mac, local: netip.MustParsePrefix("198.151.200.210/31"), gateway: netip.MustParseAddr("198.151.200.211"),
				ipv6: netip.MustParsePrefix("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), gateway6: netip.MustParseAddr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := answer(tc.p, tc.d, tc.at).Marshal()
			fields, err := decodeStrict(b)
			if err != nil {
				t.Fatalf("a strict client drops the answer:\n%v\n%s", err, b)
			}
			if fields["Uuid"] != tc.p.UUID || fields["Types"] != tc.p.Types || fields["PasswordResetAbility"] != "false" {
				t.Errorf("Uuid %q, Types %q, PasswordResetAbility %q; want the echo and false", fields["Uuid"], fields["Types"], fields["PasswordResetAbility"])
			}
			// A strict client keyed by element (encoding/xml, as a Go
			// client writes it) reads the same.
			var c struct {
				CommandPort uint32 `xml:"CommandPort"`
				HttpPort    uint16 `xml:"HttpPort"`
				IPv6MaskLen uint8  `xml:"IPv6MaskLen"`
				DHCP        bool   `xml:"DHCP"`
				Encrypt     bool   `xml:"Encrypt"`
				DiskNumber  uint32 `xml:"DiskNumber"`
				Activated   bool   `xml:"Activated"`
			}
			if err := xml.Unmarshal(b, &c); err != nil {
				t.Errorf("encoding/xml into typed fields: %v\n%s", err, b)
			}
			if c.HttpPort != uint16(tc.d.HTTPPort) || c.Activated != tc.d.Activated || c.CommandPort != 0 || c.DHCP || c.Encrypt {
				t.Errorf("typed client read %+v", c)
			}
		})
	}
}

// TestStrictDecoderFails: the strict decoder above drops an answer with
// any vendor field missing or mistyped, so the test above can fail.
func TestStrictDecoderFails(t *testing.T) {
	mac, _ := net.ParseMAC("02:00:5e:10:00:01")
	good := answer(Probe{UUID: "u", Types: TypeInquiry}, Description{Serial: "S", Model: "M", SoftwareVersion: "v1"},
		link{mac: mac, local: netip.MustParsePrefix("198.51.100.10/24")}).Marshal()
	if _, err := decodeStrict(good); err != nil {
		t.Fatalf("the reference answer: %v\n%s", err, good)
	}
	mistyped := map[kind][]string{
		kUnsigned: {"-1", "+1", " 1", "1.0", "x", "", "4294967296"},
		kBoolean:  {"flase", "True", "1", "yes", ""},
		kIPv4:     {"::", "198.51.100", "fe80::1", ""},
		kIPv6:     {"198.51.100.1", "fe80::1%eth0", "none"},
		kMAC:      {"02:00:5e:10:00:01", "02-00-5e-10-00", "zz-00-5e-10-00-01"},
		kBootTime: {"2026-12-07T10:11:12Z", "07/12/2026 10:11:12", ""},
	}
	for _, f := range vendorFields {
		element := regexp.MustCompile("<" + f.name + ">[^<]*</" + f.name + ">")
		if !element.Match(good) {
			t.Fatalf("the reference answer has no <%s>", f.name)
		}
		if _, err := decodeStrict(element.ReplaceAll(good, nil)); err == nil || !strings.Contains(err.Error(), "<"+f.name+">") {
			t.Errorf("without <%s>: got %v, want it named missing", f.name, err)
		}
		for _, v := range mistyped[f.kind] {
			b := element.ReplaceAll(good, []byte("<"+f.name+">"+v+"</"+f.name+">"))
			if _, err := decodeStrict(b); err == nil {
				t.Errorf("<%s>%s</%s> (not %s) passed", f.name, v, f.name, f.kind)
			}
		}
	}
	twice := bytes.Replace(good, []byte("</ProbeMatch>"), []byte("<DHCP>false</DHCP></ProbeMatch>"), 1)
	if _, err := decodeStrict(twice); err == nil {
		t.Error("an answer with <DHCP> twice passed")
	}
}
