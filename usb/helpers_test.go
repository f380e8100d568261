package usb

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"nvrmenu/internal/testenv"

	"golang.org/x/sys/unix"
)

// guidNameRE is the GUID file naming of the recovery core, restated here
// because usb must not import recovery: <SERIAL>_<YYYYMMDD>_<HHMM>.nvrguid.
var guidNameRE = regexp.MustCompile(`(?i)^[A-Z0-9-]{1,32}_[0-9]{8}_[0-9]{4}\.nvrguid$`)

func guidMatch(name string) bool { return guidNameRE.MatchString(name) }

// eventWait bounds every wait for an event: exceeding it is a failure, never
// a measurement.
const eventWait = 20 * time.Second

// guidData is a GUID-like file body; tests look for its secret line in
// printed output.
var guidData = []byte("nvrmenu-guid v1\nserial NVR001\nid 00112233445566778899aabbccddeeff\nsecret " +
	strings.Repeat("5e", 32) + "\n")

func newTestWatcher(t testing.TB, opts Options) *Watcher {
	t.Helper()
	if opts.Match == nil {
		opts.Match = guidMatch
	}
	if opts.ContentSettle == 0 {
		opts.ContentSettle = 20 * time.Millisecond
	}
	w, err := NewWatcher(opts)
	if err != nil {
		t.Fatalf("NewWatcher: %v", err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// testSub is a subscription that keeps the events a wait has read but not
// yet returned.
type testSub struct {
	*Subscription
	backlog []Event
}

func subscribe(t testing.TB, w *Watcher) *testSub {
	s := &testSub{Subscription: w.Subscribe()}
	t.Cleanup(s.Close)
	return s
}

// wait returns the first event that want accepts, keeping the others for
// later waits, and fails the test after eventWait.
func (s *testSub) wait(t testing.TB, desc string, want func(Event) bool) Event {
	t.Helper()
	deadline := time.NewTimer(eventWait)
	defer deadline.Stop()
	for {
		s.backlog = append(s.backlog, s.Events()...)
		for i, e := range s.backlog {
			if want(e) {
				s.backlog = slices.Delete(s.backlog, i, i+1)
				return e
			}
		}
		select {
		case _, ok := <-s.Ready():
			if !ok {
				t.Fatalf("waiting for %s: subscription ended; saw %v", desc, s.backlog)
			}
		case <-deadline.C:
			t.Fatalf("waiting for %s: nothing after %v; saw %v", desc, eventWait, s.backlog)
		}
	}
}

func isEvent(kind EventKind, id string) func(Event) bool {
	return func(e Event) bool { return e.Kind == kind && e.Stick.ID == id }
}

func mustWrite(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustMkdir(t testing.TB, path string) {
	t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
}

// mountAllowed reports why this process may not mount filesystems (it
// needs root or CAP_SYS_ADMIN), or nil when it may.
func mountAllowed(t testing.TB) error {
	t.Helper()
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size=64k"); err != nil {
		return err
	}
	return unix.Unmount(dir, unix.MNT_DETACH)
}

// requireMount skips the test unless this process may mount filesystems:
// .ci/run runs as root, so CI never skips.
func requireMount(t testing.TB) {
	t.Helper()
	if err := mountAllowed(t); err != nil {
		testenv.SkipOrFail(t, fmt.Sprintf("mounting is not permitted here (%v); run as root, as .ci/run does", err))
	}
}

// mountTmpfs mounts a tmpfs at dir, creating dir, and unmounts it when the
// test ends if the test did not.
func mountTmpfs(t testing.TB, dir string, flags uintptr, data string) {
	t.Helper()
	mustMkdir(t, dir)
	if err := unix.Mount("nvrtest", dir, "tmpfs", flags, data); err != nil {
		t.Fatalf("mount tmpfs at %s: %v", dir, err)
	}
	t.Cleanup(func() { unix.Unmount(dir, unix.MNT_DETACH) })
}

func mustUnmount(t testing.TB, dir string, flags int) {
	t.Helper()
	if err := unix.Unmount(dir, flags); err != nil {
		t.Fatalf("unmount %s: %v", dir, err)
	}
}

// loopImage attaches the image file to a free loop device and returns the
// device, detached when the test ends.
func loopImage(t testing.TB, image string) string {
	t.Helper()
	if _, err := exec.LookPath("losetup"); err != nil {
		testenv.SkipOrFail(t, "losetup (util-linux) is not installed")
	}
	out, err := exec.Command("losetup", "--find", "--show", image).CombinedOutput()
	if err != nil {
		testenv.SkipOrFail(t, fmt.Sprintf("no loop device for %s: %v: %s", image, err, out))
	}
	dev := strings.TrimSpace(string(out))
	t.Cleanup(func() { exec.Command("losetup", "--detach", dev).Run() })
	return dev
}

// kernelHasFS reports whether the running kernel offers the filesystem.
func kernelHasFS(fstype string) bool {
	data, err := os.ReadFile("/proc/filesystems")
	if err != nil {
		return false
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[len(f)-1] == fstype {
			return true
		}
	}
	return false
}

// mountImage makes a filesystem image with mkfs and loop-mounts it at dir.
func mountImage(t testing.TB, fstype, dir string, sizeKiB int, mkfs ...string) (image, dev string) {
	t.Helper()
	if !kernelHasFS(fstype) {
		// Not a package CI could install: the kernel lacks it (the QEMU
		// bench mounts real FAT sticks in its guest).
		t.Skipf("skipped: the running kernel has no %s filesystem (/proc/filesystems); the QEMU bench covers it", fstype)
	}
	if _, err := exec.LookPath(mkfs[0]); err != nil {
		testenv.SkipOrFail(t, fmt.Sprintf("%s is not installed (Debian: dosfstools or e2fsprogs)", mkfs[0]))
	}
	image = filepath.Join(t.TempDir(), fstype+".img")
	f, err := os.Create(image)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(int64(sizeKiB) << 10); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if out, err := exec.Command(mkfs[0], append(mkfs[1:], image)...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", mkfs[0], err, out)
	}
	dev = loopImage(t, image)
	mustMkdir(t, dir)
	if err := unix.Mount(dev, dir, fstype, 0, ""); err != nil {
		t.Fatalf("mount %s image at %s: %v", fstype, dir, err)
	}
	t.Cleanup(func() { unix.Unmount(dir, unix.MNT_DETACH) })
	return image, dev
}

// openFDs counts this process's open file descriptors.
func openFDs(t testing.TB) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// checkNoLeaks waits, boundedly, for the descriptors and goroutines to come
// back to what they were before, and fails if they do not.
func checkNoLeaks(t testing.TB, fdsBefore, goroutinesBefore int) {
	t.Helper()
	var fds, goroutines int
	for range 500 {
		fds, goroutines = openFDs(t), runtime.NumGoroutine()
		if fds <= fdsBefore && goroutines <= goroutinesBefore {
			return
		}
		time.Sleep(10 * time.Millisecond) // settling, bounded by the loop
	}
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	t.Errorf("leak: got %d descriptors and %d goroutines, want at most %d and %d\n%s",
		fds, goroutines, fdsBefore, goroutinesBefore, bytes.TrimSpace(buf))
}

// listNames returns the RelPaths of a listing.
func listNames(l Listing) []string {
	var names []string
	for _, c := range l.Candidates {
		names = append(names, c.RelPath)
	}
	return names
}

func runtimeGoroutines() int { return runtime.NumGoroutine() }
