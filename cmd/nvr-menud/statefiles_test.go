package main

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"nvrmenu/internal/dirlock"
	"nvrmenu/internal/selfcert"
	"nvrmenu/recovery"
)

// stopPromptly sends SIGTERM and wants exit 0 within a few seconds.
func (p *daemonProc) stopPromptly(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("daemon exit after SIGTERM: %v\n%s", err, p.logText())
		}
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("no exit within 10 s of SIGTERM:\n%s", p.logText())
	}
}

// activatedStateDir makes a state directory holding an activated device
// (cheap argon2id, so the daemon checks a login fast).
func activatedStateDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "state")
	os.Mkdir(dir, 0o700)
	c, err := recovery.Open(recovery.Options{StateDir: dir, Serial: "NVRDEMO0000001", KDF: recovery.KDFParams{MemoryKiB: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Console().Activate("Gatto!Nero77"); err != nil {
		t.Fatal(err)
	}
	c.Close()
	return dir
}

// TestNothingInTheStateDirectoryHangsTheDaemon: a FIFO or a symbolic link
// at each file the daemon reads or writes in its state directory. A FIFO
// used to hang the daemon in open(2) for good, drawing nothing and deaf
// to SIGTERM; a link made it read or append to the file it named. Now
// each is refused as "not a regular file": the state and the lock file
// show the fault screen, the audit log and the web certificate are logged
// and the rest runs; and SIGTERM stops the daemon at once, whatever it
// shows.
func TestNothingInTheStateDirectoryHangsTheDaemon(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real daemons: run without -short")
	}
	outside := filepath.Join(t.TempDir(), "outside")
	certPEM, keyPEM, err := selfcert.Generate(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		// prepare fills the state directory before the FIFO or link
		// is made; outside holds what a link points at.
		prepare func(t *testing.T, dir string) []byte
		web     bool   // the web door listens on the loopback
		act     string // "login": a wrong login over the API, so the audit log is written
		want    []string
	}{
		{file: recovery.StateFileName, prepare: func(t *testing.T, dir string) []byte { return stateOf(t, activatedStateDir(t)) },
			want: []string{"recovery state unusable", "not a regular file", "name=fault"}},
		{file: recovery.PrevStateFileName, // state.json gone: the .prev says it was lost
			prepare: func(t *testing.T, dir string) []byte { return stateOf(t, activatedStateDir(t)) },
			want:    []string{"recovery state unusable", "was lost", "name=fault"}},
		{file: dirlock.FileName, prepare: func(*testing.T, string) []byte { return []byte("pid 1\n") },
			want: []string{"state directory unusable", "not a regular file", "name=fault"}},
		{file: "audit.log", web: true, act: "login",
			prepare: func(t *testing.T, dir string) []byte {
				copyDir(t, activatedStateDir(t), dir)
				return []byte("old log\n")
			},
			want: []string{"menu started", "audit log write failed", "not a regular file"}},
		{file: selfcert.CertFile, web: true, prepare: func(t *testing.T, dir string) []byte {
			os.WriteFile(filepath.Join(dir, selfcert.KeyFile), keyPEM, 0o600)
			return certPEM
		}, want: []string{"menu started", "web door not started", "not a regular file"}},
		{file: selfcert.KeyFile, web: true, prepare: func(t *testing.T, dir string) []byte {
			os.WriteFile(filepath.Join(dir, selfcert.CertFile), certPEM, 0o600)
			return keyPEM
		}, want: []string{"menu started", "web door not started", "not a regular file"}},
	} {
		if tc.web && !webBuilt {
			continue // a noweb build has no web door to write these
		}
		for _, kind := range []string{"fifo", "symlink"} {
			t.Run(tc.file+"/"+kind, func(t *testing.T) {
				root := t.TempDir()
				dir, media := filepath.Join(root, "state"), filepath.Join(root, "media")
				os.Mkdir(dir, 0o700)
				os.Mkdir(media, 0o700)
				target := tc.prepare(t, dir)
				os.WriteFile(outside, target, 0o600)
				path := filepath.Join(dir, tc.file)
				os.Remove(path)
				switch kind {
				case "fifo":
					if err := syscall.Mkfifo(path, 0o600); err != nil {
						t.Fatal(err)
					}
				case "symlink":
					if err := os.Symlink(outside, path); err != nil {
						t.Fatal(err)
					}
				}
				web := "listen = \"\"\n"
				addr := ""
				if tc.web {
					addr = freePort(t)
					web = fmt.Sprintf("listen = %q\n", addr)
				}
				d := startDaemonWeb(t, "d", dir, media, "", web)
				waitLog(t, d.logText, tc.want[0])
				if tc.act == "login" {
					wrongLoginOverAPI(t, addr)
				}
				for _, w := range tc.want[1:] {
					waitLog(t, d.logText, w)
				}
				d.stopPromptly(t)
				if got, _ := os.ReadFile(outside); !bytes.Equal(got, target) {
					t.Fatalf("the file the link points at was changed:\n%s", got)
				}
			})
		}
	}
}

// stateOf is the state file in dir.
func stateOf(t *testing.T, dir string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, recovery.StateFileName))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// copyDir copies the regular files of from into to.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if data, err := os.ReadFile(filepath.Join(from, e.Name())); err == nil {
			os.WriteFile(filepath.Join(to, e.Name()), data, 0o600)
		}
	}
}

// wrongLoginOverAPI tries a wrong password on the door at addr, once it
// answers.
func wrongLoginOverAPI(t *testing.T, addr string) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	url := "https://" + addr + "/api/v1/login"
	for deadline := time.Now().Add(20 * time.Second); ; {
		resp, err := client.Post(url, "application/json", strings.NewReader(`{"user":"admin","password":"Sbagliata#99"}`))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("a wrong login: status %d, want 401", resp.StatusCode)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the web door does not answer: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
