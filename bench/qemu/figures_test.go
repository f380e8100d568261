//go:build qemubench

package qemu

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"nvrmenu/recovery"
)

// manyFiles is how many files the crowded stick holds (and otherGUIDs of
// them are named like another recorder's GUID files, so that the GUID screen
// has something to list).
const manyFiles, otherGUIDs = 2000, 40

// figures are one boot's measurements, appended as a JSON line to the file
// NVRMENU_QEMU_FIGURES names (BENCHMARKS.md's figures come from there).
type figures struct {
	Arch               string  `json:"arch,omitempty"`    // the guest's, when not arm64
	Display            string  `json:"display,omitempty"` // serial, 720p, 1080p
	Date               string  `json:"date"`
	BootToActivation   float64 `json:"boot_to_activation_s,omitempty"`
	BootToFirstFrame   float64 `json:"boot_to_first_frame_s,omitempty"`
	PlugToListed       float64 `json:"plug_to_listed_s,omitempty"`
	YankedWhile        string  `json:"crowded_stick_yanked_while,omitempty"`
	RSSKiB             int     `json:"rss_kib_first_frame"`
	HWMKiB             int     `json:"hwm_kib_first_frame"`
	RSSEndKiB          int     `json:"rss_kib_end,omitempty"`
	HWMEndKiB          int     `json:"hwm_kib_end,omitempty"`
	IdleSeconds        float64 `json:"idle_s,omitempty"`
	IdleTicks          *int    `json:"idle_ticks,omitempty"`
	Screendumps        int     `json:"screendumps,omitempty"`
	DumpMedianMS       float64 `json:"screendump_median_ms,omitempty"`
	ReadMedianMS       float64 `json:"read_median_ms,omitempty"`
	KeyToFrameMedianMS float64 `json:"key_to_frame_median_ms,omitempty"`
	FlowsSeconds       float64 `json:"flows_s,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// measureIdle, when NVRMENU_QEMU_IDLE is set, measures the daemon's CPU
// time idling for so long.
func measureIdle(v *vm, pid int, fig *figures) {
	t := v.t
	t.Helper()
	idle := os.Getenv("NVRMENU_QEMU_IDLE")
	if idle == "" {
		return
	}
	d, err := time.ParseDuration(idle)
	if err != nil {
		t.Fatalf("NVRMENU_QEMU_IDLE: %v", err)
	}
	before := v.daemonTicks(pid)
	time.Sleep(d) // the measurement itself: nothing to poll for
	ticks := v.daemonTicks(pid) - before
	fig.IdleSeconds, fig.IdleTicks = d.Seconds(), &ticks
	t.Logf("nvr-menud idle for %v: %d clock ticks of CPU (utime+stime, 10 ms each)", d, ticks)
}

// makeCrowdedStick makes a FAT stick with manyFiles files in DCIM/, a
// camera's folder, otherGUIDs of them named like another recorder's GUID
// files.
func makeCrowdedStick(t *testing.T, img string) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "DCIM")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 1024)
	for i := range junk {
		junk[i] = byte(i * 7)
	}
	for i := 1; i <= manyFiles; i++ {
		name := fmt.Sprintf("IMG_%04d.JPG", i)
		data := junk
		if i <= otherGUIDs {
			name = fmt.Sprintf("OTHERDEV000001_20260101_1200%02d%s", i, recovery.GUIDFileExt)
			data = []byte("nvrmenu-guid v1\nserial OTHERDEV000001\n")
		}
		if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	makeStick(t, img, 32768)
	run(t, "mcopy", "-s", "-i", img, src, "::/")
}

// guidFileName is how the device names a GUID file (docs/guid-file.md).
var guidFileName = regexp.MustCompile(`^([A-Z0-9-]+)_(\d{8})_(\d{6})\.nvrguid$`)

// checkGUIDStick reads the stick image on the host and checks it holds
// exactly one GUID file, of serial, named after its export time (the
// guest's clock comes from the host through the emulated RTC); it returns
// the file's name.
func checkGUIDStick(t *testing.T, img, serial string) string {
	t.Helper()
	var names []string
	for _, line := range strings.Split(run(t, "mdir", "-b", "-i", img, "::/"), "\n") {
		if name, ok := strings.CutPrefix(strings.TrimSpace(line), "::/"); ok && strings.HasSuffix(name, recovery.GUIDFileExt) {
			names = append(names, name)
		}
	}
	if len(names) != 1 {
		t.Fatalf("GUID files on the stick: %q, want one", names)
	}
	name := names[0]
	m := guidFileName.FindStringSubmatch(name)
	if m == nil || m[1] != serial {
		t.Fatalf("GUID file %q: want %s_<YYYYMMDD>_<HHMMSS>%s", name, serial, recovery.GUIDFileExt)
	}
	at, err := time.Parse("20060102150405", m[2]+m[3])
	if err != nil {
		t.Fatalf("GUID file %q: %v", name, err)
	}
	if d := time.Since(at); d < -time.Hour || d > time.Hour {
		t.Errorf("GUID file %q: exported at %v by its name, %v from now", name, at, d.Round(time.Second))
	}
	data := run(t, "mcopy", "-n", "-i", img, "::/"+name, "-")
	f, err := recovery.ParseGUIDFile([]byte(data))
	if err != nil {
		t.Fatalf("GUID file %q: %v; its %d bytes: %q; the stick:\n%s", name, err, len(data), data, run(t, "mdir", "-a", "-i", img, "::/"))
	}
	if f.Serial != serial {
		t.Fatalf("GUID file %q: serial %q inside, want %q", name, f.Serial, serial)
	}
	return name
}

// appendFigures appends fig as one JSON line to the file that
// NVRMENU_QEMU_FIGURES names, if it does.
func appendFigures(t *testing.T, fig figures) {
	t.Helper()
	path := os.Getenv("NVRMENU_QEMU_FIGURES")
	if path == "" {
		return
	}
	line, _ := json.Marshal(fig)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fmt.Fprintf(f, "%s\n", line)
}

// daemonPID returns nvr-menud's pid in the guest.
func (v *vm) daemonPID() int {
	v.t.Helper()
	out, err := v.guest("pidof nvr-menud")
	pid, perr := strconv.Atoi(strings.TrimSpace(out))
	if err != nil || perr != nil {
		v.fatalf("pidof nvr-menud in the guest: %q, %v", out, err)
	}
	return pid
}

// daemonMemory returns VmRSS and VmHWM of pid in the guest, in KiB.
func (v *vm) daemonMemory(pid int) (rss, hwm int) {
	v.t.Helper()
	out, err := v.guest(fmt.Sprintf("cat /proc/%d/status", pid))
	if err != nil {
		v.fatalf("guest: %v", err)
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.Atoi(f[1])
		switch f[0] {
		case "VmRSS:":
			rss = n
		case "VmHWM:":
			hwm = n
		}
	}
	if rss == 0 {
		v.fatalf("no VmRSS in /proc/%d/status:\n%s", pid, out)
	}
	return rss, hwm
}

// daemonTicks returns pid's utime+stime in clock ticks (USER_HZ, 100 a
// second).
func (v *vm) daemonTicks(pid int) int {
	v.t.Helper()
	out, err := v.guest(fmt.Sprintf("cat /proc/%d/stat", pid))
	if err != nil {
		v.fatalf("guest: %v", err)
	}
	// The fields after the command name, which is in parentheses: state is
	// the first, utime the 12th and stime the 13th.
	i := strings.LastIndexByte(out, ')')
	f := strings.Fields(out[i+1:])
	if i < 0 || len(f) < 13 {
		v.fatalf("guest: /proc/%d/stat: %q", pid, out)
	}
	utime, err1 := strconv.Atoi(f[11])
	stime, err2 := strconv.Atoi(f[12])
	if err1 != nil || err2 != nil {
		v.fatalf("guest: /proc/%d/stat: %q", pid, out)
	}
	return utime + stime
}
