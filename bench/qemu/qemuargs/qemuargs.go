// Package qemuargs is the one place that says how QEMU runs the bench
// images: the emulator and board of each architecture, the devices (the
// xHCI controller for the USB mouse, keyboard and hot-plugged sticks, the
// virtio console of the bench's shell, the HDMI monitor), the kernel
// command line /init reads, the monitor socket. `./build.sh qemu` (through
// the qemu-args command beside it) and the QEMU bench (bench/qemu) both
// take their arguments from Argv.
package qemuargs

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Arch is a bench image's machine.
type Arch struct {
	// Name is Debian's architecture, as `./build.sh image ARCH` takes it.
	Name string
	// System is the QEMU system emulator.
	System string
	// Machine is QEMU's board and CPU.
	Machine []string
}

var (
	// Arm64 is the recorder's main target, `./build.sh image` (out/image).
	Arm64 = Arch{"arm64", "qemu-system-aarch64", []string{"-M", "virt", "-cpu", "cortex-a53"}}
	// Armhf is the armv7 daemon on Debian's armmp kernel, `./build.sh
	// image armhf` (out/image-armhf). highmem=off: a 32-bit kernel without
	// LPAE reaches no device above 4 GiB.
	Armhf = Arch{"armhf", "qemu-system-arm", []string{"-M", "virt,highmem=off", "-cpu", "cortex-a7"}}
)

// ArchByName returns the architecture Debian calls name.
func ArchByName(name string) (Arch, error) {
	for _, a := range []Arch{Arm64, Armhf} {
		if a.Name == name {
			return a, nil
		}
	}
	return Arch{}, fmt.Errorf("bench image: unknown architecture %q (arm64 or armhf)", name)
}

// Display is the screen the daemon draws on.
type Display struct {
	// Name is how `./build.sh qemu` and the bench call it.
	Name string
	// Device is QEMU's display device; empty for the serial console.
	Device string
	// Width and Height are its mode in pixels.
	Width, Height int
}

// The displays: the serial console (the daemon on ttyAMA0, in the
// terminal QEMU runs in), and an HDMI monitor (virtio-gpu, the framebuffer
// console, the daemon on tty1 with guest/hdmi.toml) at 720p and 1080p.
var (
	Serial   = Display{Name: "serial"}
	HDMI720  = Display{"720p", "virtio-gpu-pci,xres=1280,yres=720", 1280, 720}
	HDMI1080 = Display{"1080p", "virtio-gpu-pci,xres=1920,yres=1080", 1920, 1080}
)

// DisplayByName returns the display called name.
func DisplayByName(name string) (Display, error) {
	for _, d := range []Display{Serial, HDMI720, HDMI1080} {
		if d.Name == name {
			return d, nil
		}
	}
	return Display{}, fmt.Errorf("display %q: want serial, 720p or 1080p", name)
}

// HDMIConfig is the daemon's configuration in the image for an HDMI
// display (guest/hdmi.toml); /init reads NVR_CONFIG.
const HDMIConfig = "/etc/nvr-menu/hdmi.toml"

// Config is one QEMU run of a bench image.
type Config struct {
	Arch Arch
	// Image is the image directory (vmlinuz, initrd.cpio.gz).
	Image   string
	Display Display
	// Rows and Cols are the serial console's size, the terminal's: /init
	// gives it to ttyAMA0 (NVR_ROWS, NVR_COLS).
	Rows, Cols int
	// Monitor is the unix socket of QEMU's human monitor.
	Monitor string
	// Shell is the unix socket of the guest's shell on hvc0.
	Shell string
	// VNC, when set, is a unix socket that shows the HDMI monitor to a VNC
	// viewer.
	VNC string
	// Language and Keymap, when set, replace the language and the
	// console.keymap of the daemon's configuration (/init reads
	// NVR_LANGUAGE and NVR_KEYMAP).
	Language, Keymap string
	// Memory is the guest's RAM in MiB; 0 is 512.
	Memory int
	// Fresh boots a recorder as an installer first finds it: no state
	// directory, no configuration file, and nvr-menud started by BusyBox
	// init from the README's inittab line on tty1 (/init reads NVR_FRESH).
	// It needs an HDMI display; Language and Keymap do not apply.
	Fresh bool
}

// Argv returns the whole command line, the emulator first.
func Argv(c Config) ([]string, error) {
	switch {
	case c.Arch.System == "":
		return nil, errors.New("qemu: no architecture")
	case c.Image == "":
		return nil, errors.New("qemu: no image directory")
	case c.Monitor == "" || c.Shell == "":
		return nil, errors.New("qemu: the monitor and shell sockets are required")
	case c.VNC != "" && c.Display.Device == "":
		return nil, errors.New("qemu: VNC shows an HDMI display, and the serial display has none")
	case c.Fresh && c.Display.Device == "":
		return nil, errors.New("qemu: a fresh recorder runs nvr-menud on tty1, the HDMI display, and the serial display has none")
	case c.Fresh && c.Language+c.Keymap != "":
		return nil, errors.New("qemu: a fresh recorder has no configuration for a language or keymap to replace")
	}
	for _, w := range []string{c.Language, c.Keymap} {
		if strings.ContainsAny(w, " \t\n\"'\\/=,") {
			return nil, fmt.Errorf("qemu: %q: not a word for the kernel command line", w)
		}
	}
	for _, p := range []string{c.Image, c.Monitor, c.Shell, c.VNC} {
		if strings.Contains(p, ",") {
			return nil, fmt.Errorf("qemu: path %q: QEMU's option syntax cannot take a comma", p)
		}
	}
	rows, cols := c.Rows, c.Cols
	if rows <= 0 || cols <= 0 {
		rows, cols = 25, 80
	}
	mem := c.Memory
	if mem == 0 {
		mem = 512
	}
	cmdline := []string{"console=ttyAMA0", "quiet", "panic=1", fmt.Sprintf("NVR_ROWS=%d", rows), fmt.Sprintf("NVR_COLS=%d", cols)}
	switch {
	case c.Fresh:
		cmdline = append(cmdline, "NVR_FRESH=1")
	case c.Display.Device != "":
		cmdline = append(cmdline, "NVR_CONFIG="+HDMIConfig)
	}
	if c.Language != "" {
		cmdline = append(cmdline, "NVR_LANGUAGE="+c.Language)
	}
	if c.Keymap != "" {
		cmdline = append(cmdline, "NVR_KEYMAP="+c.Keymap)
	}
	argv := append([]string{c.Arch.System}, c.Arch.Machine...)
	argv = append(argv,
		"-m", fmt.Sprint(mem), "-nographic", "-nic", "none", "-no-reboot",
		"-kernel", filepath.Join(c.Image, "vmlinuz"), "-initrd", filepath.Join(c.Image, "initrd.cpio.gz"),
		"-append", strings.Join(cmdline, " "),
		// The USB mouse, the keyboard (sendkey reaches tty1 only through
		// one) and the sticks hang off one xHCI controller.
		"-device", "qemu-xhci,id=xhci", "-device", "usb-mouse,bus=xhci.0",
		"-device", "virtio-serial-device", "-chardev", "socket,id=shell,path="+c.Shell+",server=on,wait=off",
		"-device", "virtconsole,chardev=shell",
		"-monitor", "unix:"+c.Monitor+",server,nowait",
	)
	if c.Display.Device != "" {
		argv = append(argv, "-device", c.Display.Device, "-device", "usb-kbd,bus=xhci.0")
	}
	if c.VNC != "" {
		argv = append(argv, "-vnc", "unix:"+c.VNC)
	}
	return slices.Clip(argv), nil
}
