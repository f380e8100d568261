package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFreshRecorderCommands: the installer's commands on a recorder where
// nothing has run yet — no configuration file, no state directory — say
// plainly what they check and what to do, never a raw error.
func TestFreshRecorderCommands(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "var-lib-nvr-menu")
	withState := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(withState, []byte("state_dir = \""+state+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	doorOff := filepath.Join(dir, "off.toml")
	if err := os.WriteFile(doorOff, []byte("state_dir = \""+state+"\"\n[web]\nlisten = \"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		mkdir    bool // the state directory made first
		args     []string
		code     int
		out, err string
	}{
		{"-check with no file checks the embedded default", false, []string{"-check", "-config", filepath.Join(dir, "none.toml")}, exitOK,
			"the daemon runs on the embedded default (config/default.toml), which is valid", ""},
		{"-check names the missing state directory and its fix", false, []string{"-check", "-config", withState}, exitOK,
			"the state directory " + state + " does not exist (or the storage holding it is not mounted): the daemon will show a fault screen and wait until it is fixed: mkdir -p -m 0700 " + state, ""},
		{"-fingerprint with no state directory", false, []string{"-fingerprint", "-config", withState}, exitFailed,
			"", "mkdir -p -m 0700 " + state + ", then run this again"},
		{"-fingerprint with the door off", false, []string{"-fingerprint", "-config", doorOff}, exitFailed,
			"", "the web door is off (web.listen is empty)"},
		{"-fingerprint before the first start makes the certificate", true, []string{"-fingerprint", "-config", withState}, exitOK,
			"SHA-256 ", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !webBuilt && strings.HasPrefix(tc.name, "-fingerprint") {
				// Built without the web door: -fingerprint says so,
				// whatever the machine.
				tc.code, tc.out, tc.err = exitFailed, "", "built without the web door"
			}
			if tc.mkdir {
				if err := os.Mkdir(state, 0o700); err != nil && !os.IsExist(err) {
					t.Fatal(err)
				}
			}
			d, out, errb := testDaemon()
			if code := d.main(tc.args); code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %q, stderr %q", code, tc.code, out, errb)
			}
			if !strings.Contains(out.String(), tc.out) || !strings.Contains(errb.String(), tc.err) {
				t.Fatalf("stdout %q, stderr %q; want %q and %q", out, errb, tc.out, tc.err)
			}
			if strings.Contains(errb.String(), "no such file") || strings.Contains(errb.String(), ".lock") {
				t.Errorf("a raw error: %q", errb)
			}
		})
	}
}
