package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"nvrmenu/bench/perf"
)

// results is everything the report shows; a nil or empty part was skipped
// and skipped says why.
type results struct {
	machine  machine
	elapsed  time.Duration
	device   *perf.Device
	frames   map[string]frameSummary
	frameOrd []string // program names in the order of the table
	latency  []latencyRow
	flows    []flowRow
	memory   *memoryFigures
	idle     []idleRow
	sizes    *sizeFigures
	kdf      *kdfFigures
	skipped  []string
	notes    []string
}

func (r *results) skip(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	logf("SKIPPED: %s", msg)
	r.skipped = append(r.skipped, msg)
}

func (o options) step(name string) bool {
	if o.only == "" {
		return true
	}
	for _, s := range strings.Split(o.only, ",") {
		if s == name {
			return true
		}
	}
	return false
}

func bench(o options) error {
	res := &results{machine: describeMachine(), frames: map[string]frameSummary{}}
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return err
	}
	work, err := filepath.Abs(o.work)
	if err != nil {
		return err
	}
	runs := filepath.Join(work, "runs")
	os.RemoveAll(runs)
	if err := os.MkdirAll(runs, 0o755); err != nil {
		return err
	}
	if !o.keep {
		defer os.RemoveAll(runs)
	}

	missing := ensurePackages(map[string]string{
		"whiptail": "whiptail", "dialog": "dialog",
		"qemu-aarch64-static": "qemu-user-static", "strace": "strace",
	})
	have := func(cmd string) bool {
		for _, m := range missing {
			if m == cmd {
				return false
			}
		}
		return true
	}

	logf("building the daemon: ./build.sh build, arm, arm64")
	for _, target := range []string{"build", "arm", "arm64"} {
		if err := quiet("./build.sh", target); err != nil {
			return err
		}
	}
	hostBin, _ := filepath.Abs("out/nvr-menud")
	arm64Bin, _ := filepath.Abs("out/linux-arm64/nvr-menud")

	logf("preparing the demo device (activation with calibration)")
	dev, err := perf.PrepareDevice(filepath.Join(runs, "device"))
	if err != nil {
		return fmt.Errorf("preparing the device: %w", err)
	}
	res.device = dev
	logf("device: KDF %v, GUID %s", dev.KDF, dev.GUIDFile)

	nvr := daemon("nvr-menud", hostBin, nil, dev)
	// The daemon's variants (each door off, size experiments), built once
	// from a copy of the module for the first frames and the sizes.
	var builds *builder
	if o.step("frame") || o.step("size") {
		if builds, err = newBuilder(filepath.Join(work, "size")); err != nil {
			return err
		}
		defer builds.close()
	}
	// For scale, built like the daemon.
	scale := map[string]string{}
	for _, name := range []string{"hello", "bareform"} {
		out := filepath.Join(work, "scale-"+name)
		if err := goBuild(".", runtime.GOARCH, "./bench/perf/scale/"+name, out, "", "-s -w"); err != nil {
			res.skip("the %s program for scale: %v", name, err)
			continue
		}
		scale[name] = out
	}
	if out, err := buildHTTPSFloor(work, runtime.GOARCH); err != nil {
		res.skip("the HTTPS floor for scale: %v", err)
	} else {
		scale["httpsfloor"] = out
	}
	if o.step("frame") {
		progs := []program{nvr}
		// The daemon with each door off: what it changes in the start
		// and the memory.
		for _, v := range []variant{webOff, sadpOff} {
			logf("building %s for the host", v.name)
			bin, err := builds.daemon(v, runtime.GOARCH, false)
			if err != nil {
				res.skip("%s on the host: %v", v.name, err)
				continue
			}
			progs = append(progs, daemon(v.name, bin, nil, dev))
		}
		if bin, ok := scale["hello"]; ok {
			progs = append(progs, program{name: "Go hello world (for scale)", argv: func(string) []string { return []string{bin} }, ready: perf.Contains("hello")})
		}
		if bin, ok := scale["bareform"]; ok {
			progs = append(progs, program{name: "bare tview form (for scale)", argv: func(string) []string { return []string{bin} }, ready: perf.Contains("Accesso", "Password", "Annulla")})
		}
		if have("whiptail") {
			progs = append(progs, whiptail("whiptail", "whiptail", nil))
		} else {
			res.skip("whiptail on the host: not installed (apt-get install whiptail, as root)")
		}
		if have("dialog") {
			progs = append(progs, dialog("dialog", "dialog", nil))
		} else {
			res.skip("dialog on the host: not installed (apt-get install dialog, as root)")
		}
		logf("first frame on the host: %d runs each of %d programs, alternating", o.runs, len(progs))
		for name, runs := range firstFrames(runs, progs, o.runs, 10*time.Second) {
			res.frames[name] = summarizeFrames(runs)
		}
		for _, p := range progs {
			res.frameOrd = append(res.frameOrd, p.name)
		}

		switch {
		case !have("qemu-aarch64-static"):
			res.skip("arm64 under qemu-user: qemu-aarch64-static missing (apt-get install qemu-user-static, as root)")
		default:
			sysroot, err := arm64Sysroot(filepath.Join(work, "arm64"))
			emu, _ := exec.LookPath("qemu-aarch64-static")
			arm := []program{daemon("nvr-menud arm64 (qemu-user)", arm64Bin, []string{emu}, dev)}
			if err != nil {
				res.skip("whiptail and dialog for arm64: %v", err)
			} else {
				arm = append(arm,
					whiptail("whiptail arm64 (qemu-user)", filepath.Join(sysroot, "usr/bin/whiptail"), []string{emu, "-L", sysroot}),
					dialog("dialog arm64 (qemu-user)", filepath.Join(sysroot, "usr/bin/dialog"), []string{emu, "-L", sysroot}))
			}
			logf("first frame under qemu-user arm64: %d runs each of %d programs", o.armRuns, len(arm))
			for name, runs := range firstFrames(runs, arm, o.armRuns, 30*time.Second) {
				res.frames[name] = summarizeFrames(runs)
			}
			for _, p := range arm {
				res.frameOrd = append(res.frameOrd, p.name)
			}
		}
	}
	if o.step("latency") {
		logf("input latency: %d keys, %d clicks", o.events, o.events)
		progs := []program{nvr}
		if have("whiptail") {
			progs = append(progs, whiptail("whiptail", "whiptail", nil))
		}
		if have("dialog") {
			progs = append(progs, dialog("dialog", "dialog", nil))
		}
		for _, p := range progs {
			row, err := keyLatency(runs, p, o.events)
			if err != nil {
				res.skip("key latency of %s: %v", p.name, err)
				continue
			}
			res.latency = append(res.latency, row)
		}
		row, err := clickLatency(runs, nvr, o.events)
		if err != nil {
			res.skip("click latency: %v", err)
		} else {
			res.latency = append(res.latency, row)
		}
		for _, r := range res.latency {
			logf("%-10s %s: n %d median %s p99 %s max %s", r.program, r.event, r.s.N, perf.FormatDuration(r.s.Median), perf.FormatDuration(r.s.P99), perf.FormatDuration(r.s.Max))
		}
	}
	if o.step("flows") {
		res.memory = &memoryFigures{kdfKiB: int64(dev.KDF.MemoryKiB)}
		for _, method := range []string{"GUID", "questions", "email"} {
			row := flowRow{method: method}
			for i := range o.flowRuns {
				var mem *memoryFigures
				if method == "GUID" {
					mem = res.memory
				}
				logf("reset flow %s, run %d", method, i+1)
				if err := resetFlow(runs, nvr, dev, method, &row, mem); err != nil {
					logf("reset flow %s: %v", method, err)
					row.errors = append(row.errors, err.Error())
				}
			}
			logf("%s:%s", method, flowSummary(row))
			res.flows = append(res.flows, row)
		}
		if bin, ok := scale["httpsfloor"]; ok {
			logf("the HTTPS floor as a process of its own, %d runs", o.flowRuns)
			for range o.flowRuns {
				st, err := floorMemory(runs, bin)
				if err != nil {
					res.skip("the HTTPS floor's memory: %v", err)
					break
				}
				m := res.memory
				m.floorRSS, m.floorAnon, m.floorHWM = append(m.floorRSS, st.VmRSSKiB), append(m.floorAnon, st.RssAnonKiB), append(m.floorHWM, st.VmHWMKiB)
			}
		}
	}
	if o.step("idle") {
		var others []program
		if have("whiptail") {
			others = append(others, whiptail("whiptail", "whiptail", nil))
		}
		if have("dialog") {
			others = append(others, dialog("dialog", "dialog", nil))
		}
		if !have("strace") {
			res.skip("strace -c of the idle daemon: strace missing")
		}
		logf("idle: %v with every program at once", o.idle)
		res.idle = idleCost(runs, nvr, dev, others, o.idle, have("strace"))
		for _, r := range res.idle {
			logf("%-45s ticks %d wakeups %d perf %d strace %q err %v", r.name, r.ticks, r.wakeups, r.perfSwitches, r.strace, r.err)
		}
	}
	if o.step("size") {
		logf("sizes: builds of the daemon and its variants")
		shipped := map[string]string{"arm": "out/linux-arm/nvr-menud", "arm64": "out/linux-arm64/nvr-menud", "amd64": "out/nvr-menud"}
		sf, err := sizes(builds, shipped)
		if err != nil {
			res.skip("part of the size figures: %v", err)
		}
		res.sizes = sf
		if sf != nil {
			for _, g := range sf.groups {
				logf("  %-55s %s", g.Package, perf.FormatBytes(g.Bytes))
			}
			for _, d := range sf.doors {
				logf("  %-55s armv7 %d B, arm64 %d B", d.door, d.bytes["arm"], d.bytes["arm64"])
			}
		}
	}
	if o.step("kdf") {
		logf("argon2id: verification at the default and the device's cost, calibration")
		res.kdf = kdfCosts(dev.KDF, 5, 3)
		logf("default %v: %s; device %v: %s; picks %v in %s", res.kdf.defaultParams, perf.FormatDuration(res.kdf.defaultTime.Median), res.kdf.deviceParams, perf.FormatDuration(res.kdf.deviceTime.Median), res.kdf.picks, perf.FormatDuration(res.kdf.calibrate.Median))
	}
	for _, n := range res.frameOrd {
		s := res.frames[n]
		logf("%-32s ok %d median %s (min %s max %s) rss %s hwm %s", n, s.ok, perf.FormatDuration(s.time.Median), perf.FormatDuration(s.time.Min), perf.FormatDuration(s.time.Max), perf.FormatKiB(s.rss), perf.FormatKiB(s.hwm))
	}
	res.machine.loadEnd = loadAvg()
	res.elapsed = time.Since(started)
	section := report(res, o)
	if o.out == "" {
		fmt.Print(section)
		return nil
	}
	doc, err := os.ReadFile(o.out)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	updated, err := perf.ReplaceSection(string(doc), section)
	if err != nil {
		return fmt.Errorf("%s: %w", o.out, err)
	}
	if err := os.WriteFile(o.out, []byte(updated), 0o644); err != nil {
		return err
	}
	logf("wrote the perf section of %s", o.out)
	return nil
}
