package qemuargs

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func base(d Display) Config {
	return Config{Arch: Arm64, Image: "/img", Display: d, Rows: 30, Cols: 100, Monitor: "/s/mon", Shell: "/s/shell"}
}

// after returns the argument after the first flag, "" without one.
func after(argv []string, flag string) string {
	if i := slices.Index(argv, flag); i >= 0 && i+1 < len(argv) {
		return argv[i+1]
	}
	return ""
}

func devices(argv []string) []string {
	var ds []string
	for i, a := range argv {
		if a == "-device" && i+1 < len(argv) {
			ds = append(ds, argv[i+1])
		}
	}
	return ds
}

func TestArgvHDMI(t *testing.T) {
	c := base(HDMI1080)
	c.VNC, c.Language, c.Keymap = "/s/vnc", "it", "it"
	argv, err := Argv(c)
	if err != nil {
		t.Fatal(err)
	}
	if argv[0] != "qemu-system-aarch64" || after(argv, "-M") != "virt" || after(argv, "-cpu") != "cortex-a53" {
		t.Errorf("emulator and board: %q", argv[:5])
	}
	ds := devices(argv)
	for _, want := range []string{"qemu-xhci,id=xhci", "usb-mouse,bus=xhci.0", "usb-kbd,bus=xhci.0", "virtio-gpu-pci,xres=1920,yres=1080", "virtconsole,chardev=shell"} {
		if !slices.Contains(ds, want) {
			t.Errorf("no -device %s in %q", want, ds)
		}
	}
	cmdline := strings.Fields(after(argv, "-append"))
	for _, want := range []string{"console=ttyAMA0", "NVR_CONFIG=" + HDMIConfig, "NVR_LANGUAGE=it", "NVR_KEYMAP=it", "NVR_ROWS=30", "NVR_COLS=100"} {
		if !slices.Contains(cmdline, want) {
			t.Errorf("kernel command line %q lacks %s", cmdline, want)
		}
	}
	if slices.Contains(cmdline, "console=tty1") {
		t.Error("console=tty1 would put the kernel's messages on the monitor")
	}
	if after(argv, "-vnc") != "unix:/s/vnc" || after(argv, "-monitor") != "unix:/s/mon,server,nowait" || after(argv, "-kernel") != "/img/vmlinuz" {
		t.Errorf("sockets and kernel: %q", argv)
	}
}

func TestArgvFresh(t *testing.T) {
	c := base(HDMI720)
	c.Fresh = true
	argv, err := Argv(c)
	if err != nil {
		t.Fatal(err)
	}
	cmdline := strings.Fields(after(argv, "-append"))
	if !slices.Contains(cmdline, "NVR_FRESH=1") || slices.Contains(cmdline, "NVR_CONFIG="+HDMIConfig) {
		t.Errorf("a fresh recorder's kernel command line %q: want NVR_FRESH=1 and no NVR_CONFIG", cmdline)
	}
}

func TestArgvSerial(t *testing.T) {
	c := base(Serial)
	c.Arch = Armhf
	argv, err := Argv(c)
	if err != nil {
		t.Fatal(err)
	}
	if argv[0] != "qemu-system-arm" || after(argv, "-M") != "virt,highmem=off" {
		t.Errorf("armhf: %q", argv[:5])
	}
	for _, d := range devices(argv) {
		if strings.Contains(d, "gpu") || strings.Contains(d, "kbd") {
			t.Errorf("the serial display got -device %s", d)
		}
	}
	if strings.Contains(after(argv, "-append"), "NVR_CONFIG") {
		t.Errorf("the serial display runs the image's own config.toml: %q", after(argv, "-append"))
	}
}

func TestArgvRefuses(t *testing.T) {
	for name, c := range map[string]Config{
		"VNC of the serial console": func() Config { c := base(Serial); c.VNC = "/s/vnc"; return c }(),
		"comma in a path":           func() Config { c := base(HDMI720); c.Monitor = "/s/a,b"; return c }(),
		"no monitor":                func() Config { c := base(HDMI720); c.Monitor = ""; return c }(),
		"keymap with a space":       func() Config { c := base(HDMI720); c.Keymap = "it x=1"; return c }(),
		"a fresh serial recorder":   func() Config { c := base(Serial); c.Fresh = true; return c }(),
		"a fresh recorder's keymap": func() Config { c := base(HDMI720); c.Fresh, c.Keymap = true, "it"; return c }(),
	} {
		if argv, err := Argv(c); err == nil {
			t.Errorf("%s: Argv = %q, want an error", name, argv)
		}
	}
}

// TestBuildShTakesItsArgumentsHere holds build.sh to this package: it
// names no QEMU device of its own.
func TestBuildShTakesItsArgumentsHere(t *testing.T) {
	data, err := os.ReadFile("../../../build.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"-device", "qemu-xhci", "-M virt", "-append"} {
		if strings.Contains(string(data), s) {
			t.Errorf("build.sh says %q: QEMU's arguments belong in bench/qemu/qemuargs", s)
		}
	}
	if !strings.Contains(string(data), "bench/qemu/qemuargs/qemu-args") {
		t.Error("build.sh does not run qemu-args")
	}
}
