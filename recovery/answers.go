package recovery

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// QuestionID names a security question; its text lives in the menu's
// translations, so the core stays free of any language.
type QuestionID string

// questionCatalogue is fixed: ids are stored in state files, so an id may
// be added but never renamed. Questions whose answers are trivially
// guessed (favourite food or colour) are left out on purpose.
var questionCatalogue = []QuestionID{
	"first-pet",
	"mother-maiden-name",
	"birth-city",
	"first-school",
	"childhood-friend",
	"first-car",
	"favourite-teacher",
	"father-middle-name",
	"first-job-city",
	"childhood-street",
	"oldest-cousin",
	"wedding-city",
	"first-concert",
	"grandmother-first-name",
}

// QuestionCatalogue returns the security questions by id, in menu order.
func QuestionCatalogue() []QuestionID {
	return append([]QuestionID(nil), questionCatalogue...)
}

// ValidQuestion reports whether id is in the catalogue.
func ValidQuestion(id QuestionID) bool {
	for _, q := range questionCatalogue {
		if q == id {
			return true
		}
	}
	return false
}

// Errors for answers at setup.
var (
	ErrAnswerTooShort = errors.New("answer too short: at least 2 characters")
	ErrAnswerTooLong  = errors.New("answer too long: at most 128 characters")
)

var answerFolder = cases.Fold()

// NormalizeAnswer makes spelling slips that are not real differences
// irrelevant: Unicode NFKC (full-width letters, ligatures), case folding
// (ß and SS, Turkish dotted I), leading and trailing space trimmed and every
// run of white space collapsed to one ASCII space.
func NormalizeAnswer(s string) string {
	s = norm.NFKC.String(s)
	s = answerFolder.String(s)
	s = norm.NFC.String(s) // folding may decompose; keep one canonical form
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// ValidateAnswer checks a normalised answer's length in characters.
func ValidateAnswer(normalised string) error {
	switch n := utf8.RuneCountInString(normalised); {
	case n < 2:
		return ErrAnswerTooShort
	case n > 128:
		return ErrAnswerTooLong
	}
	return nil
}
