package recovery

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeAnswer(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Fido", "fido"},
		{"  Fido \t il\nBassotto  ", "fido il bassotto"},
		{"Città", "città"},
		{"Citta\u0300", "città"}, // decomposed accent
		{"CITTÀ", "città"},
		{"Ｆｉｄｏ", "fido"},      // full-width
		{"ﬁdo", "fido"},       // ligature
		{"Straße", "strasse"}, // ß folds to ss
		{"STRASSE", "strasse"},
		{"İzmir", "i̇zmir"}, // dotted capital I keeps its dot: fold, not Turkish lowercase
		{"a\u00a0b", "a b"}, // no-break space
		{"a\u3000b", "a b"}, // ideographic space
		{"", ""},
	} {
		if got := NormalizeAnswer(tc.in); got != tc.want {
			t.Errorf("NormalizeAnswer(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestValidateAnswer(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"", ErrAnswerTooShort},
		{"a", ErrAnswerTooShort},
		{"è", ErrAnswerTooShort},
		{"ab", nil},
		{strings.Repeat("à", 128), nil},
		{strings.Repeat("a", 129), ErrAnswerTooLong},
	} {
		if err := ValidateAnswer(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("ValidateAnswer(%q) = %v, want %v", tc.in, err, tc.want)
		}
	}
}

func TestQuestionCatalogue(t *testing.T) {
	cat := QuestionCatalogue()
	if len(cat) < 12 {
		t.Fatalf("%d questions, want at least 12", len(cat))
	}
	seen := map[QuestionID]bool{}
	for _, id := range cat {
		if seen[id] || !ValidQuestion(id) {
			t.Fatalf("question %q duplicated or invalid", id)
		}
		seen[id] = true
	}
	cat[0] = "changed"
	if QuestionCatalogue()[0] == "changed" {
		t.Fatal("callers can change the catalogue")
	}
	if ValidQuestion("favourite-food") {
		t.Fatal("a trivially guessed question is in the catalogue")
	}
}
