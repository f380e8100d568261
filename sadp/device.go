package sadp

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Device is what the responder asks, for every answer, about the device it
// speaks for. Describe must be safe to call from the responder's goroutine
// and must not block: the daemon answers from a snapshot of the recovery
// core. An error means the device cannot say now (its state is being
// reopened, or unusable): the probe gets no answer.
type Device interface {
	Describe() (Description, error)
}

// Description is what an answer says about the device.
type Description struct {
	Serial          string // DeviceSN
	Model           string // DeviceDescription
	SoftwareVersion string // the build's version
	Activated       bool
	// GUID, Questions and Email: the method is offered and set up, so that
	// an installer's tool can offer it.
	GUID, Questions, Email bool
	// Locked: a lock that the network doors obey runs now (DeviceLock).
	Locked bool
	// HTTPPort is the web door's port when the LAN can reach it; 0 is
	// none (<HttpPort>0</HttpPort>).
	HTTPPort int
	// WebHost is the web door's host when it listens on one address only;
	// empty, the door's URL uses the address the probe came in on.
	WebHost string
	// CertSHA256 is the web door's certificate's SHA-256 (64 lowercase
	// hex digits). Without it, or without HTTPPort, the extension element
	// is left out.
	CertSHA256 string
	// BootTime is when the device started. Zero: the responder answers
	// with the kernel's boot time.
	BootTime time.Time
}

// webURL is the door's address as a client on local's network reaches it.
func (d Description) webURL(local netip.Prefix) string {
	host := d.WebHost
	if host == "" && local.IsValid() {
		host = local.Addr().String()
	}
	if host == "" || d.HTTPPort <= 0 {
		return ""
	}
	return "https://" + net.JoinHostPort(host, strconv.Itoa(d.HTTPPort)) + "/"
}

// link is what an answer says of the interface a probe came in on.
type link struct {
	mac     net.HardwareAddr
	local   netip.Prefix // the IPv4 address answered from, with its prefix
	gateway netip.Addr   // the IPv4 default gateway; invalid: none
	// ipv6 is the interface's IPv6 address shown, with its prefix;
	// gateway6 its IPv6 default gateway. Invalid: none.
	ipv6     netip.Prefix
	gateway6 netip.Addr
}

// The values of the vendor's elements for which nvr-menud has nothing to
// say, the same in every answer (docs/sadp.md, "The answer", says why
// each).
const (
	// commandPortNone: there is no vendor SDK port; 0 is "none".
	commandPortNone = 0
	// dspVersionNone: the recorder has no separate DSP firmware.
	dspVersionNone = "N/A"
	// bootTimeLayout is the vendor's BootTime: the device's wall clock,
	// no zone.
	bootTimeLayout = "2006-01-02 15:04:05"
)

// answer is the ProbeMatch for probe p received on the interface at. An
// inquiry's answer holds every element of the vendor's inquiry answer,
// each with its true value or its neutral one; a command's holds only the
// echo and the denial.
func answer(p Probe, d Description, at link) *ProbeMatch {
	if !p.IsInquiry() {
		return &ProbeMatch{UUID: p.UUID, Types: p.Types, Result: ResultDenied}
	}
	m := &ProbeMatch{
		UUID:              p.UUID,
		Types:             p.Types,
		DeviceType:        DeviceTypeNVRMenu,
		DeviceDescription: d.Model,
		DeviceSN:          d.Serial,
		CommandPort:       commandPortNone,
		HTTPPort:          d.HTTPPort,
		MAC:               DashedMAC(at.mac),
		// IPv4 and IPv6 below.
		DHCP:              FlagFalse, // not known: see docs/sadp.md
		AnalogChannelNum:  0,         // the cameras are the recording service's
		DigitalChannelNum: 0,
		SoftwareVersion:   d.SoftwareVersion,
		DSPVersion:        dspVersionNone,
		BootTime:          bootTime(d.BootTime),
		Encrypt:           FlagFalse, // no salt, no vendor-encrypted password taken
		ResetAbility:      FlagFalse, // the vendor's reset commands are denied
		DiskNumber:        0,         // the disks are the recording service's
		Activated:         FlagOf(d.Activated),
		// The vendor's reset commands are denied: recovery goes through
		// the web door, never through SADP.
		PasswordResetAbility:    FlagFalse,
		PasswordResetModeSecond: FlagFalse,
		SupportSecurityQuestion: FlagOf(d.Questions),
		SupportGUID:             FlagOf(d.GUID),
		// No vendor cloud platform.
		SupportHCPlatform:        FlagFalse,
		HCPlatformEnable:         FlagFalse,
		IsModifyVerificationCode: FlagFalse,
		DeviceLock:               FlagOf(d.Locked),
		SupportMailBox:           FlagOf(d.Email),
	}
	if m.MAC == "" {
		m.MAC = "00-00-00-00-00-00" // an interface without one (a tunnel)
	}
	if at.local.IsValid() {
		m.IPv4Address = at.local.Addr().String()
		m.IPv4SubnetMask = prefixMask(at.local)
	} else {
		m.IPv4Address, m.IPv4SubnetMask = "0.0.0.0", "0.0.0.0"
	}
	if at.gateway.IsValid() {
		m.IPv4Gateway = at.gateway.String()
	}
	if at.ipv6.IsValid() {
		m.IPv6Address, m.IPv6MaskLen = at.ipv6.Addr().String(), at.ipv6.Bits()
	}
	if at.gateway6.IsValid() {
		m.IPv6Gateway = at.gateway6.String()
	}
	if w := (&WebDoor{URL: d.webURL(at.local), CertSHA256: d.CertSHA256}); w.Valid() {
		m.WebDoor = w
	}
	return m
}

// bootTime writes t in the vendor's BootTime layout, in t's own zone; the
// zero time (never known) as the Unix epoch.
func bootTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0).UTC()
	}
	return t.Format(bootTimeLayout)
}

// DashedMAC writes a MAC address as SADP does: "00-11-22-aa-bb-cc".
func DashedMAC(mac net.HardwareAddr) string {
	return strings.ReplaceAll(mac.String(), ":", "-")
}

// prefixMask gives an IPv4 prefix's mask in dotted form.
func prefixMask(p netip.Prefix) string {
	m := net.CIDRMask(p.Bits(), 32)
	return netip.AddrFrom4([4]byte(m)).String()
}
