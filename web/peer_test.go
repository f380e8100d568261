package web

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"nvrmenu/recovery"
)

const socketClientEnv = "NVRMENU_WEB_SOCKET_CLIENT"

// TestSocketClientChild is the other local process of
// TestOnlyTheFrontServerIsBelieved: it asks the door on the socket, with a
// client address of its choosing, and prints the status. It does nothing
// in a normal run.
func TestSocketClientChild(t *testing.T) {
	path := os.Getenv(socketClientEnv)
	if path == "" {
		t.Skip("runs only as the child of TestOnlyTheFrontServerIsBelieved")
	}
	fmt.Println(socketGet(path, "203.0.113.99"))
	os.Exit(0)
}

// socketGet asks the door on the socket at path for the device
// information as a front server would, naming client as the client, and
// returns the status (or the error).
func socketGet(path, client string) string {
	c := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", path)
	}}}
	req, _ := http.NewRequest("GET", "http://localhost/api/v1/device", nil)
	req.Header.Set("X-Forwarded-For", client)
	resp, err := c.Do(req)
	if err != nil {
		return "error: " + err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return fmt.Sprintf("%d %s", resp.StatusCode, strings.TrimSpace(string(body)))
}

// TestOnlyTheFrontServerIsBelieved: the real door on a real socket (mode
// 0660). The front server — here this process, as its user — is served and
// its client address believed; another process that reaches the socket
// (here one running as nobody, in the socket's group) is refused with
// no-client-address before the core hears of it, whatever address it
// claims: it can neither dodge the per-address throttle nor forge the
// address in the audit log.
func TestOnlyTheFrontServerIsBelieved(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process as another user: run without -short")
	}
	if os.Getuid() != 0 {
		t.Skip("needs root to run a child as another user (CI runs it as root)")
	}
	dir, err := os.MkdirTemp("", "nvr-web-socket-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755) // the other user may reach the socket; its mode decides
	path := filepath.Join(dir, "web.sock")

	h := newHarness(t, harnessOptions{activated: true, clientHeader: "X-Forwarded-For", frontUID: uint32(os.Getuid())})
	var seen []string
	h.srv.opts.Doors = func(c recovery.Caller) Door { seen = append(seen, c.Addr.String()); return h.core.Door(c) }
	ln, err := Listen("unix:"+path, nil, 8)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); h.srv.Serve(ctx, ln, nil) }()
	t.Cleanup(func() { cancel(); <-done })

	if got := socketGet(path, "198.51.100.7"); !strings.HasPrefix(got, "200 ") {
		t.Fatalf("the front server's request: %s", got)
	}
	if len(seen) != 1 || seen[0] != "198.51.100.7" {
		t.Fatalf("the core heard of %v, want the front server's client 198.51.100.7", seen)
	}

	// The test binary lives where only root may go: a copy the other
	// user can run.
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "client.test")
	if err := os.WriteFile(exe, self, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestSocketClientChild$", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), socketClientEnv+"="+path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 0}}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the other process: %v\n%s", err, out)
	}
	got := strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	if !strings.HasPrefix(got, "400 ") || !strings.Contains(got, `"no-client-address"`) {
		t.Fatalf("another user's request on the socket: %s, want 400 no-client-address", got)
	}
	if len(seen) != 1 {
		t.Fatalf("the core heard of another user's request: %v", seen)
	}
}
