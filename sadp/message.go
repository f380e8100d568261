package sadp

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
)

// The protocol's constants.
const (
	// Port is the UDP port SADP devices listen on.
	Port = 37020
	// Group is the multicast group probes are sent to.
	Group = "239.255.255.250"
	// MaxProbeSize is the largest datagram the responder reads: a probe is
	// about 130 bytes, the vendor's longest command message well under a
	// KiB. Anything larger is dropped unparsed.
	MaxProbeSize = 4096
	// MaxAnswerSize is the largest answer the client parses: real answers
	// are 1–2 KiB.
	MaxAnswerSize = 16 << 10
)

// The message types of a probe's <Types> element that ask for discovery.
const (
	TypeInquiry    = "inquiry"
	TypeInquiryV32 = "inquiry_v32"
)

// ResultDenied is what the responder answers to every command message.
const ResultDenied = "denied"

// ExtensionElement is the name of the element our answers add for our own
// tool; other SADP clients ignore elements they do not know.
const ExtensionElement = "NVRMenu"

// The parser's errors; each is wrapped with what was wrong.
var (
	// ErrTooLarge: the datagram is over the size limit and was not parsed.
	ErrTooLarge = errors.New("sadp: message too large")
	// ErrMalformed: not well-formed XML, or outside the parser's limits
	// (depth, element count, a DTD, an attribute, a duplicate field).
	ErrMalformed = errors.New("sadp: malformed message")
	// ErrUnexpected: well-formed, but not the message asked for (a
	// ProbeMatch where a Probe was wanted, a field missing).
	ErrUnexpected = errors.New("sadp: unexpected message")
)

// Probe is a request: discovery (Types "inquiry" or "inquiry_v32") or one
// of the vendor's commands, which carry more fields (ignored here).
type Probe struct {
	UUID  string // <Uuid>: the client's token, echoed in the answer
	Types string // <Types>: the message type
}

// IsInquiry reports whether p asks for discovery.
func (p Probe) IsInquiry() bool {
	return strings.EqualFold(p.Types, TypeInquiry) || strings.EqualFold(p.Types, TypeInquiryV32)
}

// Marshal gives the probe as the wire carries it.
func (p Probe) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header[:len(xml.Header)-1])
	b.WriteString("<Probe>")
	field(&b, "Uuid", p.UUID)
	field(&b, "Types", p.Types)
	b.WriteString("</Probe>")
	return b.Bytes()
}

// probeLimits are the responder's: a probe is flat (the root and its
// fields), a few fields, no attributes.
var probeLimits = limits{maxDepth: 2, maxElements: 32, maxText: 512}

// ParseProbe parses a datagram received on the SADP port. It accepts only
// a well-formed <Probe> of at most MaxProbeSize bytes, flat, without DTD
// or attributes, with one <Uuid> and one <Types> of safe characters (they
// are echoed). Other fields are allowed and ignored.
func ParseProbe(b []byte) (Probe, error) {
	if len(b) > MaxProbeSize {
		return Probe{}, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(b), MaxProbeSize)
	}
	root, err := parse(b, probeLimits)
	if err != nil {
		return Probe{}, err
	}
	if root.name != "Probe" {
		return Probe{}, fmt.Errorf("%w: a <%s>, not a <Probe>", ErrUnexpected, root.name)
	}
	uuid, okUUID := root.text("Uuid")
	types, okTypes := root.text("Types")
	uuid, types = strings.TrimSpace(uuid), strings.TrimSpace(types)
	switch {
	case !okUUID || !okTypes:
		return Probe{}, fmt.Errorf("%w: a probe without <Uuid> or <Types>", ErrUnexpected)
	case !validToken(uuid, 64, "-_.:{}"):
		return Probe{}, fmt.Errorf("%w: <Uuid> is not 1 to 64 letters, digits or -_.:{}", ErrMalformed)
	case !validToken(types, 32, "_"):
		return Probe{}, fmt.Errorf("%w: <Types> is not 1 to 32 letters, digits or _", ErrMalformed)
	}
	return Probe{UUID: uuid, Types: types}, nil
}

// validToken reports whether s is 1 to max ASCII letters, digits or one of
// extra.
func validToken(s string, max int, extra string) bool {
	if len(s) == 0 || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(extra, c) >= 0) {
			return false
		}
	}
	return true
}

// Flag is a yes/no field of an answer, which may be missing or garbled in
// another device's answer.
type Flag int8

// The values of a Flag.
const (
	FlagUnknown Flag = iota // absent, or neither "true" nor "false"
	FlagFalse
	FlagTrue
)

// FlagOf turns a bool into a Flag.
func FlagOf(b bool) Flag {
	if b {
		return FlagTrue
	}
	return FlagFalse
}

// String gives "true", "false" or "" (unknown), as the wire spells it.
func (f Flag) String() string {
	switch f {
	case FlagTrue:
		return "true"
	case FlagFalse:
		return "false"
	}
	return ""
}

// parseFlag reads a yes/no field in any case. "flase" is false: the
// vendor's own devices have been seen sending it.
func parseFlag(s string) Flag {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		return FlagTrue
	case "false", "flase":
		return FlagFalse
	}
	return FlagUnknown
}

// ProbeMatch is an answer. The responder fills every field (see answer in
// device.go); parsed from another device, any field may be empty, and
// every string is as the device sent it: make it safe (termsafe) before
// printing it.
//
// The vendor's elements that carry a number are ints here: 0 when absent
// or not a decimal number within the element's range. Its yes/no elements
// are Flags.
type ProbeMatch struct {
	UUID  string // the probe's, echoed
	Types string // the probe's, echoed
	// DeviceType is the vendor's numeric device class; ours is
	// DeviceTypeNVRMenu (see docs/sadp.md for why).
	DeviceType        string
	DeviceDescription string // the model
	DeviceSN          string // the serial
	CommandPort       int    // the vendor SDK's TCP port; ours is 0, none
	HTTPPort          int    // <HttpPort>; 0: absent, none or not a port
	MAC               string // dash-separated, as "00-11-22-aa-bb-cc"
	IPv4Address       string
	IPv4SubnetMask    string
	// IPv4Gateway is empty when the device has none: the element is
	// absent, or is the unspecified address 0.0.0.0 that devices (ours
	// included) send for none.
	IPv4Gateway string
	// IPv6Address and IPv6Gateway are empty when the device has none (the
	// element absent, or the unspecified address "::").
	IPv6Address, IPv6Gateway string
	IPv6MaskLen              int  // the IPv6 address's prefix length, 0 to 128
	DHCP                     Flag // the IPv4 address came from DHCP
	// AnalogChannelNum, DigitalChannelNum and DiskNumber: the recorder's
	// camera channels and disks (0 to 65535).
	AnalogChannelNum, DigitalChannelNum int
	SoftwareVersion                     string
	DSPVersion                          string // the vendor's DSP firmware
	// BootTime is when the device started, on its own wall clock, as
	// "2006-01-02 15:04:05" (no zone).
	BootTime string
	// Encrypt: the device takes the vendor's encrypted (salted) passwords
	// in its commands.
	Encrypt Flag
	// ResetAbility and PasswordResetAbility: the device takes the vendor's
	// reset commands; PasswordResetModeSecond, its second reset mode.
	ResetAbility            Flag
	DiskNumber              int
	Activated               Flag
	PasswordResetAbility    Flag
	PasswordResetModeSecond Flag
	// SupportSecurityQuestion, SupportGUID and SupportMailBox: the method
	// is offered and set up.
	SupportSecurityQuestion Flag
	SupportGUID             Flag
	// SupportHCPlatform, HCPlatformEnable and IsModifyVerificationCode:
	// the vendor's cloud platform is supported, enabled, and its
	// verification code changed from the default.
	SupportHCPlatform        Flag
	HCPlatformEnable         Flag
	IsModifyVerificationCode Flag
	DeviceLock               Flag // a network-class lock runs
	SupportMailBox           Flag
	// Result is set only on the answer to a command: "denied".
	Result string
	// WebDoor is our extension element: where the device's recovery web
	// door is. Nil when the answer has none, or an invalid one.
	WebDoor *WebDoor
}

// WebDoor is the content of the extension element.
type WebDoor struct {
	// URL is the web door's https:// address.
	URL string
	// CertSHA256 is the SHA-256 of its certificate (DER), 64 lowercase
	// hex digits.
	CertSHA256 string
}

// DeviceTypeNVRMenu is the DeviceType we send: see docs/sadp.md.
const DeviceTypeNVRMenu = "0"

// The ranges of the numbers an answer carries; a number outside its range
// is read as 0.
const (
	maxPort    = 65535
	maxMaskLen = 128
	maxCount   = 65535 // channels, disks
)

// Marshal gives the answer as the wire carries it: every element of the
// vendor's inquiry answer, in the vendor's order, then the extension
// element when there is a web door. Strings and numbers are always
// written (an empty string as an empty element, an empty gateway or IPv6
// address as the unspecified address, the vendor's "none"); a Flag when it
// is known. The answer to a command carries only the echo and the Result.
func (m *ProbeMatch) Marshal() []byte {
	var b bytes.Buffer
	b.Grow(1536)
	b.WriteString(xml.Header[:len(xml.Header)-1])
	b.WriteString("<ProbeMatch>")
	field(&b, "Uuid", m.UUID)
	field(&b, "Types", m.Types)
	if m.Result != "" {
		field(&b, "Result", m.Result)
		b.WriteString("</ProbeMatch>")
		return b.Bytes()
	}
	field(&b, "DeviceType", m.DeviceType)
	field(&b, "DeviceDescription", m.DeviceDescription)
	field(&b, "DeviceSN", m.DeviceSN)
	number(&b, "CommandPort", m.CommandPort)
	number(&b, "HttpPort", m.HTTPPort)
	field(&b, "MAC", m.MAC)
	field(&b, "IPv4Address", m.IPv4Address)
	field(&b, "IPv4SubnetMask", m.IPv4SubnetMask)
	field(&b, "IPv4Gateway", cmp.Or(m.IPv4Gateway, "0.0.0.0"))
	field(&b, "IPv6Address", cmp.Or(m.IPv6Address, "::"))
	field(&b, "IPv6Gateway", cmp.Or(m.IPv6Gateway, "::"))
	number(&b, "IPv6MaskLen", m.IPv6MaskLen)
	flag(&b, "DHCP", m.DHCP)
	number(&b, "AnalogChannelNum", m.AnalogChannelNum)
	number(&b, "DigitalChannelNum", m.DigitalChannelNum)
	field(&b, "SoftwareVersion", m.SoftwareVersion)
	field(&b, "DSPVersion", m.DSPVersion)
	field(&b, "BootTime", m.BootTime)
	flag(&b, "Encrypt", m.Encrypt)
	flag(&b, "ResetAbility", m.ResetAbility)
	number(&b, "DiskNumber", m.DiskNumber)
	flag(&b, "Activated", m.Activated)
	flag(&b, "PasswordResetAbility", m.PasswordResetAbility)
	flag(&b, "PasswordResetModeSecond", m.PasswordResetModeSecond)
	flag(&b, "SupportSecurityQuestion", m.SupportSecurityQuestion)
	flag(&b, "SupportGUID", m.SupportGUID)
	flag(&b, "SupportHCPlatform", m.SupportHCPlatform)
	flag(&b, "HCPlatformEnable", m.HCPlatformEnable)
	flag(&b, "IsModifyVerificationCode", m.IsModifyVerificationCode)
	flag(&b, "DeviceLock", m.DeviceLock)
	flag(&b, "SupportMailBox", m.SupportMailBox)
	if w := m.WebDoor; w != nil {
		b.WriteString("<" + ExtensionElement + ">")
		field(&b, "WebURL", w.URL)
		field(&b, "CertSHA256", w.CertSHA256)
		b.WriteString("</" + ExtensionElement + ">")
	}
	b.WriteString("</ProbeMatch>")
	return b.Bytes()
}

// answerLimits are the client's: other vendors' answers carry many fields,
// some perhaps nested; attributes are ignored.
var answerLimits = limits{maxDepth: 4, maxElements: 256, maxText: 1024, ignoreAttributes: true}

// ParseProbeMatch parses an answer, from any SADP device. The XML must be
// well-formed, at most MaxAnswerSize bytes, without DTD, within the
// parser's limits; NUL bytes and white space some devices pad their
// answers with are trimmed. Unknown fields are ignored; a field that is
// there twice makes the answer malformed (which one would be true?).
func ParseProbeMatch(b []byte) (*ProbeMatch, error) {
	if len(b) > MaxAnswerSize {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(b), MaxAnswerSize)
	}
	root, err := parse(bytes.TrimRight(b, "\x00 \t\r\n"), answerLimits)
	if err != nil {
		return nil, err
	}
	if root.name != "ProbeMatch" {
		return nil, fmt.Errorf("%w: a <%s>, not a <ProbeMatch>", ErrUnexpected, root.name)
	}
	get := func(name string) string { s, _ := root.text(name); return strings.TrimSpace(s) }
	num := func(name string, max uint64) int { return parseNumber(get(name), max) }
	none := func(name, unspecified string) string {
		if s := get(name); s != unspecified {
			return s
		}
		return ""
	}
	m := &ProbeMatch{
		UUID:                     get("Uuid"),
		Types:                    get("Types"),
		DeviceType:               get("DeviceType"),
		DeviceDescription:        get("DeviceDescription"),
		DeviceSN:                 get("DeviceSN"),
		CommandPort:              num("CommandPort", maxPort),
		HTTPPort:                 num("HttpPort", maxPort),
		MAC:                      get("MAC"),
		IPv4Address:              get("IPv4Address"),
		IPv4SubnetMask:           get("IPv4SubnetMask"),
		IPv4Gateway:              none("IPv4Gateway", "0.0.0.0"),
		IPv6Address:              none("IPv6Address", "::"),
		IPv6Gateway:              none("IPv6Gateway", "::"),
		IPv6MaskLen:              num("IPv6MaskLen", maxMaskLen),
		DHCP:                     parseFlag(get("DHCP")),
		AnalogChannelNum:         num("AnalogChannelNum", maxCount),
		DigitalChannelNum:        num("DigitalChannelNum", maxCount),
		SoftwareVersion:          get("SoftwareVersion"),
		DSPVersion:               get("DSPVersion"),
		BootTime:                 get("BootTime"),
		Encrypt:                  parseFlag(get("Encrypt")),
		ResetAbility:             parseFlag(get("ResetAbility")),
		DiskNumber:               num("DiskNumber", maxCount),
		Activated:                parseFlag(get("Activated")),
		PasswordResetAbility:     parseFlag(get("PasswordResetAbility")),
		PasswordResetModeSecond:  parseFlag(get("PasswordResetModeSecond")),
		SupportSecurityQuestion:  parseFlag(get("SupportSecurityQuestion")),
		SupportGUID:              parseFlag(get("SupportGUID")),
		SupportHCPlatform:        parseFlag(get("SupportHCPlatform")),
		HCPlatformEnable:         parseFlag(get("HCPlatformEnable")),
		IsModifyVerificationCode: parseFlag(get("IsModifyVerificationCode")),
		DeviceLock:               parseFlag(get("DeviceLock")),
		SupportMailBox:           parseFlag(get("SupportMailBox")),
		Result:                   get("Result"),
	}
	if ext := root.child(ExtensionElement); ext != nil {
		u, _ := ext.text("WebURL")
		fp, _ := ext.text("CertSHA256")
		w := &WebDoor{URL: strings.TrimSpace(u), CertSHA256: strings.ToLower(strings.TrimSpace(fp))}
		if w.Valid() {
			m.WebDoor = w
		}
	}
	return m, nil
}

// parseNumber reads an unsigned decimal number of at most max, as the
// vendor writes its numbers; anything else is 0.
func parseNumber(s string, max uint64) int {
	if !isDigits(s, 20) {
		return 0
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > max {
		return 0
	}
	return int(n)
}

// Valid reports whether w is an https:// URL with a host (at most 256
// characters, no user information) and a SHA-256 of 64 hex digits.
func (w *WebDoor) Valid() bool {
	if len(w.URL) > 256 || len(w.CertSHA256) != 64 {
		return false
	}
	for i := 0; i < len(w.CertSHA256); i++ {
		if c := w.CertSHA256[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	u, err := url.Parse(w.URL)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil
}

// field writes <name>value</name>, the value escaped.
func field(b *bytes.Buffer, name, value string) {
	b.WriteString("<" + name + ">")
	xml.EscapeText(b, []byte(value))
	b.WriteString("</" + name + ">")
}

// number writes <name>n</name>, n in decimal (a negative n, which no
// answer holds, as 0).
func number(b *bytes.Buffer, name string, n int) {
	field(b, name, strconv.Itoa(max(n, 0)))
}

// flag writes the field when f is known.
func flag(b *bytes.Buffer, name string, f Flag) {
	if f != FlagUnknown {
		field(b, name, f.String())
	}
}

// limits bound what the parser accepts.
type limits struct {
	maxDepth    int // the root is at depth 1
	maxElements int
	maxText     int // bytes of text in one element
	// ignoreAttributes accepts attributes (and drops them); otherwise an
	// attribute makes the message malformed.
	ignoreAttributes bool
}

// element is a parsed element: its name, its text if it is a leaf, its
// children otherwise.
type element struct {
	name     string
	value    []byte
	children []*element
}

// text returns the text of the child leaf called name.
func (e *element) text(name string) (string, bool) {
	c := e.child(name)
	if c == nil || c.children != nil {
		return "", false
	}
	return string(c.value), true
}

// child returns the child element called name, or nil.
func (e *element) child(name string) *element {
	for _, c := range e.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// parse walks b token by token and builds its one root element, refusing
// anything outside lim: a DTD or any other directive, a processing
// instruction, a namespace prefix, mixed text and elements, two children
// of one parent with the same name, a second root, elements past the depth
// or the count, text past its size. The XML declaration is read first, by
// readDeclaration: encoding/xml never sees it. encoding/xml itself refuses
// bad UTF-8 and any entity but the five predefined ones and character
// references.
func parse(b []byte, lim limits) (*element, error) {
	malformed := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
	}
	b, err := readDeclaration(b)
	if err != nil {
		return nil, malformed("%v", err)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	var (
		root     *element
		stack    []*element
		elements int
	)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, malformed("%v", err)
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			// The declaration was read and cut off: this is another one,
			// or an instruction to some application.
			return nil, malformed("processing instruction <?%s?>", t.Target)
		case xml.Directive:
			return nil, malformed("a DTD or directive (<!...>)")
		case xml.Comment:
			// allowed, and ignored
		case xml.StartElement:
			if t.Name.Space != "" {
				return nil, malformed("a namespace prefix on <%s:%s>", t.Name.Space, t.Name.Local)
			}
			if len(t.Attr) > 0 && !lim.ignoreAttributes {
				return nil, malformed("attributes on <%s>", t.Name.Local)
			}
			elements++
			if elements > lim.maxElements {
				return nil, malformed("more than %d elements", lim.maxElements)
			}
			if len(stack) >= lim.maxDepth {
				return nil, malformed("nested deeper than %d", lim.maxDepth)
			}
			e := &element{name: t.Name.Local}
			if len(stack) == 0 {
				if root != nil {
					return nil, malformed("a second root element <%s>", e.name)
				}
				root = e
			} else {
				parent := stack[len(stack)-1]
				if len(bytes.TrimSpace(parent.value)) > 0 {
					return nil, malformed("text and elements mixed in <%s>", parent.name)
				}
				if parent.child(e.name) != nil {
					return nil, malformed("<%s> twice in <%s>", e.name, parent.name)
				}
				parent.value = nil
				parent.children = append(parent.children, e)
			}
			stack = append(stack, e)
		case xml.EndElement:
			// RawToken does not match end tags; the decoder in strict mode
			// checks they match their start, here the names are checked.
			if len(stack) == 0 || stack[len(stack)-1].name != t.Name.Local || t.Name.Space != "" {
				return nil, malformed("unexpected </%s>", t.Name.Local)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, malformed("text outside the root element")
				}
				break
			}
			e := stack[len(stack)-1]
			if e.children != nil {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, malformed("text and elements mixed in <%s>", e.name)
				}
				break
			}
			if len(e.value)+len(t) > lim.maxText {
				return nil, malformed("more than %d bytes of text in <%s>", lim.maxText, e.name)
			}
			e.value = append(e.value, t...)
		}
	}
	if root == nil {
		return nil, malformed("no root element")
	}
	if len(stack) > 0 {
		return nil, malformed("<%s> not closed", stack[len(stack)-1].name)
	}
	return root, nil
}
