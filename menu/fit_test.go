package menu

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rivo/tview"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

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
		{"login", func() { h.m.showLogin(h.m.tr.T(texts.LoginWithNew)) }},
		{"forgot", h.m.showForgot},
		{"guid", h.m.showGUIDImport},
		{"questions", h.m.showQuestions},
		{"email", h.m.showEmail},
		{"new-password", func() { h.m.showNewPassword(ticket) }},
		{"account", func() { h.m.session = s; h.m.showAccount(h.m.tr.T(texts.Activated)) }},
		{"setup", func() { h.m.session = s; h.m.showAccountMode(h.m.tr.T(texts.PasswordSet), true) }},
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
