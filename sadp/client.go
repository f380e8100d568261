package sadp

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/ipv4"
)

// DiscoverOptions configure Discover.
type DiscoverOptions struct {
	// Interfaces names the interfaces to probe. Empty: every interface that
	// is up, multicast-capable, not the loopback and has an IPv4 address.
	Interfaces []string
	// Wait is how long answers are collected; 0 is DefaultWait.
	Wait time.Duration
	// Port is where probes go; 0 is Port.
	Port int
	// Destinations are the addresses probed from every interface; empty is
	// the group and the limited broadcast 255.255.255.255.
	Destinations []netip.Addr
	// MaxDevices bounds the answers kept (a hostile LAN could send any
	// number); 0 is 1024.
	MaxDevices int
}

// DefaultWait is how long Discover collects answers by default: devices
// answer within milliseconds, but a busy one may take a second.
const DefaultWait = 3 * time.Second

// ReprobeAfter is when Discover sends its probes again (or at half of
// Wait, if that is sooner): for a datagram lost, a device's limit reached.
// From every socket, answered or not: one device's answer says nothing
// of another's. Once, so that a discovery costs a device at most twice
// its probes, which DefaultLimits' burst per source holds.
const ReprobeAfter = time.Second

// Found is one device's answer.
type Found struct {
	*ProbeMatch
	// From is the address the answer came from (a forged answer can claim
	// any IPv4Address; From is where it really came from, as far as the
	// LAN tells).
	From netip.AddrPort
	// Interface is the local interface it was received on.
	Interface string
}

// Discovery is what Discover found.
type Discovery struct {
	Devices []Found
	// Interfaces are the interfaces probed.
	Interfaces []string
	// Problems are failures that did not stop the discovery: a probe that
	// could not be sent to one destination, an interface without address
	// (each an *InterfaceError).
	Problems []error
	// Ignored counts the datagrams that were not an answer to our probe
	// (malformed, for another probe, a command's answer).
	Ignored int
}

// Why a discovery could not probe at all, or failed on an interface: the
// Err of an *InterfaceError, in Discover's error or Discovery.Problems, so
// that a client can say it in its own words.
var (
	// ErrNoInterface: no interface is up, multicast-capable, not the
	// loopback and with an IPv4 address.
	ErrNoInterface = errors.New("no interface to probe: none is up, multicast-capable and with an IPv4 address (name one with -i)")
	// ErrUnknownInterface: an interface named is not on this host.
	ErrUnknownInterface = errors.New("no such network interface here")
	// ErrNoIPv4: the interfaces have no IPv4 address to probe from.
	ErrNoIPv4 = errors.New("no IPv4 address to probe from")
	// ErrNoProbeSent: no probe could be sent from any interface; the
	// Discovery's problems say why.
	ErrNoProbeSent = errors.New("no probe could be sent")
)

// What an InterfaceError's Op failed at.
const (
	OpAddresses = "reading its addresses" // the interface's addresses could not be read
	OpSocket    = "opening a socket"      // no socket could be bound to its address (Addr)
	OpProbe     = "probe"                 // a probe to Addr could not be sent
)

// InterfaceError is a discovery failure that concerns network interfaces:
// Err is one of the errors above (Op empty), or the system's error when Op
// failed.
type InterfaceError struct {
	Interfaces []string // the interfaces concerned; for ErrUnknownInterface the one named
	Op         string
	Addr       netip.Addr // the socket's address (OpSocket) or the probe's destination (OpProbe)
	Have       []string   // for ErrUnknownInterface: the interfaces there are
	Problems   []error    // for ErrNoProbeSent: why each probe failed
	Err        error
}

func (e *InterfaceError) Error() string {
	names := strings.Join(e.Interfaces, ", ")
	switch {
	case e.Err == ErrUnknownInterface:
		return fmt.Sprintf("sadp: no network interface %q here (there are: %s)", names, strings.Join(e.Have, ", "))
	case e.Err == ErrNoProbeSent:
		return fmt.Sprintf("sadp: %v: %v", e.Err, errors.Join(e.Problems...))
	case e.Op == OpProbe:
		return fmt.Sprintf("interface %s: probe to %s: %v", names, e.Addr, e.Err)
	case e.Op == OpSocket:
		return fmt.Sprintf("interface %s (%s): opening a socket: %v", names, e.Addr, e.Err)
	case e.Op != "":
		return fmt.Sprintf("interface %s: %s: %v", names, e.Op, e.Err)
	case names == "":
		return "sadp: " + e.Err.Error()
	}
	return fmt.Sprintf("interface %s: %v", names, e.Err)
}

func (e *InterfaceError) Unwrap() error { return e.Err }

// Discover probes every chosen interface with inquiry and inquiry_v32, to
// each destination, and collects the answers to its probe for opts.Wait
// (or until ctx ends). After ReprobeAfter (or half of opts.Wait) every
// socket sends its probes once more. Each
// device is listed once. It fails only when no probe at all could be
// sent: an *InterfaceError says why (ErrNoInterface, ErrUnknownInterface,
// ErrNoIPv4, ErrNoProbeSent), or the interfaces could not be listed.
func Discover(ctx context.Context, opts DiscoverOptions) (*Discovery, error) {
	if opts.Wait <= 0 {
		opts.Wait = DefaultWait
	}
	if opts.Port == 0 {
		opts.Port = Port
	}
	if len(opts.Destinations) == 0 {
		opts.Destinations = []netip.Addr{netip.MustParseAddr(Group), netip.AddrFrom4([4]byte{255, 255, 255, 255})}
	}
	if opts.MaxDevices <= 0 {
		opts.MaxDevices = 1024
	}
	d := &Discovery{}
	locals, err := probeAddresses(opts.Interfaces, d)
	if err != nil {
		return nil, err
	}
	uuid := newUUID()
	ctx, cancel := context.WithTimeout(ctx, opts.Wait)
	defer cancel()

	var conns []*net.UDPConn // one an interface address
	var names []string       // conns[i]'s interface
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	type received struct {
		f    Found
		m    *ProbeMatch
		conn int // the index in conns of the socket it came to
	}
	answers := make(chan received, 64)
	var readers sync.WaitGroup
	// probe sends the probes from conns[i]: every type to every
	// destination. It returns how many were sent and why the others were
	// not.
	probe := func(i int) (sent int, problems []error) {
		for _, dst := range opts.Destinations {
			for _, typ := range []string{TypeInquiry, TypeInquiryV32} {
				msg := Probe{UUID: uuid, Types: typ}.Marshal()
				if _, err := conns[i].WriteToUDPAddrPort(msg, netip.AddrPortFrom(dst, uint16(opts.Port))); err != nil {
					problems = append(problems, &InterfaceError{Interfaces: names[i : i+1], Op: OpProbe, Addr: dst, Err: err})
					continue
				}
				sent++
			}
		}
		return sent, problems
	}
	sent := 0
	for _, l := range locals {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: l.addr.AsSlice()})
		if err != nil {
			d.Problems = append(d.Problems, &InterfaceError{Interfaces: []string{l.ifi.Name}, Op: OpSocket, Addr: l.addr, Err: err})
			continue
		}
		i := len(conns)
		conns, names = append(conns, c), append(names, l.ifi.Name)
		pc := ipv4.NewPacketConn(c)
		// Best effort: the socket is bound to the interface's address, and
		// where these are refused the kernel's own choice is used.
		_ = pc.SetMulticastInterface(&l.ifi)
		_ = pc.SetMulticastTTL(1)
		n, problems := probe(i)
		sent += n
		d.Problems = append(d.Problems, problems...)
		d.Interfaces = appendOnce(d.Interfaces, l.ifi.Name)
		readers.Add(1)
		go func(c *net.UDPConn, name string) {
			defer readers.Done()
			buf := make([]byte, MaxAnswerSize+1)
			for {
				n, from, err := c.ReadFromUDPAddrPort(buf)
				if err != nil {
					return // closed when ctx ends
				}
				m, err := ParseProbeMatch(buf[:n])
				if err != nil || !strings.EqualFold(m.UUID, uuid) || m.Result != "" || !(Probe{Types: m.Types}).IsInquiry() {
					m = nil
				}
				select {
				case answers <- received{Found{From: netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), Interface: name}, m, i}:
				case <-ctx.Done():
					return
				}
			}
		}(c, l.ifi.Name)
	}
	if sent == 0 {
		return nil, &InterfaceError{Interfaces: d.Interfaces, Problems: d.Problems, Err: ErrNoProbeSent}
	}
	go func() {
		<-ctx.Done()
		for _, c := range conns {
			c.SetReadDeadline(time.Now()) // wakes the readers
		}
		readers.Wait()
		close(answers)
	}()
	reprobe := time.NewTimer(min(ReprobeAfter, opts.Wait/2))
	defer reprobe.Stop()
	reprobeDue := reprobe.C
	seen := make(map[string]bool)
	for {
		var a received
		select {
		case <-reprobeDue:
			reprobeDue = nil
			for i := range conns {
				probe(i) // what cannot be sent, the first round said
			}
			continue
		case r, ok := <-answers:
			if !ok {
				return sorted(d), nil
			}
			a = r
		}
		if a.m == nil {
			d.Ignored++
			continue
		}
		key := a.m.DeviceSN + "\x00" + a.m.MAC + "\x00" + a.m.IPv4Address + "\x00" + a.f.From.Addr().String()
		if seen[key] || len(d.Devices) >= opts.MaxDevices {
			continue
		}
		seen[key] = true
		a.f.ProbeMatch = a.m
		d.Devices = append(d.Devices, a.f)
	}
}

// sorted sorts d's devices by the address they answered from, then serial.
func sorted(d *Discovery) *Discovery {
	slices.SortStableFunc(d.Devices, func(a, b Found) int {
		return cmp.Or(a.From.Addr().Compare(b.From.Addr()), strings.Compare(a.DeviceSN, b.DeviceSN))
	})
	return d
}

// localAddr is one interface address to probe from.
type localAddr struct {
	ifi  net.Interface
	addr netip.Addr
}

// probeAddresses lists the IPv4 addresses to probe from: those of the
// named interfaces, or of every suitable one.
func probeAddresses(names []string, d *Discovery) ([]localAddr, error) {
	all, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("sadp: listing the network interfaces: %w", err)
	}
	var out []localAddr
	for _, name := range names {
		if !slices.ContainsFunc(all, func(i net.Interface) bool { return i.Name == name }) {
			var have []string
			for _, i := range all {
				have = append(have, i.Name)
			}
			return nil, &InterfaceError{Interfaces: []string{name}, Have: have, Err: ErrUnknownInterface}
		}
	}
	for _, ifi := range all {
		named := slices.Contains(names, ifi.Name)
		if len(names) > 0 && !named {
			continue
		}
		if len(names) == 0 && (ifi.Flags&net.FlagUp == 0 || ifi.Flags&net.FlagLoopback != 0 || ifi.Flags&net.FlagMulticast == 0) {
			continue
		}
		addrs, err := ifi.Addrs()
		if err != nil {
			d.Problems = append(d.Problems, &InterfaceError{Interfaces: []string{ifi.Name}, Op: OpAddresses, Err: err})
			continue
		}
		n := 0
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil {
				ip, _ := netip.AddrFromSlice(ipn.IP.To4())
				out = append(out, localAddr{ifi, ip})
				n++
			}
		}
		if n == 0 && named {
			d.Problems = append(d.Problems, &InterfaceError{Interfaces: []string{ifi.Name}, Err: ErrNoIPv4})
		}
	}
	if len(out) == 0 {
		if len(names) > 0 {
			return nil, &InterfaceError{Interfaces: names, Err: ErrNoIPv4}
		}
		return nil, &InterfaceError{Err: ErrNoInterface}
	}
	return out, nil
}

// newUUID is a random (version 4) UUID in upper case, as SADP clients send.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return strings.ToUpper(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}

func appendOnce(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
