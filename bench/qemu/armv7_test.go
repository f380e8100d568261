//go:build qemubench

package qemu

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nvrmenu/bench/qemu/qemuargs"
	"nvrmenu/config"
	"nvrmenu/texts"
)

// TestArmv7BootsAndIdles boots the armhf bench image (Debian's armmp kernel
// on an emulated Cortex-A7, the GOARM=7 daemon) to the activation screen on
// the serial console (the one place the bench still reads it: the HDMI
// flows run on arm64) and takes the figures the arm64 flows take there: the boot time, nvr-menud's
// VmRSS and VmHWM after its first frame and, with NVRMENU_QEMU_IDLE, its CPU
// time idling. It fails if the daemon does not come up, or if init had to
// start it again meanwhile.
func TestArmv7BootsAndIdles(t *testing.T) {
	image := os.Getenv("NVRMENU_IMAGE_ARMHF")
	if image == "" {
		t.Skip("NVRMENU_IMAGE_ARMHF is not set: run ./build.sh image armhf, then NVRMENU_IMAGE_ARMHF=$PWD/out/image-armhf go test -tags qemubench ./bench/qemu/")
	}
	cfg, err := config.Load(filepath.Join(image, "config.toml"))
	if err != nil {
		t.Fatalf("the image's configuration: %v", err)
	}
	cat, err := loadCatalogue(cfg.Language)
	if err != nil {
		t.Fatal(err)
	}
	if kver, err := os.ReadFile(filepath.Join(image, "kernel-version")); err == nil {
		t.Logf("kernel %s", strings.TrimSpace(string(kver)))
	}
	fig := figures{Arch: qemuargs.Armhf.Name, Display: qemuargs.Serial.Name, Date: time.Now().UTC().Format(time.RFC3339)}

	v := bootVM(t, qemuargs.Armhf, image, qemuargs.Serial, "", "")
	v.waitFor("the activation screen", bootLimit, func(s screen) bool {
		return s.has(cat.text(t, texts.TitleActivation)) && s.has(cat.text(t, texts.ActivationIntro, cfg.Device.Serial))
	})
	fig.BootToActivation = time.Since(v.started).Seconds()
	t.Logf("boot to the activation screen: %.1f s", fig.BootToActivation)
	pid := v.daemonPID()
	fig.RSSKiB, fig.HWMKiB = v.daemonMemory(pid)
	t.Logf("nvr-menud (pid %d) after its first frame: VmRSS %d KiB, VmHWM %d KiB", pid, fig.RSSKiB, fig.HWMKiB)
	measureIdle(v, pid, &fig)

	// The daemon is still the one that drew the first frame, and still
	// draws the activation screen.
	v.waitText(cat, cat.text(t, texts.TitleActivation))
	if again := v.daemonPID(); again != pid {
		t.Errorf("nvr-menud is pid %d at the end, %d at the start: it exited and was restarted", again, pid)
	}
	if out, err := v.guest("uname -m; grep -c 'init: nvr-menud exited' /var/log/nvr-menud.log"); err == nil {
		t.Logf("guest: %s", strings.Join(strings.Fields(out), ", "))
	}
	appendFigures(t, fig)
}
