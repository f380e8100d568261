package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSystemdUnit holds docs/deploy/recovery-issuer.service to what the
// service does: its stop waits longer than the service's own grace, the
// key comes as a credential, and it passes systemd-analyze verify where
// systemd is installed.
func TestSystemdUnit(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "deploy", "recovery-issuer.service"))
	if err != nil {
		t.Fatal(err)
	}
	unit := string(data)
	for _, want := range []string{"\nKillSignal=SIGTERM\n", "\nLoadCredential=vendor.key:/etc/recovery-issuer/vendor.key\n", "\nDynamicUser=yes\n", "\nRestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n"} {
		if !strings.Contains(unit, want) {
			t.Errorf("the unit lacks %q", strings.TrimSpace(want))
		}
	}
	if !strings.Contains(unit, "\nTimeoutStopSec=45\n") || shutdownGrace >= 45*time.Second {
		t.Errorf("TimeoutStopSec must outlast the service's shutdown grace of %v", shutdownGrace)
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed: the unit is not verified")
	}
	// verify wants ExecStart's program and the credential to exist.
	dir := t.TempDir()
	key := filepath.Join(dir, "vendor.key")
	os.WriteFile(key, []byte("x"), 0o600)
	unit = strings.ReplaceAll(unit, "/usr/bin/recovery-issuer", "/bin/true")
	unit = strings.ReplaceAll(unit, "/etc/recovery-issuer/vendor.key", key)
	copyPath := filepath.Join(dir, "recovery-issuer.service")
	os.WriteFile(copyPath, []byte(unit), 0o644)
	if out, err := exec.Command(analyze, "verify", copyPath).CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
