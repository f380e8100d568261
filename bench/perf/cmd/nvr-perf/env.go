package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// machine describes where the figures were taken.
type machine struct {
	date, cpu, kernel, goVersion, distro string
	nproc                                int
	memTotal                             string
	loadStart, loadEnd                   string
}

func describeMachine() machine {
	m := machine{
		date:      started.Format("2006-01-02 15:04 MST"),
		nproc:     runtime.NumCPU(),
		goVersion: runtime.Version(),
		loadStart: loadAvg(),
	}
	if out, err := exec.Command("nproc").Output(); err == nil {
		fmt.Sscan(string(out), &m.nproc)
	}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if out, err := exec.Command("uname", "-r").Output(); err == nil {
		m.kernel = strings.TrimSpace(string(out))
	}
	if data, err := os.ReadFile("/etc/debian_version"); err == nil {
		m.distro = "Debian " + strings.TrimSpace(string(data))
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kib int64
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "MemTotal:") {
				fmt.Sscan(strings.TrimPrefix(line, "MemTotal:"), &kib)
			}
		}
		m.memTotal = fmt.Sprintf("%.0f GiB", float64(kib)/(1<<20))
	}
	return m
}

// loadAvg is /proc/loadavg's first three fields.
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func isRoot() bool { return os.Geteuid() == 0 }

// ensurePackages installs the Debian packages whose commands are missing,
// when root; it returns the commands still missing.
func ensurePackages(cmds map[string]string) (missing []string) {
	var pkgs []string
	for cmd, pkg := range cmds {
		if _, err := exec.LookPath(cmd); err != nil {
			pkgs = append(pkgs, pkg)
		}
	}
	if len(pkgs) > 0 && isRoot() {
		logf("installing %v", pkgs)
		install := append([]string{"install", "-y", "-q"}, pkgs...)
		if err := quiet("apt-get", install...); err != nil {
			quiet("apt-get", "update", "-q")
			if err := quiet("apt-get", install...); err != nil {
				logf("apt-get install %v: %v", pkgs, err)
			}
		}
	}
	for cmd := range cmds {
		if _, err := exec.LookPath(cmd); err != nil {
			missing = append(missing, cmd)
		}
	}
	return missing
}

// quiet runs a command, showing its output only when it fails.
func quiet(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, lastLines(out.String(), 5))
	}
	return nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// arm64Packages are Debian's arm64 whiptail and dialog with the libraries
// they load.
var arm64Packages = []string{
	"whiptail", "libnewt0.52", "libslang2", "libpopt0",
	"dialog", "libncursesw6", "libtinfo6",
	"libc6", "libgcc-s1",
}

// arm64Sysroot fetches Debian's arm64 packages with apt into a private
// state directory (the host's apt state is left alone) and unpacks them
// into dir/sysroot, once: later runs reuse it.
func arm64Sysroot(dir string) (string, error) {
	root := filepath.Join(dir, "sysroot")
	if _, err := os.Stat(filepath.Join(root, "usr/bin/whiptail")); err == nil {
		return root, nil
	}
	debs := filepath.Join(dir, "debs")
	for _, p := range []string{filepath.Join(dir, "lists/partial"), filepath.Join(dir, "cache/archives/partial"), debs} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			return "", err
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	apt := []string{
		"-o", "APT::Architecture=arm64", "-o", "APT::Architectures=arm64",
		"-o", "Dir::State::Lists=" + filepath.Join(abs, "lists"),
		"-o", "Dir::Cache=" + filepath.Join(abs, "cache"),
		"-o", "Dir::State::status=/dev/null",
		"-o", "Debug::NoLocking=1",
	}
	if err := quiet("apt-get", append(apt, "-q", "update")...); err != nil {
		return "", err
	}
	get := exec.Command("apt-get", append(append(apt, "-q", "download"), arm64Packages...)...)
	get.Dir = debs
	if out, err := get.CombinedOutput(); err != nil {
		return "", fmt.Errorf("apt-get download: %v\n%s", err, lastLines(string(out), 5))
	}
	files, _ := filepath.Glob(filepath.Join(debs, "*.deb"))
	for _, f := range files {
		if err := quiet("dpkg-deb", "-x", f, root); err != nil {
			return "", err
		}
	}
	if _, err := os.Stat(filepath.Join(root, "usr/bin/whiptail")); err != nil {
		return "", fmt.Errorf("no whiptail in the unpacked arm64 packages: %w", err)
	}
	return root, nil
}
