package perf

import (
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const nmSample = `  5e92b0   33554432 D crypto/internal/fips140/drbg.memory
  4ec000     353864 r go:func.*
  5793f8      19426 D golang.org/x/text/unicode/norm.decomps
  161e9c       2720 T encoding/json.appendString[go.shape.[]uint8]
  61f920      12012 T github.com/rivo/tview.(*InputField).InputHandler.func1.(*TextArea).InputHandler.5
   11000        100 T slices.SortFunc[go.shape.struct { Package string; Bytes int64 }]
   12000         40 t runtime.text
                    U some/undefined.symbol
`

func TestParseNM(t *testing.T) {
	syms, err := ParseNM(strings.NewReader(nmSample))
	if err != nil {
		t.Fatal(err)
	}
	if len(syms) != 7 {
		t.Fatalf("%d symbols, want 7 (the undefined one skipped): %+v", len(syms), syms)
	}
	want := []Symbol{
		{0x5e92b0, 33554432, 'D', "crypto/internal/fips140/drbg.memory"},
		{0x4ec000, 353864, 'r', "go:func.*"},
		{0x11000, 100, 'T', "slices.SortFunc[go.shape.struct { Package string; Bytes int64 }]"},
	}
	for _, w := range want {
		if !slices.Contains(syms, w) {
			t.Errorf("missing %+v", w)
		}
	}
	for _, bad := range []string{"zz 10 T x.y\n", "1000 ten T x.y\n", "1000 10 TT x.y\n"} {
		if _, err := ParseNM(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseNM(%q): no error", bad)
		}
	}
}

func TestPackageOf(t *testing.T) {
	for _, tc := range []struct{ sym, want string }{
		{"runtime.mheap_", "runtime"},
		{"crypto/internal/fips140/drbg.memory", "crypto/internal/fips140/drbg"},
		{"golang.org/x/text/unicode/norm.decomps", "golang.org/x/text/unicode/norm"},
		{"github.com/rivo/tview.(*InputField).InputHandler.func1.(*TextArea).InputHandler.5", "github.com/rivo/tview"},
		{"github.com/gdamore/tcell/v2/terminfo/x/xterm.init.0", "github.com/gdamore/tcell/v2/terminfo/x/xterm"},
		{"github.com/pelletier/go-toml/v2.(*decoder).walkTable", "github.com/pelletier/go-toml/v2"},
		{"encoding/json.appendString[go.shape.[]uint8]", "encoding/json"},
		{"slices.SortFunc[go.shape.struct { a/b.C }]", "slices"},
		{"go:func.*", "(linker)"},
		{"type:*", "(linker)"},
		{"go:itab.*os.File,io.Reader", "(linker)"},
		{"_", "(linker)"},
		{"main.main", "main"},
	} {
		if got := PackageOf(tc.sym); got != tc.want {
			t.Errorf("PackageOf(%q) = %q, want %q", tc.sym, got, tc.want)
		}
	}
}

func TestSizeByPackage(t *testing.T) {
	syms := []Symbol{
		{0x1000, 100, 'T', "runtime.a"},
		{0x1100, 50, 'T', "runtime.b"},
		{0x2000, 70, 'R', "fmt.x"},
		{0x3000, 1 << 25, 'D', "crypto/internal/fips140/drbg.memory"}, // in .noptrbss
		{0x2100, 30, 'B', "fmt.y"},
	}
	t.Run("by type, no section table", func(t *testing.T) {
		got := SizeByPackage(syms, nil)
		want := []PackageSize{{"crypto/internal/fips140/drbg", 1 << 25}, {"runtime", 150}, {"fmt", 70}}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("file-backed sections only", func(t *testing.T) {
		fr := FileRanges{{".text", 0x1000, 0x2000}, {".rodata", 0x2000, 0x2100}}
		got := SizeByPackage(syms, fr)
		want := []PackageSize{{"runtime", 150}, {"fmt", 70}}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if s := fr.Section(0x2050); s != ".rodata" {
			t.Errorf("Section(0x2050) = %q, want .rodata", s)
		}
		if s := fr.Section(0x3000); s != "" {
			t.Errorf("Section(0x3000) = %q, want none", s)
		}
	})
}

func TestSumGroups(t *testing.T) {
	sizes := []PackageSize{
		{"github.com/gdamore/tcell/v2/terminfo/x/xterm", 10},
		{"github.com/gdamore/tcell/v2/terminfo", 5},
		{"github.com/gdamore/tcell/v2", 100},
		{"github.com/gdamore/tcell/v2x", 1}, // not below tcell/v2
		{"net", 7},
		{"net/mail", 3},
		{"nettle", 2}, // not net
		{"runtime", 1000},
	}
	groups := []SizeGroup{
		{Name: "terminfo", Match: Prefix("github.com/gdamore/tcell/v2/terminfo")},
		{Name: "tcell", Match: Prefix("github.com/gdamore/tcell/v2")},
		{Name: "net", Match: Prefix("net")},
		{Name: "empty", Match: Prefix("nothing/here")},
	}
	got := SumGroups(sizes, groups)
	want := []PackageSize{{"terminfo", 15}, {"tcell", 100}, {"net", 10}, {"empty", 0}, {"other", 1003}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestSectionRanges reads the test binary's own ELF header: .text is file
// backed, .bss is not.
func TestSectionRanges(t *testing.T) {
	f, err := os.Open(os.Args[0])
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	fr, err := SectionRanges(f)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range fr {
		names = append(names, r.name)
	}
	if !slices.Contains(names, ".text") || slices.Contains(names, ".bss") || slices.Contains(names, ".noptrbss") {
		t.Errorf("file-backed sections %v: want .text and neither .bss nor .noptrbss", names)
	}
}

func TestDiffGroups(t *testing.T) {
	groups := []SizeGroup{
		{Name: "web", Match: Prefix("nvrmenu/web", "net/http")},
		{Name: "menu", Match: Prefix("github.com/rivo/tview")},
	}
	with := []PackageSize{{"nvrmenu/web", 100}, {"net/http", 50}, {"github.com/rivo/tview", 300}, {"runtime", 40}}
	without := []PackageSize{{"github.com/rivo/tview", 310}, {"runtime", 30}}
	got := DiffGroups(with, without, groups)
	want := []PackageSize{{"web", 150}, {"other", 10}, {"all", 150}}
	if !slices.Equal(got, want) {
		t.Errorf("DiffGroups = %v, want %v", got, want)
	}
}

func TestELFBytes(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	n, err := ELFBytes(f, runtime.GOARCH)
	if err != nil {
		t.Fatalf("the test binary: %v", err)
	}
	if n <= 0 || n > fi.Size() {
		t.Errorf("the test binary's sections hold %d bytes, the file %d", n, fi.Size())
	}
	other := "arm64"
	if runtime.GOARCH == "arm64" {
		other = "amd64"
	}
	if _, err := ELFBytes(f, other); err == nil {
		t.Errorf("the test binary passed for GOARCH=%s", other)
	}
}
