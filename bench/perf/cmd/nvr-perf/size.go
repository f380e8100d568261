package main

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"nvrmenu/bench/perf"
)

// sizeRow is one binary.
type sizeRow struct {
	name, arch, how string
	bytes           int64 // the file
	held            int64 // what its sections hold (perf.ELFBytes)
	err             error
}

// doorCost is what one door adds to the daemon: the daemon with it less
// the daemon without it.
type doorCost struct {
	door, how string
	bytes     map[string]int64 // by GOARCH, the files' difference; absent: not built
	symbols   []perf.PackageSize
	// with and without are the programs of section 1 whose VmRSS at
	// the first frame the report subtracts ("": not measured).
	with, without string
}

// sizeFigures is the size section: binaries and what fills them.
type sizeFigures struct {
	tags     string // build.sh's DAEMON_TAGS
	rows     []sizeRow
	doors    []doorCost
	tview    []tviewCount
	sections []perf.PackageSize // of the stripped armv7 daemon
	groups   []perf.PackageSize // of the unstripped armv7 daemon, by group
	top      []perf.PackageSize // its largest packages
	syms     []perf.Symbol      // its largest symbols in the file
	// armv7 bytes: the web door's floor as a process of its own, the
	// daemon with all three doors, and without its web door.
	floorProcess, inProcess, withoutDoor int64
}

// floorName is the HTTPS floor's row in the size and memory tables.
const floorName = "a web door as a process of its own, its floor (for scale: bench/perf/scale/httpsfloor)"

// tviewCount is how many of tview's symbols a daemon links: every
// exported method of its types when the linker's dead-method elimination
// is off (a reflect method lookup by name anywhere in the binary, as
// text/template's).
type tviewCount struct {
	daemon string
	n      int
}

// sizeGroups are the families a firmware engineer would ask about. The
// first that matches takes a package.
var sizeGroups = []perf.SizeGroup{
	{Name: "tcell's terminal database (terminfo/*)", Match: perf.Prefix("github.com/gdamore/tcell/v2/terminfo")},
	{Name: "tcell (rest)", Match: perf.Prefix("github.com/gdamore/tcell/v2", "github.com/gdamore/encoding")},
	{Name: "tview, uniseg, go-colorful, runewidth", Match: perf.Prefix("github.com/rivo/tview", "github.com/rivo/uniseg", "github.com/lucasb-eyer/go-colorful", "github.com/mattn/go-runewidth", "github.com/clipperhouse")},
	{Name: "nvrmenu/menu (the local menu's screens)", Match: perf.Prefix("nvrmenu/menu")},
	{Name: "nvrmenu/web (the web door, its pages compiled by templ)", Match: perf.Prefix("nvrmenu/web")},
	{Name: "templ's runtime (the web pages)", Match: perf.Prefix("github.com/a-h/templ")},
	{Name: "html/template, text/template (templ's package imports them; their initialisation stays)", Match: perf.Prefix("html/template", "text/template")},
	{Name: "nvrmenu/sadp (the SADP door)", Match: perf.Prefix("nvrmenu/sadp")},
	{Name: "nvrmenu (the rest of the project: core, config, console, …)", Match: perf.Prefix("nvrmenu")},
	{Name: "golang.org/x/text (NFKC, case folding, language tags)", Match: perf.Prefix("golang.org/x/text")},
	{Name: "golang.org/x/crypto (argon2id, nacl/box)", Match: perf.Prefix("golang.org/x/crypto")},
	{Name: "golang.org/x/net (ipv4, bpf: SADP's sockets)", Match: perf.Prefix("golang.org/x/net")},
	{Name: "go-toml", Match: perf.Prefix("github.com/pelletier/go-toml/v2")},
	{Name: "go-qrcode, image/png, compress", Match: perf.Prefix("github.com/skip2/go-qrcode", "image", "compress", "hash/adler32", "hash/crc32")},
	{Name: "fsnotify, x/sys, x/term", Match: perf.Prefix("github.com/fsnotify/fsnotify", "golang.org/x/sys", "golang.org/x/term")},
	{Name: "net/http, mime, net/textproto, and the IDNA tables its default client's proxy settings take", Match: perf.Prefix("net/http", "mime", "net/textproto", "net/url", "vendor/golang.org/x/net", "vendor/golang.org/x/text")},
	{Name: "net (sockets, addresses, DNS)", Match: perf.Prefix("net")},
	{Name: "crypto/tls, crypto/x509, encoding/asn1, encoding/pem", Match: perf.Prefix("crypto/tls", "crypto/x509", "encoding/asn1", "encoding/pem", "vendor/golang.org/x/crypto/cryptobyte")},
	{Name: "crypto/* (standard library, the rest: curves, RSA, ML-KEM, HPKE, hashes)", Match: perf.Prefix("crypto", "vendor/golang.org/x/crypto", "math/big")},
	{Name: "encoding/json, encoding/xml, reflect", Match: perf.Prefix("encoding/json", "encoding/xml", "reflect", "internal/reflectlite")},
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

// daemonTagsLine is build.sh's DAEMON_TAGS, the daemon's build tags.
var daemonTagsLine = regexp.MustCompile(`(?m)^DAEMON_TAGS=([A-Za-z0-9_,.]*)$`)

// daemonTags reads the daemon's build tags from build.sh, so that every
// variant is built as the shipped daemon is.
func daemonTags(buildSh string) (string, error) {
	b, err := os.ReadFile(buildSh)
	if err != nil {
		return "", err
	}
	m := daemonTagsLine.FindSubmatch(b)
	if m == nil {
		return "", errors.New(buildSh + ": no DAEMON_TAGS= line")
	}
	return string(m[1]), nil
}

// joinTags joins build tag lists, leaving empty ones out.
func joinTags(lists ...string) string {
	var out []string
	for _, l := range lists {
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, ",")
}

// variantFiles are added to the copy of the module the variants are
// built from: size experiments, each behind a build tag of the harness's
// own, never in the repository.
var variantFiles = map[string]string{
	// The SADP responder left out: sadp.Listen is what brings the
	// sockets, x/net/ipv4 and the protocol's XML (see sadpStub).
	"cmd/nvr-menud/nvrperf_sadp_on.go": `//go:build !nvrperf_nosadp

package main

import "nvrmenu/sadp"

func listenSADP(opts sadp.Options) (responder, error) { return sadp.Listen(opts) }
`,
	"cmd/nvr-menud/nvrperf_sadp_off.go": `//go:build nvrperf_nosadp

package main

import (
	"errors"

	"nvrmenu/sadp"
)

// A size experiment of bench/perf, never shipped: no SADP responder.
func listenSADP(sadp.Options) (responder, error) { return nil, errors.New("built without the SADP responder") }
`,
	// The smallest HTTPS door a Go program can have, in the daemon
	// without its web door: net/http's server over crypto/tls with the
	// door's own self-signed certificate, answering 404 to everything.
	"cmd/nvr-menud/nvrperf_floor.go": floorSource("nvrperf_floor", "net/http", `
	srv := &http.Server{Addr: "127.0.0.1:0", Handler: http.NotFoundHandler(), TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}}
	srv.ListenAndServeTLS("", "")`),
	// Below the floor above: TLS alone, no HTTP server at all (what an
	// HTTP/1.1 server of our own over crypto/tls would start from).
	"cmd/nvr-menud/nvrperf_tlsfloor.go": floorSource("nvrperf_tlsfloor", "", `
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		return
	}
	if c, err := ln.Accept(); err == nil {
		c.Write([]byte("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
		c.Close()
	}`),
	// tcell_minimal leaves only tcell's base terminals (ansi, tmux,
	// vt1xx, vt220, xterm) and drops its infocmp fallback; a recorder's
	// console is TERM=linux, so that one is imported by hand.
	"cmd/nvr-menud/nvrperf_terminfo.go": `//go:build tcell_minimal

package main

import _ "github.com/gdamore/tcell/v2/terminfo/l/linux"
`,
}

// floorSource is a size experiment's file for the noweb daemon with tag:
// the door's self-signed certificate loaded, then serve (with the package
// pkg imported beside crypto/tls, if any), all in an init run only when
// asked (NVRPERF_FLOOR=serve), so that the linker keeps it. Never shipped.
func floorSource(tag, pkg, serve string) string {
	imports := ""
	if pkg != "" {
		imports = "\t\"" + pkg + "\"\n"
	}
	return "//go:build noweb && " + tag + `

package main

import (
	"crypto/tls"
` + imports + `	"os"

	"nvrmenu/internal/selfcert"
)

func init() {
	if os.Getenv("NVRPERF_FLOOR") != "serve" {
		return
	}
	cert, err := selfcert.LoadOrCreate(os.TempDir(), selfcert.LocalAddrs(), nil)
	if err != nil {
		return
	}` + serve + `
}
`
}

// sadpStub is the line of cmd/nvr-menud/sadp.go that the variant files
// replace.
const sadpStub = "func listenSADP(opts sadp.Options) (responder, error) { return sadp.Listen(opts) }\n"

// variantTree copies the module's working tree to dir (the repository is
// never changed) and adds the variant files.
func variantTree(dir string) error {
	entries, err := os.ReadDir(".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if name := e.Name(); name != "out" && !strings.HasPrefix(name, ".") {
			if err := exec.Command("cp", "-r", name, filepath.Join(dir, name)).Run(); err != nil {
				return fmt.Errorf("copying %s: %w", name, err)
			}
		}
	}
	p := filepath.Join(dir, "cmd/nvr-menud/sadp.go")
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if !bytes.Contains(b, []byte(sadpStub)) {
		return fmt.Errorf("cmd/nvr-menud/sadp.go no longer has %q: the SADP variant needs a new way in", strings.TrimSpace(sadpStub))
	}
	if err := os.WriteFile(p, bytes.Replace(b, []byte(sadpStub), nil, 1), 0o644); err != nil {
		return err
	}
	for name, src := range variantFiles {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// variant is the daemon built with some doors left out, or another way.
type variant struct {
	key  string // in file names
	name string // the size table's row
	how  string
	tags string // besides build.sh's DAEMON_TAGS (unless ownTags)
	// ownTags: tags is the whole list (a variant without DAEMON_TAGS).
	ownTags bool
	gcflags string
}

// The daemon's variants: each door off, and the ways to build it smaller.
var (
	allDoors   = variant{key: "all", name: "nvr-menud, all three doors", how: "as `./build.sh` builds it, from a copy of the module: the door costs are differences of these builds"}
	webOff     = variant{key: "noweb", name: "nvr-menud, web door off", how: "`-tags noweb` (build.sh's own variant)", tags: "noweb"}
	sadpOff    = variant{key: "nosadp", name: "nvr-menud, SADP responder off", how: "size experiment: `listenSADP` stubbed (no build tag ships it)", tags: "nvrperf_nosadp"}
	menuAlone  = variant{key: "menu", name: "nvr-menud, web door and SADP responder off (the menu alone)", how: "`-tags noweb` and the SADP stub", tags: "noweb,nvrperf_nosadp"}
	floorDoor  = variant{key: "floor", name: "nvr-menud, web door off, plus a bare HTTPS server", how: "size experiment: `noweb` and net/http's server over crypto/tls with the self-signed certificate, answering 404 (the floor of any web door in Go)", tags: "noweb,nvrperf_floor"}
	tlsFloor   = variant{key: "tlsfloor", name: "nvr-menud, web door off, plus a bare TLS listener (no HTTP)", how: "size experiment: `noweb` and crypto/tls's listener with the self-signed certificate, writing one fixed answer: what an HTTP server of our own over crypto/tls would start from", tags: "noweb,nvrperf_tlsfloor"}
	withHTTP2  = variant{key: "h2", name: "nvr-menud with net/http's HTTP/2", how: "without build.sh's `nethttpomithttp2`", ownTags: true}
	minimalTI  = variant{key: "minimal", name: "nvr-menud, tcell_minimal + linux terminfo", how: "`-tags tcell_minimal`, one blank import of `terminfo/l/linux`", tags: "tcell_minimal"}
	noInlining = variant{key: "noinline", name: "nvr-menud without inlining", how: "plus `-gcflags=all=-l` (slower code: argon2id is plain Go on ARM)", gcflags: "all=-l"}
)

// builder builds the daemon's variants from one copy of the module, once
// each.
type builder struct {
	bins  string // where the binaries go
	tags  string // build.sh's DAEMON_TAGS
	tree  string // the copy, made at the first build
	built map[string]error
}

func newBuilder(bins string) (*builder, error) {
	tags, err := daemonTags("build.sh")
	if err != nil {
		return nil, err
	}
	os.RemoveAll(bins)
	if err := os.MkdirAll(bins, 0o755); err != nil {
		return nil, err
	}
	return &builder{bins: bins, tags: tags, built: map[string]error{}}, nil
}

// close removes the copy of the module.
func (b *builder) close() {
	if b.tree != "" {
		os.RemoveAll(b.tree)
	}
}

// daemon builds v for arch, stripped as build.sh strips it or with its
// symbols, and returns the binary's path.
func (b *builder) daemon(v variant, arch string, symbols bool) (string, error) {
	name := "nvr-menud-" + v.key + "-" + arch
	ldflags := "-s -w"
	if symbols {
		name, ldflags = name+"-syms", ""
	}
	out := filepath.Join(b.bins, name)
	if err, ok := b.built[name]; ok {
		return out, err
	}
	err := func() error {
		if b.tree == "" {
			tree, err := os.MkdirTemp("", "nvr-size-")
			if err != nil {
				return err
			}
			b.tree = tree
			if err := variantTree(tree); err != nil {
				return err
			}
		}
		tags := joinTags(b.tags, v.tags)
		if v.ownTags {
			tags = v.tags
		}
		var extra []string
		if v.gcflags != "" {
			extra = append(extra, "-gcflags="+v.gcflags)
		}
		return goBuild(b.tree, arch, "./cmd/nvr-menud", out, tags, ldflags, extra...)
	}()
	b.built[name] = err
	return out, err
}

// symbolsOf reads the unstripped binary at path: its symbols in
// file-backed sections, by package.
func symbolsOf(path string) ([]perf.PackageSize, []perf.Symbol, perf.FileRanges, error) {
	nm, err := exec.Command("go", "tool", "nm", "-size", "-sort", "size", path).Output()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("go tool nm %s: %w", filepath.Base(path), err)
	}
	symbols, err := perf.ParseNM(bytes.NewReader(nm))
	if err != nil {
		return nil, nil, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	ranges, err := perf.SectionRanges(f)
	if err != nil {
		return nil, nil, nil, err
	}
	return perf.SizeByPackage(symbols, ranges), symbols, ranges, nil
}

// countTview is how many symbols of tview the binary at path links.
func countTview(symbols []perf.Symbol) int {
	n := 0
	for _, s := range symbols {
		if strings.Contains(s.Name, "github.com/rivo/tview") {
			n++
		}
	}
	return n
}

// sizes builds the variants and looks into the armv7 daemon. shipped are
// build.sh's binaries by GOARCH.
func sizes(b *builder, shipped map[string]string) (*sizeFigures, error) {
	sf := &sizeFigures{tags: b.tags}
	add := func(name, arch, how, path string, err error) sizeRow {
		row := sizeRow{name: name, arch: arch, how: how, err: err}
		if err == nil {
			row.bytes, row.held, row.err = measure(path, arch)
		}
		logf("size %-62s %-6s %s", name, arch, perf.FormatBytes(row.bytes))
		sf.rows = append(sf.rows, row)
		return row
	}
	for _, arch := range []string{"arm", "arm64", "amd64"} {
		add("nvr-menud as shipped (all three doors)", arch, "`./build.sh` (static, -trimpath, `-ldflags=-s -w`, build.sh's `DAEMON_TAGS`)", shipped[arch], nil)
	}
	// Each door off, for armv7 and arm64: the door's cost is the
	// difference with the same build of all three.
	file := map[string]map[string]int64{} // variant key, arch: bytes
	for _, v := range []variant{allDoors, webOff, sadpOff, menuAlone} {
		for _, arch := range []string{"arm", "arm64"} {
			out, err := b.daemon(v, arch, false)
			if r := add(v.name, arch, v.how, out, err); r.err == nil {
				if file[v.key] == nil {
					file[v.key] = map[string]int64{}
				}
				file[v.key][arch] = r.bytes
			}
		}
	}
	for _, v := range []variant{floorDoor, tlsFloor, withHTTP2, minimalTI, noInlining} {
		out, err := b.daemon(v, "arm", false)
		add(v.name, "arm", v.how, out, err)
	}
	for _, arch := range []string{"arm", "arm64", "amd64"} {
		out, err := b.daemon(allDoors, arch, true)
		add("nvr-menud with symbols", arch, "as shipped without `-s -w`", out, err)
	}
	// For scale: the smallest Go program, and a bare tview form on tcell.
	for _, p := range []struct{ name, pkg string }{{"Go hello world (fmt)", "./bench/perf/scale/hello"}, {"bare tview form (tcell, default terminfo)", "./bench/perf/scale/bareform"}} {
		out := filepath.Join(b.bins, filepath.Base(p.pkg)+"-arm")
		add(p.name, "arm", "static, -trimpath, `-s -w`", out, goBuild(".", "arm", p.pkg, out, "", "-s -w"))
	}
	// The web door's floor as a process of its own (a second binary).
	floorBin, err := buildHTTPSFloor(b.bins, "arm")
	if r := add(floorName, "arm", "static, -trimpath, `-s -w`, build.sh's `DAEMON_TAGS`: net/http's HTTP/1.1 server over crypto/tls with the door's self-signed certificate, answering 404", floorBin, err); r.err == nil {
		sf.floorProcess = r.bytes
		sf.inProcess, sf.withoutDoor = file[allDoors.key]["arm"], file[webOff.key]["arm"]
	}
	if upx, err := exec.LookPath("upx"); err == nil {
		out := filepath.Join(b.bins, "nvr-menud-upx-arm")
		err := exec.Command("cp", shipped["arm"], out).Run()
		if err == nil {
			err = quiet(upx, "-q", "--best", out)
		}
		add("nvr-menud as shipped, upx --best", "arm", "UPX-compressed executable (decompresses itself into anonymous memory at start)", out, err)
	}

	// What each door costs, and by which families (armv7 symbols).
	bySyms := map[string][]perf.PackageSize{}
	var errs []error
	for _, v := range []variant{allDoors, webOff, sadpOff, menuAlone} {
		out, err := b.daemon(v, "arm", true)
		if err == nil {
			var symbols []perf.Symbol
			bySyms[v.key], symbols, _, err = symbolsOf(out)
			if v == allDoors || v == webOff {
				sf.tview = append(sf.tview, tviewCount{v.name, countTview(symbols)})
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	cost := func(door, how string, with, without variant) doorCost {
		c := doorCost{door: door, how: how, bytes: map[string]int64{}}
		for _, arch := range []string{"arm", "arm64"} {
			a, okA := file[with.key][arch]
			z, okZ := file[without.key][arch]
			if okA && okZ {
				c.bytes[arch] = a - z
			}
		}
		if bySyms[with.key] != nil && bySyms[without.key] != nil {
			c.symbols = perf.DiffGroups(bySyms[with.key], bySyms[without.key], sizeGroups)
		}
		return c
	}
	web, sadpCost := cost("the web door", "all three doors less `noweb`", allDoors, webOff), cost("the SADP responder", "all three doors less the SADP stub", allDoors, sadpOff)
	web.with, web.without = "nvr-menud", webOff.name
	sadpCost.with, sadpCost.without = "nvr-menud", sadpOff.name
	sf.doors = []doorCost{
		web,
		sadpCost,
		cost("the SADP responder, without the web door", "`noweb` less `noweb` with the SADP stub (the web door shares `net` with it)", webOff, menuAlone),
	}
	if s := bySyms[menuAlone.key]; s != nil {
		menu := doorCost{door: "the local menu (its share of the menu-alone build)", how: "not built without it: the daemon is the menu; its families' symbols"}
		for _, g := range perf.SumGroups(s, sizeGroups) {
			if strings.HasPrefix(g.Package, "tcell") || strings.HasPrefix(g.Package, "tview") || strings.HasPrefix(g.Package, "nvrmenu/menu") {
				menu.symbols = append(menu.symbols, g)
			}
		}
		sf.doors = append(sf.doors, menu)
	}

	// What fills the shipped armv7 daemon.
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
	syms, err := b.daemon(allDoors, "arm", true)
	if err == nil {
		var byPkg []perf.PackageSize
		var symbols []perf.Symbol
		var ranges perf.FileRanges
		byPkg, symbols, ranges, err = symbolsOf(syms)
		if err == nil {
			sf.groups = perf.SumGroups(byPkg, sizeGroups)
			sf.top = byPkg[:min(len(byPkg), 15)]
			for _, s := range symbols {
				if ranges.Section(s.Addr) != "" && len(sf.syms) < 10 {
					sf.syms = append(sf.syms, s)
				}
			}
		}
	}
	return sf, errors.Join(append(errs, err)...)
}

// measure is the size of the binary at path and what its sections hold,
// once it is checked to be built for arch.
func measure(path, arch string) (file, held int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	held, err = perf.ELFBytes(f, arch)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return fi.Size(), held, nil
}
