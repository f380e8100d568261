//go:build linux

package sadp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"nvrmenu/internal/netnstest"
	"nvrmenu/internal/testenv"
)

// The segment of TestNamespaceProbeShapes: a recorder and a laptop on one
// switch, the recorder with a default gateway and, when the kernel has
// IPv6, an IPv6 address and gateway of its own.
const (
	nsRecorder = "198.51.100.11"
	nsLaptop   = "198.51.100.50"
	nsGateway  = "198.51.100.1"
	nsIPv6     = "2001:db8::11"
	nsGateway6 = "2001:db8::1"
	nsSerial   = "NVRNS00000001"
)

// nsHelperEnv makes this test binary the responder of the namespace test.
const nsHelperEnv = "SADP_NETNS_HELPER"

// pythonElementTree writes a probe for the Uuid in argv[1] as a Python SADP
// client does: ElementTree's tostring with its declaration.
const pythonElementTree = `import sys, xml.etree.ElementTree as ET
probe = ET.Element("Probe")
ET.SubElement(probe, "Uuid").text = sys.argv[1]
ET.SubElement(probe, "Types").text = "inquiry"
sys.stdout.buffer.write(ET.tostring(probe, xml_declaration=True))
`

// TestNamespaceProbeShapes: the real responder, in its own network
// namespace, answers an installer's laptop across a switch whatever XML
// writer made the probe, and each answer is a vendor inquiry answer, with
// the recorder's own addresses, gateways and boot time. Probes it must
// refuse get nothing.
func TestNamespaceProbeShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("network namespaces: not in -short")
	}
	netnstest.Require(t)
	sw := netnstest.NewSwitch(t)
	rec, laptop := netnstest.New(t, "rec"), netnstest.New(t, "laptop")
	sw.Plug(t, rec, "eth0", nsRecorder+"/24")
	sw.Plug(t, laptop, "eth0", nsLaptop+"/24")
	rec.IP(t, "route", "add", "default", "via", nsGateway)
	_, err := os.Stat("/proc/net/if_inet6")
	hasIPv6 := err == nil
	if hasIPv6 {
		rec.IP(t, "-6", "addr", "add", nsIPv6+"/64", "dev", "eth0", "nodad")
		rec.IP(t, "-6", "route", "add", "default", "via", nsGateway6, "dev", "eth0")
	}
	stop, lines := nsResponder(t, rec)

	c := udpIn(t, laptop, nsLaptop)
	group := netip.AddrPortFrom(netip.MustParseAddr(Group), Port)
	mac := nsMAC(t, rec)
	boot := kernelBootTime(t) // one kernel for every namespace

	// The refused ones first: the good probe sent after them must get the
	// first answer, and the responder counts them.
	refused := [][]byte{
		[]byte("<?xml version='1.0' encoding='us-ascii'?>\n<Probe><Uuid>bad-1</Uuid><Types>inquiry</Types><Name>caf\xc3\xa9</Name></Probe>"),
		[]byte("<?xml version='1.0' encoding='us-ascii'?>\n<!DOCTYPE Probe [<!ENTITY u 'bad-2'>]><Probe><Uuid>&u;</Uuid><Types>inquiry</Types></Probe>"),
		[]byte(`<?xml version="1.0" encoding="UTF-16"?><Probe><Uuid>bad-3</Uuid><Types>inquiry</Types></Probe>`),
	}
	for _, b := range refused {
		send(t, c, group, b)
	}

	shapes := []struct {
		name  string
		probe func(t *testing.T, uuid string) []byte
	}{
		{"nvr-sadp's own", func(t *testing.T, uuid string) []byte { return Probe{UUID: uuid, Types: TypeInquiry}.Marshal() }},
		{"Go encoding/xml after xml.Header", func(t *testing.T, uuid string) []byte { return []byte(goProbe(uuid, TypeInquiry)) }},
		{"Python ElementTree's bytes", func(t *testing.T, uuid string) []byte {
			return []byte(strings.Replace(pythonProbe, "8A3F1C2E-5B6D-4E7F-8091-A2B3C4D5E6F7", uuid, 1))
		}},
		{"Python ElementTree run now", func(t *testing.T, uuid string) []byte {
			python, err := exec.LookPath("python3")
			if err != nil {
				testenv.SkipOrFail(t, "python3 is not installed: the probe Python's ElementTree writes is made by it (Debian: python3)")
			}
			out, err := exec.Command(python, "-c", pythonElementTree, uuid).Output()
			if err != nil {
				t.Fatalf("python3 writing a probe: %v", err)
			}
			if !bytes.HasPrefix(out, []byte("<?xml ")) {
				t.Fatalf("python3 wrote no XML declaration, so this case tests nothing new: %q", out)
			}
			t.Logf("python3 wrote %q", out)
			return out
		}},
		{"single quotes, CRLF, a MAC field", func(t *testing.T, uuid string) []byte {
			return []byte("<?xml version='1.0' encoding='utf-8'?>\r\n<Probe>\r\n<Uuid>" + uuid + "</Uuid>\r\n<MAC>ff-ff-ff-ff-ff-ff</MAC>\r\n<Types>inquiry</Types>\r\n</Probe>\r\n")
		}},
		{"a byte order mark, windows-1252", func(t *testing.T, uuid string) []byte {
			return []byte("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<Probe><Uuid>" + uuid + "</Uuid><Types>inquiry</Types></Probe>")
		}},
		{"inquiry_v32 under ISO-8859-1", func(t *testing.T, uuid string) []byte {
			return []byte(`<?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?><Probe><Uuid>` + uuid + `</Uuid><Types>inquiry_v32</Types></Probe>`)
		}},
	}
	answered := 0
	for i, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			uuid := fmt.Sprintf("5A0E%04d-0000-4000-8000-%012d", i, i)
			probe := s.probe(t, uuid)
			wantTypes := TypeInquiry
			if strings.Contains(string(probe), TypeInquiryV32) {
				wantTypes = TypeInquiryV32
			}
			send(t, c, group, probe)
			answered++
			raw := nextRaw(t, c)
			fields, err := decodeStrict(raw)
			if err != nil {
				t.Fatalf("a strict client drops the answer:\n%v\n%s", err, raw)
			}
			m, err := ParseProbeMatch(raw)
			if err != nil {
				t.Fatalf("%s: %v", raw, err)
			}
			if m.UUID != uuid || m.Types != wantTypes {
				t.Fatalf("answer to %q, %q; want %q, %q (a refused probe was answered?)\n%s", m.UUID, m.Types, uuid, wantTypes, raw)
			}
			want := map[string]string{
				"DeviceSN": nsSerial, "MAC": mac, "IPv4Address": nsRecorder, "IPv4SubnetMask": "255.255.255.0",
				"IPv4Gateway": nsGateway, "IPv6Address": "::", "IPv6MaskLen": "0", "IPv6Gateway": "::",
				"HttpPort": "8443", "CommandPort": "0", "BootTime": boot, "Activated": "true",
				"SupportSecurityQuestion": "true", "PasswordResetAbility": "false",
			}
			if hasIPv6 {
				want["IPv6Address"], want["IPv6MaskLen"], want["IPv6Gateway"] = nsIPv6, "64", nsGateway6
			}
			for name, v := range want {
				if fields[name] != v {
					t.Errorf("<%s>%s</%s>, want %s", name, fields[name], name, v)
				}
			}
			if m.WebDoor == nil || m.WebDoor.URL != "https://"+nsRecorder+":8443/" {
				t.Errorf("web door %+v: want the door on %s:8443", m.WebDoor, nsRecorder)
			}
		})
	}

	stop.Close()
	var got Counters
	if err := json.Unmarshal([]byte(expectHelperLine(t, lines)), &got); err != nil {
		t.Fatal(err)
	}
	if got.Answered != uint64(answered) || got.Malformed != uint64(len(refused)) || got.Denied != 0 {
		t.Errorf("responder counters %+v: want %d answered, %d malformed", got, answered, len(refused))
	}
}

// TestNamespaceResponderHelper is not a test: it is the responder of
// TestNamespaceProbeShapes, run by it inside the recorder's namespace.
// It says "ready" once it answers, and its counters when its input closes.
func TestNamespaceResponderHelper(t *testing.T) {
	if os.Getenv(nsHelperEnv) == "" {
		t.Skip("the responder of TestNamespaceProbeShapes, run by it in a network namespace")
	}
	dev := &device{d: Description{
		Serial: nsSerial, Model: "NVR-NS", SoftwareVersion: "v0.0.0-ns", Activated: true, Questions: true,
		HTTPPort: 8443, CertSHA256: strings.Repeat("4e", 32),
	}}
	r, err := Listen(Options{Device: dev, Interfaces: []string{"eth0"}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("HELPER:ready")
	bufio.NewReader(os.Stdin).ReadString(0) // until the input closes
	r.Close()
	b, _ := json.Marshal(r.Counters())
	fmt.Printf("HELPER:%s\n", b)
}

// nsResponder runs the responder helper in ns and waits until it answers;
// closing the returned writer stops it, and it then says its counters.
func nsResponder(t *testing.T, ns *netnstest.NS) (stop interface{ Close() error }, lines <-chan string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := ns.Command(self, "-test.run=^TestNamespaceResponderHelper$")
	cmd.Env = append(os.Environ(), nsHelperEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ch := make(chan string, 4)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if l, ok := strings.CutPrefix(sc.Text(), "HELPER:"); ok {
				ch <- l
			}
		}
	}()
	if l := expectHelperLine(t, ch); l != "ready" {
		t.Fatalf("responder helper: %q, want ready", l)
	}
	return stdin, ch
}

// expectHelperLine waits for the helper's next line; the timeout only
// stops a broken test from hanging.
func expectHelperLine(t *testing.T, lines <-chan string) string {
	t.Helper()
	select {
	case l, ok := <-lines:
		if !ok {
			t.Fatal("the responder helper ended without a word (its errors are above)")
		}
		return l
	case <-time.After(60 * time.Second):
		t.Fatal("the responder helper said nothing for a minute")
	}
	return ""
}

// udpIn opens a UDP socket bound to addr inside ns. The socket is made on
// a thread moved into the namespace for that moment; a socket stays in
// the namespace it was made in, whichever thread uses it later. A thread
// that cannot move back is never unlocked, so that it dies with its
// goroutine.
func udpIn(t *testing.T, ns *netnstest.NS, addr string) *net.UDPConn {
	t.Helper()
	type result struct {
		c   *net.UDPConn
		err error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		own, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			done <- result{err: err}
			return
		}
		defer own.Close()
		target, err := os.Open("/var/run/netns/" + ns.Name)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer target.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			done <- result{err: fmt.Errorf("entering %s: %w", ns.Name, err)}
			return
		}
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(addr)})
		if err := unix.Setns(int(own.Fd()), unix.CLONE_NEWNET); err == nil {
			runtime.UnlockOSThread()
		}
		done <- result{c, err}
	}()
	r := <-done
	if r.err != nil {
		t.Fatalf("a socket on %s in %s: %v", addr, ns.Name, r.err)
	}
	t.Cleanup(func() { r.c.Close() })
	return r.c
}

// nextRaw reads the next datagram; the deadline only stops a broken test
// from hanging, no assertion depends on it.
func nextRaw(t *testing.T, c *net.UDPConn) []byte {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, MaxAnswerSize)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	return buf[:n]
}

// nsMAC is the MAC address of ns's eth0, as answers write it.
func nsMAC(t *testing.T, ns *netnstest.NS) string {
	t.Helper()
	out, err := exec.Command("ip", "-n", ns.Name, "-br", "link", "show", "eth0").Output()
	if err != nil {
		t.Fatalf("ip -n %s -br link show eth0: %v", ns.Name, err)
	}
	f := strings.Fields(string(out))
	if len(f) < 3 {
		t.Fatalf("ip -br link show eth0: %q", out)
	}
	mac, err := net.ParseMAC(f[2])
	if err != nil {
		t.Fatal(err)
	}
	return DashedMAC(mac)
}
