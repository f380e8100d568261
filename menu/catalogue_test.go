package menu

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rivo/tview"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery"
)

// TestCatalogueComplete holds every text to be present, non-empty, in both
// languages, with the same format verbs in the same order.
func TestCatalogueComplete(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "catalogue.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []msg
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || vs.Type == nil || len(vs.Values) != 1 {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "msg" {
			lit := vs.Values[0].(*ast.BasicLit)
			ids = append(ids, msg(strings.Trim(lit.Value, `"`)))
		}
		return true
	})
	if len(ids) < 100 {
		t.Fatalf("found %d message constants: parsing went wrong", len(ids))
	}
	for _, q := range recovery.QuestionCatalogue() {
		ids = append(ids, msg("q-"+string(q)))
	}
	verbs := regexp.MustCompile(`%[sdv]`)
	for _, id := range ids {
		tx, ok := messages[id]
		switch {
		case !ok:
			t.Errorf("%s: not in the catalogue", id)
		case strings.TrimSpace(tx.it) == "" || strings.TrimSpace(tx.en) == "":
			t.Errorf("%s: it %q, en %q: both must be set", id, tx.it, tx.en)
		case !slices.Equal(verbs.FindAllString(tx.it, -1), verbs.FindAllString(tx.en, -1)):
			t.Errorf("%s: format verbs differ: it %q, en %q", id, tx.it, tx.en)
		}
	}
	if len(messages) != len(ids) {
		t.Errorf("catalogue has %d texts, %d are named: remove the unnamed ones", len(messages), len(ids))
	}
	for _, r := range []pwpolicy.Reason{
		pwpolicy.ReasonTooShort, pwpolicy.ReasonTooLong, pwpolicy.ReasonNotPrintableASCII,
		pwpolicy.ReasonTooFewClasses, pwpolicy.ReasonContainsUser, pwpolicy.ReasonContainsUserReversed,
		pwpolicy.ReasonContainsAdmin, pwpolicy.ReasonSequence, pwpolicy.ReasonRepetition, pwpolicy.ReasonCommonPassword,
	} {
		if _, ok := reasonMessages[r]; !ok {
			t.Errorf("policy reason %s has no text", r)
		}
	}
}

// TestSeedWording pins the Italian names of the controls the vendor how-to
// uses, so that an owner following it finds them.
func TestSeedWording(t *testing.T) {
	c, _ := newCatalogue("it")
	for id, want := range map[msg]string{
		msgForgotPassword:  "Password Dimenticata",
		msgMethodEmail:     "Verifica tramite e-mail di recupero",
		msgMethodGUID:      "Verifica mediante GUID",
		msgMethodQuestions: "Verifica mediante domande di sicurezza",
		msgExport:          "Esportazione",
		msgAppScanQR:       "App Scan QR",
		msgEnterCode:       "Inserire il codice di verifica",
		msgImport:          "Importa",
		msgOk:              "Ok",
		msgStrengthRisky:   "Rischioso",
		msgStrengthWeak:    "Debole",
		msgStrengthMedium:  "Medio",
		msgStrengthStrong:  "Forte",
	} {
		if got := c.t(id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
}

// TestErrorsNeverShowGoText checks that every error the core and the
// watcher return becomes a catalogue sentence.
func TestErrorsNeverShowGoText(t *testing.T) {
	for _, lang := range []string{"it", "en"} {
		c, _ := newCatalogue(lang)
		for _, e := range errorMessages {
			got := c.err(e.err)
			if got == c.t(msgErrUnexpected) || got == e.err.Error() {
				t.Errorf("%s: %v shows %q", lang, e.err, got)
			}
		}
		for _, err := range []error{
			&recovery.AttemptError{Err: recovery.ErrWrongCode, Method: recovery.MethodEmail, TriesLeft: 2},
			&recovery.LockedError{Method: recovery.MethodGUID, Remaining: 90e9},
			&pwpolicy.RefusedError{Reasons: []pwpolicy.Reason{pwpolicy.ReasonTooShort}},
			&recovery.AnswerError{Index: 1, Err: recovery.ErrAnswerTooShort},
		} {
			got := c.err(err)
			if got == "" || got == err.Error() || got == c.t(msgErrUnexpected) {
				t.Errorf("%s: %v shows %q", lang, err, got)
			}
		}
	}
}

// labels lists the texts that must show whole: titles, field labels,
// button labels and list items of the primitives under p.
func labels(p tview.Primitive) []string {
	var out []string
	if b, ok := p.(interface{ GetTitle() string }); ok {
		if t := strings.TrimSpace(b.GetTitle()); t != "" {
			out = append(out, t)
		}
	}
	switch p := p.(type) {
	case *tview.Flex:
		for i := 0; i < p.GetItemCount(); i++ {
			out = append(out, labels(p.GetItem(i))...)
		}
	case *tview.Form:
		for i := 0; i < p.GetFormItemCount(); i++ {
			item := p.GetFormItem(i)
			if l := strings.TrimSpace(item.GetLabel()); l != "" {
				out = append(out, l)
			}
			if dd, ok := item.(*tview.DropDown); ok {
				_, opt := dd.GetCurrentOption()
				out = append(out, opt)
			}
		}
		for i := 0; i < p.GetButtonCount(); i++ {
			out = append(out, p.GetButton(i).GetLabel())
		}
	case *tview.List:
		for i := 0; i < p.GetItemCount(); i++ {
			main, second := p.GetItemText(i)
			out = append(out, strings.TrimSpace(main))
			if second != "" {
				out = append(out, second)
			}
		}
	}
	return out
}

// TestEveryScreenFits shows every screen in both languages at 80x25 and at
// 240x67 and checks each title, label, button and list item shows whole on
// one line.
func TestEveryScreenFits(t *testing.T) {
	for _, lang := range []string{"it", "en"} {
		for _, size := range [][2]int{{80, 25}, {240, 67}} {
			t.Run(fmt.Sprintf("%s-%dx%d", lang, size[0], size[1]), func(t *testing.T) {
				checkScreensFit(t, lang, size[0], size[1])
			})
		}
	}
}

func checkScreensFit(t *testing.T, lang string, w, hh int) {
	h := newHarness(t, harnessOptions{activated: true, lang: lang, w: w, h: hh})
	h.setEmail("owner@example.org")
	h.setupGUID(t.TempDir())
	s, err := h.core.Login(recovery.AdminUser, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	cat := recovery.QuestionCatalogue()
	if err := s.SetSecurityQuestions([3]recovery.QuestionAnswer{{ID: cat[0], Answer: "uno"}, {ID: cat[1], Answer: "due"}, {ID: cat[13], Answer: "tre"}}); err != nil {
		t.Fatal(err)
	}
	ticket, err := h.core.VerifyAnswers([3]string{"uno", "due", "tre"})
	if err != nil {
		t.Fatal(err)
	}
	h.plug("STICK")
	screens := []struct {
		name string
		show func()
	}{
		{"login", func() { h.m.showLogin(h.m.tr.t(msgLoginWithNew)) }},
		{"forgot", h.m.showForgot},
		{"guid", h.m.showGUIDImport},
		{"questions", h.m.showQuestions},
		{"email", h.m.showEmail},
		{"new-password", func() { h.m.showNewPassword(ticket) }},
		{"account", func() { h.m.session = s; h.m.showAccount(h.m.tr.t(msgActivated)) }},
		{"setup", func() { h.m.session = s; h.m.showAccountMode(h.m.tr.t(msgPasswordSet), true) }},
		{"guid-export", func() { h.m.session = s; h.m.showGUIDExport(h.m.showStart) }},
		{"change-password", func() { h.m.session = s; h.m.showChangePassword(h.m.showStart) }},
		{"set-questions", func() { h.m.session = s; h.m.showSetQuestions(h.m.showStart) }},
		{"set-email", func() { h.m.session = s; h.m.showSetEmail(h.m.showStart) }},
	}
	for _, sc := range screens {
		h.m.app.QueueUpdateDraw(sc.show)
		h.waitScreen(sc.name)
		want := onUI(h, func() []string {
			_, p := h.m.pages.GetFrontPage()
			return labels(p)
		})
		if len(want) < 3 {
			t.Fatalf("%s: only %q to check: the walk missed the screen", sc.name, want)
		}
		screen := h.screen()
		for _, l := range want {
			if !strings.Contains(screen, l) {
				t.Errorf("%s: %q not shown whole:\n%s", sc.name, l, screen)
			}
		}
	}
}
