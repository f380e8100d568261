//go:build linux

package sadp

import (
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// device is a Device whose description the test changes.
type device struct {
	mu  sync.Mutex
	d   Description
	err error
}

func (d *device) Describe() (Description, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.d, d.err
}

func (d *device) set(f func(*Description)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f(&d.d)
}

// loopbackResponder is a responder on the loopback interface and an
// ephemeral port, with the loopback checks relaxed (the tests' probes come
// from 127.0.0.x); the network namespace tests cover the real checks.
func loopbackResponder(t *testing.T, lim Limits) (*Responder, *device, netip.AddrPort) {
	t.Helper()
	dev := &device{d: Description{Serial: "NVRTEST0000001", Model: "NVR-TEST", SoftwareVersion: "v0.0.1", GUID: true}}
	r, err := Listen(Options{Device: dev, Limits: lim, Logger: slog.New(slog.DiscardHandler), loopback: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	port := r.LocalAddr().(*net.UDPAddr).Port
	return r, dev, netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))
}

// client is a socket from src, with the answers it reads.
func client(t *testing.T, src string) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(src)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func send(t *testing.T, c *net.UDPConn, to netip.AddrPort, b []byte) {
	t.Helper()
	if _, err := c.WriteToUDPAddrPort(b, to); err != nil {
		t.Fatal(err)
	}
}

// next reads the next answer; the deadline only stops a broken test from
// hanging, no assertion depends on it.
func next(t *testing.T, c *net.UDPConn) *ProbeMatch {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, MaxAnswerSize)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	m, err := ParseProbeMatch(buf[:n])
	if err != nil {
		t.Fatalf("answer %q: %v", buf[:n], err)
	}
	return m
}

// kernelBootTime is the kernel's boot time as answers give it, from
// /proc/stat.
func kernelBootTime(t *testing.T) string {
	t.Helper()
	f, err := os.Open("/proc/stat")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	boot, err := readBootTime(f)
	if err != nil {
		t.Fatalf("/proc/stat: %v", err)
	}
	return boot.Format("2006-01-02 15:04:05")
}

// waitCounters polls until cond holds on the responder's counters.
func waitCounters(t *testing.T, r *Responder, cond func(Counters) bool) Counters {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c := r.Counters()
		if cond(c) {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("counters never got there: %+v", c)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestResponderAnswersAnInquiry(t *testing.T) {
	r, dev, addr := loopbackResponder(t, Limits{})
	c := client(t, "127.0.0.1")
	send(t, c, addr, Probe{UUID: "A-1", Types: TypeInquiry}.Marshal())
	m := next(t, c)
	want := ProbeMatch{
		UUID: "A-1", Types: TypeInquiry, DeviceType: DeviceTypeNVRMenu,
		DeviceDescription: "NVR-TEST", DeviceSN: "NVRTEST0000001", MAC: "00-00-00-00-00-00",
		IPv4Address: "127.0.0.1", IPv4SubnetMask: "255.0.0.0", DHCP: FlagFalse, // the loopback: no IPv6 shown
		SoftwareVersion: "v0.0.1", DSPVersion: "N/A", BootTime: kernelBootTime(t),
		Encrypt: FlagFalse, ResetAbility: FlagFalse, Activated: FlagFalse,
		PasswordResetAbility: FlagFalse, PasswordResetModeSecond: FlagFalse,
		SupportSecurityQuestion: FlagFalse, SupportGUID: FlagTrue,
		SupportHCPlatform: FlagFalse, HCPlatformEnable: FlagFalse, IsModifyVerificationCode: FlagFalse,
		DeviceLock: FlagFalse, SupportMailBox: FlagFalse,
	}
	if *m != want {
		t.Errorf("answer:\ngot  %+v\nwant %+v", *m, want)
	}

	// Every answer asks the device again.
	fp := strings.Repeat("5a", 32)
	dev.set(func(d *Description) {
		d.Activated, d.Locked, d.HTTPPort = true, true, 8443
		d.CertSHA256 = fp // the URL on the address the probe came in on
	})
	send(t, c, addr, Probe{UUID: "A-2", Types: TypeInquiryV32}.Marshal())
	m = next(t, c)
	if m.UUID != "A-2" || m.Types != TypeInquiryV32 || m.Activated != FlagTrue || m.DeviceLock != FlagTrue || m.HTTPPort != 8443 ||
		m.WebDoor == nil || *m.WebDoor != (WebDoor{"https://127.0.0.1:8443/", fp}) {
		t.Errorf("answer after the device changed: %+v (web door %+v)", *m, m.WebDoor)
	}

	// A device that cannot describe itself is not answered for.
	dev.mu.Lock()
	dev.err = errors.New("state being reopened")
	dev.mu.Unlock()
	send(t, c, addr, Probe{UUID: "A-3", Types: TypeInquiry}.Marshal())
	waitCounters(t, r, func(c Counters) bool { return c.Unavailable == 1 })
	dev.mu.Lock()
	dev.err = nil
	dev.mu.Unlock()
	send(t, c, addr, Probe{UUID: "A-4", Types: TypeInquiry}.Marshal())
	if m = next(t, c); m.UUID != "A-4" {
		t.Errorf("first answer after an unavailable device is for %q, want A-4", m.UUID)
	}
}

// TestResponderDeniesCommands: the vendor's commands get "denied" and
// nothing about the device; a datagram that is not a probe gets nothing.
func TestResponderDeniesCommands(t *testing.T) {
	r, _, addr := loopbackResponder(t, Limits{PerSecond: 100, Burst: 100, SourcePerSecond: 100, SourceBurst: 100, Sources: 8})
	c := client(t, "127.0.0.1")
	for _, typ := range []string{"activate", "update", "modifypassword", "reset", "getcode", "exchangecode", "gethiddenssid"} {
		send(t, c, addr, []byte(`<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>C-`+typ+`</Uuid><MAC>02-00-5e-00-53-01</MAC><Types>`+typ+`</Types><Password>x</Password></Probe>`))
		m := next(t, c)
		if want := (ProbeMatch{UUID: "C-" + typ, Types: typ, Result: ResultDenied}); *m != want {
			t.Errorf("%s: got %+v, want only %+v", typ, *m, want)
		}
	}
	// Not answered: an answer (no loops between responders), a probe with a
	// DTD, garbage, a datagram over the limit. The probe sent after them
	// gets the first answer, so none of them was answered.
	for _, b := range [][]byte{
		ours.Marshal(),
		[]byte(`<!DOCTYPE Probe><Probe><Uuid>X</Uuid><Types>inquiry</Types></Probe>`),
		[]byte("\x21\x02\x42\x01\x00\x00"),
		[]byte("<Probe><Uuid>X</Uuid><Types>inquiry</Types><Pad>" + strings.Repeat("x", MaxProbeSize) + "</Pad></Probe>"),
	} {
		send(t, c, addr, b)
	}
	send(t, c, addr, Probe{UUID: "after", Types: TypeInquiry}.Marshal())
	if m := next(t, c); m.UUID != "after" {
		t.Errorf("first answer after the bad datagrams is for %q, want \"after\"", m.UUID)
	}
	got := waitCounters(t, r, func(c Counters) bool { return c.Answered == 1 })
	if got.Denied != 7 || got.Malformed != 3 || got.TooLarge != 1 {
		t.Errorf("counters %+v: want 7 denied, 3 malformed, 1 too large", got)
	}
}

func TestResponderLimitsOneSource(t *testing.T) {
	// No refill within the test: the burst is all one source gets.
	r, _, addr := loopbackResponder(t, Limits{PerSecond: 1000, Burst: 1000, SourcePerSecond: 1e-9, SourceBurst: 3, Sources: 16})
	c := client(t, "127.0.0.1")
	for i := range 10 {
		send(t, c, addr, Probe{UUID: "S-" + string(rune('a'+i)), Types: TypeInquiry}.Marshal())
	}
	got := waitCounters(t, r, func(c Counters) bool { return c.Received == 10 })
	if got.Answered != 3 || got.Limited != 7 {
		t.Errorf("10 probes from one source: counters %+v, want 3 answered and 7 limited", got)
	}
	for range 3 {
		next(t, c)
	}
	// Another source still gets its own burst.
	other := client(t, "127.0.0.2")
	send(t, other, addr, Probe{UUID: "other", Types: TypeInquiry}.Marshal())
	if m := next(t, other); m.UUID != "other" {
		t.Errorf("another source: got the answer for %q", m.UUID)
	}
}

func TestResponderLimitsEveryone(t *testing.T) {
	r, _, addr := loopbackResponder(t, Limits{PerSecond: 1e-9, Burst: 5, SourcePerSecond: 1e-9, SourceBurst: 10, Sources: 64})
	sent := 0
	for i := 2; i < 12; i++ {
		c := client(t, "127.0.0."+string(rune('0'+i/10))+string(rune('0'+i%10)))
		for range 2 {
			send(t, c, addr, Probe{UUID: "E", Types: TypeInquiry}.Marshal())
			sent++
		}
	}
	got := waitCounters(t, r, func(c Counters) bool { return c.Received == uint64(sent) })
	if got.Answered != 5 || got.Limited != uint64(sent-5) {
		t.Errorf("%d probes from 10 sources: counters %+v, want the overall burst of 5 answered", sent, got)
	}
}

func TestSourceChecks(t *testing.T) {
	r := &Responder{}
	ifi := &netIface{prefixes: []netip.Prefix{netip.MustParsePrefix("198.51.100.10/24"), netip.MustParsePrefix("192.0.2.1/31")}}
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{"198.51.100.20:50000", true},
		{"192.0.2.0:50000", true},   // a /31 has no network or broadcast address
		{"203.0.113.5:50000", true}, // outside the subnets: the subnet rule's business
		{"198.51.100.20:0", false},
		{"239.255.255.250:37020", false},
		{"224.0.0.1:37020", false},
		{"255.255.255.255:37020", false},
		{"198.51.100.255:37020", false}, // directed broadcast
		{"198.51.100.0:37020", false},   // the network's own address
		{"198.51.100.10:37020", false},  // ourselves
		{"192.0.2.1:37020", false},      // ourselves, on the other address
		{"0.0.0.0:37020", false},
		{"127.0.0.1:37020", false},
	} {
		if got := r.sourceOK(netip.MustParseAddrPort(tc.src), ifi); got != tc.want {
			t.Errorf("sourceOK(%s) = %v, want %v", tc.src, got, tc.want)
		}
	}
	// The demo answers its own machine (OwnHost), nothing else more.
	own := &Responder{opts: Options{OwnHost: true}}
	for src, want := range map[string]bool{"198.51.100.10:37020": true, "192.0.2.1:37020": true, "198.51.100.255:37020": false, "127.0.0.1:37020": false} {
		if got := own.sourceOK(netip.MustParseAddrPort(src), ifi); got != want {
			t.Errorf("OwnHost: sourceOK(%s) = %v, want %v", src, got, want)
		}
	}
	for _, tc := range []struct {
		src, local string
		in         bool
	}{
		{"198.51.100.20", "198.51.100.10/24", true},
		{"192.0.2.0", "192.0.2.1/31", true},
		{"203.0.113.5", "198.51.100.10/24", false}, // answered from the first address only with any_subnet
	} {
		p, in := localPrefix(ifi, netip.MustParseAddr(tc.src))
		if p.String() != tc.local || in != tc.in {
			t.Errorf("localPrefix(%s) = %v, %v; want %s, %v", tc.src, p, in, tc.local, tc.in)
		}
	}
	if p, _ := localPrefix(&netIface{}, netip.MustParseAddr("198.51.100.20")); p.IsValid() {
		t.Errorf("an interface without an IPv4 address gave %v, want none (no answer)", p)
	}
}

// TestDiscoverOnLoopback: the client finds a responder, lists it once for
// its two answers (inquiry and inquiry_v32), and ignores what does not
// answer its own probe.
func TestDiscoverOnLoopback(t *testing.T) {
	r, _, addr := loopbackResponder(t, Limits{})
	// A second "device" that answers every probe with a stranger's Uuid
	// and with garbage.
	stranger := client(t, "127.0.0.1")
	go func() {
		buf := make([]byte, MaxProbeSize)
		for {
			_, from, err := stranger.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			other := ours
			other.UUID = "not-yours"
			stranger.WriteToUDPAddrPort(other.Marshal(), from)
			stranger.WriteToUDPAddrPort([]byte("<ProbeMatch><Uuid>"), from)
		}
	}()
	strangerAddr := netip.MustParseAddrPort(stranger.LocalAddr().String())
	for _, dst := range []netip.AddrPort{addr, strangerAddr} {
		d, err := Discover(t.Context(), DiscoverOptions{
			Interfaces:   []string{"lo"},
			Destinations: []netip.Addr{dst.Addr()},
			Port:         int(dst.Port()),
			Wait:         500 * time.Millisecond,
		})
		if err != nil {
			t.Fatal(err)
		}
		if dst == addr {
			if len(d.Devices) != 1 || d.Devices[0].DeviceSN != "NVRTEST0000001" || d.Devices[0].From != addr || d.Devices[0].Interface != "lo" {
				t.Errorf("discovery of the responder: %+v", d.Devices)
			}
			if got := r.Counters().Received; got != 4 {
				t.Errorf("the responder got %d probes, want 4: two rounds of two, answered or not", got)
			}
		} else if len(d.Devices) != 0 || d.Ignored != 8 {
			t.Errorf("discovery of the stranger: %d devices, %d ignored; want none and 8 (two answers to each of two probes, sent twice as nothing answered)", len(d.Devices), d.Ignored)
		}
	}
	var ie *InterfaceError
	if _, err := Discover(t.Context(), DiscoverOptions{Interfaces: []string{"no-such-if0"}}); !errors.Is(err, ErrUnknownInterface) ||
		!errors.As(err, &ie) || ie.Interfaces[0] != "no-such-if0" || len(ie.Have) == 0 || !strings.Contains(err.Error(), "no network interface") {
		t.Errorf("an unknown interface: got %v, want ErrUnknownInterface naming it and those there are", err)
	}
}

// TestBackToBackDiscoveries: two discoveries from one host in a row, each
// sending 4 probes and the same 4 again as nvr-sadp list does (here to two
// addresses of the responder, as the group and the broadcast address
// reach a recorder), are both answered under DefaultLimits; a flood from
// another host, a port per probe, still gets no more than its burst.
func TestBackToBackDiscoveries(t *testing.T) {
	// DefaultLimits' per-source bucket, under an overall one too large to
	// be what stops the flood.
	lim := DefaultLimits
	lim.PerSecond, lim.Burst = 1000, 1000
	r, _, addr := loopbackResponder(t, lim)
	for run := range 2 {
		d, err := Discover(t.Context(), DiscoverOptions{
			Interfaces:   []string{"lo"},
			Destinations: []netip.Addr{addr.Addr(), netip.MustParseAddr("127.0.0.2")},
			Port:         int(addr.Port()),
			Wait:         300 * time.Millisecond,
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Devices) != 1 {
			t.Errorf("discovery %d: %d devices, want the responder (counters %+v)", run+1, len(d.Devices), r.Counters())
		}
	}
	if got := r.Counters(); got.Received != 16 || got.Answered != 16 || got.Limited != 0 {
		t.Errorf("two discoveries: counters %+v, want 16 probes, all answered", got)
	}
	// The flood comes from 50 ports of one address, one probe each: a
	// new port buys no new burst.
	for i := range 50 {
		send(t, client(t, "127.0.0.3"), addr, Probe{UUID: "F-" + string(rune('a'+i%26)), Types: TypeInquiry}.Marshal())
	}
	got := waitCounters(t, r, func(c Counters) bool { return c.Received == 16+50 })
	// Four tokens a second refill while the 50 go out: one more at most.
	if answered := int(got.Answered) - 16; answered < DefaultLimits.SourceBurst || answered > DefaultLimits.SourceBurst+1 {
		t.Errorf("50 probes from 50 ports of one host: %d answered (counters %+v), want the burst of %d", answered, got, DefaultLimits.SourceBurst)
	}
}

// TestDiscoverReprobes: a device that missed the first probes (lost, or
// over its limit) is found by the second round, within the wait.
func TestDiscoverReprobes(t *testing.T) {
	dev := client(t, "127.0.0.1")
	probes := make(chan int, 16)
	go func() {
		buf := make([]byte, MaxProbeSize)
		for n := 1; ; n++ {
			size, from, err := dev.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			probes <- n
			p, err := ParseProbe(buf[:size])
			if err != nil || n <= 2 {
				continue // the first round is lost
			}
			m := ours
			m.UUID, m.Types = p.UUID, p.Types
			dev.WriteToUDPAddrPort(m.Marshal(), from)
		}
	}()
	to := netip.MustParseAddrPort(dev.LocalAddr().String())
	d, err := Discover(t.Context(), DiscoverOptions{Interfaces: []string{"lo"}, Destinations: []netip.Addr{to.Addr()}, Port: int(to.Port()), Wait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Devices) != 1 || d.Devices[0].DeviceSN != ours.DeviceSN {
		t.Errorf("a device that missed the first round: found %+v, want it", d.Devices)
	}
	if n := len(probes); n != 4 {
		t.Errorf("the device got %d probes, want 4: two rounds of two", n)
	}
}
