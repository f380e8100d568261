package texts

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"nvrmenu/internal/pwpolicy"
)

// TestComplete holds every text to be present, non-empty, in both
// languages, with the same format verbs in the same order, and every entry
// of the table to be named by a constant (or be a security question).
func TestComplete(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "ids.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	named := map[ID]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || vs.Type == nil || len(vs.Values) != 1 {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "ID" {
			lit := vs.Values[0].(*ast.BasicLit)
			named[ID(strings.Trim(lit.Value, `"`))] = true
		}
		return true
	})
	if len(named) < 100 {
		t.Fatalf("found %d text constants: parsing went wrong", len(named))
	}
	verbs := regexp.MustCompile(`%[sdv]`)
	for id := range named {
		if _, ok := messages[id]; !ok {
			t.Errorf("%s: named but not in the table", id)
		}
	}
	for id, tx := range messages {
		switch {
		case !named[id] && !strings.HasPrefix(string(id), "q-"):
			t.Errorf("%s: in the table but named by no constant: remove it", id)
		case strings.TrimSpace(tx.it) == "" || strings.TrimSpace(tx.en) == "":
			t.Errorf("%s: it %q, en %q: both must be set", id, tx.it, tx.en)
		case !slices.Equal(verbs.FindAllString(tx.it, -1), verbs.FindAllString(tx.en, -1)):
			t.Errorf("%s: format verbs differ: it %q, en %q", id, tx.it, tx.en)
		}
	}
	for _, r := range pwpolicy.Reasons() {
		if _, ok := reasonTexts[r]; !ok {
			t.Errorf("password rule %s has no text", r)
		}
	}
}

// TestSeedWording pins the Italian names of the controls the vendor how-to
// uses, so that an owner following it finds them.
func TestSeedWording(t *testing.T) {
	c, _ := New("it")
	for id, want := range map[ID]string{
		ForgotPassword:  "Password Dimenticata",
		MethodEmail:     "Verifica tramite e-mail di recupero",
		MethodGUID:      "Verifica mediante GUID",
		MethodQuestions: "Verifica mediante domande di sicurezza",
		Export:          "Esportazione",
		AppScanQR:       "App Scan QR",
		EnterCode:       "Inserire il codice di verifica",
		Import:          "Importa",
		Ok:              "Ok",
		// The meter reads "Sicurezza: Media": the levels agree with it.
		StrengthRisky:  "Rischiosa",
		StrengthWeak:   "Debole",
		StrengthMedium: "Media",
		StrengthStrong: "Forte",
		// "e-mail di recupero" where the how-to names that control.
		SetEmail: "E-mail di recupero",
	} {
		if got := c.T(id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
}

// TestProblemWords checks that every code has its own words, never the
// generic sentence, and that counted tries and locks say what is left.
func TestProblemWords(t *testing.T) {
	for _, lang := range Languages {
		c, _ := New(lang)
		unexpected := c.T(ErrUnexpected)
		for code := range problemTexts {
			if got := c.Problem(Problem{Code: code}); code != CodeUnexpected && got == unexpected {
				t.Errorf("%s: %s has the generic words", lang, code)
			}
		}
		for _, tc := range []struct {
			p    Problem
			want string
		}{
			{Problem{Code: CodeWrongCode, Counted: true, TriesLeft: 2}, c.F(TriesLeft, 2)},
			{Problem{Code: CodeWrongAnswers, Counted: true, LockSeconds: 1800}, c.F(NowLocked, c.F(Minutes, 30))},
			{Problem{Code: CodeLocked, LockSeconds: 61}, c.LockedFor(2 * time.Minute)},
			{Problem{Code: CodeLocked, LockSeconds: 30, AllMethods: true}, c.F(LockedGlobal, c.T(LessThanAMinute))},
			{Problem{Code: CodePasswordRefused, Reasons: []pwpolicy.Reason{pwpolicy.ReasonTooShort}}, c.T(ReasonTooShort)},
			{Problem{Code: CodeAnswerTooLong, Answer: 3}, c.F(ErrAnswerTooLong, 3)},
			{Problem{Code: "from-a-newer-recorder"}, unexpected},
		} {
			if got := c.Problem(tc.p); !strings.Contains(got, tc.want) {
				t.Errorf("%s: %+v worded %q, want it to contain %q", lang, tc.p, got, tc.want)
			}
		}
	}
}
