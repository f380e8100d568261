package sadp

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
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
	// HTTPPort is the web door's port; 0 leaves <HttpPort> out.
	HTTPPort int
	// WebHost is the web door's host when it listens on one address only;
	// empty, the door's URL uses the address the probe came in on.
	WebHost string
	// CertSHA256 is the web door's certificate's SHA-256 (64 lowercase
	// hex digits). Without it, or without HTTPPort, the extension element
	// is left out.
	CertSHA256 string
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

// answer is the ProbeMatch for probe p received on the interface whose MAC
// is mac, at the address local (with its prefix), with gateway the
// interface's default gateway (invalid: none).
func answer(p Probe, d Description, mac net.HardwareAddr, local netip.Prefix, gateway netip.Addr) *ProbeMatch {
	if !p.IsInquiry() {
		return &ProbeMatch{UUID: p.UUID, Types: p.Types, Result: ResultDenied}
	}
	m := &ProbeMatch{
		UUID:                    p.UUID,
		Types:                   p.Types,
		DeviceType:              DeviceTypeNVRMenu,
		DeviceDescription:       d.Model,
		DeviceSN:                d.Serial,
		HTTPPort:                d.HTTPPort,
		MAC:                     DashedMAC(mac),
		SoftwareVersion:         d.SoftwareVersion,
		Activated:               FlagOf(d.Activated),
		SupportGUID:             FlagOf(d.GUID),
		SupportSecurityQuestion: FlagOf(d.Questions),
		SupportMailBox:          FlagOf(d.Email),
		DeviceLock:              FlagOf(d.Locked),
	}
	if local.IsValid() {
		m.IPv4Address = local.Addr().String()
		m.IPv4SubnetMask = prefixMask(local)
	}
	if gateway.IsValid() {
		m.IPv4Gateway = gateway.String()
	}
	if w := (&WebDoor{URL: d.webURL(local), CertSHA256: d.CertSHA256}); w.Valid() {
		m.WebDoor = w
	}
	return m
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
