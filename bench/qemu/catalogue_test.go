//go:build qemubench

package qemu

import (
	"fmt"
	"testing"

	"nvrmenu/texts"
)

// catalogue is the texts the menu shows in the guest's language.
type catalogue struct{ c *texts.Catalogue }

// loadCatalogue returns the catalogue of lang ("it" or "en").
func loadCatalogue(lang string) (catalogue, error) {
	c, err := texts.New(lang)
	if err != nil {
		return catalogue{}, err
	}
	return catalogue{c}, nil
}

// text returns the catalogue's text id, formatted with args; it fails the
// test when the catalogue has no such text.
func (c catalogue) text(t testing.TB, id texts.ID, args ...any) string {
	t.Helper()
	s := c.c.T(id)
	if s == string(id) {
		t.Fatalf("the catalogue has no text %s", id)
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}
