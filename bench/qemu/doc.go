//go:build qemubench

// Package qemu is the QEMU bench: the arm64 bench firmware that
// `./build.sh image` makes, booted in qemu-system-aarch64 with an emulated
// HDMI monitor, and driven as an owner drives a recorder: keys on a USB
// keyboard, clicks with a USB mouse, USB sticks hot-plugged and yanked, all
// through the QEMU monitor; and read as the owner reads it, from the
// monitor's pixels alone.
//
// TestHDMI720p (virtio-gpu at 1280x720: the 12x24 font, 106x30 cells, the
// English menu, the US keymap) and TestHDMI1080p (1920x1080: 16x32, 120x33,
// an Italian recorder with the Italian keymap) each boot once, the daemon on
// tty1 with guest/hdmi.toml, and run every flow in that boot: activation;
// set-up of the GUID file (exported to a hot-plugged FAT stick, read back on
// the host with mtools), the three security questions and the reserved
// e-mail; a GUID reset from a hot-plugged stick (at 720p with a crowded stick
// yanked while the screen reads it first); a security-questions reset (the
// spent GUID shown expired and refused on the way); an App Scan QR reset,
// the QR code (the URL form, recovery.app_url) decoded from the screendump
// at both resolutions and answered by recovery-issuer with the bench's
// vendor key, the code typed back; at 720p the code is also exported to a
// stick and recovery-issuer must read the same challenge from the picture.
// The first frame's margins (what the cells leave of the monitor) must be
// the menu's blue. 1080p then checks what the daemon does to the console
// itself: a resize, the font, its Unicode map, the keymap and the palette
// given back at SIGTERM and after kill -9 and a clean exit.
//
// Screens are read by package pixels: QEMU's screendump cut into the cell
// grid of the font the daemon loads (internal/vtcon), each cell matched
// against its glyphs. Every screen the bench waits for is checked: each
// cell matches a glyph, none is the replacement glyph (or a ■ the expected
// texts lack), text has a contrast of at least 4.5:1 between its ink and
// background pixels (frames and blocks 3:1); a PNG of it is saved. Keys go
// in through sendkey, translated for the guest's keymap (package keys); the
// mouse is calibrated at its first click (counts per column and row) and
// moved one relative move at a time, never past an edge. QEMU's arguments
// come from package qemuargs, as `./build.sh qemu`'s do.
//
// TestArmv7BootsAndIdles boots the armhf variant (`./build.sh image armhf`:
// Debian's armmp kernel, the GOARM=7 daemon; qemu-system-arm -M
// virt,highmem=off -cpu cortex-a7) to the activation screen on the serial
// console, read through a tmux pane: the one place the bench still reads
// the serial console.
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
// modules it loads, the daemon's configurations) are in guest/, which
// build.sh copies into it, adding the public half of the bench's vendor key
// to hdmi.toml (its private half stays in the image directory, vendor.key).
//
// Environment:
//
//	NVRMENU_IMAGE         required: the image directory (vmlinuz, initrd.cpio.gz,
//	                      hdmi.toml and vendor.key)
//	NVRMENU_IMAGE_ARMHF   optional: the armhf image directory; the armv7 test skips
//	                      without it
//	NVRMENU_QEMU_IDLE     optional duration, e.g. "60s": measure nvr-menud's CPU time
//	                      in the guest over that much idling at the activation screen
//	NVRMENU_QEMU_FIGURES  optional file: append each boot's figures to it, one JSON
//	                      line (BENCHMARKS.md's come from there)
//	NVRMENU_QEMU_SHOTS    optional directory: a PNG of every screen waited for,
//	                      <resolution>-<number>-<screen>.png (./build.sh test uses
//	                      out/screens)
//
// The screen texts come from the one catalogue every door uses (package
// texts), so a change of wording does not break the bench. Timings are
// logged and kept as figures (boot to the first frame, a screendump's cost
// and its reading's, key to frame, stick plug to its GUID file listed, guest
// RSS); nothing is asserted about them, since TCG emulation on a shared
// machine is slow and noisy.
package qemu
