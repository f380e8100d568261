package main

import (
	"fmt"
	"math"
	"strings"
	"time"

	"nvrmenu/bench/perf"
)

// Budgets of the issues (#22's for the three doors), host figures but
// for the arm64 first frame's ratio.
const (
	budgetFrameRatio  = 2.0       // first frame ÷ whiptail's, host and qemu-user
	budgetKeyRatio    = 3.0       // key → frame ÷ whiptail's
	budgetDoorsRSS    = 8 * 1024  // KiB: every door listening
	budgetAfterFlows  = 10 * 1024 // KiB: a page served, the flows run
	budgetDaemonBytes = 8 << 20   // issue #22: armv7, all three doors
	budgetMenuBytes   = 5 << 20   // issue 6, set before the web door
	budgetIdleTicks   = 1         // 10 ms of CPU a minute
)

func verdict(met bool, format string, args ...any) string {
	word := "**missed**"
	if met {
		word = "**met**"
	}
	return "Budget: " + fmt.Sprintf(format, args...) + " — " + word + "."
}

func dur(d time.Duration) string { return perf.FormatDuration(d) }

func ratio(r float64) string {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return "–"
	}
	return fmt.Sprintf("%.2f×", r)
}

// report renders the section between the markers.
func report(res *results, o options) string {
	var b strings.Builder
	m := res.machine
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("## Performance harness (`./build.sh bench`), %s\n\n", m.date)
	p("Written by `./build.sh bench` (`go run ./bench/perf/cmd/nvr-perf`, code in `bench/perf/`): run it again to\n")
	p("refresh this section; the text between the markers is replaced, the rest of the file is kept.\n")
	p("Machine: `nproc` %d, %s, %s RAM, %s, kernel %s, %s, linux/amd64. Load average (1, 5, 15 min)\n", m.nproc, m.cpu, m.memTotal, m.distro, m.kernel, m.goVersion)
	p("%s at the start, %s at the end; the run took %s. The machine is shared (another QEMU bench may run):\n", m.loadStart, m.loadEnd, res.elapsed.Round(time.Second))
	p("read medians and spreads, not the last digit. Nothing here is asserted by a test.\n\n")
	if res.device != nil {
		p("The daemon is the stripped static binary `./build.sh build`/`arm64` makes, run as `nvr-menud -demo DIR` on a\n")
		p("copy of a demo device prepared by the harness through `nvrmenu/recovery` (activated with the daemon's own\n")
		p("calibration — it picked argon2id %v here —, security questions, reserved email, a GUID file on a stick\n", res.device.KDF)
		p("and a pending email challenge), so every run starts at the login screen. Every program runs on a\n")
		p("pseudo-terminal (`github.com/creack/pty`) of 80x25 with `TERM=xterm-256color LANG=C.UTF-8`, its output\n")
		p("parsed by a VT emulator (`github.com/charmbracelet/x/vt`); a figure ends at the `read(2)` on the pty\n")
		p("master after which the screen's text holds what was waited for.\n\n")
	}

	// 1. First frame.
	if len(res.frameOrd) > 0 {
		p("### 1. Time to first usable frame\n\n")
		p("From just before `fork/exec` to the login screen's text on the terminal (title \"Accesso\", field \"Nome utente\",\n")
		p("button \"Password Dimenticata\"); for whiptail (`--title Accesso --passwordbox \"Password amministratore\" 10 50`)\n")
		p("and dialog (the same with `--insecure`) the text and both buttons. %d runs each on the host, %d under\n", o.runs, o.armRuns)
		p("qemu-user, the programs taking turns run after run. arm64: the `./build.sh arm64` binary and Debian 12's arm64\n")
		p("whiptail and dialog (with their arm64 libraries, `apt-get download` into a sysroot) under the same\n")
		p("`qemu-aarch64-static`; their absolute times are only indicative, the ratio is the figure.\n\n")
		var rows [][]string
		ref := func(name string) time.Duration {
			if strings.Contains(name, "arm64") {
				return res.frames["whiptail arm64 (qemu-user)"].time.Median
			}
			return res.frames["whiptail"].time.Median
		}
		for _, n := range res.frameOrd {
			s := res.frames[n]
			runs := fmt.Sprint(s.ok)
			if s.failed > 0 {
				runs += fmt.Sprintf(" (%d failed)", s.failed)
			}
			rows = append(rows, []string{n, runs, dur(s.time.Median), dur(s.time.Min) + " – " + dur(s.time.Max), ratio(perf.Ratio(s.time.Median, ref(n))), dur(s.firstOut), perf.FormatKiB(s.rss), perf.FormatKiB(s.hwm)})
		}
		p("%s\n", perf.Table([]string{"program", "runs", "median", "min – max", "median ÷ whiptail's", "first byte on the pty (median)", "VmRSS at the frame", "VmHWM at the frame"}, rows))
		p("\"First byte\": the daemon's first output is the demo's help text, printed by `main` once the runtime, the\n")
		p("package initialisers and the demo device's key are done; the rest is the core, the stick watcher, tcell\n")
		p("and the first draw. whiptail's and dialog's first bytes are already their screen.\n\n")
		for _, c := range []struct{ name, ref, where string }{
			{"nvr-menud", "whiptail", "host"},
			{"nvr-menud arm64 (qemu-user)", "whiptail arm64 (qemu-user)", "arm64 under qemu-user"},
		} {
			if nv, wt := res.frames[c.name].time.Median, res.frames[c.ref].time.Median; nv > 0 && wt > 0 {
				r := perf.Ratio(nv, wt)
				p("%s\n\n", verdict(r <= budgetFrameRatio, "first frame ≤ 2× whiptail's median (%s): %s against %s, ratio %s", c.where, dur(nv), dur(wt), ratio(r)))
			}
		}
	}

	// 2. Input latency.
	if len(res.latency) > 0 {
		p("### 2. Input latency\n\n")
		p("From the `write(2)` of the input on the pty master to the read that completes the changed screen; each event\n")
		p("waits for its frame before the next is sent. Keys: a letter then Backspace (DEL) in turn, in the login\n")
		p("screen's password field (whiptail's and dialog's password box for comparison). Clicks: an SGR 1006 press and\n")
		p("release on \"Password Dimenticata\", then on \"Indietro\" on the screen that opens, in turn: each click\n")
		p("replaces the whole screen.\n\n")
		var rows [][]string
		for _, r := range res.latency {
			n := fmt.Sprint(r.s.N)
			if r.errors > 0 {
				n += fmt.Sprintf(" (%d timed out)", r.errors)
			}
			rows = append(rows, []string{r.program, r.event, n, dur(r.s.Median), dur(r.s.P99), dur(r.s.Max)})
		}
		p("%s\n", perf.Table([]string{"program", "event", "events", "median", "p99", "max"}, rows))
		var nv, wt *latencyRow
		for i, r := range res.latency {
			if strings.HasPrefix(r.event, "key") {
				switch r.program {
				case "nvr-menud":
					nv = &res.latency[i]
				case "whiptail":
					wt = &res.latency[i]
				}
			}
		}
		if nv != nil && wt != nil && wt.s.Median > 0 {
			r := perf.Ratio(nv.s.Median, wt.s.Median)
			p("%s\n\n", verdict(r <= budgetKeyRatio, "key-to-frame median ≤ 3× whiptail's: %s against %s, ratio %s (p99 %s)", dur(nv.s.Median), dur(wt.s.Median), ratio(r), dur(nv.s.P99)))
		}
	}

	// 3. Memory.
	if mem := res.memory; mem != nil && len(mem.frameRSS) > 0 {
		p("### 3. Memory\n\n")
		p("`/proc/PID/status` of the daemon along %d GUID reset flows (the flow of section 6), each on a fresh device:\n", len(mem.frameRSS))
		p("at the first frame, 2 s later, then sampled every 100 ms for 10 s after the new password was stored (an\n")
		p("argon2id hash at the device's cost) and after the login with it (a verification at that cost). Medians of the\n")
		p("runs. The programs for scale, whiptail and dialog are at their first frame (section 1's runs). RssFile is\n")
		p("pages of mapped files: for the static daemon, its own executable (clean, shared with the page cache,\n")
		p("the first thing the kernel drops under pressure); whiptail's and dialog's include libc, libnewt/ncurses.\n\n")
		var rows [][]string
		split := func(rss, anon int64) string {
			return fmt.Sprintf("%s (%s anon + %s file)", perf.FormatKiB(rss), perf.FormatKiB(anon), perf.FormatKiB(rss-anon))
		}
		if s := res.frames["nvr-menud"]; s.ok > 0 {
			rows = append(rows, []string{"nvr-menud", "first frame (section 1's runs)", split(s.rss, s.anon), perf.FormatKiB(s.hwm), ""})
		}
		rows = append(rows,
			[]string{"nvr-menud", "first frame (flow runs)", split(perf.MedianInt(mem.frameRSS), perf.MedianInt(mem.frameAnon)), perf.FormatKiB(perf.MedianInt(mem.frameHWM)), ""},
			[]string{"nvr-menud", "2 s after the first frame: every door listening", split(perf.MedianInt(mem.settledRSS), perf.MedianInt(mem.settledAnon)), "", ""})
		if len(mem.pageRSS) > 0 {
			rows = append(rows, []string{"nvr-menud", "the web page and the API's device served", split(perf.MedianInt(mem.pageRSS), perf.MedianInt(mem.pageAnon)), "", ""})
		}
		trace := func(what string, tr []rssTrace) {
			var first, firstAnon, hwm, last, lastAnon []int64
			var back []time.Duration
			never := 0
			for _, t := range tr {
				first, firstAnon, hwm = append(first, t.first), append(firstAnon, t.firstAnon), append(hwm, t.peakHWM)
				last, lastAnon = append(last, t.last), append(lastAnon, t.lastAnon)
				if t.back < 0 {
					never++
				} else {
					back = append(back, t.back)
				}
			}
			u := dur(perf.Median(back))
			switch {
			case never == len(tr):
				u = fmt.Sprintf("not within 10 s (%d of %d runs)", never, len(tr))
			case never > 0:
				u = fmt.Sprintf("%s (%d of %d runs: not within 10 s)", u, never, len(tr))
			}
			rows = append(rows,
				[]string{"nvr-menud", what + ", at the next screen", split(perf.MedianInt(first), perf.MedianInt(firstAnon)), perf.FormatKiB(perf.MedianInt(hwm)), u},
				[]string{"nvr-menud", what + ", 10 s later", split(perf.MedianInt(last), perf.MedianInt(lastAnon)), "", ""})
		}
		trace("new password stored (argon2id hash)", mem.afterSet)
		trace("logged in with it (argon2id verification)", mem.afterLogin)
		for _, n := range []string{webOff.name, sadpOff.name, "bare tview form (for scale)", "Go hello world (for scale)", "whiptail", "dialog"} {
			if s := res.frames[n]; s.ok > 0 {
				rows = append(rows, []string{n, "first frame", split(s.rss, s.anon), perf.FormatKiB(s.hwm), ""})
			}
		}
		floorRSS, floorAnon := perf.MedianInt(mem.floorRSS), perf.MedianInt(mem.floorAnon)
		if len(mem.floorRSS) > 0 {
			rows = append(rows, []string{floorName, "listening, one request served", split(floorRSS, floorAnon), perf.FormatKiB(perf.MedianInt(mem.floorHWM)), ""})
		}
		p("%s\n", perf.Table([]string{"program", "when", "VmRSS (RssAnon + RssFile)", "VmHWM (peak so far)", "argon2id's memory handed back after"}, rows))
		if off := res.frames[webOff.name]; len(mem.floorRSS) > 0 && off.ok > 0 && len(mem.pageRSS) > 0 {
			in, inAnon := perf.MedianInt(mem.pageRSS), perf.MedianInt(mem.pageAnon)
			p("The web door in a process of its own would cost at least the daemon without it (%s at its first frame) plus\n", perf.FormatKiB(off.rss))
			p("the floor above (%s): %s in two processes (%s anon), against %s (%s anon) for the daemon with the door\n",
				perf.FormatKiB(floorRSS), perf.FormatKiB(off.rss+floorRSS), perf.FormatKiB(off.anon+floorAnon), perf.FormatKiB(in), perf.FormatKiB(inAnon))
			p("inside once it has served its page (two Go runtimes, two copies of `net` and of the code both need, before\n")
			p("the door's own).\n\n")
		}
		p("\"Handed back\": RssAnon within %s — a twentieth of argon2id's %s at the device's cost — of what it was\n", perf.FormatKiB(handedBack(mem.kdfKiB)), perf.FormatKiB(mem.kdfKiB))
		p("just before the step; what stays is the heap's own growth between two collections (the new screen, the state\n")
		p("written), collected at the next release. RssAnon just before each step → at the next screen → 10 s later, run\n")
		p("by run: new password stored %s; logged in with it %s.\n\n", traceRuns(mem.afterSet), traceRuns(mem.afterLogin))
		doors := perf.MedianInt(mem.settledRSS)
		p("%s\n\n", verdict(doors <= budgetDoorsRSS, "VmRSS with every door listening (2 s after the first frame) ≤ 8 MiB: %s", perf.FormatKiB(doors)))
		var after []int64
		for _, t := range mem.afterLogin {
			after = append(after, t.last)
		}
		if len(after) > 0 {
			a := perf.MedianInt(after)
			p("%s\n\n", verdict(a <= budgetAfterFlows, "VmRSS after a page served and the flows run (10 s after the last login) ≤ 10 MiB: %s", perf.FormatKiB(a)))
		}
		ok := true
		for _, t := range append(append([]rssTrace(nil), mem.afterSet...), mem.afterLogin...) {
			if t.back < 0 {
				ok = false
			}
		}
		p("%s\n\n", verdict(ok, "argon2id's memory handed back within 10 s, in every run"))
	}

	// 4. Size.
	if sf := res.sizes; sf != nil {
		p("### 4. Size\n\n")
		p("Static (`CGO_ENABLED=0`), `-trimpath`; armv7 is `GOARCH=arm GOARM=7`. The rows \"as shipped\" are `./build.sh`'s\n")
		p("binaries; the others are built from a copy of the module in a temporary directory (the repository is not\n")
		p("changed) with build.sh's `DAEMON_TAGS` (`%s`) and, for the size experiments, build tags of the harness's own\n", sf.tags)
		p("(never shipped). Every binary is checked to be an ELF file for its architecture. \"Held\" is what its sections\n")
		p("hold: the file's size steps by 64 KiB (Go's linker starts the section names at the next 64 KiB boundary after\n")
		p("the data), so a saving below that may not show in the file, and two different binaries can have the same size\n")
		p("(the armv7 and arm64 daemons with the web door, before issue #22, were both 13,107,362 B).\n\n")
		var rows [][]string
		for _, r := range sf.rows {
			size, held := perf.FormatBytes(r.bytes)+fmt.Sprintf(" (%d B)", r.bytes), fmt.Sprintf("%d B", r.held)
			if r.err != nil {
				size, held = "build failed: "+firstLine(r.err.Error()), ""
			}
			rows = append(rows, []string{r.name, archName(r.arch), r.how, size, held})
		}
		p("%s\n", perf.Table([]string{"binary", "arch", "how", "size", "held"}, rows))
		for _, r := range sf.rows {
			if r.arch != "arm" || r.bytes == 0 {
				continue
			}
			switch r.name {
			case "nvr-menud as shipped (all three doors)":
				p("%s\n\n", verdict(r.bytes <= budgetDaemonBytes, "the armv7 daemon with all three doors ≤ 8 MiB (issue #22): %s", perf.FormatBytes(r.bytes)))
			case webOff.name:
				p("%s\n\n", verdict(r.bytes <= budgetMenuBytes, "the armv7 daemon ≤ 5 MiB (issue 6, set before the web door), read on the daemon without it: %s", perf.FormatBytes(r.bytes)))
			}
		}
		if sf.floorProcess > 0 && sf.inProcess > 0 && sf.withoutDoor > 0 {
			p("The web door as a process of its own (a second binary beside the daemon without it) would take at least\n")
			p("%s (daemon without the door) + %s (the floor, before any page) = %s of flash on armv7, against %s with\n",
				perf.FormatBytes(sf.withoutDoor), perf.FormatBytes(sf.floorProcess), perf.FormatBytes(sf.withoutDoor+sf.floorProcess), perf.FormatBytes(sf.inProcess))
			alone := "would still miss"
			if sf.withoutDoor <= budgetDaemonBytes {
				alone = "would meet"
			}
			carry := "more"
			if sf.withoutDoor+sf.floorProcess <= sf.inProcess {
				carry = "no more"
			}
			p("the door inside: the daemon alone %s 8 MiB; the recorder would carry %s.\n\n", alone, carry)
		}
		if len(sf.doors) > 0 {
			p("What each door costs: the daemon with it less the daemon without it, both built as above, in file bytes\n")
			p("(in steps of 64 KiB), in VmRSS at the first frame on the host (section 1's medians, when measured), and in the\n")
			p("armv7 symbols of its largest families (`go tool nm -size` of the builds with symbols, file-backed sections).\n\n")
			var rows [][]string
			for _, d := range sf.doors {
				bytesOf := func(arch string) string {
					if n, ok := d.bytes[arch]; ok {
						return fmt.Sprintf("%s (%d B)", perf.FormatBytes(n), n)
					}
					return "–"
				}
				rss := "–"
				if a, z := res.frames[d.with], res.frames[d.without]; d.with != "" && a.ok > 0 && z.ok > 0 {
					rss = fmt.Sprintf("%s (%s anon + %s file)", perf.FormatKiB(a.rss-z.rss), perf.FormatKiB(a.anon-z.anon), perf.FormatKiB((a.rss-a.anon)-(z.rss-z.anon)))
				}
				var fam []string
				for i, g := range d.symbols {
					if g.Package == "all" {
						fam = append([]string{fmt.Sprintf("%s in all", perf.FormatBytes(g.Bytes))}, fam...)
						continue
					}
					if i < 5 {
						fam = append(fam, fmt.Sprintf("%s %s", g.Package, perf.FormatBytes(g.Bytes)))
					}
				}
				rows = append(rows, []string{d.door, d.how, bytesOf("arm"), bytesOf("arm64"), rss, strings.Join(fam, "; ")})
			}
			p("%s\n", perf.Table([]string{"door", "how", "armv7", "arm64", "VmRSS (host)", "armv7 symbols, largest families"}, rows))
		}
		if len(sf.tview) > 0 {
			var parts []string
			for _, c := range sf.tview {
				parts = append(parts, fmt.Sprintf("%d in %s", c.n, c.daemon))
			}
			p("tview's symbols linked (armv7, with symbols): %s. More with a door than without would mean the linker's\n", strings.Join(parts, ", "))
			p("dead-method elimination is off again: a reflect method lookup by name (text/template's) makes it keep every\n")
			p("exported method of every type.\n\n")
		}
		if len(sf.sections) > 0 {
			var rows [][]string
			var small int64
			for _, s := range sf.sections {
				if s.Bytes < 4096 {
					small += s.Bytes
					continue
				}
				rows = append(rows, []string{"`" + s.Package + "`", perf.FormatBytes(s.Bytes)})
			}
			rows = append(rows, []string{"the other, small sections", fmt.Sprintf("%d B", small)})
			p("Sections of the shipped armv7 binary (file-backed, from its ELF header):\n\n%s\n", perf.Table([]string{"section", "size"}, rows))
		}
		if len(sf.groups) > 0 {
			var rows [][]string
			for _, g := range sf.groups {
				if g.Package == "other" && g.Bytes == 0 {
					continue
				}
				rows = append(rows, []string{g.Package, perf.FormatBytes(g.Bytes)})
			}
			p("What the armv7 daemon's symbols add up to, by family (`go tool nm -size -sort size` on the build with\n")
			p("symbols, symbols in file-backed sections only; `.gopclntab`, the runtime's function tables, is not in any\n")
			p("symbol and grows with the code):\n\n%s\n", perf.Table([]string{"family", "symbols"}, rows))
		}
		if len(sf.top) > 0 {
			var parts []string
			for _, t := range sf.top {
				parts = append(parts, fmt.Sprintf("`%s` %s", t.Package, perf.FormatBytes(t.Bytes)))
			}
			p("Largest packages: %s.\n\n", strings.Join(parts, ", "))
		}
		if len(sf.syms) > 0 {
			var parts []string
			for _, s := range sf.syms {
				parts = append(parts, fmt.Sprintf("`%s` %s", s.Name, perf.FormatBytes(s.Size)))
			}
			p("Largest symbols: %s.\n\n", strings.Join(parts, ", "))
		}
	}

	// 5. Idle.
	if len(res.idle) > 0 {
		p("### 5. Idle cost\n\n")
		p("Every program started at once and left on its first screen; after 3 s of settling, `utime+stime` from\n")
		p("`/proc/PID/stat` (1 tick = 10 ms) and the voluntary context switches of all threads (`/proc/PID/task/*/status`:\n")
		p("each is a thread going back to sleep after a wake-up) are read at the start and the end of the window;\n")
		p("`perf stat -e context-switches -p PID` counts over the same window, and a separate instance runs under\n")
		p("`strace -f -c` (ptrace's stops are context switches of their own: its CPU figures are not the daemon's).\n")
		p("\"stick plugged\": a stick directory is made in the demo's media root after the first frame.\n\n")
		var rows [][]string
		for _, r := range res.idle {
			if r.err != nil {
				rows = append(rows, []string{r.name, r.window.String(), "error: " + firstLine(r.err.Error()), "", "", ""})
				continue
			}
			ps := "–"
			if r.perfSwitches >= 0 {
				ps = fmt.Sprint(r.perfSwitches)
			}
			st := r.strace
			if st == "" {
				st = "–"
			}
			rows = append(rows, []string{r.name, r.window.String(), fmt.Sprintf("%d ticks (%d ms)", r.ticks, r.ticks*10), fmt.Sprint(r.wakeups), ps, st})
		}
		p("%s\n", perf.Table([]string{"program", "window", "CPU (utime+stime)", "wake-ups (voluntary switches)", "perf context-switches", "strace -c"}, rows))
		worst := int64(-1)
		for _, r := range res.idle {
			if strings.HasPrefix(r.name, "nvr-menud, ") && r.err == nil {
				// Scaled to a minute.
				per := int64(math.Ceil(float64(r.ticks) * float64(time.Minute) / float64(r.window)))
				worst = max(worst, per)
			}
		}
		if worst >= 0 {
			p("%s\n\n", verdict(worst <= budgetIdleTicks, "idle CPU ≤ 10 ms per minute: at most %d ms per minute over both daemon rows", worst*10))
		}
	}

	// 6. Recovery cost.
	if res.kdf != nil || len(res.flows) > 0 {
		p("### 6. Recovery cost\n\n")
	}
	if k := res.kdf; k != nil {
		p("argon2id in the harness's process with the core's own `recovery.MeasureKDF` (one derivation, which is what a\n")
		p("verification costs), memory handed back to the kernel after each as the core does:\n\n")
		var picks []string
		for _, pk := range k.picks {
			picks = append(picks, pk.String())
		}
		rows := [][]string{
			{"verification at the default cost", k.defaultParams.String(), fmt.Sprint(k.defaultTime.N), dur(k.defaultTime.Median), dur(k.defaultTime.Min) + " – " + dur(k.defaultTime.Max)},
			{"the same, memory kept between runs (as `go test -bench` runs it)", k.defaultParams.String(), fmt.Sprint(k.defaultWarm.N), dur(k.defaultWarm.Median), dur(k.defaultWarm.Min) + " – " + dur(k.defaultWarm.Max)},
			{"verification at the cost calibration picked for the device", k.deviceParams.String(), fmt.Sprint(k.deviceTime.N), dur(k.deviceTime.Median), dur(k.deviceTime.Min) + " – " + dur(k.deviceTime.Max)},
			{"calibration again (`CalibrateKDF`, 64 MiB cap, 500 ms target)", "picked " + strings.Join(picks, "; "), fmt.Sprint(k.calibrate.N), dur(k.calibrate.Median), dur(k.calibrate.Min) + " – " + dur(k.calibrate.Max)},
		}
		p("%s\n", perf.Table([]string{"what", "cost", "runs", "median", "min – max"}, rows))
	}
	if len(res.flows) > 0 {
		p("Each reset flow through the pty as an owner would go, on a fresh copy of the device: login screen → click\n")
		p("\"Password Dimenticata\" → the method → its Ok (GUID: click \"Importa\" with the stick's file listed; questions:\n")
		p("the three answers typed, Enter; email: the pending code typed, Enter) → new password twice, Enter → \"Più\n")
		p("tardi\" → login with the new password. Each Ok runs its work off the UI goroutine behind the \"Verifica in\n")
		p("corso…\" overlay: \"overlay\" is Ok to that overlay on the terminal (the UI answering at once), \"next\" is\n")
		p("Ok to the next screen. Medians of the runs.\n\n")
		var rows [][]string
		for _, f := range res.flows {
			po, pn := stepMedians(f.proof)
			so, sn := stepMedians(f.set)
			lo, ln := stepMedians(f.login)
			runs := fmt.Sprint(f.runs)
			if len(f.errors) > 0 {
				runs += fmt.Sprintf(" (%d failed)", len(f.errors))
			}
			rows = append(rows, []string{f.method, runs, dur(po) + " / " + dur(pn), dur(so) + " / " + dur(sn), dur(lo) + " / " + dur(ln)})
		}
		p("%s\n", perf.Table([]string{"method", "runs", "Ok on the proof → overlay / new-password screen", "Enter on the new password → overlay / \"Password ripristinata\"", "login with it → overlay / account screen"}, rows))
		for _, f := range res.flows {
			for _, e := range f.errors {
				p("- %s flow failed once: %s\n", f.method, firstLine(e))
			}
		}
		p("\n")
	}
	if len(res.skipped) > 0 {
		p("### Skipped in this run\n\n")
		for _, s := range res.skipped {
			p("- %s\n", firstLine(s))
		}
		p("\n")
	}
	return b.String()
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func archName(a string) string {
	if a == "arm" {
		return "armv7"
	}
	return a
}

// traceRuns lists each run's RssAnon before a step, at the next screen
// and at the end of its trace.
func traceRuns(tr []rssTrace) string {
	var parts []string
	for _, t := range tr {
		parts = append(parts, fmt.Sprintf("%s → %s → %s", perf.FormatKiB(t.beforeAnon), perf.FormatKiB(t.firstAnon), perf.FormatKiB(t.lastAnon)))
	}
	return strings.Join(parts, ", ")
}
