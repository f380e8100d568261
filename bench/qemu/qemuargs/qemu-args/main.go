// Command qemu-args prints the QEMU command line of a bench image, one
// argument a line, the emulator first, for `./build.sh qemu`: the same
// arguments the QEMU bench uses (package qemuargs).
//
//	qemu-args -arch arm64 -image out/image -display 1080p -monitor M -shell S [-vnc V] [-language it] [-keymap it]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"nvrmenu/bench/qemu/qemuargs"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qemu-args", flag.ContinueOnError)
	fs.SetOutput(stderr)
	arch := fs.String("arch", "arm64", "the image's architecture: arm64 or armhf")
	image := fs.String("image", "", "the image directory")
	display := fs.String("display", qemuargs.HDMI1080.Name, "serial, 720p or 1080p")
	rows := fs.Int("rows", 25, "the serial console's rows")
	cols := fs.Int("cols", 80, "the serial console's columns")
	mon := fs.String("monitor", "", "the monitor's unix socket")
	shell := fs.String("shell", "", "the unix socket of the guest's shell (hvc0)")
	vnc := fs.String("vnc", "", "a unix socket for a VNC viewer of the HDMI display")
	language := fs.String("language", "", "the daemon's language instead of the image's: it or en")
	keymap := fs.String("keymap", "", "console.keymap for the daemon instead of the image's")
	system := fs.Bool("system", false, "print only the emulator's name")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return 2
	}
	a, err := qemuargs.ArchByName(*arch)
	if err != nil {
		fmt.Fprintln(stderr, "qemu-args:", err)
		return 2
	}
	if *system {
		fmt.Fprintln(stdout, a.System)
		return 0
	}
	d, err := qemuargs.DisplayByName(*display)
	if err != nil {
		fmt.Fprintln(stderr, "qemu-args:", err)
		return 2
	}
	argv, err := qemuargs.Argv(qemuargs.Config{Arch: a, Image: *image, Display: d, Rows: *rows, Cols: *cols, Monitor: *mon, Shell: *shell, VNC: *vnc, Language: *language, Keymap: *keymap})
	if err != nil {
		fmt.Fprintln(stderr, "qemu-args:", err)
		return 2
	}
	for _, s := range argv {
		fmt.Fprintln(stdout, s)
	}
	return 0
}
