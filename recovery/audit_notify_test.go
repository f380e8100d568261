package recovery

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestAuditLogRotates(t *testing.T) {
	dir := t.TempDir()
	a := OpenAuditLog(dir, newFakeClock())
	a.limit = 1000
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if err := a.Record(AuditRecord{Event: AuditLogin, Method: "login", Outcome: "wrong-password", Failures: i}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	a.Close()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "audit.log audit.log.1" {
		t.Fatalf("files %v, want audit.log and one old file", names)
	}
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := f.Stat()
		if fi.Size() > a.limit {
			t.Errorf("%s is %d bytes, over the %d limit", name, fi.Size(), a.limit)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var r AuditRecord
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.Event != AuditLogin || r.Time != "2027-03-14T09:30:00Z" {
				t.Fatalf("%s: bad line %q: %v", name, sc.Text(), err)
			}
		}
		f.Close()
	}
}

func writeScript(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCommandNotifier(t *testing.T) {
	out := filepath.Join(t.TempDir(), "env")
	ok := writeScript(t, "env | sort > "+out)
	if err := (CommandNotifier{Argv: []string{ok}}).Notify(context.Background(), "password-changed"); err != nil {
		t.Fatal(err)
	}
	env, _ := os.ReadFile(out)
	// sh itself adds PWD (and SHLVL on some shells); nothing of ours leaks.
	for _, line := range strings.Split(strings.TrimSpace(string(env)), "\n") {
		switch {
		case line == "NVRMENU_EVENT=password-changed", line == "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
			strings.HasPrefix(line, "PWD="), strings.HasPrefix(line, "SHLVL="), strings.HasPrefix(line, "_="):
		default:
			t.Errorf("unexpected variable in the command's environment: %q", line)
		}
	}
	if !strings.Contains(string(env), "NVRMENU_EVENT=password-changed") {
		t.Errorf("event missing from environment:\n%s", env)
	}

	fail := writeScript(t, "echo reload failed >&2; exit 3")
	err := (CommandNotifier{Argv: []string{fail}}).Notify(context.Background(), "password-changed")
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), "reload failed") {
		t.Fatalf("failing command: %v", err)
	}
}

func TestCommandNotifierTimeoutKillsTheGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	slow := writeScript(t, "sleep 100 & echo $! > "+pidFile+"; wait")
	err := (CommandNotifier{Argv: []string{slow}, Timeout: 300 * time.Millisecond}).Notify(context.Background(), "x")
	if !errors.Is(err, ErrNotifyTimeout) {
		t.Fatalf("slow command: %v, want ErrNotifyTimeout", err)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	// The grandchild must be gone; give the kernel a bounded moment to reap.
	for i := 0; i < 100; i++ {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		if st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil && strings.Contains(string(st), ") Z ") {
			return // a zombie: dead, waiting for its parent
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("grandchild %d outlived the timeout", pid)
}
