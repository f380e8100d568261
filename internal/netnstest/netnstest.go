//go:build linux

// Package netnstest makes network namespaces for tests: hosts joined by a
// switch, each with its own interfaces and addresses, so that what crosses
// a real network (multicast, broadcast, subnets, interfaces that come and
// go) is tested between processes on one machine. It drives iproute2's ip
// and needs root.
//
// Outside CI, a test that cannot have namespaces (not root, no ip, under
// qemu-user) skips and says why; with CI set, it fails instead, except
// under qemu-user (NVRMENU_EMULATED=1), where namespaces are not the
// emulator's business. Everything made is removed by the test's cleanup;
// namespaces left by a test run that was killed are removed by the next.
//
// Addresses are for documentation networks only (192.0.2.0/24,
// 198.51.100.0/24, RFC 5737); nothing is attached to the machine's own
// namespace.
package netnstest

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// prefix starts every namespace name this package makes, followed by the
// process id.
const prefix = "nvrt"

// Require skips (or, in CI, fails) the test unless namespaces can be made.
func Require(t testing.TB) {
	t.Helper()
	if os.Getenv("NVRMENU_EMULATED") != "" {
		t.Skip("network namespace tests run natively only, not under qemu-user (NVRMENU_EMULATED is set)")
	}
	why := ""
	if os.Geteuid() != 0 {
		why = "not root: network namespaces need root (run ./build.sh test as root, as CI does)"
	} else if _, err := exec.LookPath("ip"); err != nil {
		why = "ip missing: apt-get install iproute2 (./build.sh test installs it as root)"
	} else if out, err := exec.Command("ip", "netns", "list").CombinedOutput(); err != nil {
		why = fmt.Sprintf("ip netns does not work here: %v: %s", err, strings.TrimSpace(string(out)))
	}
	if why == "" {
		sweepOnce.Do(sweep)
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI must run the network namespace tests, but: %s", why)
	}
	t.Skip(why)
}

var (
	sweepOnce sync.Once
	counter   atomic.Int32
)

// sweep removes the namespaces of test processes that are gone.
func sweep() {
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		name, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err != nil {
			exec.Command("ip", "netns", "del", name).Run()
		}
	}
}

// NS is a network namespace.
type NS struct {
	Name string
}

// New makes a namespace with its loopback up, removed when the test ends
// (after the test's own cleanups registered later, such as its processes).
func New(t testing.TB, label string) *NS {
	t.Helper()
	n := &NS{Name: fmt.Sprintf("%s%d-%d-%s", prefix, os.Getpid(), counter.Add(1), label)}
	Run(t, "ip", "netns", "add", n.Name)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", n.Name).Run() })
	n.IP(t, "link", "set", "lo", "up")
	return n
}

// IP runs `ip -n NS args...`.
func (n *NS) IP(t testing.TB, args ...string) {
	t.Helper()
	Run(t, "ip", append([]string{"-n", n.Name}, args...)...)
}

// Command is name with args run inside the namespace.
func (n *NS) Command(name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

// Run runs a command and fails the test with its output if it fails.
func Run(t testing.TB, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, out)
	}
}

// Switch is a namespace holding a bridge: a LAN segment hosts plug into.
type Switch struct {
	ns    *NS
	ports int
}

// NewSwitch makes a LAN segment.
func NewSwitch(t testing.TB) *Switch {
	t.Helper()
	s := &Switch{ns: New(t, "sw")}
	s.ns.IP(t, "link", "add", "br0", "type", "bridge")
	// No multicast snooping: the bridge floods the group to every port,
	// as a plain switch does, whatever IGMP says.
	s.ns.IP(t, "link", "set", "br0", "type", "bridge", "mcast_snooping", "0")
	s.ns.IP(t, "link", "set", "br0", "up")
	return s
}

// Plug connects host to the switch through a veth pair whose host end is
// ifname (up, with the addresses given in CIDR form, if any).
func (s *Switch) Plug(t testing.TB, host *NS, ifname string, cidrs ...string) {
	t.Helper()
	s.ports++
	port := fmt.Sprintf("p%d", s.ports)
	Run(t, "ip", "link", "add", ifname, "netns", host.Name, "type", "veth", "peer", "name", port, "netns", s.ns.Name)
	s.ns.IP(t, "link", "set", port, "master", "br0")
	s.ns.IP(t, "link", "set", port, "up")
	for _, c := range cidrs {
		host.IP(t, "addr", "add", c, "dev", ifname)
	}
	host.IP(t, "link", "set", ifname, "up")
}
