//go:build !noweb

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestNotifyCommandLeavesNothingBehind: the real daemon (go build), a
// password changed over its API, and a notify.command that hangs after
// starting processes that left its group with setsid (one its child, one
// an orphan of a subshell). At notify.timeout the daemon's reaper (the
// daemon's own binary started again) kills every one of them; before, the
// setsid ones outlived the timeout for good.
func TestNotifyCommandLeavesNothingBehind(t *testing.T) {
	skipLoad(t)
	dir := t.TempDir()
	pidFile := func(name string) string { return filepath.Join(dir, name+".pid") }
	script := filepath.Join(dir, "reload.sh")
	os.WriteFile(script, []byte("#!/bin/sh\necho $$ > "+pidFile("command")+"\n"+
		"setsid sleep 100 & echo $! > "+pidFile("setsid-child")+"\n"+
		"( setsid sleep 100 & echo $! > "+pidFile("orphan")+" )\n"+
		"sleep 100\n"), 0o755)
	p := startLoadDaemonWith(t, fmt.Sprintf("[notify]\ncommand = [%q]\ntimeout = \"1s\"\n", script))
	c := loopbackClient(0)
	token := apiLoginToken(t, c, p.addr, loadPassword)
	req, _ := http.NewRequest("POST", "https://"+p.addr+"/api/v1/account/password",
		strings.NewReader(`{"current":"`+loadPassword+`","password":"Nuova!Pass9x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("password change: status %d", resp.StatusCode)
	}
	waitLog(t, p.logText, "password change notification failed")
	if !strings.Contains(p.logText(), "timed out") {
		t.Fatalf("the notification did not time out:\n%s", p.logText())
	}
	for _, name := range []string{"command", "setsid-child", "orphan"} {
		data, err := os.ReadFile(pidFile(name))
		if err != nil {
			t.Fatalf("the command wrote no %s pid: %v", name, err)
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
		waitGone(t, name, pid)
	}
}

// apiLoginToken logs in over the API and returns the session token.
func apiLoginToken(t *testing.T, c *http.Client, addr, password string) string {
	t.Helper()
	resp, err := c.Post("https://"+addr+"/api/v1/login", "application/json", strings.NewReader(`{"user":"admin","password":"`+password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil || s.Token == "" {
		t.Fatalf("login: status %d, %v", resp.StatusCode, err)
	}
	return s.Token
}

// waitGone waits until pid has exited (gone from /proc, or a zombie); the
// deadline only keeps a failure from hanging the test.
func waitGone(t *testing.T, what string, pid int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if errors.Is(err, os.ErrNotExist) {
			return
		}
		if i := strings.LastIndexByte(string(data), ')'); err == nil && i >= 0 && i+2 < len(data) && (data[i+2] == 'Z' || data[i+2] == 'X') {
			return
		}
	}
	t.Errorf("%s (pid %d): still running after the notify command's timeout", what, pid)
	syscallKill(pid)
}

// syscallKill ends a process this test's command left behind.
func syscallKill(pid int) {
	p, err := os.FindProcess(pid)
	if err == nil {
		p.Kill()
	}
}
