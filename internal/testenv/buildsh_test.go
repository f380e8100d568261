package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildSh runs a snippet after sourcing ../../build.sh, with a PATH that
// has `id` and nothing else (so no package can be found or installed),
// as the given user ("" for this one).
func buildSh(t *testing.T, env []string, asNobody bool, snippet string) (string, int) {
	t.Helper()
	bin := t.TempDir()
	id, err := exec.LookPath("id")
	if err != nil {
		t.Fatal(err)
	}
	os.Symlink(id, filepath.Join(bin, "id"))
	script, _ := filepath.Abs("../../build.sh")
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal(err)
	}
	argv := []string{bash, "-c", "cd " + filepath.Dir(script) + " && source ./build.sh && " + snippet}
	if asNobody {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Skip("setpriv missing: cannot try as a plain user")
		}
		argv = append([]string{setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append([]string{"PATH=" + bin, "HOME=/"}, env...)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// TestBuildShNeverSkipsInCI: a package that is missing fails the test
// command in CI and as root, and is a clear SKIPPED line for a plain user.
func TestBuildShNeverSkipsInCI(t *testing.T) {
	if Emulated() {
		t.Skip("runs the host's bash: the native pass covers it")
	}
	const snippet = `need_packages nvr-no-such-tool:nvr-no-such-package || skip_or_fail "the example bench"; echo went-on`
	out, code := buildSh(t, []string{"CI=1"}, false, snippet)
	if code != 1 || !strings.Contains(out, "FAILED: the example bench: missing Debian packages: nvr-no-such-package") || strings.Contains(out, "went-on") {
		t.Fatalf("in CI: exit %d, output %q; want exit 1 and a FAILED line", code, out)
	}
	if os.Getuid() == 0 {
		out, code = buildSh(t, nil, false, snippet)
		if code != 1 || !strings.Contains(out, "FAILED") {
			t.Fatalf("as root: exit %d, output %q; want exit 1", code, out)
		}
		out, code = buildSh(t, nil, true, snippet)
		if code != 0 || !strings.Contains(out, "SKIPPED: the example bench: missing Debian packages: nvr-no-such-package") || !strings.Contains(out, "went-on") {
			t.Fatalf("as a plain user: exit %d, output %q; want a SKIPPED line and going on", code, out)
		}
	}
}
