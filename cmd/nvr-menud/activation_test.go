//go:build !noweb

package main

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"nvrmenu/apitype"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNetworkActivationWindow: the daemon with the default configuration
// (web.activation = true, web.activation_window = "30m") and its web door
// on the loopback. The installer's flow — the recorder switched on, then
// activated over the API, as nvr-sadp activate does, within minutes —
// works; half an hour after power-on the same request is refused with
// activation-window-over, and the device information says so. (The
// console activates at any time: the core's TestNetworkActivationWindow.)
func TestNetworkActivationWindow(t *testing.T) {
	for _, tc := range []struct {
		name    string
		uptime  time.Duration
		status  int
		code    string
		allowed bool
	}{
		{"switched on 2 minutes ago", 2 * time.Minute, http.StatusCreated, "", true},
		{"switched on 31 minutes ago", 31 * time.Minute, http.StatusForbidden, "activation-window-over", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, sub := range []string{"state", "media"} {
				os.Mkdir(filepath.Join(dir, sub), 0o700)
			}
			logFile := filepath.Join(dir, "log")
			addr := freePort(t)
			path := filepath.Join(dir, "config.toml")
			os.WriteFile(path, []byte("state_dir = \""+dir+"/state\"\n[usb]\nsource = \"dirs\"\nmedia_root = \""+dir+"/media\"\n[console]\nmouse = \"\"\n[log]\nfile = \""+logFile+"\"\n[kdf]\nmemory_cap_mib = 19\ntarget_time = \"100ms\"\n[web]\nlisten = \""+addr+"\"\n"), 0o644)
			d, _, _ := testDaemon()
			d.uptime = func() time.Duration { return tc.uptime }
			code := make(chan int, 1)
			go func() { code <- d.main([]string{"-config", path}) }()
			defer func() { d.signals <- syscall.SIGTERM; <-code }()
			log := func() string { b, _ := os.ReadFile(logFile); return string(b) }
			waitLog(t, log, "web door listening")
			client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, Timeout: 30 * time.Second}

			resp, err := client.Get("https://" + addr + "/api/v1/device")
			if err != nil {
				t.Fatal(err)
			}
			var dev apitype.Device
			json.NewDecoder(resp.Body).Decode(&dev)
			resp.Body.Close()
			refused := dev.Journey.ActivationRefused
			if dev.ActivationAllowed != tc.allowed || (tc.code != "" && (refused == nil || string(refused.Code) != tc.code)) {
				t.Fatalf("device: activation allowed %v, refused %+v; want %v, %q", dev.ActivationAllowed, refused, tc.allowed, tc.code)
			}

			resp, err = client.Post("https://"+addr+"/api/v1/activate", "application/json", strings.NewReader(`{"password":"Attiva!Ora58"}`))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.code) {
				t.Fatalf("activation over the API: %d %s, want %d %s", resp.StatusCode, body, tc.status, tc.code)
			}
		})
	}
}
