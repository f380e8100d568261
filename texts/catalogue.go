package texts

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"nvrmenu/internal/pwpolicy"
)

// ID names one text of the catalogue.
type ID string

// Languages are the catalogue's languages, the default first.
var Languages = []string{"it", "en"}

// Catalogue gives the texts in one language.
type Catalogue struct{ english bool }

// New returns the catalogue for lang: "it" (also "") or "en".
func New(lang string) (*Catalogue, error) {
	switch lang {
	case "", "it":
		return &Catalogue{}, nil
	case "en":
		return &Catalogue{english: true}, nil
	}
	return nil, fmt.Errorf("texts: language %q: want \"it\" or \"en\"", lang)
}

// Lang is the catalogue's language code.
func (c *Catalogue) Lang() string {
	if c.english {
		return "en"
	}
	return "it"
}

// T returns the text of id. A missing id shows as the id itself, which a
// test forbids.
func (c *Catalogue) T(id ID) string {
	tx, ok := messages[id]
	if !ok {
		return string(id)
	}
	if c.english {
		return tx.en
	}
	return tx.it
}

// F formats the text of id with args.
func (c *Catalogue) F(id ID, args ...any) string { return fmt.Sprintf(c.T(id), args...) }

// QuestionID is the text id of the security question the core names id
// (recovery.QuestionID).
func QuestionID(id string) ID { return ID("q-" + id) }

// Question is the text of the security question the core names id.
func (c *Catalogue) Question(id string) string { return c.T(QuestionID(id)) }

// Strength names a strength level as the meter shows it.
func (c *Catalogue) Strength(s pwpolicy.Strength) string {
	switch s {
	case pwpolicy.StrengthWeak:
		return c.T(StrengthWeak)
	case pwpolicy.StrengthMedium:
		return c.T(StrengthMedium)
	case pwpolicy.StrengthStrong:
		return c.T(StrengthStrong)
	}
	return c.T(StrengthRisky)
}

// reasonTexts words each rule a password can break.
var reasonTexts = map[pwpolicy.Reason]ID{
	pwpolicy.ReasonTooShort:             ReasonTooShort,
	pwpolicy.ReasonTooLong:              ReasonTooLong,
	pwpolicy.ReasonNotPrintableASCII:    ReasonNotASCII,
	pwpolicy.ReasonTooFewClasses:        ReasonFewClasses,
	pwpolicy.ReasonContainsUser:         ReasonUser,
	pwpolicy.ReasonContainsUserReversed: ReasonUserReversed,
	pwpolicy.ReasonContainsAdmin:        ReasonAdmin,
	pwpolicy.ReasonSequence:             ReasonSequence,
	pwpolicy.ReasonRepetition:           ReasonRepetition,
	pwpolicy.ReasonCommonPassword:       ReasonCommon,
}

// Reasons lists why a password is refused, in words, separated by "; ".
// A reason this build does not know (from a newer recorder) is left out.
func (c *Catalogue) Reasons(rs []pwpolicy.Reason) string {
	parts := make([]string, 0, len(rs))
	for _, r := range rs {
		if id, ok := reasonTexts[r]; ok {
			parts = append(parts, c.T(id))
		}
	}
	return strings.Join(parts, "; ")
}

// Duration says how long a lock lasts, in whole minutes rounded up.
func (c *Catalogue) Duration(d time.Duration) string {
	if d < time.Minute {
		return c.T(LessThanAMinute)
	}
	return c.F(Minutes, int((d+time.Minute-1)/time.Minute))
}

// Date is a day as the owner reads it: 25/11/2026, or 25 Nov 2026.
func (c *Catalogue) Date(t time.Time) string {
	if c.english {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// LockedFor says a method is locked for d.
func (c *Catalogue) LockedFor(d time.Duration) string { return c.F(LockedFor, c.Duration(d)) }

// IDs lists every text id, sorted: tests walk the whole catalogue with it
// (both languages present, every rune in the console's font).
func IDs() []ID {
	ids := make([]ID, 0, len(messages))
	for id := range messages {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// unfilled matches what fmt leaves of a format verb it had no argument for
// ("%!s(MISSING)"), or one never formatted ("%s", "%d", "%q", "%v").
var unfilled = regexp.MustCompile(`%!|%[sdqv]\b|%[sdqv]$|%[sdqv][^a-zA-Z]`)

// Unfilled returns the first format verb left in text a door shows, or
// "": every door's tests hold what they show to it.
func Unfilled(text string) string { return unfilled.FindString(text) }
