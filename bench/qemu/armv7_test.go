//go:build qemubench

package qemu

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nvrmenu/config"
	"nvrmenu/texts"
)

// TestArmv7BootsAndIdles boots the armhf bench image (Debian's armmp kernel
// on an emulated Cortex-A7, the GOARM=7 daemon) to the activation screen and
// takes the figures the arm64 flow takes there: the boot time, nvr-menud's
// VmRSS and VmHWM after its first frame and, with NVRMENU_QEMU_IDLE, its CPU
// time idling. It fails if the daemon does not come up, or if init had to
// start it again meanwhile.
func TestArmv7BootsAndIdles(t *testing.T) {
	image := os.Getenv(armhfGuest.env)
	if image == "" {
		t.Skipf("%s is not set: run ./build.sh image armhf, then %s=$PWD/out/image-armhf go test -tags qemubench ./bench/qemu/", armhfGuest.env, armhfGuest.env)
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
	fig := figures{Arch: armhfGuest.name, Date: time.Now().UTC().Format(time.RFC3339)}

	v := bootVM(t, armhfGuest, image)
	pid := v.activation(cat, cfg.Device.Serial, &fig)

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
