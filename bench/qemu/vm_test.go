//go:build qemubench

package qemu

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"nvrmenu/texts"
)

// The pane's size: the guest's serial console is given the same.
const (
	paneCols = 100
	paneRows = 30
)

// Deadlines, generous: the guest is emulated (TCG) on two shared cores.
const (
	bootLimit   = 3 * time.Minute
	screenLimit = time.Minute
	pollEvery   = 50 * time.Millisecond
)

// Mouse counts per cell: the menu's PS/2 pointer takes 8 per column and 16
// per row (a console cell is 8x16 pixels); QEMU's USB mouse and the
// kernel's mousedev pass relative moves through unscaled.
const countsX, countsY = 8, 16

// guestArch is a bench image's machine: the QEMU that runs it and the
// board and CPU it emulates (build.sh's image_arch: keep the two alike).
type guestArch struct {
	name    string   // Debian's architecture, as `./build.sh image ARCH` takes it
	qemu    string   // the QEMU system emulator
	machine []string // -M and -cpu
	env     string   // the variable naming the image directory
}

var (
	// arm64: the recorder's main target, `./build.sh image` (out/image).
	arm64Guest = guestArch{"arm64", "qemu-system-aarch64", []string{"-M", "virt", "-cpu", "cortex-a53"}, "NVRMENU_IMAGE"}
	// armhf: the armv7 daemon on Debian's armmp kernel, `./build.sh image
	// armhf` (out/image-armhf). highmem=off: a 32-bit kernel without LPAE
	// reaches no device above 4 GiB.
	armhfGuest = guestArch{"armhf", "qemu-system-arm", []string{"-M", "virt,highmem=off", "-cpu", "cortex-a7"}, "NVRMENU_IMAGE_ARMHF"}
)

// vm is the bench image running in QEMU in a detached tmux session: the
// pane is the recorder's screen, the monitor socket its USB ports and mouse,
// the shell socket a back door into the guest (hvc0).
type vm struct {
	t       *testing.T
	dir     string
	arch    guestArch
	image   string
	tmux    string // tmux server socket
	started time.Time
	mon     *monitor
	shell   *guestShell
	plugs   int
}

// bootVM starts QEMU for arch on the image in a tmux pane of paneCols x
// paneRows and connects to its monitor. Cleanup stops QEMU and the tmux
// server, and on failure logs what the guest has to say.
func bootVM(t *testing.T, arch guestArch, image string) *vm {
	t.Helper()
	return bootVMWith(t, arch, image, vmExtra{})
}

// vmExtra is what a test adds to the bench's QEMU: devices (a display, a
// keyboard) and words for the kernel command line (read by /init).
type vmExtra struct {
	devices []string
	cmdline string
}

// bootVMWith is bootVM with extra devices and kernel command line.
func bootVMWith(t *testing.T, arch guestArch, image string, extra vmExtra) *vm {
	t.Helper()
	for _, tool := range []string{arch.qemu, "tmux", "mkfs.vfat", "mcopy", "mdir"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s: %v (./build.sh test installs what the bench needs when run as root)", tool, err)
		}
	}
	for _, f := range []string{"vmlinuz", "initrd.cpio.gz"} {
		if _, err := os.Stat(filepath.Join(image, f)); err != nil {
			t.Fatalf("%s: %v (./build.sh image %s makes it)", arch.env, err, arch.name)
		}
	}
	v := &vm{t: t, dir: t.TempDir(), arch: arch, image: image}
	v.tmux = filepath.Join(v.dir, "tmux.sock")
	conf := filepath.Join(v.dir, "tmux.conf")
	// No status line: the pane is the whole window. A pane whose QEMU died
	// stays, so that its last screen can be shown.
	writeFile(t, conf, "set -g status off\nset -g remain-on-exit on\nset -g history-limit 5000\n")
	script := filepath.Join(v.dir, "qemu.sh")
	var cmd strings.Builder
	cmd.WriteString("#!/bin/sh\nexec " + shellQuote(arch.qemu))
	args := qemuArgs(arch, image, v.path("mon.sock"), v.path("shell.sock"))
	for i, a := range args {
		if i > 0 && args[i-1] == "-append" && extra.cmdline != "" {
			args[i] = a + " " + extra.cmdline
		}
	}
	for _, d := range extra.devices {
		args = append(args, "-device", d)
	}
	for _, a := range args {
		cmd.WriteString(" " + shellQuote(a))
	}
	cmd.WriteString(" -pidfile " + shellQuote(v.path("qemu.pid")) + " 2>" + shellQuote(v.path("qemu.stderr")) + "\n")
	writeFile(t, script, cmd.String())

	t.Cleanup(v.stop)
	v.started = time.Now()
	v.tmuxDo("-f", conf, "new-session", "-d", "-s", "bench", "-x", strconv.Itoa(paneCols), "-y", strconv.Itoa(paneRows), "sh "+shellQuote(script))
	v.tmuxDo("pipe-pane", "-t", "bench", "-o", "cat >>"+shellQuote(v.path("console.log")))
	var err error
	v.mon, err = dialMonitor(v.path("mon.sock"), 30*time.Second)
	if err != nil {
		v.fatalf("QEMU monitor: %v", err)
	}
	return v
}

// qemuArgs are QEMU's arguments for the image, as `./build.sh qemu` gives
// them (qemu_argv there): keep the two alike.
func qemuArgs(arch guestArch, image, monSock, shellSock string) []string {
	return append(append([]string(nil), arch.machine...),
		"-m", "512", "-nographic", "-nic", "none", "-no-reboot",
		"-kernel", filepath.Join(image, "vmlinuz"), "-initrd", filepath.Join(image, "initrd.cpio.gz"),
		"-append", fmt.Sprintf("console=ttyAMA0 quiet panic=1 NVR_ROWS=%d NVR_COLS=%d", paneRows, paneCols),
		"-device", "qemu-xhci,id=xhci", "-device", "usb-mouse,bus=xhci.0",
		"-device", "virtio-serial-device", "-chardev", "socket,id=shell,path="+shellSock+",server=on,wait=off",
		"-device", "virtconsole,chardev=shell",
		"-monitor", "unix:"+monSock+",server,nowait",
	)
}

func (v *vm) path(name string) string { return filepath.Join(v.dir, name) }

// stop ends QEMU (quit, then SIGKILL) and the tmux server; on failure it
// first logs the guest's side of the story.
func (v *vm) stop() {
	if v.t.Failed() {
		v.t.Log(v.diagnostics())
	}
	if v.shell != nil {
		v.shell.conn.Close()
	}
	if v.mon != nil {
		v.mon.conn.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprintf(v.mon.conn, "quit\n")
		v.mon.conn.Close()
	}
	if b, err := os.ReadFile(v.path("qemu.pid")); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
			deadline := time.Now().Add(5 * time.Second)
			for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
				time.Sleep(pollEvery)
			}
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	exec.Command("tmux", "-S", v.tmux, "kill-server").Run()
}

// tmuxDo runs a tmux command on the bench's own server and returns its
// output; a failure ends the test.
func (v *vm) tmuxDo(args ...string) string {
	v.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", v.tmux}, args...)...).CombinedOutput()
	if err != nil {
		v.t.Fatalf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// capture reads the pane, attributes included.
func (v *vm) capture() screen {
	v.t.Helper()
	return parseCapture(v.tmuxDo("capture-pane", "-p", "-e", "-t", "bench"))
}

// waitFor polls the pane until cond holds and returns that screen; after
// limit it ends the test, showing the screen.
func (v *vm) waitFor(what string, limit time.Duration, cond func(screen) bool) screen {
	v.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		s := v.capture()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			v.fatalf("waiting %v for %s: timed out; screen:\n%s", limit, what, s)
		}
		time.Sleep(pollEvery)
	}
}

// waitText waits until every text is on screen and no busy overlay is.
func (v *vm) waitText(cat catalogue, want ...string) screen {
	v.t.Helper()
	busy := cat.text(v.t, texts.Working)
	return v.waitFor(strings.Join(want, " + "), screenLimit, func(s screen) bool {
		if s.has(busy) {
			return false
		}
		for _, text := range want {
			if !s.has(text) {
				return false
			}
		}
		return true
	})
}

// fatalf ends the test; Cleanup then logs the screen and the guest's side
// (diagnostics).
func (v *vm) fatalf(format string, args ...any) {
	v.t.Helper()
	v.t.Fatalf(format, args...)
}

// typeText types s on the console's keyboard.
func (v *vm) typeText(s string) { v.t.Helper(); v.tmuxDo("send-keys", "-t", "bench", "-l", s) }

// key presses keys by tmux's names: Enter, Tab, Escape, Down, C-u.
func (v *vm) key(keys ...string) {
	v.t.Helper()
	v.tmuxDo(append([]string{"send-keys", "-t", "bench"}, keys...)...)
}

// pointer returns the cell of the menu's mouse pointer: the one cell drawn
// in reverse video. found is false while it is hidden (it shows after the
// first move).
func pointer(s screen) (x, y int, found bool, err error) {
	cells := s.reversedCells()
	switch len(cells) {
	case 0:
		return 0, 0, false, nil
	case 1:
		return cells[0][0], cells[0][1], true, nil
	}
	return 0, 0, false, fmt.Errorf("%d cells in reverse video (%v): which one is the pointer?", len(cells), cells)
}

// moveTo moves the mouse pointer to cell x, y with relative moves through
// the monitor, watching where the menu draws it: a move is sent only once
// the previous one has arrived (QEMU merges queued moves), and a move that
// fell short is corrected.
func (v *vm) moveTo(x, y int) {
	v.t.Helper()
	for try := 0; try < 5; try++ {
		var px, py int
		var found bool
		// A capture may catch a frame half drawn, with the pointer's old
		// cell still reversed: look again until one cell is.
		v.waitFor("one mouse pointer", screenLimit, func(s screen) bool {
			var err error
			px, py, found, err = pointer(s)
			return err == nil
		})
		if found && px == x && py == y {
			return
		}
		if !found {
			// Hidden until it first moves a cell: a nudge shows it.
			v.monitorDo(fmt.Sprintf("mouse_move %d 0", countsX))
			v.waitFor("the mouse pointer to show", screenLimit, func(s screen) bool {
				_, _, found, _ := pointer(s)
				return found
			})
			continue
		}
		v.monitorDo(fmt.Sprintf("mouse_move %d %d", (x-px)*countsX, (y-py)*countsY))
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if qx, qy, found, _ := pointer(v.capture()); found && qx == x && qy == y {
				return
			}
			time.Sleep(pollEvery)
		}
	}
	v.fatalf("mouse: the pointer does not reach %d, %d; screen:\n%s", x, y, v.capture())
}

// click clicks the left button where the pointer is.
func (v *vm) click() {
	v.t.Helper()
	v.monitorDo("mouse_button 1")
	v.monitorDo("mouse_button 0")
}

// clickText waits for text on screen and clicks its middle with the mouse.
func (v *vm) clickText(text string) {
	v.t.Helper()
	var x, y int
	v.waitFor("clickable "+text, screenLimit, func(s screen) bool {
		var ok bool
		x, y, ok = s.find(text)
		return ok
	})
	v.moveTo(x+len([]rune(text))/2, y)
	v.click()
}

// monitorDo runs a monitor command; an error ends the test.
func (v *vm) monitorDo(cmd string) string {
	v.t.Helper()
	out, err := v.mon.do(cmd)
	if err != nil {
		v.fatalf("monitor %q: %v", cmd, err)
	}
	return out
}

// plug hot-plugs the FAT image img as a USB stick and returns its device
// id for yank.
func (v *vm) plug(img string) string {
	v.t.Helper()
	v.plugs++
	drive, dev := fmt.Sprintf("stick%d", v.plugs), fmt.Sprintf("s%d", v.plugs)
	v.monitorDo("drive_add 0 if=none,id=" + drive + ",format=raw,file=" + img)
	v.monitorDo("device_add usb-storage,bus=xhci.0,drive=" + drive + ",id=" + dev)
	return dev
}

// yank pulls the stick dev out and waits until QEMU has let go of its
// image (its drive goes with the device).
func (v *vm) yank(dev string) {
	v.t.Helper()
	v.monitorDo("device_del " + dev)
	drive := "stick" + strings.TrimPrefix(dev, "s")
	deadline := time.Now().Add(screenLimit)
	for {
		out := v.monitorDo("info block")
		if !regexp.MustCompile(`(?m)^` + drive + `\b`).MatchString(out) {
			return
		}
		if time.Now().After(deadline) {
			v.fatalf("device_del %s: drive %s still there:\n%s", dev, drive, out)
		}
		time.Sleep(pollEvery)
	}
}

// guest runs a shell command in the guest (on hvc0) and returns its output.
func (v *vm) guest(cmd string) (string, error) {
	if v.shell == nil {
		sh, err := dialShell(v.path("shell.sock"))
		if err != nil {
			return "", err
		}
		v.shell = sh
	}
	return v.shell.run(cmd, 30*time.Second)
}

// diagnostics gathers what explains a failure: the screen, QEMU's stderr,
// the start of the console (the kernel's messages before the menu) and,
// from the guest's shell, the daemon's log, the mounts and the kernel log.
func (v *vm) diagnostics() string {
	var b strings.Builder
	if out, err := exec.Command("tmux", "-S", v.tmux, "capture-pane", "-p", "-t", "bench").CombinedOutput(); err == nil {
		fmt.Fprintf(&b, "--- screen at the end:\n%s", out)
	}
	if data, err := os.ReadFile(v.path("qemu.stderr")); err == nil && len(data) > 0 {
		fmt.Fprintf(&b, "--- QEMU's stderr:\n%s\n", data)
	}
	if data, err := os.ReadFile(v.path("console.log")); err == nil {
		if len(data) > 4096 {
			data = data[:4096]
		}
		fmt.Fprintf(&b, "--- start of the serial console:\n%s\n", sanitize(data))
	}
	if v.shell != nil && v.shell.broken {
		return b.String()
	}
	out, err := v.guest("cat /var/log/nvr-menud.log; echo '--- mounts:'; grep -e /media -e sd /proc/mounts; echo '--- ps:'; ps; echo '--- dmesg:'; dmesg | tail -40")
	if err != nil {
		fmt.Fprintf(&b, "--- guest shell: %v\n", err)
	} else {
		fmt.Fprintf(&b, "--- guest: nvr-menud's log:\n%s\n", out)
	}
	return b.String()
}

var escapes = regexp.MustCompile(`\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[@-Z\\-_])`)

// sanitize strips escape sequences and other control characters but
// newlines from console output.
func sanitize(data []byte) string {
	s := escapes.ReplaceAllString(string(data), "")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || r >= 0x20 {
			return r
		}
		return -1
	}, s)
}

// monitor is a client of QEMU's human monitor on a unix socket.
type monitor struct {
	conn net.Conn
	r    *bufio.Reader
}

const monitorPrompt = "(qemu) "

func dialMonitor(path string, limit time.Duration) (*monitor, error) {
	deadline := time.Now().Add(limit)
	for {
		conn, err := net.Dial("unix", path)
		if err == nil {
			m := &monitor{conn: conn, r: bufio.NewReader(conn)}
			if _, err := m.readPrompt(); err != nil {
				conn.Close()
				return nil, err
			}
			return m, nil
		}
		if time.Now().After(deadline) {
			return nil, err
		}
		time.Sleep(pollEvery)
	}
}

// readPrompt reads up to and including the next prompt.
func (m *monitor) readPrompt() (string, error) {
	m.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	var b bytes.Buffer
	for !bytes.HasSuffix(b.Bytes(), []byte(monitorPrompt)) {
		c, err := m.r.ReadByte()
		if err != nil {
			return b.String(), fmt.Errorf("reading the monitor: %w (got %q)", err, b.String())
		}
		b.WriteByte(c)
	}
	return strings.TrimSuffix(b.String(), monitorPrompt), nil
}

// do runs cmd and returns its output without the echoed command line. Any
// output but drive_add's "OK" and the output of info commands is an error:
// the other commands the bench uses print nothing when they work.
func (m *monitor) do(cmd string) (string, error) {
	m.conn.SetWriteDeadline(time.Now().Add(30 * time.Second))
	if _, err := fmt.Fprintf(m.conn, "%s\n", cmd); err != nil {
		return "", err
	}
	out, err := m.readPrompt()
	if err != nil {
		return "", err
	}
	// The echo (with the line editor's escapes) ends at the first newline.
	if i := strings.IndexByte(out, '\n'); i >= 0 {
		out = out[i+1:]
	} else {
		out = ""
	}
	out = strings.TrimSpace(strings.ReplaceAll(sanitize([]byte(out)), "\r", ""))
	if !strings.HasPrefix(cmd, "info ") && out != "" && out != "OK" {
		return out, errors.New(out)
	}
	return out, nil
}

// guestShell is the busybox shell the image runs on hvc0, reached through
// QEMU's chardev socket.
type guestShell struct {
	conn   net.Conn
	r      *bufio.Reader
	broken bool
}

func dialShell(path string) (*guestShell, error) {
	conn, err := net.Dial("unix", path)
	if err != nil {
		return nil, err
	}
	sh := &guestShell{conn: conn, r: bufio.NewReader(conn)}
	// No echo: the markers below would be read twice.
	conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintf(conn, "stty -echo\n"); err != nil {
		conn.Close()
		return nil, err
	}
	return sh, nil
}

// run runs cmd and returns its output. The markers are split in the
// command line so that an echo of it never matches them.
func (sh *guestShell) run(cmd string, limit time.Duration) (string, error) {
	if sh.broken {
		return "", errors.New("the guest shell stopped answering earlier")
	}
	sh.conn.SetDeadline(time.Now().Add(limit))
	if _, err := fmt.Fprintf(sh.conn, "echo @@BE''GIN@@; %s; echo @@EN''D@@\n", cmd); err != nil {
		sh.broken = true
		return "", err
	}
	var b strings.Builder
	in := false
	for {
		line, err := sh.r.ReadString('\n')
		if err != nil {
			sh.broken = true
			return b.String(), fmt.Errorf("guest shell: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case strings.HasSuffix(line, "@@BEGIN@@"):
			in = true
			b.Reset()
		case strings.HasPrefix(line, "@@END@@") && in:
			return b.String(), nil
		case in:
			b.WriteString(line + "\n")
		}
	}
}

// makeStick makes an empty FAT image of kib KiB at path, as mkfs.vfat
// makes one without root.
func makeStick(t *testing.T, path string, kib int) {
	t.Helper()
	run(t, "mkfs.vfat", "-C", "-n", "NVRSTICK", path, strconv.Itoa(kib))
}

// run runs a host command; a failure ends the test.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "MTOOLS_SKIP_CHECK=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
