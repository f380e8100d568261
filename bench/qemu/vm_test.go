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

	"nvrmenu/bench/qemu/qemuargs"
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

// vm is a bench image running in QEMU in a detached tmux session: the pane
// is the serial console (the recorder's screen when the daemon is there,
// else a shell and the kernel's log), the monitor socket its USB ports,
// keyboard, mouse and HDMI monitor, the shell socket a back door into the
// guest (hvc0).
type vm struct {
	t       *testing.T
	dir     string
	cfg     qemuargs.Config
	tmux    string // tmux server socket
	started time.Time
	mon     *monitor
	shell   *guestShell
	plugs   int
}

// bootVM starts QEMU for the image on display (language and keymap, if
// set, replacing the daemon's language and console.keymap) in a tmux pane of paneCols x paneRows, with
// the arguments package qemuargs gives `./build.sh qemu` too, and connects
// to its monitor. Cleanup stops QEMU and the tmux server, and on failure
// logs what the guest has to say.
func bootVM(t *testing.T, arch qemuargs.Arch, image string, display qemuargs.Display, language, keymap string) *vm {
	t.Helper()
	return boot(t, qemuargs.Config{Arch: arch, Image: image, Display: display, Language: language, Keymap: keymap})
}

// boot starts QEMU as bootVM says, for cfg with the bench's pane size and
// sockets filled in.
func boot(t *testing.T, cfg qemuargs.Config) *vm {
	t.Helper()
	for _, tool := range []string{cfg.Arch.System, "tmux", "mkfs.vfat", "mcopy", "mdir"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s: %v (./build.sh test installs what the bench needs when run as root)", tool, err)
		}
	}
	for _, f := range []string{"vmlinuz", "initrd.cpio.gz"} {
		if _, err := os.Stat(filepath.Join(cfg.Image, f)); err != nil {
			t.Fatalf("%s: %v (./build.sh image %s makes it)", cfg.Image, err, cfg.Arch.Name)
		}
	}
	v := &vm{t: t, dir: t.TempDir()}
	v.cfg = cfg
	v.cfg.Rows, v.cfg.Cols = paneRows, paneCols
	v.cfg.Monitor, v.cfg.Shell = v.path("mon.sock"), v.path("shell.sock")
	argv, err := qemuargs.Argv(v.cfg)
	if err != nil {
		t.Fatal(err)
	}
	v.tmux = v.path("tmux.sock")
	conf := v.path("tmux.conf")
	// No status line: the pane is the whole window. A pane whose QEMU died
	// stays, so that its last screen can be shown.
	writeFile(t, conf, "set -g status off\nset -g remain-on-exit on\nset -g history-limit 5000\n")
	script := v.path("qemu.sh")
	var cmd strings.Builder
	cmd.WriteString("#!/bin/sh\nexec")
	for _, a := range argv {
		cmd.WriteString(" " + shellQuote(a))
	}
	cmd.WriteString(" -pidfile " + shellQuote(v.path("qemu.pid")) + " 2>" + shellQuote(v.path("qemu.stderr")) + "\n")
	writeFile(t, script, cmd.String())

	t.Cleanup(v.stop)
	v.started = time.Now()
	v.tmuxDo("-f", conf, "new-session", "-d", "-s", "bench", "-x", strconv.Itoa(paneCols), "-y", strconv.Itoa(paneRows), "sh "+shellQuote(script))
	v.tmuxDo("pipe-pane", "-t", "bench", "-o", "cat >>"+shellQuote(v.path("console.log")))
	v.mon, err = dialMonitor(v.path("mon.sock"), 30*time.Second)
	if err != nil {
		v.fatalf("QEMU monitor: %v", err)
	}
	return v
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

// fatalf ends the test; Cleanup then logs the guest's side
// (diagnostics).
func (v *vm) fatalf(format string, args ...any) {
	v.t.Helper()
	v.t.Fatalf(format, args...)
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

// stickLabel is the label of the bench's sticks.
const stickLabel = "NVRSTICK"

// makeStick makes an empty FAT image of kib KiB at path, as mkfs.vfat
// makes one without root.
func makeStick(t *testing.T, path string, kib int) {
	t.Helper()
	run(t, "mkfs.vfat", "-C", "-n", stickLabel, path, strconv.Itoa(kib))
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
