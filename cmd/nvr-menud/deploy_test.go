package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSystemdUnits holds the two deployment units to what they promise:
// with the web door on the LAN the daemon has the host's network (and
// netlink for its own addresses); without one it has none at all. Each
// passes systemd-analyze verify where systemd is installed.
func TestSystemdUnits(t *testing.T) {
	for _, tc := range []struct {
		file     string
		network  bool
		families string
	}{
		{"nvr-menud.service", true, "AF_UNIX AF_INET AF_INET6 AF_NETLINK"},
		{"nvr-menud-local.service", false, "AF_UNIX"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "docs", "deploy", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			unit := string(data)
			if got := strings.Contains(unit, "\nPrivateNetwork=yes\n"); got == tc.network {
				t.Errorf("PrivateNetwork=yes present: %v, want %v", got, !tc.network)
			}
			if !strings.Contains(unit, "\nRestrictAddressFamilies="+tc.families+"\n") {
				t.Errorf("want RestrictAddressFamilies=%s", tc.families)
			}
			analyze, err := exec.LookPath("systemd-analyze")
			if err != nil {
				t.Skip("systemd-analyze not installed: the units are not verified")
			}
			// verify wants ExecStart's program to exist.
			copyPath := filepath.Join(t.TempDir(), tc.file)
			os.WriteFile(copyPath, []byte(strings.ReplaceAll(unit, "/usr/sbin/nvr-menud", "/bin/true")), 0o644)
			if out, err := exec.Command(analyze, "verify", copyPath).CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
				t.Errorf("systemd-analyze verify %s: %v\n%s", tc.file, err, out)
			}
		})
	}
}
