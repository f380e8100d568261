package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"nvrmenu/internal/termsafe"
	"nvrmenu/sadp"
	"nvrmenu/texts"
)

// maxField is the most of one field kept from an answer: a hostile device
// may send a kilobyte of anything in each.
const maxField = 64

// device is one answer as nvr-sadp prints it: every string from the LAN
// already made safe for a terminal (termsafe) and cut to maxField, in
// every output format.
type device struct {
	Serial     string   `json:"serial"`
	Model      string   `json:"model"`
	IP         string   `json:"ip"`
	MAC        string   `json:"mac"`
	Firmware   string   `json:"firmware"`
	Activated  *bool    `json:"activated"` // null: the device did not say
	Methods    []string `json:"methods"`   // set up: guid, questions, email; null: the device did not say
	Locked     *bool    `json:"locked"`
	ReadOnly   bool     `json:"read_only"` // no nvrmenu web door announced: nvr-sadp can only list it
	WebURL     string   `json:"web_url,omitempty"`
	CertSHA256 string   `json:"cert_sha256,omitempty"`
	DeviceType string   `json:"device_type"`
	SubnetMask string   `json:"subnet_mask"`
	Gateway    string   `json:"gateway"`
	HTTPPort   int      `json:"http_port,omitempty"`
	From       string   `json:"from"`      // where the answer really came from
	Interface  string   `json:"interface"` // the local interface it came in on
}

// clean makes a field from the LAN safe to print and short.
func clean(s string) string {
	s = termsafe.String(s)
	if utf8.RuneCountInString(s) > maxField {
		s = string([]rune(s)[:maxField-1]) + "…"
	}
	return s
}

func flagPointer(f sadp.Flag) *bool {
	switch f {
	case sadp.FlagTrue:
		t := true
		return &t
	case sadp.FlagFalse:
		f := false
		return &f
	}
	return nil
}

func deviceOf(f sadp.Found) device {
	m := f.ProbeMatch
	d := device{
		Serial: clean(m.DeviceSN), Model: clean(m.DeviceDescription),
		IP: clean(m.IPv4Address), MAC: clean(m.MAC), Firmware: clean(m.SoftwareVersion),
		Activated: flagPointer(m.Activated), Locked: flagPointer(m.DeviceLock),
		ReadOnly:   m.WebDoor == nil,
		DeviceType: clean(m.DeviceType), SubnetMask: clean(m.IPv4SubnetMask), Gateway: clean(m.IPv4Gateway),
		HTTPPort: m.HTTPPort, From: f.From.String(), Interface: clean(f.Interface),
	}
	if m.WebDoor != nil {
		// Valid by then: an https URL of at most 256 characters and 64 hex
		// digits; still shown through termsafe, never raw.
		d.WebURL, d.CertSHA256 = termsafe.String(m.WebDoor.URL), m.WebDoor.CertSHA256
	}
	methods := []struct {
		f    sadp.Flag
		name string
	}{{m.SupportGUID, "guid"}, {m.SupportSecurityQuestion, "questions"}, {m.SupportMailBox, "email"}}
	for _, x := range methods {
		if x.f != sadp.FlagUnknown && d.Methods == nil {
			d.Methods = []string{}
		}
		if x.f == sadp.FlagTrue {
			d.Methods = append(d.Methods, x.name)
		}
	}
	return d
}

// fromAddr is the address (without the port) the answer came from.
func (d device) fromAddr() string {
	ap, err := netip.ParseAddrPort(d.From)
	if err != nil {
		return ""
	}
	return ap.Addr().String()
}

func yesNo(c *texts.Catalogue, b *bool) string {
	switch {
	case b == nil:
		return "?"
	case *b:
		return c.T(texts.SadpTableYes)
	}
	return c.T(texts.SadpTableNo)
}

// methodsShown lists the methods set up by their names, which are -method's
// values in every language.
func methodsShown(c *texts.Catalogue, m []string) string {
	switch {
	case m == nil:
		return "?"
	case len(m) == 0:
		return c.T(texts.SadpTableNone)
	}
	return strings.Join(m, ",")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writeTable prints the human table, in c's language. The fields are safe
// already (no control character, so no tab either: tabwriter's columns
// hold).
func writeTable(w io.Writer, c *texts.Catalogue, devices []device) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join([]string{c.T(texts.SadpColSerial), c.T(texts.SadpColModel), "IP", "MAC", "FIRMWARE",
		c.T(texts.SadpColActivated), c.T(texts.SadpColMethods), c.T(texts.SadpColLocked), c.T(texts.SadpColWebDoor)}, "\t"))
	for _, d := range devices {
		web := c.T(texts.SadpTableReadOnly)
		if !d.ReadOnly {
			web = d.WebURL
		}
		// An answer can claim any address: say where it came from when
		// that is another one.
		ip := orDash(d.IP)
		if from := d.fromAddr(); from != "" && from != d.IP {
			ip += " " + c.F(texts.SadpTableFrom, from)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			orDash(d.Serial), orDash(d.Model), ip, orDash(d.MAC), orDash(d.Firmware),
			yesNo(c, d.Activated), methodsShown(c, d.Methods), yesNo(c, d.Locked), web)
	}
	return tw.Flush()
}

// writeJSON prints an array of devices. encoding/json escapes what a
// terminal would act on below U+0020 and U+2028/9; termsafe has already
// removed the rest (C1 controls, bidirectional overrides).
func writeJSON(w io.Writer, devices []device) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(devices)
}

// writeCSV prints a header line and a line per device. Besides termsafe,
// a field that a spreadsheet would take for a formula (starting with
// = + - @, or a tab or carriage return) gets a leading apostrophe, as
// OWASP's CSV injection advice says.
func writeCSV(w io.Writer, devices []device) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"serial", "model", "ip", "mac", "firmware", "activated", "methods", "locked", "read_only",
		"web_url", "cert_sha256", "device_type", "subnet_mask", "gateway", "http_port", "from", "interface"})
	flag := func(b *bool) string {
		if b == nil {
			return ""
		}
		return fmt.Sprint(*b)
	}
	for _, d := range devices {
		port := ""
		if d.HTTPPort > 0 {
			port = fmt.Sprint(d.HTTPPort)
		}
		methods := ""
		if d.Methods != nil {
			methods = strings.Join(d.Methods, " ")
		}
		row := []string{d.Serial, d.Model, d.IP, d.MAC, d.Firmware, flag(d.Activated), methods, flag(d.Locked),
			fmt.Sprint(d.ReadOnly), d.WebURL, d.CertSHA256, d.DeviceType, d.SubnetMask, d.Gateway, port, d.From, d.Interface}
		for i := range row {
			row[i] = noFormula(row[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// noFormula defuses a field a spreadsheet would evaluate.
func noFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
