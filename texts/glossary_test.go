package texts

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// glossaryRule is one concept of glossary.md: the words its entries must
// not use, per language.
type glossaryRule struct {
	concept string
	not     [2][]*regexp.Regexp // it, en
}

// glossaryWord matches w as a whole word in any case, or, with a final *,
// at the start of a word.
func glossaryWord(w string) *regexp.Regexp {
	end := `($|[^\pL])`
	if stem, ok := strings.CutSuffix(w, "*"); ok {
		w, end = stem, ""
	}
	return regexp.MustCompile(`(?i)(^|[^\pL])` + regexp.QuoteMeta(w) + end)
}

// readGlossary parses glossary.md's two tables: the concepts, and the
// entries let off a concept.
func readGlossary(t *testing.T) ([]glossaryRule, map[[2]string]bool) {
	t.Helper()
	data, err := os.ReadFile("glossary.md")
	if err != nil {
		t.Fatal(err)
	}
	var rules []glossaryRule
	exempt := map[[2]string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| concept ") || strings.HasPrefix(line, "| entry ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		switch len(cells) {
		case 5:
			var r glossaryRule
			r.concept = cells[0]
			for i, col := range cells[3:] {
				for _, w := range strings.Split(col, ",") {
					if w = strings.TrimSpace(w); w != "" {
						r.not[i] = append(r.not[i], glossaryWord(w))
					}
				}
			}
			rules = append(rules, r)
		case 3:
			exempt[[2]string{cells[0], cells[1]}] = true
		default:
			t.Fatalf("glossary.md: a table row of %d cells: %q", len(cells), line)
		}
	}
	if len(rules) < 10 {
		t.Fatalf("glossary.md: %d concepts read: parsing went wrong", len(rules))
	}
	for k := range exempt {
		if _, ok := messages[ID(k[0])]; !ok {
			t.Errorf("glossary.md lets off %q, which the catalogue does not have", k[0])
		}
	}
	return rules, exempt
}

// TestGlossary: no entry names a concept of the glossary with another word
// than the glossary's, in either language.
func TestGlossary(t *testing.T) {
	rules, exempt := readGlossary(t)
	used := map[[2]string]bool{}
	for id, tx := range messages {
		for _, r := range rules {
			for lang, text := range [2]string{tx.it, tx.en} {
				for _, not := range r.not[lang] {
					w := not.FindString(text)
					if w == "" {
						continue
					}
					if exempt[[2]string{string(id), r.concept}] {
						used[[2]string{string(id), r.concept}] = true
						continue
					}
					t.Errorf("%s (%s) names %s %q: the glossary's word is the one to use", id, Languages[lang], r.concept, strings.TrimSpace(w))
				}
			}
		}
	}
	for k := range exempt {
		if !used[k] {
			t.Errorf("glossary.md lets %q off %q, which it no longer needs", k[0], k[1])
		}
	}
}
