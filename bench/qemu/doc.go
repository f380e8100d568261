//go:build qemubench

// Package qemu is the QEMU bench: the arm64 bench firmware that
// `./build.sh image` makes, booted in qemu-system-aarch64 inside a real
// terminal emulator (a tmux pane of a fixed size), and driven as an owner
// would drive a recorder: keys on the console, clicks with QEMU's emulated
// USB mouse, USB sticks hot-plugged and yanked through the QEMU monitor.
//
// TestHDMIConsoleOnQEMU and TestHDMIConsole720pOnBochs boot the same image
// with an emulated monitor (virtio-gpu at 1920x1080, bochs at 1280x720) and
// the daemon on tty1 (guest/hdmi.toml), and read only the pixels of QEMU's
// screendump: our font in the cell grid, our palette, the redraw after the
// kernel resized the console, and the console given back at exit.
//
// An armhf variant of the image (`./build.sh image armhf`: Debian's armmp
// kernel, the GOARM=7 daemon) is booted in qemu-system-arm (-M
// virt,highmem=off -cpu cortex-a7) by TestArmv7BootsAndIdles, to the
// activation screen only: the armv7 daemon's memory and idle CPU on a real
// ARMv7 kernel. The same /init, modules and configuration serve both.
//
// It holds only tests, behind the build tag qemubench, so that `go test
// ./...` never runs them; `./build.sh test` does, after building the images:
//
//	./build.sh image && ./build.sh image armhf
//	NVRMENU_IMAGE=$PWD/out/image NVRMENU_IMAGE_ARMHF=$PWD/out/image-armhf \
//		go test -tags qemubench -count=1 -v ./bench/qemu/
//
// The tests need qemu-system-aarch64 and qemu-system-arm (Debian:
// qemu-system-arm), tmux, mkfs.vfat (dosfstools) and mtools on the host, and
// no root. The image's own files (its /init, mdev's automount helper, the
// modules it loads, the daemon's configuration) are in guest/, which build.sh
// copies into it.
//
// Environment:
//
//	NVRMENU_IMAGE         required: the image directory (vmlinuz, initrd.cpio.gz and
//	                      the guest's config.toml, whose language and serial the
//	                      tests follow)
//	NVRMENU_IMAGE_ARMHF   optional: the armhf image directory; the armv7 test skips
//	                      without it
//	NVRMENU_QEMU_IDLE     optional duration, e.g. "60s": measure nvr-menud's CPU time
//	                      in the guest over that much idling at the activation screen
//	                      (in each test)
//	NVRMENU_QEMU_FIGURES  optional file: append the run's figures to it, one JSON line
//	NVRMENU_QEMU_SHOTS    optional directory: PNG screendumps of the HDMI console test
//
// The screen texts come from the one catalogue every door uses (package
// texts), so a change of wording does not break the bench. Timings are logged (boot to the activation screen, stick plug
// to its GUID file listed, guest RSS); nothing is asserted about them, since
// TCG emulation on a shared machine is slow and noisy.
package qemu
