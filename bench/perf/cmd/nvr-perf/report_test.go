package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"nvrmenu/bench/perf"
)

// TestReportBudgets renders a report from made-up figures and checks the
// budget lines say met or missed, by how much, as the figures say.
func TestReportBudgets(t *testing.T) {
	res := &results{
		machine: machine{date: "2026-11-30", nproc: 2, cpu: "Test CPU"},
		frames: map[string]frameSummary{
			"nvr-menud":                   {ok: 30, time: perf.Summary{N: 30, Median: 10 * time.Millisecond}, rss: 8 * 1024, anon: 2 * 1024},
			"whiptail":                    {ok: 30, time: perf.Summary{N: 30, Median: 4 * time.Millisecond}, rss: 3900},
			"nvr-menud arm64 (qemu-user)": {ok: 3, time: perf.Summary{N: 3, Median: 150 * time.Millisecond}},
			"whiptail arm64 (qemu-user)":  {ok: 3, time: perf.Summary{N: 3, Median: 100 * time.Millisecond}},
			webOff.name:                   {ok: 30, time: perf.Summary{N: 30, Median: 9 * time.Millisecond}, rss: 7 * 1024, anon: 1536},
		},
		frameOrd: []string{"nvr-menud", "whiptail"},
		latency: []latencyRow{
			{program: "nvr-menud", event: "key in the password field", s: perf.Summary{N: 1000, Median: 250 * time.Microsecond, P99: 3 * time.Millisecond}},
			{program: "whiptail", event: "key in the password field", s: perf.Summary{N: 1000, Median: 100 * time.Microsecond}},
		},
		memory: &memoryFigures{
			frameRSS: []int64{8000}, frameAnon: []int64{2000}, frameHWM: []int64{8000}, settledRSS: []int64{8300}, settledAnon: []int64{2100},
			pageRSS: []int64{9000}, pageAnon: []int64{2600},
			afterSet:   []rssTrace{{first: 9000, last: 9000, back: -1, beforeAnon: 2048, firstAnon: 6144, lastAnon: 6144}},
			afterLogin: []rssTrace{{first: 12000, last: 10000, back: 0}},
			kdfKiB:     65536,
			floorRSS:   []int64{5000, 5120, 6000}, floorAnon: []int64{1024, 1024, 1100}, floorHWM: []int64{5200, 5200, 6000},
		},
		idle: []idleRow{{name: "nvr-menud, login screen", window: time.Minute, ticks: 0}, {name: "nvr-menud, login screen, stick plugged", window: 30 * time.Second, ticks: 1}},
		sizes: &sizeFigures{
			rows: []sizeRow{{name: "nvr-menud as shipped (all three doors)", arch: "arm", bytes: 9 << 20}, {name: webOff.name, arch: "arm", bytes: 4 << 20}},
			doors: []doorCost{{door: "the web door", bytes: map[string]int64{"arm": 5 << 20}, with: "nvr-menud", without: webOff.name,
				symbols: []perf.PackageSize{{Package: "crypto/tls", Bytes: 3 << 20}, {Package: "all", Bytes: 4 << 20}}}},
			tview:        []tviewCount{{"nvr-menud, all three doors", 397}, {webOff.name, 397}},
			floorProcess: 3 << 20, inProcess: 9 << 20, withoutDoor: 4 << 20, // made up: 7 MiB in two

		},
	}
	out := report(res, options{runs: 30, armRuns: 30})
	for _, want := range []string{
		"first frame ≤ 2× whiptail's median (host): 10.0 ms against 4.00 ms, ratio 2.50× — **missed**",
		"first frame ≤ 2× whiptail's median (arm64 under qemu-user): 150 ms against 100 ms, ratio 1.50× — **met**",
		"key-to-frame median ≤ 3× whiptail's: 250 µs against 100 µs, ratio 2.50× (p99 3.00 ms) — **met**",
		"VmRSS with every door listening (2 s after the first frame) ≤ 8 MiB: 8.11 MiB — **missed**",
		"VmRSS after a page served and the flows run (10 s after the last login) ≤ 10 MiB: 9.77 MiB — **met**",
		"argon2id's memory handed back within 10 s, in every run — **missed**",
		"not within 10 s (1 of 1 runs)",
		"\"Handed back\": RssAnon within 3.20 MiB — a twentieth of argon2id's 64.00 MiB at the device's cost — of what it was",
		"by run: new password stored 2.00 MiB → 6.00 MiB → 6.00 MiB; logged in with it 0.00 MiB → 0.00 MiB → 0.00 MiB.",
		"| the web page and the API's device served | 8.79 MiB (2.54 MiB anon + 6.25 MiB file) |",
		"8.00 MiB (2.00 MiB anon + 6.00 MiB file)",
		"the armv7 daemon with all three doors ≤ 8 MiB (issue #22): 9.00 MiB — **missed**",
		"the armv7 daemon ≤ 5 MiB (issue 6, set before the web door), read on the daemon without it: 4.00 MiB — **met**",
		// The door's VmRSS: 8 MiB with it, 7 MiB without.
		"| the web door |  | 5.00 MiB (5242880 B) | – | 1.00 MiB (0.50 MiB anon + 0.50 MiB file) | 4.00 MiB in all; crypto/tls 3.00 MiB |",
		"tview's symbols linked (armv7, with symbols): 397 in nvr-menud, all three doors, 397 in nvr-menud, web door off.",
		// The web door as a process of its own: 7 MiB at the frame without
		// it and 5 MiB for the floor, against 9,000 KiB with it inside.
		"| " + floorName + " | listening, one request served | 5.00 MiB (1.00 MiB anon + 4.00 MiB file) | 5.08 MiB |",
		"(7.00 MiB at its first frame) plus\nthe floor above (5.00 MiB): 12.00 MiB in two processes (2.50 MiB anon), against 8.79 MiB (2.54 MiB anon)",
		"4.00 MiB (daemon without the door) + 3.00 MiB (the floor, before any page) = 7.00 MiB of flash on armv7, against 9.00 MiB",
		"the daemon alone would meet 8 MiB; the recorder would carry no more.",
		// 1 tick in 30 s is 2 a minute: 20 ms.
		"idle CPU ≤ 10 ms per minute: at most 20 ms per minute over both daemon rows — **missed**",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(out, "### 6.") {
		t.Error("report has a recovery section without its figures")
	}
}

func TestVerdict(t *testing.T) {
	for _, tc := range []struct {
		met  bool
		want string
	}{
		{true, "Budget: x 1 — **met**."},
		{false, "Budget: x 1 — **missed**."},
	} {
		if got := verdict(tc.met, "x %d", 1); got != tc.want {
			t.Errorf("verdict(%v) = %q, want %q", tc.met, got, tc.want)
		}
	}
}

// TestDaemonTags: the variants are built with build.sh's own tags.
func TestDaemonTags(t *testing.T) {
	tags, err := daemonTags("../../../../build.sh")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tags, "nethttpomithttp2") {
		t.Errorf("build.sh's DAEMON_TAGS %q: want nethttpomithttp2 among them", tags)
	}
	if got := joinTags(tags, "", "noweb"); got != tags+",noweb" {
		t.Errorf("joinTags: %q", got)
	}
}

// TestSADPStubApplies: the SADP variant replaces a line the daemon still
// has (a size figure is never taken from a variant that did not build).
func TestSADPStubApplies(t *testing.T) {
	b, err := os.ReadFile("../../../../cmd/nvr-menud/sadp.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), sadpStub) {
		t.Errorf("cmd/nvr-menud/sadp.go lacks %q: variantTree's SADP stub no longer applies", sadpStub)
	}
}
