package recovery

import (
	"errors"
	"nvrmenu/recovery/journey"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// QuestionID names a security question. Its text lives in the menu's
// translations, so the core holds no language.
type QuestionID string

// QuestionCatalogue returns the ids of the security questions in the order
// the doors offer them (journey.QuestionIDs). The slice is the caller's own
// copy.
func QuestionCatalogue() []QuestionID {
	ids := make([]QuestionID, len(journey.QuestionIDs))
	for i, id := range journey.QuestionIDs {
		ids[i] = QuestionID(id)
	}
	return ids
}

// ValidQuestion reports whether id is in the catalogue.
func ValidQuestion(id QuestionID) bool { return slices.Contains(journey.QuestionIDs, string(id)) }

// Answer length limits, in characters (runes) after NormalizeAnswer.
const (
	AnswerMinLength = 2
	AnswerMaxLength = 128
)

// Errors of ValidateAnswer.
var (
	ErrAnswerTooShort = errors.New("security answer too short: fewer than 2 characters")
	ErrAnswerTooLong  = errors.New("security answer too long: more than 128 characters")
)

// answersFolder is safe for concurrent use: cases.Fold keeps no state
// between calls of String.
var answersFolder = cases.Fold()

// NormalizeAnswer returns the canonical form of a security answer, so that
// differences people do not see or remember do not count: Unicode NFKC
// (full-width letters, the "ﬁ" ligature and composed or decomposed accents
// become one form), then case folding (ß folds to "ss", and the Turkish
// dotted capital İ to "i̇", the same for every language), then NFKC again
// (folding may leave a form that is not normalised), then every run of
// Unicode white space (tab, newline, no-break space, ideographic space)
// becomes one ASCII space, with none at the ends.
func NormalizeAnswer(s string) string {
	s = norm.NFKC.String(s)
	s = answersFolder.String(s)
	s = norm.NFKC.String(s)
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// ValidateAnswer checks the length of an answer already normalised by
// NormalizeAnswer: 2 to 128 characters. It returns ErrAnswerTooShort or
// ErrAnswerTooLong, which never include the answer.
func ValidateAnswer(normalised string) error {
	switch n := utf8.RuneCountInString(normalised); {
	case n < AnswerMinLength:
		return ErrAnswerTooShort
	case n > AnswerMaxLength:
		return ErrAnswerTooLong
	}
	return nil
}
