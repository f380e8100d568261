//go:build qemubench

package qemu

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"nvrmenu/bench/qemu/qemuargs"
	"nvrmenu/config"
	"nvrmenu/texts"
)

// TestFreshRecorder boots a recorder as an installer first finds it after
// deploying the daemon by the README: no state directory, no configuration
// file, and nvr-menud started by BusyBox init from docs/deploy/inittab's
// line on tty1. Read from the HDMI monitor's pixels: the fault screen,
// translated, with the directory and the one command that makes it. The
// daemon waits there instead of exiting (init would respawn it for ever,
// the screen blank): the same process still shows it seconds later, and
// once the installer makes the directory it goes on by itself to the
// activation screen, with no restart.
// fingerprintRE is a SHA-256 fingerprint as nvr-menud -fingerprint prints it.
var fingerprintRE = regexp.MustCompile(`([0-9A-F]{2}:){31}[0-9A-F]{2}`)

func TestFreshRecorder(t *testing.T) {
	image := os.Getenv("NVRMENU_IMAGE")
	if image == "" {
		t.Fatal("NVRMENU_IMAGE is not set: run ./build.sh image, then NVRMENU_IMAGE=$PWD/out/image go test -tags qemubench ./bench/qemu/")
	}
	def := config.Default()
	cat, err := loadCatalogue(def.Language)
	if err != nil {
		t.Fatal(err)
	}
	v := boot(t, qemuargs.Config{Arch: qemuargs.Arm64, Image: image, Display: at720.display, Fresh: true})
	h := &hdmi{vm: v, name: "fresh-" + at720.display.Name, reader: font(at720.size), cat: cat}

	fix := "mkdir -p -m 0700 " + def.StateDir
	fault := []string{cat.text(t, texts.TitleFault), cat.text(t, texts.FaultFolder, def.StateDir), cat.text(t, texts.FaultFix, fix)}
	// The boot first (the generous limit), then the screen as wait checks
	// it: still, legible, saved.
	for deadline := time.Now().Add(bootLimit); ; time.Sleep(time.Second) {
		if s, _ := h.screendump(); s.Has(fault[0]) {
			break
		}
		if time.Now().After(deadline) {
			s, _ := h.screendump()
			h.save(s, "timeout-fault")
			v.fatalf("no fault screen %v after boot; the monitor reads:\n%s", bootLimit, s)
		}
	}
	h.waitText("fault-no-state-dir", fault...)
	t.Logf("fault screen on tty1 %.1f s after QEMU started", time.Since(v.started).Seconds())
	if out, err := v.guest("ls -d /etc/nvr-menu/config.toml " + def.StateDir + " 2>&1; grep nvr-menud /etc/inittab"); err != nil ||
		!strings.Contains(out, "config.toml: No such file") || !strings.Contains(out, def.StateDir+": No such file") || !strings.Contains(out, "tty1::respawn:") {
		t.Fatalf("the guest is no fresh recorder (want no configuration file, no state directory, the inittab line): %q, %v", out, err)
	}
	pid := v.daemonPID()
	// BusyBox init, its own console a serial line, hands tty1's process
	// TERM=vt102; on its virtual console the daemon draws as the Linux
	// console (colours, frames), which the pixels above already show.
	if out, err := v.guest(fmt.Sprintf("tr '\\0' '\\n' </proc/%d/environ | grep '^TERM='", pid)); err == nil {
		t.Logf("nvr-menud started by BusyBox init with %s", strings.TrimSpace(out))
	}

	// Ten seconds on, the very same process shows the very same screen:
	// it neither exited (BusyBox init would have started another pid) nor
	// wrote a line over the menu.
	before, _ := h.screendump()
	time.Sleep(10 * time.Second)
	after, _ := h.screendump()
	if again := v.daemonPID(); again != pid {
		t.Fatalf("nvr-menud was pid %d, is pid %d 10 s later: it exited and init started it again", pid, again)
	}
	if before.String() != after.String() {
		t.Errorf("the fault screen changed in 10 s with nothing done:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// The installer does what the screen says; the menu comes up alone.
	if out, err := v.guest(fix + " && echo made"); err != nil || !strings.Contains(out, "made") {
		t.Fatalf("%s in the guest: %q, %v", fix, out, err)
	}
	h.waitText("activation-after-mkdir", cat.text(t, texts.TitleActivation), cat.text(t, texts.ActivationIntro, def.Device.Serial))
	if again := v.daemonPID(); again != pid {
		t.Errorf("nvr-menud was pid %d on the fault screen and is pid %d on the activation screen: it was restarted, not woken", pid, again)
	}
	// First contact: once the web door listens (after the first frame),
	// the Attivazione screen shows its certificate's fingerprint, for the
	// installer to compare with what nvr-sadp activate shows.
	s := h.waitText("activation-web-door", cat.text(t, texts.WebCertFingerprint, ""))
	// The very certificate nvr-menud -fingerprint reads, shown in two
	// halves of 16 pairs.
	out, err := v.guest("nvr-menud -fingerprint")
	fp := fingerprintRE.FindString(out)
	if err != nil || fp == "" {
		t.Fatalf("nvr-menud -fingerprint in the guest: %q, %v", out, err)
	}
	if !s.Has(fp[:47]) || !s.Has(fp[48:]) {
		t.Errorf("the Attivazione screen does not show the fingerprint %s that nvr-menud -fingerprint gives:\n%s", fp, s)
	}
	// Its log now goes to the state directory, never to the screen.
	if out, err := v.guest("cat " + def.StateDir + "/nvr-menud.log"); err != nil || !strings.Contains(out, "menu started") {
		t.Errorf("the daemon's log in %s/nvr-menud.log: %q, %v", def.StateDir, out, err)
	}
}
