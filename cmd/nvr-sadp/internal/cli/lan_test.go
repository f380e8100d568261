//go:build linux

package cli

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/ipv4"

	"nvrmenu/bench/perf"
	"nvrmenu/internal/certfp"
	"nvrmenu/internal/netnstest"
	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery"
	"nvrmenu/sadp"
)

// The LAN of these tests, all on one switch, in 198.51.100.0/24 unless
// said: two recorders running the real nvr-menud -demo on a pty, the
// installer's laptop running the real nvr-sadp, a rogue responder, a host
// that floods, and a laptop on another subnet (192.0.2.0/24).
const (
	rec1Addr     = "198.51.100.11"
	rec2Addr     = "198.51.100.12"
	laptopAddr   = "198.51.100.50"
	rogueAddr    = "198.51.100.66"
	outsiderAddr = "192.0.2.50"
	gatewayAddr  = "198.51.100.1" // rec2's default route; nothing answers there
	rec1Serial   = "NVRLAN00000001"
	rec2Serial   = "NVRLAN00000002"
	password     = "Qv7#tNw2pLx9"
)

// The helper processes: this test binary again, inside a namespace.
const helperEnv = "NVRSADP_LAN_HELPER"

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binaries builds nvr-menud and nvr-sadp once for the package's tests.
func binaries(t *testing.T) (menud, tool string) {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "nvr-sadp-lan-")
		for _, b := range []struct{ out, pkg string }{{"nvr-menud", "../../../nvr-menud"}, {"nvr-sadp", "../.."}} {
			if buildErr != nil {
				return
			}
			cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, b.out), b.pkg)
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = fmt.Errorf("go build %s: %v: %s", b.pkg, err, out)
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(binDir, "nvr-menud"), filepath.Join(binDir, "nvr-sadp")
}

// demo is a demo recorder in its namespace, on a pty.
type demo struct {
	ns   *netnstest.NS
	dir  string
	term *perf.Term
}

func (r *demo) log() string {
	b, _ := os.ReadFile(filepath.Join(r.dir, "nvr-menud.log"))
	return string(b)
}

// waitLog waits until the recorder's log holds want n times.
func (r *demo) waitLog(t *testing.T, want string, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for strings.Count(r.log(), want) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%s: waiting for %q (%d times) in the log:\n%s", r.ns.Name, want, n, r.log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// activateDemo prepares a demo directory whose recorder is activated with
// the security questions set up, through the core, before the daemon runs.
func activateDemo(t *testing.T, dir, serial string) {
	t.Helper()
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o700); err != nil {
		t.Fatal(err)
	}
	core, err := recovery.Open(recovery.Options{
		StateDir:  state,
		Serial:    serial,
		Policy:    pwpolicy.Policy{MinLength: pwpolicy.MinLength, MaxLength: 16},
		Calibrate: func() recovery.KDFParams { return recovery.DefaultKDFParams },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer core.Close()
	s, err := core.Console().Activate(password)
	if err != nil {
		t.Fatal(err)
	}
	var qa [3]recovery.QuestionAnswer
	for i := range qa {
		qa[i] = recovery.QuestionAnswer{ID: perf.DeviceQuestions[i], Answer: perf.DeviceAnswers[i]}
	}
	if err := s.SetSecurityQuestions(qa); err != nil {
		t.Fatal(err)
	}
	s.Logout()
}

// shownFingerprint is a fingerprint in hex (as list -json and the SADP
// answer carry it) as nvr-sadp prints it.
func shownFingerprint(hex string) string {
	fp, err := certfp.Parse(hex)
	if err != nil {
		return "not a fingerprint: " + hex
	}
	return fp.String()
}

// flagShown is a flag of list -json, for a test's message.
func flagShown(b *bool) string {
	if b == nil {
		return "?"
	}
	return fmt.Sprint(*b)
}

// startRecorder runs nvr-menud -demo in ns on a pty of 80x25.
func startRecorder(t *testing.T, ns *netnstest.NS, dir string, args ...string) *demo {
	t.Helper()
	menud, _ := binaries(t)
	cmd := ns.Command(menud, append([]string{"-demo", dir}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TERM=xterm-256color", "LANG=C.UTF-8"}
	term, err := perf.StartTerm(cmd)
	if err != nil {
		t.Fatal(err)
	}
	r := &demo{ns: ns, dir: dir, term: term}
	t.Cleanup(func() {
		if err := term.Stop(10 * time.Second); err != nil {
			t.Errorf("%s: nvr-menud did not exit cleanly: %v\n%s", ns.Name, err, r.log())
		}
	})
	r.waitLog(t, "menu started", 1)
	return r
}

// listOn runs nvr-sadp list -json in ns and returns the devices.
func listOn(t *testing.T, ns *netnstest.NS, args ...string) []device {
	t.Helper()
	out := runTool(t, ns, append([]string{"list", "-json", "-t", "2s"}, args...)...)
	var ds []device
	if err := json.Unmarshal([]byte(out), &ds); err != nil {
		t.Fatalf("nvr-sadp list -json: %v\n%s", err, out)
	}
	return ds
}

// runTool runs nvr-sadp in ns and returns its standard output.
func runTool(t *testing.T, ns *netnstest.NS, args ...string) string {
	t.Helper()
	_, tool := binaries(t)
	cmd := ns.Command(tool, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nvr-sadp %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	assertClean(t, "nvr-sadp stderr", stderr.String())
	return string(out)
}

// bySerial finds the device with a serial.
func bySerial(ds []device, serial string) *device {
	for i := range ds {
		if ds[i].Serial == serial {
			return &ds[i]
		}
	}
	return nil
}

func serials(ds []device) []string {
	var s []string
	for _, d := range ds {
		s = append(s, d.Serial)
	}
	slices.Sort(s)
	return s
}

// macOf reads an interface's MAC address in SADP's form.
func macOf(t *testing.T, ns *netnstest.NS, ifname string) string {
	t.Helper()
	out, err := exec.Command("ip", "-n", ns.Name, "-br", "link", "show", ifname).Output()
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(out))
	if len(f) < 3 {
		t.Fatalf("ip -br link show %s: %q", ifname, out)
	}
	mac, err := net.ParseMAC(f[2])
	if err != nil {
		t.Fatal(err)
	}
	return sadp.DashedMAC(mac)
}

// helper starts this test binary in ns as the helper mode, with env, and
// returns its standard input and its output lines as they come.
func helper(t *testing.T, ns *netnstest.NS, mode string, env ...string) (io.WriteCloser, <-chan string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := ns.Command(self, "-test.run=^TestLANHelper$")
	cmd.Env = append(append(os.Environ(), helperEnv+"="+mode), env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if l, ok := strings.CutPrefix(sc.Text(), "HELPER:"); ok {
				lines <- l
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return stdin, lines
}

// expectLine waits for the helper's next line.
func expectLine(t *testing.T, lines <-chan string, what string) string {
	t.Helper()
	select {
	case l, ok := <-lines:
		if !ok {
			t.Fatalf("helper ended before %s", what)
		}
		return l
	case <-time.After(60 * time.Second):
		t.Fatalf("helper: no %s", what)
	}
	return ""
}

// TestLAN runs the whole bench: two recorders found with the right fields,
// interfaces followed, a laptop on another subnet ignored, an answer read
// as a generic SADP client reads it, a rogue responder whose answers do not
// reach the terminal raw, and a probe flood answered at the cap while the
// menu keeps answering keys.
func TestLAN(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: namespaces, two daemons and the built binaries take a minute; the full run (./build.sh test, CI) has it")
	}
	netnstest.Require(t)
	binaries(t)
	sw := netnstest.NewSwitch(t)
	rec1NS, rec2NS := netnstest.New(t, "rec1"), netnstest.New(t, "rec2")
	laptop := netnstest.New(t, "laptop")
	sw.Plug(t, laptop, "eth0", laptopAddr+"/24")
	sw.Plug(t, rec2NS, "eth0", rec2Addr+"/24")
	rec2NS.IP(t, "route", "add", "default", "via", gatewayAddr)

	// rec2 is activated, with its questions set up, before it starts, and
	// answers on eth0 only; rec1 is a new recorder that starts with no
	// network at all: its interface comes later.
	dir2 := filepath.Join(t.TempDir(), "rec2")
	activateDemo(t, dir2, rec2Serial)
	rec2 := startRecorder(t, rec2NS, dir2, "-serial", rec2Serial, "-sadp-interfaces", "eth0")
	rec1 := startRecorder(t, rec1NS, filepath.Join(t.TempDir(), "rec1"), "-serial", rec1Serial, "-web", rec1Addr+":8443")
	rec1.waitLog(t, "sadp: answering discovery", 1)
	rec2.waitLog(t, "interface=eth0", 1)
	sw.Plug(t, rec1NS, "eth0", rec1Addr+"/24")
	rec1.waitLog(t, `msg="sadp: answering on interface" interface=eth0`, 1)

	t.Run("list finds both recorders", func(t *testing.T) {
		ds := listOn(t, laptop)
		if got := serials(ds); !slices.Equal(got, []string{rec1Serial, rec2Serial}) {
			t.Fatalf("found %q, want both recorders once: %+v", got, ds)
		}
		one, two := bySerial(ds, rec1Serial), bySerial(ds, rec2Serial)
		for _, c := range []struct {
			d         *device
			ip, mac   string
			gateway   string
			activated bool
			methods   []string
		}{
			{one, rec1Addr, macOf(t, rec1NS, "eth0"), "", false, []string{}},
			{two, rec2Addr, macOf(t, rec2NS, "eth0"), gatewayAddr, true, []string{"questions"}},
		} {
			d := c.d
			if d.Model != "NVR-DEMO" || d.IP != c.ip || d.MAC != c.mac || d.SubnetMask != "255.255.255.0" || d.Gateway != c.gateway ||
				d.DeviceType != sadp.DeviceTypeNVRMenu || d.Firmware == "" || d.Interface != "eth0" || d.From != c.ip+":37020" {
				t.Errorf("%s: got %+v; want model NVR-DEMO, IP %s, MAC %s, gateway %q, from %s:37020", d.Serial, *d, c.ip, c.mac, c.gateway, c.ip)
			}
			if d.Activated == nil || *d.Activated != c.activated || !slices.Equal(d.Methods, c.methods) || d.Locked == nil || *d.Locked {
				t.Errorf("%s: activated %v, methods %q, locked %v; want %v, %q, false", d.Serial, flagShown(d.Activated), d.Methods, flagShown(d.Locked), c.activated, c.methods)
			}
			// Neither announces a web door: rec1's was asked on an address
			// it did not have yet when it started (its interface came
			// later), rec2's is on the loopback (the demo's default).
			// Nothing to reset through: nvr-sadp lists them read-only.
			// TestLANRecovery has recorders with their doors.
			if !d.ReadOnly || d.WebURL != "" || d.HTTPPort != 0 {
				t.Errorf("%s: web door announced (%q, port %d) though none is reachable", d.Serial, d.WebURL, d.HTTPPort)
			}
		}
		table := runTool(t, laptop, "list", "-t", "2s", "-i", "eth0", "-lang", "en")
		t.Logf("nvr-sadp list -i eth0:\n%s", table)
		for _, want := range []string{rec1Serial, rec2Serial, rec1Addr, rec2Addr, "read-only"} {
			if !strings.Contains(table, want) {
				t.Errorf("table lacks %q:\n%s", want, table)
			}
		}
	})

	t.Run("lists in a row from one laptop are all answered", func(t *testing.T) {
		// Each list sends 4 probes (two types, to the group and the
		// broadcast address) and the same 4 again: three within about a
		// second, after the two lists above, stay within the per-source
		// burst (sadp.DefaultLimits).
		for run := range 3 {
			if got := serials(listOn(t, laptop, "-t", "300ms")); !slices.Equal(got, []string{rec1Serial, rec2Serial}) {
				t.Errorf("list %d of 3 in a row: found %q, want both recorders", run+1, got)
			}
		}
	})

	t.Run("interfaces followed as they go and come", func(t *testing.T) {
		rec1NS.IP(t, "link", "set", "eth0", "down")
		rec1.waitLog(t, "interface gone or down", 1)
		if got := serials(listOn(t, laptop)); !slices.Equal(got, []string{rec2Serial}) {
			t.Errorf("rec1's interface down: found %q, want rec2 only", got)
		}
		rec1NS.IP(t, "link", "set", "eth0", "up")
		rec1.waitLog(t, `msg="sadp: answering on interface" interface=eth0`, 2)
		if got := serials(listOn(t, laptop)); !slices.Equal(got, []string{rec1Serial, rec2Serial}) {
			t.Errorf("rec1's interface up again: found %q, want both", got)
		}
	})

	t.Run("a laptop on another subnet gets no answer", func(t *testing.T) {
		outsider := netnstest.New(t, "out")
		sw.Plug(t, outsider, "eth0", outsiderAddr+"/24")
		if ds := listOn(t, outsider); len(ds) != 0 {
			t.Errorf("a probe from %s (outside 198.51.100.0/24) was answered: %+v", outsiderAddr, ds)
		}
	})

	t.Run("answer read by a generic SADP client", func(t *testing.T) {
		_, lines := helper(t, laptop, "raw", "NVRSADP_RAW_FROM="+laptopAddr)
		var got []genericAnswer
		for l := range lines {
			raw, err := hex.DecodeString(l)
			if err != nil {
				t.Fatal(err)
			}
			var a genericAnswer
			if err := xml.Unmarshal(raw, &a); err != nil {
				t.Fatalf("a generic client cannot decode the answer: %v\n%s", err, raw)
			}
			got = append(got, a)
		}
		a := findGeneric(got, rec2Serial)
		if a == nil {
			t.Fatalf("no answer from %s among %+v", rec2Serial, got)
		}
		want := genericAnswer{
			XMLName: xml.Name{Local: "ProbeMatch"}, Uuid: a.Uuid, Types: "inquiry",
			DeviceType: "0", DeviceDescription: "NVR-DEMO", DeviceSN: rec2Serial,
			MAC: macOf(t, rec2NS, "eth0"), IPv4Address: rec2Addr, IPv4SubnetMask: "255.255.255.0", IPv4Gateway: gatewayAddr,
			SoftwareVersion: a.SoftwareVersion, Activated: "true",
			SupportGUID: "false", SupportSecurityQuestion: "true", SupportMailBox: "false", DeviceLock: "false",
		}
		if *a != want || a.Uuid == "" || a.SoftwareVersion == "" {
			t.Errorf("generic client read:\ngot  %+v\nwant %+v", *a, want)
		}
		// The probe went to the group only: rec1 answering it means it
		// joined the group again when its interface came back up.
		if findGeneric(got, rec1Serial) == nil {
			t.Errorf("rec1 did not answer a probe sent to the group after its interface went down and up: %+v", got)
		}
	})

	t.Run("a rogue responder does not reach the terminal", func(t *testing.T) {
		rogue := netnstest.New(t, "rogue")
		sw.Plug(t, rogue, "eth0", rogueAddr+"/24")
		_, lines := helper(t, rogue, "rogue")
		expectLine(t, lines, "the rogue's readiness")
		for _, format := range [][]string{nil, {"-json"}, {"-csv"}} {
			out := runTool(t, laptop, append([]string{"list", "-t", "2s", "-lang", "en"}, format...)...)
			assertClean(t, fmt.Sprintf("list %q", format), out)
			for _, want := range []string{rec1Serial, rec2Serial, "ROGUE"} {
				if !strings.Contains(out, want) {
					t.Errorf("list %q lacks %q:\n%s", format, want, out)
				}
			}
			if strings.Contains(out, strings.Repeat("A", maxField+1)) || strings.Contains(out, "&lol") {
				t.Errorf("list %q holds a huge field uncut or an entity:\n%s", format, out)
			}
		}
		// The rogue's answers are listed, read-only, as coming from it;
		// its copy of rec1's serial and address does not replace rec1.
		ds := listOn(t, laptop)
		real := 0
		for _, d := range ds {
			fromRogue := d.From == rogueAddr+":37020"
			if fromRogue && !d.ReadOnly {
				t.Errorf("rogue answer %+v: want read-only", d)
			}
			if d.Serial == rec1Serial && !fromRogue {
				real++
				if d.Model != "NVR-DEMO" || d.IP != rec1Addr {
					t.Errorf("rec1's own answer changed: %+v", d)
				}
			}
		}
		if real != 1 {
			t.Errorf("rec1 listed %d times from its own address, want once: %+v", real, ds)
		}
		if table := runTool(t, laptop, "list", "-t", "2s", "-lang", "en"); !strings.Contains(table, rec1Addr+" (from "+rogueAddr+")") {
			t.Errorf("the table does not show that the copy of rec1 came from %s:\n%s", rogueAddr, table)
		}
	})

	t.Run("a probe flood is answered at the cap and the menu answers keys", func(t *testing.T) {
		flooder := netnstest.New(t, "flood")
		var cidrs []string
		for i := 100; i < 100+floodSources; i++ {
			cidrs = append(cidrs, fmt.Sprintf("198.51.100.%d/24", i))
		}
		sw.Plug(t, flooder, "eth0", cidrs...)
		cpuBefore := cpuTicks(t, rec1.term.Cmd.Process.Pid)
		stop, lines := helper(t, flooder, "flood", "NVRSADP_FLOOD_TO="+rec1Addr)
		expectLine(t, lines, "the flood's start")

		// During the flood (it runs until told to stop): a key typed on
		// the console changes the screen (a character in the password
		// field, the strength meter).
		before := rec1.term.Screen()
		if _, err := rec1.term.SendWait("a", func(s string) bool { return s != before }, 30*time.Second); err != nil {
			t.Errorf("the menu did not answer a key during the flood: %v", err)
		}
		stop.Close()
		var r floodReport
		if err := json.Unmarshal([]byte(expectLine(t, lines, "the flood's report")), &r); err != nil {
			t.Fatal(err)
		}
		cpu := cpuTicks(t, rec1.term.Cmd.Process.Pid) - cpuBefore
		if r.Stopped != "told" {
			t.Errorf("the flood stopped by itself (%s) before the key was answered", r.Stopped)
		}
		lim := sadp.DefaultLimits
		span := r.Span.Seconds()
		total, most := 0, 0
		for _, n := range r.Answers {
			total += n
			most = max(most, n)
		}
		t.Logf("flood: %d probes from %d sources in %v, %d answers (%.1f/s), at most %d to one source; daemon CPU %d ticks",
			r.Sent, floodSources, r.Span, total, float64(total)/span, most, cpu)
		if capAll := lim.PerSecond*span + float64(lim.Burst); float64(total) > capAll {
			t.Errorf("%d answers in %.2fs: over the cap of %.0f (%v a second, burst %d)", total, span, capAll, lim.PerSecond, lim.Burst)
		}
		if capOne := lim.SourcePerSecond*span + float64(lim.SourceBurst); float64(most) > capOne {
			t.Errorf("%d answers to one source in %.2fs: over the per-source cap of %.0f", most, span, capOne)
		}
		if total < lim.Burst {
			t.Errorf("%d answers to %d probes: want at least the burst of %d (the responder must still answer)", total, r.Sent, lim.Burst)
		}
	})
}

// cpuTicks is a process's user and system time in clock ticks.
func cpuTicks(t *testing.T, pid int) int64 {
	t.Helper()
	st, err := perf.Proc{PID: pid}.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return st.Ticks()
}

// genericAnswer is how the open-source SADP clients read an answer: the
// field names of FIELD-NOTES, ports as integers, flags as text.
type genericAnswer struct {
	XMLName                 xml.Name `xml:"ProbeMatch"`
	Uuid                    string   `xml:"Uuid"`
	Types                   string   `xml:"Types"`
	DeviceType              string   `xml:"DeviceType"`
	DeviceDescription       string   `xml:"DeviceDescription"`
	DeviceSN                string   `xml:"DeviceSN"`
	MAC                     string   `xml:"MAC"`
	IPv4Address             string   `xml:"IPv4Address"`
	IPv4SubnetMask          string   `xml:"IPv4SubnetMask"`
	IPv4Gateway             string   `xml:"IPv4Gateway"`
	CommandPort             int      `xml:"CommandPort"`
	HttpPort                int      `xml:"HttpPort"`
	SoftwareVersion         string   `xml:"SoftwareVersion"`
	Activated               string   `xml:"Activated"`
	SupportGUID             string   `xml:"SupportGUID"`
	SupportSecurityQuestion string   `xml:"SupportSecurityQuestion"`
	SupportMailBox          string   `xml:"SupportMailBox"`
	DeviceLock              string   `xml:"DeviceLock"`
}

func findGeneric(as []genericAnswer, serial string) *genericAnswer {
	for i := range as {
		if as[i].DeviceSN == serial && as[i].Types == "inquiry" {
			return &as[i]
		}
	}
	return nil
}

// floodSources is how many source addresses the flood comes from: more
// than the overall cap divided by the per-source rate, so that the overall
// cap is what limits.
const floodSources = 40

// floodReport is what the flood helper says when it is done.
type floodReport struct {
	Sent    int            `json:"sent"`
	Answers map[string]int `json:"answers"` // by source address
	// Span runs from the first probe sent to the last answer read: every
	// answer was made within it, so answers <= rate*Span + burst.
	Span time.Duration `json:"span"`
	// Stopped says why the flood ended: "told" (its input closed), or its
	// own bound ("30s", "300000 probes").
	Stopped string `json:"stopped"`
}

// TestLANHelper is not a test: it is what the helper processes run, in
// their namespace, when helperEnv names a mode.
func TestLANHelper(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("the helper of TestLAN, run by it inside a network namespace")
	}
	var err error
	switch mode {
	case "raw":
		err = rawProbe(os.Stdout, os.Getenv("NVRSADP_RAW_FROM"))
	case "rogue":
		err = rogue(os.Stdout)
	case "flood":
		err = flood(os.Stdout, os.Getenv("NVRSADP_FLOOD_TO"))
	case "rogue-door":
		err = rogueDoor(os.Stdout)
	case "login":
		err = apiLogin(os.Stdout, os.Getenv("NVRSADP_LOGIN_URL"), os.Getenv("NVRSADP_LOGIN_PASSWORD"))
	case "latency":
		err = latency(os.Stdout, os.Getenv("NVRSADP_LATENCY_TO"))
	default:
		err = fmt.Errorf("unknown helper mode %q", mode)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// rawProbe sends one inquiry to the group from address from and prints
// every datagram that comes back within 2 seconds, hex-encoded.
func rawProbe(w io.Writer, from string) error {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(from)})
	if err != nil {
		return err
	}
	defer c.Close()
	p := sadp.Probe{UUID: "6B1E2C3D-0000-4000-8000-00000000A11D", Types: sadp.TypeInquiry}
	if _, err := c.WriteToUDPAddrPort(p.Marshal(), netip.MustParseAddrPort(sadp.Group+":37020")); err != nil {
		return err
	}
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return nil
		}
		fmt.Fprintf(w, "HELPER:%x\n", buf[:n])
	}
}

// rogue answers every probe with hostile answers: escape sequences, huge
// fields, odd but well-formed XML, malformed XML, answers for other
// probes, and a copy of a real recorder's serial.
func rogue(w io.Writer) error {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{Port: sadp.Port})
	if err != nil {
		return err
	}
	defer c.Close()
	iface, _ := net.InterfaceByName("eth0")
	if err := joinGroup(c, iface); err != nil {
		return err
	}
	fmt.Fprintln(w, "HELPER:ready")
	buf := make([]byte, 64<<10)
	for n := 0; n < 200; n++ { // bounded: the test ends it long before
		size, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			return err
		}
		p, err := sadp.ParseProbe(buf[:size])
		if err != nil || !p.IsInquiry() {
			continue
		}
		for _, a := range rogueAnswers(p.UUID, p.Types) {
			c.WriteToUDPAddrPort([]byte(a), from)
		}
	}
	return nil
}

func rogueAnswers(uuid, types string) []string {
	head := `<?xml version="1.0" encoding="UTF-8"?><ProbeMatch><Uuid>` + uuid + `</Uuid><Types>` + types + `</Types>`
	huge := strings.Repeat("A", 1000)
	return []string{
		// Escape sequences, as character references (the only way XML
		// carries them) and C1 controls and overrides as UTF-8.
		head + `<DeviceSN>ROGUE&#x1b;]0;owned&#x7;&#x1b;[2J</DeviceSN><DeviceDescription>&#x1b;[31mred&#x9b;1m` + "\u202e" + `evil</DeviceDescription>` +
			`<IPv4Address>198.51.100.66&#xd;&#xa;&#x1b;[1A</IPv4Address><MAC>=cmd|' /C calc'!A0</MAC><SoftwareVersion>` + huge + `</SoftwareVersion>` +
			`<Activated>true</Activated></ProbeMatch>`,
		// Odd but well-formed: CDATA, comments, attributes, nesting,
		// padding; and an extension that is not a web door.
		"\n" + `<ProbeMatch a="1"><!-- x --><Uuid>` + uuid + `</Uuid><Types>` + types + `</Types><DeviceSN><![CDATA[ROGUE-CDATA]]></DeviceSN>` +
			`<Deep><Deeper><Deepest>1</Deepest></Deeper></Deep><NVRMenu><WebURL>javascript:alert(1)</WebURL><CertSHA256>00</CertSHA256></NVRMenu></ProbeMatch>` + "\x00\x00\x00",
		// A copy of a real recorder's serial.
		head + `<DeviceSN>` + rec1Serial + `</DeviceSN><IPv4Address>` + rec1Addr + `</IPv4Address></ProbeMatch>`,
		// Refused: a DTD, entities, malformed XML, a huge datagram, an
		// answer to another probe.
		`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><ProbeMatch><Uuid>` + uuid + `</Uuid><DeviceSN>&lol;</DeviceSN></ProbeMatch>`,
		head + `<DeviceSN>ROGUE-BROKEN</DeviceSN>`,
		head + `<DeviceSN>` + strings.Repeat("B", 20000) + `</DeviceSN></ProbeMatch>`,
		strings.Replace(head, uuid, "00000000-0000-4000-8000-000000000000", 1) + `<DeviceSN>ROGUE-OTHER-PROBE</DeviceSN></ProbeMatch>`,
	}
}

// flood sends probes to the recorder at to from floodSources addresses
// (198.51.100.100 and on, or from NVRSADP_FLOOD_FIRST),
// 10 a millisecond, for at least 3 seconds and until its input closes
// (bounded all the same: 30 seconds, 300,000 probes), reads the answers
// until a second after the last probe, and reports. It says "flooding"
// once 1,000 probes are out.
func flood(w io.Writer, to string) error {
	dst := netip.AddrPortFrom(netip.MustParseAddr(to), sadp.Port)
	first := 100
	if f, err := strconv.Atoi(os.Getenv("NVRSADP_FLOOD_FIRST")); err == nil {
		first = f
	}
	var conns []*net.UDPConn
	for i := first; i < first+floodSources; i++ {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(198, 51, 100, byte(i))})
		if err != nil {
			return err
		}
		defer c.Close()
		conns = append(conns, c)
	}
	var mu sync.Mutex
	r := floodReport{Answers: map[string]int{}}
	var last time.Time
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func(c *net.UDPConn) {
			defer wg.Done()
			buf := make([]byte, 64<<10)
			for {
				n, err := c.Read(buf)
				if err != nil {
					return
				}
				if _, err := sadp.ParseProbeMatch(buf[:n]); err != nil {
					continue
				}
				mu.Lock()
				r.Answers[c.LocalAddr().(*net.UDPAddr).IP.String()]++
				last = time.Now()
				mu.Unlock()
			}
		}(c)
	}
	told := make(chan struct{})
	go func() { io.Copy(io.Discard, os.Stdin); close(told) }()
	probe := sadp.Probe{UUID: "F100D000-0000-4000-8000-000000000000", Types: sadp.TypeInquiry}.Marshal()
	start := time.Now()
	tick := time.NewTicker(time.Millisecond)
	stopping := false
	for r.Stopped == "" {
		select {
		case <-told:
			stopping, told = true, nil
		case <-tick.C:
			for range 10 {
				conns[r.Sent%len(conns)].WriteToUDPAddrPort(probe, dst)
				r.Sent++
			}
			if r.Sent == 1000 {
				fmt.Fprintln(w, "HELPER:flooding")
			}
		}
		switch {
		case stopping && time.Since(start) >= 3*time.Second:
			r.Stopped = "told"
		case time.Since(start) > 30*time.Second:
			r.Stopped = "30s"
		case r.Sent >= 300000:
			r.Stopped = "300000 probes"
		}
	}
	tick.Stop()
	end := time.Now()
	time.Sleep(time.Second) // the answers still in flight
	for _, c := range conns {
		c.Close()
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if last.After(end) {
		end = last
	}
	r.Span = end.Sub(start)
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "HELPER:%s\n", b)
	return nil
}

// joinGroup joins the SADP group on ifi, as a responder must.
func joinGroup(c *net.UDPConn, ifi *net.Interface) error {
	return ipv4.NewPacketConn(c).JoinGroup(ifi, &net.UDPAddr{IP: net.ParseIP(sadp.Group)})
}
