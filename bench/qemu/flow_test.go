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

	"nvrmenu/config"
	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// Passwords the policy accepts (two kinds and more, no sequences).
const (
	adminPassword = "Gt5!wQz8@n"
	newPassword   = "Rb4$kXv7%m"
)

// manyFiles is how many files the crowded stick holds (and otherGUIDs of
// them are named like another recorder's GUID files, so that the GUID screen
// has something to list).
const manyFiles, otherGUIDs = 2000, 40

// figures are one run's measurements.
type figures struct {
	Arch             string  `json:"arch,omitempty"` // the guest's, when not arm64
	Date             string  `json:"date"`
	BootToActivation float64 `json:"boot_to_activation_s"`
	PlugToListed     float64 `json:"plug_to_listed_s,omitempty"`
	YankedWhile      string  `json:"crowded_stick_yanked_while,omitempty"`
	RSSKiB           int     `json:"rss_kib_first_frame"`
	HWMKiB           int     `json:"hwm_kib_first_frame"`
	RSSEndKiB        int     `json:"rss_kib_end,omitempty"`
	HWMEndKiB        int     `json:"hwm_kib_end,omitempty"`
	IdleSeconds      float64 `json:"idle_s,omitempty"`
	IdleTicks        *int    `json:"idle_ticks,omitempty"`
}

// TestRecoveryFlowOnQEMU drives the bench image from its first boot to a
// password recovered by GUID file and back, the way an owner would: the
// activation, a GUID file exported to a hot-plugged stick (checked on the
// host after the stick is yanked), a click on "Password Dimenticata" with
// QEMU's USB mouse, a crowded stick yanked while the GUID screen lists it,
// the GUID stick plugged again and its file imported, a new password set
// and used, and the spent GUID refused.
func TestRecoveryFlowOnQEMU(t *testing.T) {
	image := os.Getenv("NVRMENU_IMAGE")
	if image == "" {
		t.Fatal("NVRMENU_IMAGE is not set: run ./build.sh image, then NVRMENU_IMAGE=$PWD/out/image go test -tags qemubench ./bench/qemu/")
	}
	cfg, err := config.Load(filepath.Join(image, "config.toml"))
	if err != nil {
		t.Fatalf("the image's configuration: %v", err)
	}
	cat, err := loadCatalogue(cfg.Language)
	if err != nil {
		t.Fatal(err)
	}
	tr := func(id texts.ID, args ...any) string { t.Helper(); return cat.text(t, id, args...) }
	serial := cfg.Device.Serial
	fig := figures{Date: time.Now().UTC().Format(time.RFC3339)}

	sticks := t.TempDir()
	guidImg := filepath.Join(sticks, "guid.img")
	makeStick(t, guidImg, 16384)
	manyImg := filepath.Join(sticks, "many.img")
	makeCrowdedStick(t, manyImg)

	v := bootVM(t, arm64Guest, image)

	// First boot: the activation screen, and the daemon's figures there.
	pid := v.activation(cat, serial, &fig)

	// Activation by keyboard; the argon2id calibration runs behind the
	// busy overlay, then the recovery setup.
	v.typeText(adminPassword)
	v.key("Tab")
	v.typeText(adminPassword)
	v.key("Enter")
	v.waitText(cat, tr(texts.TitleSetup), tr(texts.PasswordSet))

	// Export the GUID file to a stick plugged now.
	guidDev := v.plug(guidImg)
	v.key("Enter") // "Export GUID file", the list's first item
	v.waitText(cat, tr(texts.GUIDExportIntro))
	v.key("Enter") // "Export", the focused button
	v.waitFor("the stick in the stick picker", screenLimit, func(s screen) bool {
		return s.has(tr(texts.PickStick)) && !s.has(tr(texts.NoStick))
	})
	v.key("Enter")
	v.waitText(cat, strings.Split(tr(texts.GUIDExported), "%")[0])
	v.key("Enter") // Ok
	v.waitState(cat, "the GUID file set up", tr(texts.TitleSetup), tr(texts.SetGUID), tr(texts.StateSetUp))

	// Yank it: the file is on the stick, as the host reads it.
	v.yank(guidDev)
	guidName := checkGUIDStick(t, guidImg, serial)
	t.Logf("GUID file on the stick: %s", guidName)

	// Skip the other methods: Fine, the last item, ends at the login screen.
	v.key("End", "Enter")
	v.waitText(cat, tr(texts.Activated), tr(texts.DeviceSerial, serial))

	// "Password Dimenticata" with the mouse, then the GUID method.
	v.clickText(tr(texts.ForgotPassword))
	v.waitText(cat, tr(texts.ForgotIntro))
	v.clickText(tr(texts.MethodGUID))
	v.waitText(cat, tr(texts.GUIDIntro), tr(texts.NoStick))

	// A crowded stick, yanked as soon as the screen shows it being read
	// or listed: the menu must live on and say there is no stick.
	manyDev := v.plug(manyImg)
	s := v.waitFor("the crowded stick on the GUID screen", screenLimit, func(s screen) bool {
		return !s.has(tr(texts.NoStick))
	})
	v.yank(manyDev)
	switch {
	case s.has(tr(texts.ReadingSticks)):
		fig.YankedWhile = "reading"
	case s.has(tr(texts.GUIDOtherDevice)):
		fig.YankedWhile = "listed"
	default:
		fig.YankedWhile = "other: " + strings.Join(strings.Fields(s.String()), " ")
	}
	t.Logf("crowded stick yanked while the GUID screen showed it %s", fig.YankedWhile)
	v.waitText(cat, tr(texts.GUIDIntro), tr(texts.NoStick))
	v.key("Escape") // back to the methods: the menu still answers keys
	v.waitText(cat, tr(texts.ForgotIntro))
	v.clickText(tr(texts.MethodGUID))
	v.waitText(cat, tr(texts.GUIDIntro), tr(texts.NoStick))

	// The GUID stick again: from the plug to its file on screen.
	start := time.Now()
	guidDev = v.plug(guidImg)
	v.waitFor("the GUID file listed", screenLimit, func(s screen) bool { return s.has(guidName) })
	fig.PlugToListed = time.Since(start).Seconds()
	t.Logf("stick plugged to its GUID file listed: %.2f s", fig.PlugToListed)

	// Import (Enter on the selected file, this device's first), then the
	// new password twice.
	v.key("Enter")
	v.waitText(cat, tr(texts.NewPasswordIntro))
	v.typeText(newPassword)
	v.key("Tab")
	v.typeText(newPassword)
	v.key("Enter")
	v.waitText(cat, tr(texts.ResetDone), tr(texts.GUIDExpiredOffer))
	v.clickText(tr(texts.Later))
	v.waitText(cat, tr(texts.LoginWithNew))

	// Log in with the new password: the admin account screen.
	v.typeText(newPassword)
	v.key("Enter")
	v.waitState(cat, "the account screen, the GUID spent", tr(texts.AccountIntro), tr(texts.SetGUID), tr(texts.StateExpired))
	v.clickText(tr(texts.Logout))
	v.waitText(cat, tr(texts.DeviceSerial, serial))

	// The spent GUID: its method is shown expired, and choosing it only
	// says why.
	v.clickText(tr(texts.ForgotPassword))
	v.waitState(cat, "the GUID method shown expired", tr(texts.ForgotIntro), "  "+tr(texts.MethodGUID), tr(texts.MethodExpiredGUID))
	v.clickText(tr(texts.MethodGUID))
	v.waitFor("the reason in a dialog", screenLimit, func(s screen) bool {
		_, _, ok := s.find(" " + tr(texts.Ok) + " ")
		return ok && !s.has(tr(texts.GUIDIntro))
	})
	v.key("Enter")
	v.waitFor("the methods again", screenLimit, func(s screen) bool {
		_, _, ok := s.find(" " + tr(texts.Ok) + " ")
		return !ok && s.has(tr(texts.ForgotIntro))
	})
	v.yank(guidDev)

	// One daemon did all of it: init never had to start it again.
	if again := v.daemonPID(); again != pid {
		t.Errorf("nvr-menud is pid %d at the end, %d at the start: it exited and was restarted", again, pid)
	}
	fig.RSSEndKiB, fig.HWMEndKiB = v.daemonMemory(pid)
	t.Logf("nvr-menud at the end: VmRSS %d KiB, VmHWM %d KiB", fig.RSSEndKiB, fig.HWMEndKiB)
	appendFigures(t, fig)
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

// below returns the text on the line under the first line holding label,
// trimmed of borders and spaces: a list item's second line.
func (s screen) below(label string) string {
	_, y, ok := s.find(label)
	if !ok || y+1 >= len(s.rows) {
		return ""
	}
	return strings.Trim(string(s.rows[y+1]), " │┃║|")
}

// waitState waits for the screen showing text (and no busy overlay) with
// state exactly on the line under label: a list item's second line.
func (v *vm) waitState(cat catalogue, what, text, label, state string) {
	v.t.Helper()
	busy := cat.text(v.t, texts.Working)
	v.waitFor(what, screenLimit, func(s screen) bool {
		return !s.has(busy) && s.has(text) && s.below(label) == state
	})
}

// activation waits for the first boot's activation screen and takes the
// figures there: the boot time, nvr-menud's memory after its first frame
// and, when NVRMENU_QEMU_IDLE is set, its CPU time idling at that screen
// for so long. It returns the daemon's pid.
func (v *vm) activation(cat catalogue, serial string, fig *figures) int {
	t := v.t
	t.Helper()
	v.waitFor("the activation screen", bootLimit, func(s screen) bool {
		return s.has(cat.text(t, texts.TitleActivation)) && s.has(cat.text(t, texts.ActivationIntro, serial))
	})
	fig.BootToActivation = time.Since(v.started).Seconds()
	t.Logf("boot to the activation screen: %.1f s", fig.BootToActivation)
	pid := v.daemonPID()
	fig.RSSKiB, fig.HWMKiB = v.daemonMemory(pid)
	t.Logf("nvr-menud (pid %d) after its first frame: VmRSS %d KiB, VmHWM %d KiB", pid, fig.RSSKiB, fig.HWMKiB)
	if idle := os.Getenv("NVRMENU_QEMU_IDLE"); idle != "" {
		d, err := time.ParseDuration(idle)
		if err != nil {
			t.Fatalf("NVRMENU_QEMU_IDLE: %v", err)
		}
		before := v.daemonTicks(pid)
		time.Sleep(d) // the measurement itself: nothing to poll for
		ticks := v.daemonTicks(pid) - before
		fig.IdleSeconds, fig.IdleTicks = d.Seconds(), &ticks
		t.Logf("nvr-menud idle at the activation screen for %v: %d clock ticks of CPU (utime+stime, 10 ms each)", d, ticks)
	}
	return pid
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
