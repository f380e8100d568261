//go:build qemubench

package qemu

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"
)

// catalogueFile is the menu's catalogue, relative to this package.
const catalogueFile = "../../menu/catalogue.go"

// catalogue is the menu's texts in one language, by the name of their
// constant in menu/catalogue.go (e.g. "msgForgotPassword").
type catalogue map[string]string

// loadCatalogue reads the texts of lang ("it" or "en") from the menu's
// source: the msg constants and the messages table of {it, en} pairs.
func loadCatalogue(path, lang string) (catalogue, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, err
	}
	index := map[string]int{"it": 0, "en": 1}[lang]
	if lang != "it" && lang != "en" {
		return nil, fmt.Errorf("language %q: want it or en", lang)
	}
	cat := catalogue{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Names) != 1 || vs.Names[0].Name != "messages" || len(vs.Values) != 1 {
				continue
			}
			table, ok := vs.Values[0].(*ast.CompositeLit)
			if !ok {
				return nil, fmt.Errorf("%s: messages is not a composite literal", path)
			}
			for _, elt := range table.Elts {
				kv, ok := elt.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				key, ok := kv.Key.(*ast.Ident) // the question ids are strings: not needed
				if !ok {
					continue
				}
				pair, ok := kv.Value.(*ast.CompositeLit)
				if !ok || len(pair.Elts) != 2 {
					return nil, fmt.Errorf("%s: %s is not an {it, en} pair", path, key.Name)
				}
				lit, ok := pair.Elts[index].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return nil, fmt.Errorf("%s: %s: not a string literal", path, key.Name)
				}
				text, err := strconv.Unquote(lit.Value)
				if err != nil {
					return nil, fmt.Errorf("%s: %s: %v", path, key.Name, err)
				}
				cat[key.Name] = text
			}
		}
	}
	if len(cat) == 0 {
		return nil, fmt.Errorf("%s: no messages table found", path)
	}
	return cat, nil
}

// usedTexts are the catalogue entries the bench looks for on screen.
var usedTexts = []string{
	"msgTitleActivation", "msgActivationIntro", "msgPasswordSet", "msgTitleSetup",
	"msgStateSetUp", "msgGUIDExportIntro", "msgPickStick", "msgNoStick", "msgGUIDExported",
	"msgOk", "msgFinish", "msgActivated", "msgDeviceSerial", "msgForgotPassword",
	"msgForgotIntro", "msgMethodGUID", "msgGUIDIntro", "msgReadingSticks", "msgGUIDNoFiles",
	"msgGUIDOtherDevice", "msgNewPasswordIntro", "msgResetDone", "msgGUIDExpiredOffer",
	"msgLater", "msgLoginWithNew", "msgTitleAccount", "msgAccountIntro", "msgStateExpired",
	"msgLogout", "msgMethodExpiredGUID", "msgWorking",
}

// TestCatalogue checks that the bench still finds every text it waits for
// in the menu's catalogue, in both languages, before any VM boots.
func TestCatalogue(t *testing.T) {
	for _, lang := range []string{"it", "en"} {
		cat, err := loadCatalogue(catalogueFile, lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range usedTexts {
			if cat[id] == "" {
				t.Errorf("%s: %s missing from %s", lang, id, catalogueFile)
			}
		}
	}
}

// text returns the catalogue's text id, formatted with args; it fails the
// test when the text is missing.
func (c catalogue) text(t testing.TB, id string, args ...any) string {
	t.Helper()
	s, ok := c[id]
	if !ok {
		t.Fatalf("%s: no text %s", catalogueFile, id)
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}
