package cli

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	"nvrmenu/cmd/nvr-sadp/internal/known"
	"nvrmenu/cmd/nvr-sadp/internal/recorder"
	"nvrmenu/internal/certfp"
	"nvrmenu/sadp"
)

// DEVICE names a recorder on the command line: its serial, an IPv4
// address or a MAC address. An address matches the address an answer came
// from and the one it claims; a serial or a MAC what it claims. Serials
// are compared in upper case (known.Fold): "abc123" and "ABC123" are one
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
	return sel.text != "" && known.Fold(f.DeviceSN) == known.Fold(sel.text)
}

// choice is the recorder chosen to act on.
type choice struct {
	found  sadp.Found // the answer whose web door is used
	serial string     // canonical: upper case
	// pinned is the known certificate; the zero value at first use.
	pinned certfp.Fingerprint
	// others are answers claiming the same serial with another
	// certificate than the one used, ignored (a rogue responder, or the
	// old certificate of a replaced one).
	others []sadp.Found
}

// announced is the certificate an answer announces (valid by then:
// sadp checks the extension's 64 hex digits).
func announced(f sadp.Found) certfp.Fingerprint {
	fp, _ := certfp.Parse(f.WebDoor.CertSHA256)
	return fp
}

// choose picks the answer to act on among found, for sel, given the pins
// and what the user asked: a certificate expected (expect; the zero value
// when none is) and whether a new certificate may replace the pin.
// Answers whose serials differ only in case claim one serial, the pinned
// one if it is pinned. It refuses (errNotFound, errAmbiguous with the
// matches, errReadOnly, a *badSerialError for a serial that is not 1 to
// 64 of A-Z, 0-9 and - in any case, a *recorder.FingerprintError with
// Announced set) rather than guess.
func choose(found []sadp.Found, sel selector, pins *known.File, expect certfp.Fingerprint, acceptNew bool) (*choice, []sadp.Found, error) {
	var matches []sadp.Found
	for _, f := range found {
		if sel.matches(f) {
			matches = append(matches, f)
		}
	}
	if len(matches) == 0 {
		return nil, nil, errNotFound
	}
	serial := known.Fold(matches[0].DeviceSN)
	for _, f := range matches[1:] {
		if known.Fold(f.DeviceSN) != serial {
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
	if !known.ValidSerial(serial) {
		return nil, matches, &badSerialError{serial: strings.TrimSpace(matches[0].DeviceSN)}
	}
	c := &choice{serial: serial, pinned: pins.Lookup(serial)}
	firstUse := c.pinned.IsZero()
	var fps []certfp.Fingerprint
	for _, f := range doors {
		if fp := announced(f); !slices.Contains(fps, fp) {
			fps = append(fps, fp)
		}
	}
	// want is the certificate the answer used must announce.
	want := c.pinned
	switch {
	case !expect.IsZero() && (firstUse || acceptNew):
		want = expect
	case firstUse || acceptNew:
		if len(fps) > 1 {
			// First use (or a deliberate change) and the LAN disagrees
			// on the certificate: one of them is a rogue responder, and
			// the first answer must not win.
			return nil, matches, &recorder.FingerprintError{Serial: serial, Pinned: fps[0], Presented: fps[1], Announced: true, FirstUse: firstUse}
		}
		want = fps[0]
	}
	for _, f := range doors {
		if announced(f).Equal(want) {
			if c.found.ProbeMatch == nil {
				c.found = f
			}
		} else {
			c.others = append(c.others, f)
		}
	}
	if c.found.ProbeMatch == nil {
		return nil, matches, &recorder.FingerprintError{Serial: serial, Pinned: want, Presented: fps[0], Announced: true, FirstUse: firstUse}
	}
	if !expect.IsZero() && !firstUse && !expect.Equal(c.pinned) && !acceptNew {
		return nil, matches, &recorder.FingerprintError{Serial: serial, Pinned: c.pinned, Presented: expect, Announced: true}
	}
	return c, matches, nil
}
