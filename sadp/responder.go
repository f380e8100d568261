//go:build linux

package sadp

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/ipv4"
	"golang.org/x/sys/unix"
)

// Options configure a Responder.
type Options struct {
	// Device says what the answers carry. Required.
	Device Device
	// Interfaces names the interfaces to answer on. Empty: every interface
	// that is up, multicast-capable and not the loopback, as they come and
	// go. A named interface that is missing is answered on once it appears.
	Interfaces []string
	// AnySubnet answers a probe whose source is outside the subnets of the
	// interface it came in on. Off, such a probe gets no answer: an
	// installer's laptop is on the recorder's own segment, and a source
	// elsewhere is either routed in from far away or forged.
	AnySubnet bool
	// OwnHost answers a probe from one of the receiving interface's own
	// addresses, which is otherwise refused as a loop: the demo, whose
	// installer's tool runs on the same machine.
	OwnHost bool
	// Limits bound the answers; the zero value is DefaultLimits.
	Limits Limits
	// Port is the UDP port to listen on; 0 is Port (tests use another).
	Port int
	// Logger gets one line per interface change and per failure, never
	// one per datagram. Nil: slog.Default().
	Logger *slog.Logger
	// RouteTable is read for the interfaces' default gateways; "" is
	// /proc/net/route.
	RouteTable string
	// IPv6AddressTable and IPv6RouteTable are read, for every answer, for
	// the receiving interface's IPv6 address and default gateway; "" is
	// /proc/net/if_inet6 and /proc/net/ipv6_route. Missing (a kernel
	// without IPv6), the answer says it has none.
	IPv6AddressTable, IPv6RouteTable string
	// KernelStat is read, for every answer, for the kernel's boot time
	// when the Description has none; "" is /proc/stat.
	KernelStat string

	// loopback makes a test responder: on an ephemeral port, answering on
	// the loopback interface only, from it.
	loopback bool
}

// Counters count what the responder did with the datagrams it read.
type Counters struct {
	Received  uint64 // datagrams read
	Answered  uint64 // ProbeMatch answers sent to an inquiry
	Denied    uint64 // <Result>denied</Result> answers sent to a command
	TooLarge  uint64 // over MaxProbeSize: dropped unread
	BadSource uint64 // from a multicast, broadcast, unspecified or own address, or port 0
	Subnet    uint64 // from outside the receiving interface's subnets
	NotOurs   uint64 // on an interface the responder does not answer on
	Malformed uint64 // not a well-formed probe within the parser's limits
	Limited   uint64 // over a rate limit
	// Unavailable counts probes not answered because the device could not
	// describe itself.
	Unavailable uint64
	SendError   uint64 // the answer could not be sent
}

// Responder answers SADP discovery on the LAN. Make one with Listen; it
// runs until Close.
type Responder struct {
	opts Options
	log  *slog.Logger
	pc   *ipv4.PacketConn
	conn *net.UDPConn
	nl   *os.File // netlink route events; nil when they could not be had

	ifaces atomic.Pointer[map[int]*netIface]
	joined map[int]bool // the watcher's own (Listen's before it starts)
	lim    *limiter

	received, answered, denied, tooLarge, badSource, subnet, notOurs, malformed, limited, unavailable, sendError atomic.Uint64

	wg        sync.WaitGroup
	closeOnce sync.Once
	closed    atomic.Bool // a refresh running at Close stays quiet
}

// netIface is an interface the responder answers on.
type netIface struct {
	index    int
	name     string
	mac      net.HardwareAddr
	prefixes []netip.Prefix // its IPv4 addresses
	gateway  netip.Addr     // its default gateway, if it has one
}

// Listen opens the SADP port, joins the group on every suitable interface
// and starts answering. The interfaces are followed through netlink route
// messages; if netlink cannot be had, the responder says so and keeps the
// interfaces it found.
func Listen(opts Options) (*Responder, error) {
	if opts.Device == nil {
		return nil, errors.New("sadp: Options.Device is nil")
	}
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits
	}
	if opts.Port == 0 {
		opts.Port = Port
	}
	opts.RouteTable = cmp.Or(opts.RouteTable, "/proc/net/route")
	opts.IPv6AddressTable = cmp.Or(opts.IPv6AddressTable, "/proc/net/if_inet6")
	opts.IPv6RouteTable = cmp.Or(opts.IPv6RouteTable, "/proc/net/ipv6_route")
	opts.KernelStat = cmp.Or(opts.KernelStat, "/proc/stat")
	r := &Responder{opts: opts, log: opts.Logger, joined: make(map[int]bool), lim: newLimiter(opts.Limits)}
	if r.log == nil {
		r.log = slog.Default()
	}
	port := opts.Port
	if opts.loopback {
		port = 0
	}
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{Port: port})
	if err != nil {
		return nil, fmt.Errorf("sadp: listening on UDP port %d: %w (is another SADP responder running?)", opts.Port, err)
	}
	r.conn, r.pc = conn, ipv4.NewPacketConn(conn)
	if err := r.pc.SetControlMessage(ipv4.FlagInterface|ipv4.FlagDst, true); err != nil {
		conn.Close()
		return nil, fmt.Errorf("sadp: asking for the receiving interface (IP_PKTINFO): %w", err)
	}
	empty := map[int]*netIface{}
	r.ifaces.Store(&empty)
	// Subscribe before the first look, so that no change between the two
	// is missed.
	r.nl, err = openRouteEvents()
	if err != nil {
		r.log.Warn("sadp: no netlink route events: interfaces that appear later are not answered on until a restart", "err", err)
	}
	r.refresh()
	for _, name := range opts.Interfaces {
		if _, err := net.InterfaceByName(name); err != nil {
			r.log.Warn("sadp: configured interface not present: answering on it once it appears", "interface", name)
		}
	}
	r.wg.Add(1)
	go r.serve()
	if r.nl != nil {
		r.wg.Add(1)
		go r.watch()
	}
	return r, nil
}

// Close stops answering, leaves the groups and waits for the responder's
// goroutines.
func (r *Responder) Close() error {
	var err error
	r.closeOnce.Do(func() {
		r.closed.Store(true)
		err = r.conn.Close()
		if r.nl != nil {
			r.nl.Close()
		}
		r.wg.Wait()
	})
	return err
}

// LocalAddr is the address the responder listens on.
func (r *Responder) LocalAddr() net.Addr { return r.conn.LocalAddr() }

// Counters returns what the responder has done so far.
func (r *Responder) Counters() Counters {
	return Counters{
		Received: r.received.Load(), Answered: r.answered.Load(), Denied: r.denied.Load(),
		TooLarge: r.tooLarge.Load(), BadSource: r.badSource.Load(), Subnet: r.subnet.Load(),
		NotOurs: r.notOurs.Load(), Malformed: r.malformed.Load(), Limited: r.limited.Load(),
		Unavailable: r.unavailable.Load(), SendError: r.sendError.Load(),
	}
}

// serve reads datagrams until Close. It blocks in the read: nothing runs
// while the LAN is quiet.
func (r *Responder) serve() {
	defer r.wg.Done()
	// One byte more than the limit tells a datagram over it.
	buf := make([]byte, MaxProbeSize+1)
	for {
		n, cm, src, err := r.pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// A transient receive error (ENOMEM, a pending ICMP error):
			// the next read is a new datagram.
			r.log.Debug("sadp: read failed", "err", err)
			continue
		}
		r.received.Add(1)
		r.handle(buf[:n], cm, src, time.Now())
	}
}

// handle answers one datagram, or drops it, counting why.
func (r *Responder) handle(b []byte, cm *ipv4.ControlMessage, from net.Addr, now time.Time) {
	if len(b) > MaxProbeSize {
		r.tooLarge.Add(1)
		return
	}
	udp, ok := from.(*net.UDPAddr)
	if cm == nil || !ok {
		r.notOurs.Add(1)
		return
	}
	ifi := (*r.ifaces.Load())[cm.IfIndex]
	if ifi == nil {
		r.notOurs.Add(1)
		return
	}
	src := udp.AddrPort()
	src = netip.AddrPortFrom(src.Addr().Unmap(), src.Port())
	if !r.sourceOK(src, ifi) {
		r.badSource.Add(1)
		return
	}
	local, inSubnet := localPrefix(ifi, src.Addr())
	if !local.IsValid() || !inSubnet && !r.opts.AnySubnet {
		r.subnet.Add(1)
		return
	}
	if !r.lim.allowSource(src.Addr(), now) {
		r.limited.Add(1)
		return
	}
	p, err := ParseProbe(b)
	if err != nil {
		r.malformed.Add(1)
		return
	}
	if !r.lim.allowAnswer(now) {
		r.limited.Add(1)
		return
	}
	desc, err := r.opts.Device.Describe()
	if err != nil {
		r.unavailable.Add(1)
		return
	}
	at := link{mac: ifi.mac, local: local, gateway: ifi.gateway}
	if p.IsInquiry() {
		at.ipv6, at.gateway6 = r.ipv6Of(ifi.name)
		if desc.BootTime.IsZero() {
			desc.BootTime = r.kernelBootTime()
		}
	}
	m := answer(p, desc, at)
	out := &ipv4.ControlMessage{IfIndex: ifi.index, Src: local.Addr().AsSlice()}
	if _, err := r.pc.WriteTo(m.Marshal(), out, net.UDPAddrFromAddrPort(src)); err != nil {
		r.sendError.Add(1)
		r.log.Debug("sadp: answer not sent", "to", src, "err", err)
		return
	}
	if m.Result != "" {
		r.denied.Add(1)
	} else {
		r.answered.Add(1)
	}
}

// ipv6Of reads the IPv6 address (with its prefix) and default gateway an
// answer shows for the interface called name, from the kernel's tables
// now: the responder does not follow IPv6 changes, so it asks at each
// answer. Invalid: none, or no IPv6 in the kernel.
func (r *Responder) ipv6Of(name string) (netip.Prefix, netip.Addr) {
	var (
		p  netip.Prefix
		gw netip.Addr
	)
	if f, err := os.Open(r.opts.IPv6AddressTable); err == nil {
		p = ipv6Addresses(f)[name]
		f.Close()
	}
	if f, err := os.Open(r.opts.IPv6RouteTable); err == nil {
		gw = defaultGateways6(f)[name]
		f.Close()
	}
	return p, gw
}

// kernelBootTime is the kernel's boot time, in the local zone (the
// vendor's BootTime is the device's wall clock); the zero time if the
// kernel cannot say (the answer then says the epoch).
func (r *Responder) kernelBootTime() time.Time {
	f, err := os.Open(r.opts.KernelStat)
	if err != nil {
		return time.Time{}
	}
	defer f.Close()
	t, err := readBootTime(f)
	if err != nil {
		r.log.Debug("sadp: no boot time", "file", r.opts.KernelStat, "err", err)
		return time.Time{}
	}
	return t
}

// sourceOK refuses sources no answer may go to: multicast, limited or
// directed broadcast, the unspecified address, the loopback, the
// network's own address, one of our addresses (a loop), port 0.
func (r *Responder) sourceOK(src netip.AddrPort, ifi *netIface) bool {
	a := src.Addr()
	if !a.Is4() || src.Port() == 0 || a.IsMulticast() || a.IsUnspecified() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return false
	}
	if r.opts.loopback {
		return true
	}
	if a.IsLoopback() {
		return false
	}
	for _, p := range ifi.prefixes {
		if a == p.Addr() && !r.opts.OwnHost || p.Bits() < 31 && p.Contains(a) && (a == p.Masked().Addr() || a == directedBroadcast(p)) {
			return false
		}
	}
	return true
}

// localPrefix picks the interface address to answer from: the one whose
// subnet holds src (inSubnet true), else the interface's first.
func localPrefix(ifi *netIface, src netip.Addr) (p netip.Prefix, inSubnet bool) {
	for _, p := range ifi.prefixes {
		if p.Contains(src) {
			return p, true
		}
	}
	if len(ifi.prefixes) > 0 {
		return ifi.prefixes[0], false
	}
	return netip.Prefix{}, false
}

// directedBroadcast is the last address of p's subnet.
func directedBroadcast(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As4()
	host := ^uint32(0) >> p.Bits()
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v |= host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// suitable reports whether the responder answers on ifi.
func (r *Responder) suitable(ifi net.Interface) bool {
	if r.opts.loopback {
		return ifi.Flags&net.FlagLoopback != 0 && ifi.Flags&net.FlagUp != 0
	}
	if ifi.Flags&net.FlagUp == 0 || ifi.Flags&net.FlagLoopback != 0 || ifi.Flags&net.FlagMulticast == 0 {
		return false
	}
	return len(r.opts.Interfaces) == 0 || slices.Contains(r.opts.Interfaces, ifi.Name)
}

// refresh reads the interfaces, their addresses and default gateways
// again, joins the group on the new ones and leaves it on the ones gone.
// It runs in Listen, then on the watcher's goroutine only.
func (r *Responder) refresh() {
	all, err := net.Interfaces()
	if err != nil {
		r.log.Warn("sadp: listing the interfaces failed: keeping the previous list", "err", err)
		return
	}
	var gws map[string]netip.Addr
	if f, err := os.Open(r.opts.RouteTable); err == nil {
		gws = defaultGateways(f)
		f.Close()
	}
	old := *r.ifaces.Load()
	next := make(map[int]*netIface)
	for _, ifi := range all {
		if !r.suitable(ifi) {
			continue
		}
		n := &netIface{index: ifi.Index, name: ifi.Name, mac: ifi.HardwareAddr, gateway: gws[ifi.Name]}
		addrs, err := ifi.Addrs()
		if err != nil {
			r.log.Warn("sadp: reading an interface's addresses failed", "interface", ifi.Name, "err", err)
		}
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok {
				if ip, ok := netip.AddrFromSlice(ipn.IP.To4()); ok && ipn.IP.To4() != nil {
					bits, _ := ipn.Mask.Size()
					n.prefixes = append(n.prefixes, netip.PrefixFrom(ip, bits))
				}
			}
		}
		next[ifi.Index] = n
		if !r.joined[ifi.Index] && ifi.Flags&net.FlagMulticast != 0 {
			err := r.pc.JoinGroup(&ifi, &net.UDPAddr{IP: net.ParseIP(Group)})
			if err != nil && !errors.Is(err, unix.EADDRINUSE) && !r.closed.Load() {
				r.log.Warn("sadp: joining the group failed: only broadcast and unicast probes reach this interface", "interface", ifi.Name, "err", err)
			}
			r.joined[ifi.Index] = true
		}
		if o := old[ifi.Index]; o == nil || !slices.Equal(o.prefixes, n.prefixes) || o.name != n.name {
			r.log.Info("sadp: answering on interface", "interface", ifi.Name, "addresses", fmt.Sprint(n.prefixes))
		}
	}
	for index, o := range old {
		if next[index] == nil {
			r.log.Info("sadp: interface gone or down: not answering on it", "interface", o.name)
		}
	}
	for index := range r.joined {
		if next[index] == nil {
			// The interface may be gone already, and its membership with it.
			r.pc.LeaveGroup(&net.Interface{Index: index}, &net.UDPAddr{IP: net.ParseIP(Group)})
			delete(r.joined, index)
		}
	}
	r.ifaces.Store(&next)
}

// openRouteEvents subscribes to the kernel's link, IPv4 address and IPv4
// route changes. The socket is non-blocking, so that Go's poller waits on
// it and Close wakes the reader.
func openRouteEvents() (*os.File, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	sa := &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: unix.RTMGRP_LINK | unix.RTMGRP_IPV4_IFADDR | unix.RTMGRP_IPV4_ROUTE}
	if err := unix.Bind(fd, sa); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("netlink bind: %w", err)
	}
	return os.NewFile(uintptr(fd), "netlink-route"), nil
}

// watch waits for route events and refreshes the interfaces after each
// batch: the messages themselves are not parsed, the kernel's tables are
// read again (a lost message, ENOBUFS, is then no loss).
func (r *Responder) watch() {
	defer r.wg.Done()
	rc, err := r.nl.SyscallConn()
	if err != nil {
		r.log.Warn("sadp: netlink route events unusable", "err", err)
		return
	}
	buf := make([]byte, 16<<10)
	for {
		var readErr error
		err := rc.Read(func(fd uintptr) bool {
			got := false
			for {
				_, err := unix.Read(int(fd), buf)
				switch {
				case err == unix.EAGAIN:
					return got // wait for more when nothing was read
				case err == unix.EINTR:
					continue
				case err == unix.ENOBUFS:
					got = true // messages were lost: refresh all the same
				case err != nil:
					readErr = err
					return true
				default:
					got = true
				}
			}
		})
		if err != nil {
			return // closed
		}
		if readErr != nil {
			if !r.closed.Load() {
				r.log.Warn("sadp: netlink route events stopped: interfaces are no longer followed", "err", readErr)
			}
			return
		}
		r.refresh()
	}
}
