//go:build !noweb

package main

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"nvrmenu/config"
	"nvrmenu/internal/selfcert"
	"nvrmenu/recovery"
)

// freePort is a loopback port nothing listens on now.

// fingerprintOf is what a browser shows for the certificate of conn.
func fingerprintOf(state tls.ConnectionState) string {
	sum := sha256.Sum256(state.PeerCertificates[0].Raw)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

func TestFingerprintFlag(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	var prints []string
	for range 2 {
		d, out, errb := testDaemon()
		if code := d.main([]string{"-demo", dir, "-fingerprint"}); code != exitOK {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		line := strings.TrimSpace(out.String())
		if !strings.HasPrefix(line, "SHA-256 ") || len(line) != len("SHA-256 ")+95 {
			t.Fatalf("-fingerprint printed %q", line)
		}
		prints = append(prints, line)
	}
	if prints[0] != prints[1] {
		t.Fatal("a second -fingerprint made another certificate")
	}
	for _, f := range []string{selfcert.CertFile, selfcert.KeyFile} {
		fi, err := os.Stat(filepath.Join(dir, "state", f))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v, mode %v; want 0600 in the state directory", f, err, fi.Mode().Perm())
		}
	}
	d, _, errb := testDaemon()
	if code := d.main([]string{"-web", "127.0.0.1:9443"}); code != exitConfig || !strings.Contains(errb.String(), "-web is for the demo") {
		t.Fatalf("-web without -demo: exit %d, %q", code, errb.String())
	}
}

// TestDemoServesTheWebDoor: -demo serves the door over HTTPS only, with
// the certificate -fingerprint names, beside the menu, and stops it with
// the daemon.
func TestDemoServesTheWebDoor(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	addr := freePort(t)
	d, _, _ := testDaemon()
	code := make(chan int, 1)
	go func() { code <- d.main([]string{"-demo", dir, "-web", addr}) }()
	logFile := filepath.Join(dir, "nvr-menud.log")
	log := func() string { b, _ := os.ReadFile(logFile); return string(b) }
	waitLog(t, log, "web door listening")
	waitLog(t, log, "menu started")
	// The hints are on screen (F1) while the demo runs, printed at exit.
	if !strings.Contains(d.demoHelp, "https://"+addr+"/") {
		t.Errorf("the demo's hints do not name the web door:\n%s", d.demoHelp)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, Timeout: 20 * time.Second}
	resp, err := client.Get("https://" + addr + "/api/v1/device")
	if err != nil {
		t.Fatal(err)
	}
	var dev struct {
		Serial, CertFingerprint string
		Activated               bool
		ActivationAllowed       bool `json:"activation_allowed"`
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	json.Unmarshal(body, &dev)
	json.Unmarshal(body, &struct {
		FP *string `json:"cert_fingerprint"`
	}{&dev.CertFingerprint})
	if resp.StatusCode != 200 || dev.Serial != "NVRDEMO0000001" || dev.Activated || !dev.ActivationAllowed {
		t.Fatalf("device: %d %s", resp.StatusCode, body)
	}
	if got := fingerprintOf(*resp.TLS); got != dev.CertFingerprint || resp.TLS.Version < tls.VersionTLS12 {
		t.Fatalf("certificate %s (TLS %x), the API says %s", got, resp.TLS.Version, dev.CertFingerprint)
	}
	if !strings.Contains(log(), dev.CertFingerprint) {
		t.Error("the fingerprint is not in the start-up log")
	}
	// TLS 1.1 is refused; plain HTTP is not served.
	old := &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS11}
	if c, err := tls.Dial("tcp", addr, old); err == nil {
		c.Close()
		t.Error("a TLS 1.1 handshake succeeded")
	}
	if resp, err := http.Get("http://" + addr + "/api/v1/device"); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "NVRDEMO") {
			t.Error("plain HTTP got the device information")
		}
	}
	d.signals <- syscall.SIGINT
	if c := <-code; c != exitOK {
		t.Fatalf("exit %d", c)
	}
	if c, err := net.DialTimeout("tcp", addr, 5*time.Second); err == nil {
		c.Close()
		t.Error("the web door still listens after the daemon stopped")
	}
}

// TestWebDoorOff: web.listen = "" serves nothing, and says so once.
func TestWebDoorOff(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"state", "media"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	logFile := filepath.Join(dir, "log")
	path := filepath.Join(dir, "config.toml")
	os.WriteFile(path, []byte("state_dir = \""+dir+"/state\"\n[usb]\nsource = \"dirs\"\nmedia_root = \""+dir+"/media\"\n[console]\nmouse = \"\"\n[log]\nfile = \""+logFile+"\"\n[web]\nlisten = \"\"\n"), 0o644)
	d, _, _ := testDaemon()
	code := make(chan int, 1)
	go func() { code <- d.main([]string{"-config", path}) }()
	log := func() string { b, _ := os.ReadFile(logFile); return string(b) }
	// The doors come after the first frame: the line follows "menu started".
	waitLog(t, log, "web door off")
	if n := strings.Count(log(), "web door off"); n != 1 {
		t.Errorf("said %d times:\n%s", n, log())
	}
	if _, err := os.Stat(filepath.Join(dir, "state", selfcert.CertFile)); err == nil {
		t.Error("a certificate was made for a door that is off")
	}
	d.signals <- syscall.SIGTERM
	<-code
}

// TestWebDoorShownWheneverOn (#20.4): the menu is given the door's
// fingerprint and addresses whenever the door runs, on the loopback too
// (the demo's), while SADP announces only a door the LAN can reach.
func TestWebDoorShownWheneverOn(t *testing.T) {
	for _, tc := range []struct {
		listen   string
		announce bool
	}{
		{freePort(t), false}, // 127.0.0.1:port
		{"0.0.0.0:0", true},
	} {
		cfg := config.Default()
		cfg.StateDir = t.TempDir()
		cfg.Web.Listen = tc.listen
		rc, err := recovery.Open(recovery.Options{StateDir: cfg.StateDir, Serial: cfg.Device.Serial})
		if err != nil {
			t.Fatal(err)
		}
		d, _, _ := testDaemon()
		stop, door := d.startWeb(cfg, rc, discardLog())
		stop()
		rc.Close()
		if door.shown.fingerprint.IsZero() || len(door.shown.urls) == 0 && tc.listen != "0.0.0.0:0" {
			t.Errorf("%s: the menu is shown %+v, want the fingerprint and addresses", tc.listen, door.shown)
		}
		if tc.listen != "0.0.0.0:0" && (len(door.shown.urls) != 1 || door.shown.urls[0] != "https://"+tc.listen+"/") {
			t.Errorf("%s: addresses %q", tc.listen, door.shown.urls)
		}
		if announced := !door.fingerprint.IsZero(); announced != tc.announce {
			t.Errorf("%s: SADP announces the door: %v, want %v", tc.listen, announced, tc.announce)
		}
	}
}
