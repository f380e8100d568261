// Package testenv decides what a test does when something it needs from the
// machine is missing: outside CI it skips with the reason, so a newcomer's
// `./build.sh test` runs what it can; in CI (the CI environment variable
// set) a missing package or permission is a failure, never a silent skip.
// Tests only.
package testenv

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// InCI reports whether the tests run in CI.
func InCI() bool { return os.Getenv("CI") != "" }

// SkipOrFail skips t with reason outside CI and fails it in CI.
func SkipOrFail(t testing.TB, reason string) {
	t.Helper()
	if InCI() {
		t.Fatalf("CI: %s: in CI every test must run (.ci/run installs what the tests need)", reason)
	}
	t.Skip("skipped: " + reason)
}

// Emulated reports whether the suite runs under qemu-user (build.sh sets
// NVRMENU_EMULATED for the arm64 and armv7 runs), where tests that need
// native speed, network namespaces or a browser skip even in CI: they run
// in the native pass.
func Emulated() bool { return os.Getenv("NVRMENU_EMULATED") != "" }

// SkipIfForeign skips a test that runs the test binary again when the
// kernel cannot: a binary of another architecture under qemu-user with no
// binfmt_misc entry (build.sh registers one when it is root). err is what
// starting it returned.
func SkipIfForeign(t testing.TB, err error) {
	t.Helper()
	if errors.Is(err, syscall.ENOEXEC) {
		t.Skipf("cannot run the test binary again (%v): a foreign architecture without binfmt_misc for qemu-user", err)
	}
}

// NeedsGo skips a test that runs the go command when there is none (a test
// binary copied to another machine); in CI it fails instead.
func NeedsGo(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		SkipOrFail(t, "no go command: "+err.Error())
	}
}
