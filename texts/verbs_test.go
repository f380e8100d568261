package texts

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// formatVerb is a fmt verb of a catalogue entry ("%%" is not one).
var formatVerb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

// verbCount is how many arguments entry id wants.
func verbCount(id ID) int { return len(formatVerb.FindAllString(messages[id].it, -1)) }

// constIDs maps the constants of ids.go to their ids.
func constIDs(t *testing.T) map[string]ID {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "ids.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]ID{}
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Names) == 1 && len(vs.Values) == 1 {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok {
				ids[vs.Names[0].Name] = ID(strings.Trim(lit.Value, `"`))
			}
		}
		return true
	})
	return ids
}

// TestNoUnfilledVerb walks every door's source — the Go code of the whole
// repository, the web pages' included (templ compiles web/*.templ to Go,
// web/*_templ.go) — for a catalogue entry shown
// with an unfilled or surplus format verb: an entry with verbs shown by T,
// or by F with another number of arguments than it has verbs. Arguments
// passed on with "args..." are left to the callee. An entry picked at run
// time (from a table) is not seen here: every door's tests also check all
// they show for a verb left in the text (Unfilled), which is how the
// literal %s the web page once showed after the reserved e-mail was saved
// would be caught.
func TestNoUnfilledVerb(t *testing.T) {
	consts := constIDs(t)
	check := func(where, fn string, id ID, args int, spread bool) {
		if _, ok := messages[id]; !ok {
			return
		}
		want := verbCount(id)
		switch {
		case fn == "T" && want > 0:
			t.Errorf("%s: %s shown with T, but it has %d format verb(s): use F with its arguments", where, id, want)
		case fn == "F" && !spread && args != want:
			t.Errorf("%s: %s shown with F and %d argument(s), but it has %d format verb(s)", where, id, args, want)
		}
	}
	root := ".."
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "out") {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(path, ".go"):
			files++
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			inTexts := f.Name.Name == "texts"
			if inTexts && strings.HasSuffix(path, "ids.go") {
				return nil
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "T" && sel.Sel.Name != "F") {
					return true
				}
				var name string
				switch a := call.Args[0].(type) {
				case *ast.SelectorExpr: // texts.Name
					if pkg, ok := a.X.(*ast.Ident); ok && pkg.Name == "texts" {
						name = a.Sel.Name
					}
				case *ast.Ident: // Name, inside package texts
					if inTexts {
						name = a.Name
					}
				}
				if id, ok := consts[name]; ok {
					check(fset.Position(call.Pos()).String(), sel.Sel.Name, id, len(call.Args)-1, call.Ellipsis.IsValid())
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("walked %d files: the walk went wrong", files)
	}
}
