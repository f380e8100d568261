//go:build linux

package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"nvrmenu/bench/perf"
	"nvrmenu/internal/netnstest"
	"nvrmenu/sadp"
)

// TestLANFigures measures what BENCHMARKS.md reports for SADP: the
// probe-to-answer latency, the idle wake-ups of a daemon answering SADP
// beside one that does not, and the answers a second at the cap. It takes
// about five minutes and asserts nothing, so it runs only when asked:
//
//	NVRSADP_FIGURES=1 go test -run TestLANFigures -v -timeout 20m ./cmd/nvr-sadp/internal/cli
func TestLANFigures(t *testing.T) {
	if os.Getenv("NVRSADP_FIGURES") == "" {
		t.Skip("figures for BENCHMARKS.md: set NVRSADP_FIGURES=1")
	}
	netnstest.Require(t)
	menud, _ := binaries(t)
	sw := netnstest.NewSwitch(t)
	recNS, quietNS, laptop := netnstest.New(t, "rec"), netnstest.New(t, "quiet"), netnstest.New(t, "laptop")
	sw.Plug(t, recNS, "eth0", rec1Addr+"/24")
	sw.Plug(t, quietNS, "eth0", rec2Addr+"/24")
	var cidrs []string
	for i := 100; i < 100+latencySources; i++ {
		cidrs = append(cidrs, fmt.Sprintf("198.51.100.%d/24", i))
	}
	sw.Plug(t, laptop, "eth0", cidrs...)

	// The same demo recorder twice, on its activation screen: one answers
	// SADP (-demo), the other runs on a config file with [sadp] off.
	rec := startRecorder(t, recNS, filepath.Join(t.TempDir(), "rec"), "-serial", rec1Serial)
	quietDir := filepath.Join(t.TempDir(), "quiet")
	for _, d := range []string{"state", "media"} {
		os.MkdirAll(filepath.Join(quietDir, d), 0o700)
	}
	conf := filepath.Join(quietDir, "config.toml")
	os.WriteFile(conf, []byte("state_dir = \""+quietDir+"/state\"\n[device]\nserial = \""+rec2Serial+"\"\n[usb]\nsource = \"dirs\"\nmedia_root = \""+quietDir+"/media\"\n[console]\nmouse = \"\"\n[log]\nfile = \""+quietDir+"/nvr-menud.log\"\n[sadp]\nenabled = false\n"), 0o644)
	cmd := quietNS.Command(menud, "-config", conf)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + quietDir, "TERM=xterm-256color", "LANG=C.UTF-8"}
	term, err := perf.StartTerm(cmd)
	if err != nil {
		t.Fatal(err)
	}
	quiet := &demo{ns: quietNS, dir: quietDir, term: term}
	t.Cleanup(func() { term.Stop(10 * time.Second) })
	quiet.waitLog(t, "menu started", 1)
	rec.waitLog(t, `msg="sadp: answering on interface" interface=eth0`, 1)

	// Probe-to-answer latency: one probe at a time, each from the next of
	// latencySources addresses (so that no source limit is met), 60 ms
	// apart (under the overall cap).
	_, lines := helper(t, laptop, "latency", "NVRSADP_LATENCY_TO="+rec1Addr)
	var rtts []time.Duration
	if err := json.Unmarshal([]byte(expectLine(t, lines, "the latencies")), &rtts); err != nil {
		t.Fatal(err)
	}
	slices.Sort(rtts)
	t.Logf("latency: %d probes, median %v, p90 %v, min %v, max %v", len(rtts), rtts[len(rtts)/2], rtts[len(rtts)*9/10], rtts[0], rtts[len(rtts)-1])

	// Idle: three windows of a minute, both daemons watched at once.
	time.Sleep(5 * time.Second)
	for run := 1; run <= 3; run++ {
		type sample struct{ ticks, switches int64 }
		read := func(pid int) sample {
			p := perf.Proc{PID: pid}
			st, _ := p.Stat()
			v, _, _ := p.ContextSwitches()
			return sample{st.Ticks(), v}
		}
		a0, b0 := read(rec.term.Cmd.Process.Pid), read(quiet.term.Cmd.Process.Pid)
		time.Sleep(time.Minute)
		a1, b1 := read(rec.term.Cmd.Process.Pid), read(quiet.term.Cmd.Process.Pid)
		t.Logf("idle run %d, 1m: SADP on: %d ticks, %d wake-ups; SADP off: %d ticks, %d wake-ups",
			run, a1.ticks-a0.ticks, a1.switches-a0.switches, b1.ticks-b0.ticks, b1.switches-b0.switches)
	}

	// At the cap: three floods of 3 seconds from floodSources addresses.
	flooder := netnstest.New(t, "flood")
	cidrs = nil
	for i := 100; i < 100+floodSources; i++ {
		cidrs = append(cidrs, fmt.Sprintf("198.51.100.%d/24", i+50))
	}
	sw.Plug(t, flooder, "eth0", cidrs...)
	for run := 1; run <= 3; run++ {
		time.Sleep(2 * time.Second) // the buckets refill
		cpu0 := cpuTicks(t, rec.term.Cmd.Process.Pid)
		stop, lines := helper(t, flooder, "flood", "NVRSADP_FLOOD_TO="+rec1Addr, "NVRSADP_FLOOD_FIRST=150")
		expectLine(t, lines, "the flood's start")
		stop.Close()
		var r floodReport
		if err := json.Unmarshal([]byte(expectLine(t, lines, "the flood's report")), &r); err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, n := range r.Answers {
			total += n
		}
		t.Logf("flood run %d: %d probes in %v, %d answers, %.1f answers/s; daemon CPU %d ticks",
			run, r.Sent, r.Span, total, float64(total)/r.Span.Seconds(), cpuTicks(t, rec.term.Cmd.Process.Pid)-cpu0)
	}
}

// latencySources is how many addresses the latency probes rotate over.
const latencySources = 40

// latency sends 200 probes to the recorder at to, one at a time, each from
// the next source address, and prints the round trips.
func latency(w io.Writer, to string) error {
	dst := netip.AddrPortFrom(netip.MustParseAddr(to), sadp.Port)
	var conns []*net.UDPConn
	for i := 100; i < 100+latencySources; i++ {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(198, 51, 100, byte(i))})
		if err != nil {
			return err
		}
		defer c.Close()
		conns = append(conns, c)
	}
	buf := make([]byte, 64<<10)
	var rtts []time.Duration
	for i := range 200 {
		c := conns[i%len(conns)]
		p := sadp.Probe{UUID: fmt.Sprintf("1A7E0000-0000-4000-8000-%012d", i), Types: sadp.TypeInquiry}
		start := time.Now()
		if _, err := c.WriteToUDPAddrPort(p.Marshal(), dst); err != nil {
			return err
		}
		c.SetReadDeadline(start.Add(time.Second))
		for {
			n, err := c.Read(buf)
			if err != nil {
				return fmt.Errorf("probe %d: no answer: %w", i, err)
			}
			if m, err := sadp.ParseProbeMatch(buf[:n]); err == nil && m.UUID == p.UUID {
				rtts = append(rtts, time.Since(start))
				break
			}
		}
		time.Sleep(60 * time.Millisecond)
	}
	b, err := json.Marshal(rtts)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "HELPER:%s\n", b)
	return nil
}
