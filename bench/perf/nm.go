package perf

import (
	"bufio"
	"cmp"
	"debug/elf"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Symbol is one line of `go tool nm -size`: address, size, type, name.
type Symbol struct {
	Addr uint64
	Size int64
	Type byte
	Name string
}

// ParseNM reads the output of `go tool nm -size [-sort size]`. Undefined
// symbols (no address) are skipped.
func ParseNM(r io.Reader) ([]Symbol, error) {
	var syms []Symbol
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "U ") {
			continue // undefined: no address, no size
		}
		addr, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimLeft(rest, " ")
		size, rest, _ := strings.Cut(rest, " ")
		rest = strings.TrimLeft(rest, " ")
		typ, name, _ := strings.Cut(rest, " ")
		if len(typ) != 1 {
			return nil, fmt.Errorf("nm line %q: no symbol type", line)
		}
		a, err := strconv.ParseUint(addr, 16, 64)
		if err != nil {
			return nil, fmt.Errorf("nm line %q: address: %w", line, err)
		}
		n, err := strconv.ParseInt(size, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("nm line %q: size: %w", line, err)
		}
		syms = append(syms, Symbol{Addr: a, Size: n, Type: typ[0], Name: name})
	}
	return syms, sc.Err()
}

// PackageOf is the Go package a symbol belongs to: the import path before
// the first '.' after the last '/', type arguments ignored. The linker's
// own symbols (go:func.*, type:*, go:itab.*, the symbol tables) are
// "(linker)".
func PackageOf(name string) string {
	if strings.HasPrefix(name, "go:") || strings.HasPrefix(name, "type:") || name == "" || !strings.Contains(name, ".") {
		return "(linker)"
	}
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	slash := strings.LastIndexByte(name, '/')
	dot := strings.IndexByte(name[slash+1:], '.')
	if dot < 0 {
		return name
	}
	return name[:slash+1+dot]
}

// FileRanges are the address ranges of an ELF file's sections that take
// room in the file (not .bss, .noptrbss: those are only reserved at run
// time), keyed by section name.
type FileRanges []elfRange

type elfRange struct {
	name       string
	start, end uint64
}

// SectionRanges reads the allocated, file-backed sections of an ELF file.
func SectionRanges(r io.ReaderAt) (FileRanges, error) {
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, err
	}
	var out FileRanges
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_ALLOC == 0 || s.Type == elf.SHT_NOBITS || s.Size == 0 {
			continue
		}
		out = append(out, elfRange{name: s.Name, start: s.Addr, end: s.Addr + s.Size})
	}
	return out, nil
}

// Section names the file-backed section holding addr, or "".
func (fr FileRanges) Section(addr uint64) string {
	for _, r := range fr {
		if addr >= r.start && addr < r.end {
			return r.name
		}
	}
	return ""
}

// PackageSize is the bytes a package's symbols take in the file.
type PackageSize struct {
	Package string
	Bytes   int64
}

// SizeByPackage sums, per package, the sizes of the symbols that lie in a
// file-backed section (in fr); with fr nil every symbol of type T, R, D
// counts. The result is sorted largest first.
func SizeByPackage(syms []Symbol, fr FileRanges) []PackageSize {
	sums := map[string]int64{}
	for _, s := range syms {
		if fr != nil {
			if fr.Section(s.Addr) == "" {
				continue
			}
		} else if !strings.ContainsRune("TtRrDd", rune(s.Type)) {
			continue
		}
		sums[PackageOf(s.Name)] += s.Size
	}
	out := make([]PackageSize, 0, len(sums))
	for p, n := range sums {
		out = append(out, PackageSize{p, n})
	}
	slices.SortFunc(out, func(a, b PackageSize) int {
		if c := cmp.Compare(b.Bytes, a.Bytes); c != 0 {
			return c
		}
		return strings.Compare(a.Package, b.Package)
	})
	return out
}

// SizeGroup is a named set of packages whose sizes are summed: a module,
// a family of packages (tcell's terminal database), the standard library.
type SizeGroup struct {
	Name string
	// Match reports whether a package belongs to the group. The first
	// group that matches takes the package.
	Match func(pkg string) bool
}

// Prefix matches a package and everything below it.
func Prefix(prefixes ...string) func(string) bool {
	return func(pkg string) bool {
		for _, p := range prefixes {
			if pkg == p || strings.HasPrefix(pkg, p+"/") {
				return true
			}
		}
		return false
	}
}

// SumGroups adds the package sizes up by group; packages no group takes are
// summed under "other".
func SumGroups(sizes []PackageSize, groups []SizeGroup) []PackageSize {
	sums := make([]int64, len(groups)+1)
	for _, ps := range sizes {
		i := slices.IndexFunc(groups, func(g SizeGroup) bool { return g.Match(ps.Package) })
		if i < 0 {
			i = len(groups)
		}
		sums[i] += ps.Bytes
	}
	out := make([]PackageSize, 0, len(sums))
	for i, g := range groups {
		out = append(out, PackageSize{g.Name, sums[i]})
	}
	return append(out, PackageSize{"other", sums[len(groups)]})
}

// DiffGroups is what with adds to without, by group (SumGroups of each):
// the groups that grew, largest first, then the total of all groups
// (shrinking ones included) under "all". It is a door's cost by family
// when with is the daemon with the door and without the daemon without.
func DiffGroups(with, without []PackageSize, groups []SizeGroup) []PackageSize {
	a, b := SumGroups(with, groups), SumGroups(without, groups)
	var out []PackageSize
	var total int64
	for i := range a {
		d := a[i].Bytes - b[i].Bytes
		total += d
		if d > 0 {
			out = append(out, PackageSize{a[i].Package, d})
		}
	}
	slices.SortStableFunc(out, func(x, y PackageSize) int { return cmp.Compare(y.Bytes, x.Bytes) })
	return append(out, PackageSize{"all", total})
}

// Machines are the ELF machines of the GOARCH values the harness builds.
var Machines = map[string]elf.Machine{"arm": elf.EM_ARM, "arm64": elf.EM_AARCH64, "amd64": elf.EM_X86_64}

// ELFBytes checks that the ELF file at r is built for goarch and returns what its allocated, file-backed sections hold: the file's code
// and data without the alignment padding. Go's linker starts the section
// names at the next 64 KiB boundary after the data, so the file's size
// steps by 64 KiB and two different binaries can have the same one.
func ELFBytes(r io.ReaderAt, goarch string) (int64, error) {
	f, err := elf.NewFile(r)
	if err != nil {
		return 0, err
	}
	if want, ok := Machines[goarch]; !ok || f.Machine != want {
		return 0, fmt.Errorf("an ELF file for %v, not for GOARCH=%s", f.Machine, goarch)
	}
	var n int64
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_ALLOC != 0 && s.Type != elf.SHT_NOBITS {
			n += int64(s.Size)
		}
	}
	return n, nil
}
