package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	"nvrmenu/sadp"
)

// DEVICE names a recorder on the command line: its serial, an IPv4
// address or a MAC address. An address matches the address an answer came
// from and the one it claims; a serial or a MAC what it claims. Serials
// are compared in upper case (foldSerial): "abc123" and "ABC123" are one
// recorder, held to one pin.

// Why no recorder can be acted on.
var (
	// errNotFound: no answer matches DEVICE.
	errNotFound = errors.New("no device answered with that serial, address or MAC")
	// errAmbiguous: answers of several serials match DEVICE.
	errAmbiguous = errors.New("several devices match")
	// errReadOnly: the device announces no nvrmenu web door.
	errReadOnly = errors.New("the device announces no nvrmenu web door: read-only")
	// errBadSerial: the device's serial cannot be pinned.
	errBadSerial = errors.New("the device's serial is not one nvr-sadp can pin")
)

// badSerialError is errBadSerial with the serial the device claimed.
type badSerialError struct{ serial string }

func (e *badSerialError) Error() string { return fmt.Sprintf("%v: %q", errBadSerial, e.serial) }
func (e *badSerialError) Unwrap() error { return errBadSerial }

// selector is a parsed DEVICE.
type selector struct {
	text string
	ip   netip.Addr
	mac  net.HardwareAddr
}

func parseSelector(s string) selector {
	sel := selector{text: strings.TrimSpace(s)}
	if ip, err := netip.ParseAddr(sel.text); err == nil && ip.Is4() {
		sel.ip = ip
	} else if mac, err := net.ParseMAC(sel.text); err == nil && len(mac) == 6 {
		sel.mac = mac
	}
	return sel
}

// matches reports whether answer f is the device sel names.
func (sel selector) matches(f sadp.Found) bool {
	switch {
	case sel.ip.IsValid():
		claimed, err := netip.ParseAddr(strings.TrimSpace(f.IPv4Address))
		return f.From.Addr() == sel.ip || err == nil && claimed == sel.ip
	case sel.mac != nil:
		mac, err := net.ParseMAC(strings.TrimSpace(f.MAC))
		return err == nil && bytes.Equal(mac, sel.mac)
	}
	return sel.text != "" && foldSerial(f.DeviceSN) == foldSerial(sel.text)
}

// choice is the recorder chosen to act on.
type choice struct {
	found  sadp.Found // the answer whose web door is used
	serial string     // canonical: upper case
	// pinned is the known certificate; empty at first use.
	pinned string
	// others are answers claiming the same serial with another
	// certificate than the one used, ignored (a rogue responder, or the
	// old certificate of a replaced one).
	others []sadp.Found
}

// choose picks the answer to act on among found, for sel, given the pins
// and what the user asked: a certificate expected (expect, 64 hex
// digits) and whether a new certificate may replace the pin. Answers
// whose serials differ only in case claim one serial, the pinned one if
// it is pinned. It refuses (errNotFound, errAmbiguous with the matches,
// errReadOnly, a *badSerialError for a serial that is not 1 to 64 of
// A-Z, 0-9 and - in any case, a *fingerprintError with Announced set)
// rather than guess.
func choose(found []sadp.Found, sel selector, known *knownRecorders, expect string, acceptNew bool) (*choice, []sadp.Found, error) {
	var matches []sadp.Found
	for _, f := range found {
		if sel.matches(f) {
			matches = append(matches, f)
		}
	}
	if len(matches) == 0 {
		return nil, nil, errNotFound
	}
	serial := foldSerial(matches[0].DeviceSN)
	for _, f := range matches[1:] {
		if foldSerial(f.DeviceSN) != serial {
			return nil, matches, errAmbiguous
		}
	}
	// Every match claims one serial. Those with a web door are the
	// candidates; several may be one recorder on several interfaces.
	var doors []sadp.Found
	for _, f := range matches {
		if f.WebDoor != nil {
			doors = append(doors, f)
		}
	}
	if len(doors) == 0 {
		return nil, matches, errReadOnly
	}
	if !validSerial(serial) {
		return nil, matches, &badSerialError{serial: strings.TrimSpace(matches[0].DeviceSN)}
	}
	c := &choice{serial: serial, pinned: known.lookup(serial)}
	var fps []string
	for _, f := range doors {
		if !slices.Contains(fps, f.WebDoor.CertSHA256) {
			fps = append(fps, f.WebDoor.CertSHA256)
		}
	}
	// want is the certificate the answer used must announce.
	want := c.pinned
	switch {
	case expect != "" && (want == "" || acceptNew):
		want = expect
	case want == "" || acceptNew:
		if len(fps) > 1 {
			// First use (or a deliberate change) and the LAN disagrees
			// on the certificate: one of them is a rogue responder, and
			// the first answer must not win.
			return nil, matches, &fingerprintError{Serial: serial, Pinned: fps[0], Presented: fps[1], Announced: true, FirstUse: c.pinned == ""}
		}
		want = fps[0]
	}
	for _, f := range doors {
		if f.WebDoor.CertSHA256 == want {
			if c.found.ProbeMatch == nil {
				c.found = f
			}
		} else {
			c.others = append(c.others, f)
		}
	}
	if c.found.ProbeMatch == nil {
		return nil, matches, &fingerprintError{Serial: serial, Pinned: want, Presented: fps[0], Announced: true, FirstUse: c.pinned == ""}
	}
	if expect != "" && c.pinned != "" && expect != c.pinned && !acceptNew {
		return nil, matches, &fingerprintError{Serial: serial, Pinned: c.pinned, Presented: expect, Announced: true}
	}
	return c, matches, nil
}
