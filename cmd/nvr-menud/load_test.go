//go:build !noweb

package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"nvrmenu/recovery"
)

// The load tests run the real daemon, built without the race detector, as
// a child process with a real argon2id cost, and read its memory from
// /proc. They assert counts and states, never durations.

// loadKDF is the cost the device is activated with: 64 MiB, the default
// calibration cap (kdf.memory_cap_mib).
var loadKDF = recovery.KDFParams{MemoryKiB: 64 << 10, Time: 1, Threads: 1}

const loadPassword = "Carico!Prova7"

// loadDaemon is the real nvr-menud on a pseudo-terminal, its web door on a
// loopback port.
type loadDaemon struct {
	cmd    *exec.Cmd
	master *os.File
	addr   string
	state  string
	log    string
}

func skipLoad(t *testing.T) {
	t.Helper()
	if os.Getenv("NVRMENU_EMULATED") != "" {
		t.Skip("load tests run natively only, not under qemu-user")
	}
	if testing.Short() {
		t.Skip("load tests: not in -short")
	}
}

// startLoadDaemon builds nvr-menud, activates a device on a fresh state
// directory at loadKDF, and runs the daemon on it.
func startLoadDaemon(t *testing.T) *loadDaemon {
	t.Helper()
	return startLoadDaemonWith(t, "")
}

// startLoadDaemonWith is startLoadDaemon with extra TOML at the end of
// its configuration.
func startLoadDaemonWith(t *testing.T, extra string) *loadDaemon {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "nvr-menud")
	if out, err := exec.Command("go", "build", "-o", bin, "nvrmenu/cmd/nvr-menud").CombinedOutput(); err != nil {
		t.Fatalf("building nvr-menud: %v\n%s", err, out)
	}
	p := &loadDaemon{addr: freePort(t), state: filepath.Join(dir, "state"), log: filepath.Join(dir, "daemon.log")}
	media := filepath.Join(dir, "media")
	os.Mkdir(p.state, 0o700)
	os.Mkdir(media, 0o700)
	core, err := recovery.Open(recovery.Options{StateDir: p.state, Serial: "NVRDEMO0000001", KDF: loadKDF})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := core.Console().Activate(loadPassword); err != nil {
		t.Fatal(err)
	}
	core.Close()
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	pty.Setsize(master, &pty.Winsize{Cols: 80, Rows: 25})
	p.master = master
	go io.Copy(io.Discard, master) // tcell's writes must never block
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("state_dir = %q\n[usb]\nsource = \"dirs\"\nmedia_root = %q\n[console]\ntty = %q\nmouse = \"\"\n[log]\nlevel = \"debug\"\nfile = %q\n[web]\nlisten = %q\nmax_conns = 64\n%s",
		p.state, media, slave.Name(), p.log, p.addr, extra)), 0o644)
	p.cmd = exec.Command(bin, "-config", cfg)
	p.cmd.Env = append(os.Environ(), "TERM=xterm")
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		p.cmd.Wait()
		master.Close()
		slave.Close()
	})
	waitLog(t, p.logText, "web door listening")
	waitLog(t, p.logText, "name=login")
	return p
}

func (p *loadDaemon) logText() string { b, _ := os.ReadFile(p.log); return string(b) }

// memKiB reads a field of the daemon's /proc/PID/status, in KiB.
func (p *loadDaemon) memKiB(t *testing.T, field string) int {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, p.cmd.Process.Pid)
	return 0
}

// loopbackClient is an HTTPS client from its own loopback address (the
// whole of 127.0.0.0/8 is this machine's), so that the core's per-address
// throttle sees many clients.
func loopbackClient(i int) *http.Client {
	local := &net.TCPAddr{IP: net.IPv4(127, 0, byte(1+i/250), byte(2+i%250))}
	dialer := &net.Dialer{LocalAddr: local}
	return &http.Client{
		Timeout: 5 * time.Minute,
		Transport: &http.Transport{
			DialContext:       dialer.DialContext,
			TLSClientConfig:   &tls.Config{InsecureSkipVerify: true},
			DisableKeepAlives: true,
		},
	}
}

// TestWebFloodOfWrongLoginsStaysInMemory: 200 concurrent wrong logins
// from 200 addresses are all answered (wrong password, throttled or busy),
// and the daemon's memory never passes the KDF's cost plus 32 MiB: one
// argon2id at a time, a short queue, a fast 503 beyond it.
func TestWebFloodOfWrongLoginsStaysInMemory(t *testing.T) {
	skipLoad(t)
	const n = 200
	p := startLoadDaemon(t)
	first := p.memKiB(t, "VmRSS")
	t.Logf("VmRSS with the door listening, login screen drawn: %d KiB", first)
	// One wrong login alone: the memory of one argon2id.
	resp, err := loopbackClient(n).Post("https://"+p.addr+"/api/v1/login", "application/json", strings.NewReader(`{"user":"admin","password":"Sbagliata!0"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	t.Logf("VmHWM after one wrong login: %d KiB", p.memKiB(t, "VmHWM"))
	statuses := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			resp, err := loopbackClient(i).Post("https://"+p.addr+"/api/v1/login", "application/json", strings.NewReader(`{"user":"admin","password":"Sbagliata!1"}`))
			if err != nil {
				errs[i] = err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	close(start)
	wg.Wait()
	counts := map[int]int{}
	for i := range n {
		if errs[i] != nil {
			t.Errorf("request %d not answered: %v", i, errs[i])
		}
		counts[statuses[i]]++
	}
	t.Logf("answers: %v", counts)
	if counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests]+counts[http.StatusServiceUnavailable]+counts[http.StatusLocked] != n {
		t.Errorf("statuses %v: want only 401, 423, 429 and 503", counts)
	}
	if counts[http.StatusUnauthorized] == 0 || counts[http.StatusServiceUnavailable] == 0 {
		t.Errorf("statuses %v: want some checked (401) and some refused busy (503)", counts)
	}
	hwm := p.memKiB(t, "VmHWM")
	limit := int(loadKDF.MemoryKiB) + 32<<10
	t.Logf("VmHWM after the flood: %d KiB (limit %d KiB: the KDF's %d KiB + 32 MiB); VmRSS %d KiB", hwm, limit, loadKDF.MemoryKiB, p.memKiB(t, "VmRSS"))
	if hwm > limit {
		t.Errorf("VmHWM %d KiB, over the KDF's cost + 32 MiB (%d KiB)", hwm, limit)
	}
}

// TestSlowClientsDoNotStallTheConsole: 500 clients that connect and send
// nothing hold the door's connections; the owner at the console types a
// password and the menu checks it.
func TestSlowClientsDoNotStallTheConsole(t *testing.T) {
	skipLoad(t)
	p := startLoadDaemon(t)
	const n = 500
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range n {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, byte(1+i/250), byte(2+i%250))}, Timeout: 30 * time.Second}
		c, err := d.DialContext(context.Background(), "tcp", p.addr)
		if err != nil {
			t.Fatalf("slow client %d: %v", i, err)
		}
		c.Write([]byte{0x16, 0x03, 0x01}) // the start of a TLS record, and no more
		conns = append(conns, c)
	}
	if len(conns) != n {
		t.Fatalf("%d slow clients connected, want %d", len(conns), n)
	}
	// The owner types a wrong password at the recorder, then the right one.
	audit := filepath.Join(p.state, "audit.log")
	auditText := func() string { b, _ := os.ReadFile(audit); return string(b) }
	p.master.Write([]byte("Sbagliata!1\r"))
	waitLog(t, auditText, `"door":"menu","method":"login","outcome":"wrong-password"`)
	p.master.Write([]byte(loadPassword + "\r"))
	waitLog(t, p.logText, "name=account")
	// The door still answers once the slow clients go.
	for _, c := range conns {
		c.Close()
	}
	conns = nil
	resp, err := loopbackClient(0).Get("https://" + p.addr + "/api/v1/device")
	if err != nil {
		t.Fatalf("the door after the slow clients: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("device: %d", resp.StatusCode)
	}
}
