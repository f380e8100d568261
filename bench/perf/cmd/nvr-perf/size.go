package main

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"nvrmenu/bench/perf"
)

// sizeRow is one binary.
type sizeRow struct {
	name, arch, how string
	bytes           int64
	err             error
}

// sizeFigures is the size section: binaries and what fills them.
type sizeFigures struct {
	rows     []sizeRow
	sections []perf.PackageSize // of the stripped armv7 daemon
	groups   []perf.PackageSize // of the unstripped armv7 daemon, by group
	top      []perf.PackageSize // its largest packages
	syms     []perf.Symbol      // its largest symbols in the file
}

// sizeGroups are the families a firmware engineer would ask about.
var sizeGroups = []perf.SizeGroup{
	{Name: "tcell's terminal database (terminfo/*)", Match: perf.Prefix("github.com/gdamore/tcell/v2/terminfo")},
	{Name: "tcell (rest)", Match: perf.Prefix("github.com/gdamore/tcell/v2", "github.com/gdamore/encoding")},
	{Name: "tview, uniseg, go-colorful", Match: perf.Prefix("github.com/rivo/tview", "github.com/rivo/uniseg", "github.com/lucasb-eyer/go-colorful")},
	{Name: "golang.org/x/text (NFKC, case folding, language tags)", Match: perf.Prefix("golang.org/x/text")},
	{Name: "golang.org/x/crypto (argon2id, nacl/box)", Match: perf.Prefix("golang.org/x/crypto")},
	{Name: "go-toml", Match: perf.Prefix("github.com/pelletier/go-toml/v2")},
	{Name: "go-qrcode, image/png, compress", Match: perf.Prefix("github.com/skip2/go-qrcode", "image", "compress", "hash/adler32", "hash/crc32")},
	{Name: "fsnotify, x/sys, x/term", Match: perf.Prefix("github.com/fsnotify/fsnotify", "golang.org/x/sys", "golang.org/x/term")},
	{Name: "nvrmenu (the project's own code)", Match: perf.Prefix("nvrmenu")},
	{Name: "net, net/mail, mime (for one address check)", Match: perf.Prefix("net", "mime", "vendor/golang.org/x/net")},
	{Name: "crypto/* (standard library)", Match: perf.Prefix("crypto", "vendor/golang.org/x/crypto")},
	{Name: "encoding/json, reflect", Match: perf.Prefix("encoding/json", "reflect", "internal/reflectlite")},
	{Name: "regexp, os/exec (tcell's infocmp fallback, notify)", Match: perf.Prefix("regexp", "os/exec")},
	{Name: "runtime", Match: perf.Prefix("runtime", "internal/runtime", "internal/abi", "internal/bytealg")},
	{Name: "linker tables (type:*, go:func.*, itabs)", Match: func(p string) bool { return p == "(linker)" }},
	{Name: "standard library, the rest (time, slices, fmt, unicode, strconv, os, log/slog, …)", Match: isStd},
}

// isStd reports whether pkg is in the standard library: no dot in its
// first path element.
func isStd(pkg string) bool {
	first, _, _ := strings.Cut(pkg, "/")
	return !strings.Contains(first, ".")
}

// goBuild builds pkg in dir for arch ("arm" is GOARM=7) into out.
func goBuild(dir, arch, pkg, out string, tags string, ldflags string, extra ...string) error {
	args := append([]string{"build", "-trimpath", "-buildvcs=false"}, extra...)
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	if ldflags != "" {
		args = append(args, "-ldflags", ldflags)
	}
	cmd := exec.Command("go", append(args, "-o", out, pkg)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch, "GOARM=7")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, lastLines(string(b), 5))
	}
	return nil
}

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// variantTree copies the module to dir for building variants: the
// repository itself is never changed.
func variantTree(dir string) error {
	for _, p := range []string{"go.mod", "go.sum", "cmd", "config", "internal", "menu", "recovery", "usb"} {
		if err := exec.Command("cp", "-r", p, filepath.Join(dir, p)).Run(); err != nil {
			return fmt.Errorf("copying %s: %w", p, err)
		}
	}
	return nil
}

// sizes builds the variants and looks into the armv7 daemon.
func sizes(work string) (*sizeFigures, error) {
	sf := &sizeFigures{}
	bins := filepath.Join(work, "size")
	os.RemoveAll(bins)
	if err := os.MkdirAll(bins, 0o755); err != nil {
		return nil, err
	}
	add := func(name, arch, how, path string, err error) {
		row := sizeRow{name: name, arch: arch, how: how, err: err}
		if err == nil {
			row.bytes, row.err = fileSize(path)
		}
		logf("size %-40s %-6s %s", name, arch, perf.FormatBytes(row.bytes))
		sf.rows = append(sf.rows, row)
	}
	shipped := map[string]string{"arm": "out/linux-arm/nvr-menud", "arm64": "out/linux-arm64/nvr-menud", "amd64": "out/nvr-menud"}
	for _, arch := range []string{"arm", "arm64", "amd64"} {
		add("nvr-menud as shipped", arch, "`./build.sh` (static, -trimpath, `-ldflags=-s -w`)", shipped[arch], nil)
	}
	for _, arch := range []string{"arm", "arm64", "amd64"} {
		out := filepath.Join(bins, "nvr-menud-syms-"+arch)
		add("nvr-menud with symbols", arch, "same without `-s -w`", out, goBuild(".", arch, "./cmd/nvr-menud", out, "", ""))
	}

	tree, err := os.MkdirTemp("", "nvr-size-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tree)
	if err := variantTree(tree); err != nil {
		return nil, err
	}
	// tcell_minimal leaves only tcell's base terminals (ansi, tmux, vt1xx,
	// vt220, xterm) and drops its infocmp fallback; a recorder's console
	// is TERM=linux, so that one is imported by hand.
	os.WriteFile(filepath.Join(tree, "cmd/nvr-menud/terminfo_linux.go"), []byte("package main\n\nimport _ \"github.com/gdamore/tcell/v2/terminfo/l/linux\"\n"), 0o644)
	out := filepath.Join(bins, "nvr-menud-minimal-arm")
	add("nvr-menud, tcell_minimal + linux terminfo", "arm", "`-tags tcell_minimal`, one blank import of `terminfo/l/linux`", out,
		goBuild(tree, "arm", "./cmd/nvr-menud", out, "tcell_minimal", "-s -w"))
	// The two address checks by hand instead of net/mail: a stand-in
	// that accepts every address, for its size only (never shipped).
	shim := "\n// parseAddressShim stands in for net/mail in a size experiment.\nfunc parseAddressShim(s string) (*struct{ Name, Address string }, error) {\n\treturn &struct{ Name, Address string }{Address: s}, nil\n}\n"
	mailOK := true
	for _, f := range []string{"recovery/email.go", "config/validate.go"} {
		p := filepath.Join(tree, f)
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(b, []byte("\"net/mail\"")) {
			mailOK = false
			break
		}
		b = bytes.Replace(b, []byte("\t\"net/mail\"\n"), nil, 1)
		b = bytes.ReplaceAll(b, []byte("mail.ParseAddress("), []byte("parseAddressShim("))
		b = append(b, shim...)
		os.WriteFile(p, b, 0o644)
	}
	if mailOK {
		out := filepath.Join(bins, "nvr-menud-minimal-nomail-arm")
		add("nvr-menud, same without net/mail", "arm", "as above, `net/mail` replaced by a hand check (size experiment)", out,
			goBuild(tree, "arm", "./cmd/nvr-menud", out, "tcell_minimal", "-s -w"))
	}
	out = filepath.Join(bins, "nvr-menud-noinline-arm")
	add("nvr-menud without inlining", "arm", "as shipped plus `-gcflags=all=-l` (slower code: argon2id is plain Go on ARM)", out,
		goBuild(".", "arm", "./cmd/nvr-menud", out, "", "-s -w", "-gcflags=all=-l"))
	if mailOK {
		out := filepath.Join(bins, "nvr-menud-all-arm")
		add("nvr-menud, all three at once", "arm", "tcell_minimal + linux terminfo, no net/mail, `-gcflags=all=-l`", out,
			goBuild(tree, "arm", "./cmd/nvr-menud", out, "tcell_minimal", "-s -w", "-gcflags=all=-l"))
	}
	// For scale: the smallest Go program, and a bare tview form on tcell.
	for _, p := range []struct{ name, pkg string }{{"Go hello world (fmt)", "./bench/perf/scale/hello"}, {"bare tview form (tcell, default terminfo)", "./bench/perf/scale/bareform"}} {
		out := filepath.Join(bins, filepath.Base(p.pkg)+"-arm")
		add(p.name, "arm", "static, -trimpath, `-s -w`", out, goBuild(".", "arm", p.pkg, out, "", "-s -w"))
	}
	if upx, err := exec.LookPath("upx"); err == nil {
		out := filepath.Join(bins, "nvr-menud-upx-arm")
		err := exec.Command("cp", shipped["arm"], out).Run()
		if err == nil {
			err = quiet(upx, "-q", "--best", out)
		}
		add("nvr-menud as shipped, upx --best", "arm", "UPX-compressed executable (decompresses itself into anonymous memory at start)", out, err)
	}

	// What fills the armv7 daemon.
	if f, err := os.Open(shipped["arm"]); err == nil {
		if ef, err := elf.NewFile(f); err == nil {
			for _, s := range ef.Sections {
				if s.Type != elf.SHT_NOBITS && s.Size > 0 && s.Flags&elf.SHF_ALLOC != 0 {
					sf.sections = append(sf.sections, perf.PackageSize{Package: s.Name, Bytes: int64(s.Size)})
				}
			}
		}
		f.Close()
	}
	syms := filepath.Join(bins, "nvr-menud-syms-arm")
	nm, err := exec.Command("go", "tool", "nm", "-size", "-sort", "size", syms).Output()
	if err != nil {
		return sf, fmt.Errorf("go tool nm: %w", err)
	}
	symbols, err := perf.ParseNM(bytes.NewReader(nm))
	if err != nil {
		return sf, err
	}
	f, err := os.Open(syms)
	if err != nil {
		return sf, err
	}
	defer f.Close()
	ranges, err := perf.SectionRanges(f)
	if err != nil {
		return sf, err
	}
	byPkg := perf.SizeByPackage(symbols, ranges)
	sf.groups = perf.SumGroups(byPkg, sizeGroups)
	sf.top = byPkg[:min(len(byPkg), 15)]
	for _, s := range symbols {
		if ranges.Section(s.Addr) != "" && len(sf.syms) < 10 {
			sf.syms = append(sf.syms, s)
		}
	}
	return sf, nil
}
