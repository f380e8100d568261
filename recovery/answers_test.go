package recovery

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeAnswer(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Fido", "fido"},
		{"capitals", "FIDO", "fido"},
		{"empty", "", ""},
		{"only space", " \t\n\u00a0", ""},
		{"tabs and newlines", "  Fido \t il\nBassotto  ", "fido il bassotto"},
		{"CRLF", "Fido\r\nBassotto", "fido bassotto"},
		{"no-break space", "San\u00a0Marino", "san marino"},
		{"ideographic space", "San\u3000Marino", "san marino"},
		{"Italian accents composed", "Città Sant'Angelo", "città sant'angelo"},
		{"Italian accents decomposed", "Citta\u0300 Sant'Angelo", "città sant'angelo"},
		{"capital accent", "PERCHÉ", "perché"},
		{"capital grave", "È NATO A FORLÌ", "è nato a forlì"},
		{"full-width letters", "Ｆｉｄｏ", "fido"},
		{"full-width digits", "Ｒｏｍａ１９９０", "roma1990"},
		{"ligature fi", "ﬁdo", "fido"},
		{"ligature ff capital", "Ｇｒｉﬀｉｎ", "griffin"},
		{"sharp s", "Straße", "strasse"},
		{"sharp s capital", "STRASSE", "strasse"},
		{"capital sharp s", "STRAẞE", "strasse"},
		{"Turkish dotted capital I", "İzmir", "i\u0307zmir"},
		{"Turkish dotless i keeps no dot", "Işık", "işık"}, // ASCII I folds to i in every language
		{"plain capital I", "IZMIR", "izmir"},
		{"Greek final sigma", "ΟΔΟΣ", "οδοσ"},
		{"Kelvin sign", "\u212aelvin", "kelvin"},
		{"superscript", "x²", "x2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NormalizeAnswer(tc.in); got != tc.want {
				t.Fatalf("NormalizeAnswer(%q): got %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNormalizeAnswerMakesSlipsEqual(t *testing.T) {
	for _, tc := range []struct{ name, a, b string }{
		{"case and accents", "Città di Castello", "CITTA\u0300 DI CASTELLO"},
		{"space kinds", "via  roma\t12", "Via\u00a0Roma 12"},
		{"full-width", "Ｍａｒｉｏ", "mario"},
		{"ligature", "ﬁorella", "Fiorella"},
		{"sharp s", "Weißbach", "WEISSBACH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if a, b := NormalizeAnswer(tc.a), NormalizeAnswer(tc.b); a != b {
				t.Fatalf("got %q and %q, want equal forms", a, b)
			}
		})
	}
}

func FuzzNormalizeAnswer(f *testing.F) {
	f.Add("Città di  Castello")
	f.Add("İ\u00a0ﬁ ẞ")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1024 {
			t.Skip("inputs are capped")
		}
		got := NormalizeAnswer(s)
		if again := NormalizeAnswer(got); again != got {
			t.Fatalf("NormalizeAnswer(%q) = %q, then %q: want idempotent", s, got, again)
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("got %q, want single inner spaces only", got)
		}
		if strings.IndexFunc(got, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) >= 0 {
			t.Fatalf("got %q, want ASCII spaces only", got)
		}
		if utf8.ValidString(s) && !norm.NFKC.IsNormalString(got) {
			t.Fatalf("got %q, want NFKC", got)
		}
	})
}

func TestValidateAnswer(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"empty", "", ErrAnswerTooShort},
		{"one letter", "a", ErrAnswerTooShort},
		{"one accented letter", "è", ErrAnswerTooShort},
		{"two letters", "ab", nil},
		{"two accented letters", "èé", nil},
		{"128 accented letters", strings.Repeat("à", 128), nil},
		{"129 letters", strings.Repeat("a", 129), ErrAnswerTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := ValidateAnswer(tc.in); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestQuestionCatalogue(t *testing.T) {
	cat := QuestionCatalogue()
	if len(cat) < 12 {
		t.Fatalf("got %d questions, want at least 12", len(cat))
	}
	for i, id := range cat {
		if !ValidQuestion(id) {
			t.Errorf("ValidQuestion(%q): got false, want true", id)
		}
		if slices.Index(cat, id) != i {
			t.Errorf("got %q twice, want unique ids", id)
		}
		if id == "" || strings.Trim(string(id), "abcdefghijklmnopqrstuvwxyz-") != "" {
			t.Errorf("got id %q, want lowercase letters and dashes", id)
		}
	}
	if !slices.Equal(QuestionCatalogue(), cat) {
		t.Fatal("got a different order on the second call, want a fixed order")
	}
	cat[0] = "changed"
	if QuestionCatalogue()[0] == "changed" {
		t.Fatal("a caller changed the catalogue through the returned slice")
	}
	for _, id := range []QuestionID{"", "changed", "favourite-food", "favourite-colour", "FIRST-PET"} {
		if ValidQuestion(id) {
			t.Errorf("ValidQuestion(%q): got true, want false", id)
		}
	}
}
