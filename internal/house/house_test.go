package house

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"nvrmenu/internal/testenv"
)

const module = "nvrmenu"

// The parts of the house the rules name.
var (
	core  = []string{"nvrmenu/recovery"}
	doors = []string{"nvrmenu/menu", "nvrmenu/web", "nvrmenu/sadp", "nvrmenu/usb"}
	// mains may wire anything they are the main of; nobody imports them.
	mains = []string{"nvrmenu/cmd/..."}
	// vendor is the vendor's service: never in a recorder's binary.
	vendor = []string{"nvrmenu/issuer/...", "github.com/emersion/...", "go.etcd.io/bbolt", "github.com/jackc/..."}
)

// ui is the terminal toolkit: the menu's alone.
var ui = []string{"github.com/rivo/tview", "github.com/gdamore/tcell/v2"}

// rules say, for each package of the module (by pattern), what it may not
// import, directly or not (forbid), and what it may not import itself
// (forbidDirect: the menu opens no file or device, it asks the core and the
// watcher). A package that matches no row fails the test: every new package
// takes a place in the house.
var rules = []struct {
	pkg          string
	reason       string
	forbid       [][]string
	forbidDirect []string
}{
	{"nvrmenu/recovery/journey", "the journey is a leaf every door and nvr-sadp read", [][]string{core, doors, mains, {"nvrmenu/apitype", "nvrmenu/config"}}, nil},
	{"nvrmenu/recovery", "the core never imports a door", [][]string{doors, ui, mains, vendor, {"nvrmenu/apitype", "nvrmenu/config", "net/http"}}, nil},
	{"nvrmenu/texts", "the catalogue is a leaf", [][]string{core, doors, mains, {"nvrmenu/recovery/journey", "nvrmenu/apitype"}}, nil},
	{"nvrmenu/apitype", "the wire types are a leaf the door and nvr-sadp share", [][]string{core, doors, mains}, nil},
	{"nvrmenu/config", "the config file knows no door and no core", [][]string{core, doors, mains}, nil},
	{"nvrmenu/menu/...", "a door imports no other door, and the menu touches no file or device: it asks the core and the watcher", [][]string{{"nvrmenu/web", "nvrmenu/sadp", "net/http"}, mains, vendor},
		[]string{"os", "syscall", "golang.org/x/sys/unix", "os/exec", "io/fs", "path/filepath"}},
	{"nvrmenu/web/...", "a door imports no other door", [][]string{{"nvrmenu/menu", "nvrmenu/sadp", "nvrmenu/usb"}, ui, mains, vendor}, nil},
	{"nvrmenu/sadp/...", "a door imports no other door, nor the core: it asks its Device", [][]string{core, {"nvrmenu/menu", "nvrmenu/web", "nvrmenu/usb"}, ui, mains, vendor}, nil},
	{"nvrmenu/usb/...", "a door imports no other door, nor the core", [][]string{core, {"nvrmenu/menu", "nvrmenu/web", "nvrmenu/sadp"}, ui, mains, vendor}, nil},
	{"nvrmenu/internal/...", "internal packages are leaves", [][]string{core, doors, mains, vendor, {"nvrmenu/apitype", "nvrmenu/config"}}, nil},
	{"nvrmenu/cmd/nvr-menud", "the recorder's daemon links nothing of the vendor's service, and no QR decoder (tests only)", [][]string{vendor, {"github.com/makiuchi-d/gozxing/..."}}, nil},
	{"nvrmenu/cmd/nvr-sadp/internal/recorder", "the installer's client of the API and its pins know nothing of SADP: only the commands find recorders", [][]string{{"nvrmenu/sadp"}}, nil},
	{"nvrmenu/cmd/nvr-sadp/internal/known", "the pins know nothing of SADP nor of HTTP", [][]string{{"nvrmenu/sadp", "net/http"}}, nil},
	{"nvrmenu/cmd/nvr-sadp/...", "the installer's tool reaches the recorder over its API only", [][]string{core, {"nvrmenu/menu", "nvrmenu/web", "nvrmenu/usb", "nvrmenu/config"}, ui, vendor}, nil},
	{"nvrmenu/cmd/recovery-issuer/...", "the vendor's side links no recorder code", [][]string{core, doors, {"nvrmenu/config"}}, nil},
	{"nvrmenu/issuer/...", "the vendor's service links no recorder code", [][]string{core, doors, mains, {"nvrmenu/config"}}, nil},
	{"nvrmenu/bench/...", "the benches drive the real thing", nil, nil},
	{"nvrmenu/internal/house", "this test", nil, nil},
}

// noweb is what the daemon built with -tags noweb leaves out: the web
// door and its weight.
var noweb = []string{"nvrmenu/web", "nvrmenu/internal/selfcert", "net/http", "crypto/tls", "html/template"}

// crossOS are the packages that must build for every system nvr-sadp
// ships for.
var crossOS = []string{"nvrmenu/cmd/nvr-sadp/...", "nvrmenu/apitype", "nvrmenu/recovery/journey", "nvrmenu/texts", "nvrmenu/sadp"}

// match reports whether the import path p matches pattern (a path, or a
// path followed by /... for it and everything under it).
func match(pattern, p string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return p == base || strings.HasPrefix(p, base+"/")
	}
	return p == pattern
}

type listed struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func list(t *testing.T, env []string, patterns ...string) []listed {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-e", "-json=ImportPath,Imports,Deps"}, patterns...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v: %s", err, stderr.Bytes())
	}
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func TestImportRules(t *testing.T) {
	testenv.NeedsGo(t)
	pkgs := list(t, nil, "./...")
	if len(pkgs) < 30 {
		t.Fatalf("go list gave %d packages: listing went wrong", len(pkgs))
	}
	check(t, "", pkgs, true)
	// What nvr-sadp ships for: its dependencies may differ by system.
	for _, goos := range []string{"windows", "darwin"} {
		check(t, goos, list(t, []string{"GOOS=" + goos, "CGO_ENABLED=0"}, crossOSPatterns()...), false)
	}
	for _, p := range list(t, nil, "-tags", "noweb", "./cmd/nvr-menud") {
		for _, dep := range p.Deps {
			if slices.Contains(noweb, dep) {
				t.Errorf("the noweb daemon links %s", dep)
			}
		}
	}
}

// crossOSPatterns are crossOS as go list takes them, from the module's root.
func crossOSPatterns() []string {
	var out []string
	for _, p := range crossOS {
		out = append(out, "./"+strings.TrimPrefix(p, module+"/"))
	}
	return out
}

// check holds pkgs, listed for goos ("" for this one), to the rules; every
// package must have a row when all is set.
func check(t *testing.T, goos string, pkgs []listed, all bool) {
	t.Helper()
	on := ""
	if goos != "" {
		on = " (GOOS=" + goos + ")"
	}
	for _, p := range pkgs {
		if !strings.HasPrefix(p.ImportPath, module+"/") {
			continue
		}
		placed := false
		for _, r := range rules {
			if !match(r.pkg, p.ImportPath) {
				continue
			}
			placed = true
			for _, imp := range p.Imports {
				if slices.Contains(r.forbidDirect, imp) {
					t.Errorf("%s%s imports %s itself: %s", p.ImportPath, on, imp, r.reason)
				}
			}
			for _, group := range r.forbid {
				for _, pattern := range group {
					for _, dep := range p.Deps {
						if match(pattern, dep) && !match(r.pkg, dep) {
							t.Errorf("%s%s imports %s: %s", p.ImportPath, on, dep, r.reason)
						}
					}
				}
			}
		}
		if !placed && all {
			t.Errorf("%s has no row in the house's rules: give it one", p.ImportPath)
		}
	}
}

// TestCrossOS: the installer's tool, and every package it takes from the
// recorder's side, builds for Linux, macOS and Windows.
func TestCrossOS(t *testing.T) {
	if testing.Short() || testenv.Emulated() {
		t.Skip("cross-builds run the compiler for three systems: run without -short, natively")
	}
	testenv.NeedsGo(t)
	for _, goos := range []string{"linux", "darwin", "windows"} {
		t.Run(goos, func(t *testing.T) {
			args := append([]string{"build"}, crossOS...)
			cmd := exec.Command("go", args...)
			cmd.Dir = "../.."
			cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("GOOS=%s go build %s: %v\n%s", goos, strings.Join(crossOS, " "), err, out)
			}
		})
	}
}
