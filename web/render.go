package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"nvrmenu/texts"
)

//go:embed templates static
var assets embed.FS

// pageNames are the templates under templates/, each rendered inside
// layout.html.
var pageNames = []string{"login", "activate", "forgot", "reset", "done", "account", "guid", "questions", "email", "password", "reauth", "error"}

func parsePages() (map[string]*template.Template, error) {
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(template.FuncMap{"inc": func(i int) int { return i + 1 }}).
			ParseFS(assets, "templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// view is what a template gets: the catalogue's words through T and F,
// the frame's fields, and the page's own Data. Everything in it reaches
// the HTML through html/template's escaping.
type view struct {
	tr       *texts.Catalogue
	Title    string
	Serial   string
	Error    string
	Notice   string
	Here     string   // this page's GET address, for the language switch
	Scripts  []string // the same-origin scripts under /static/ it loads
	LoggedIn bool
	Data     any
}

// The pages' optional scripts: every page works without them.
const (
	strengthScript = "strength.js" // the live strength meter
	chooseScript   = "choose.js"   // a drop-down that takes effect when changed
)

// script makes the page load the script name.
func (v *view) script(name string) { v.Scripts = append(v.Scripts, name) }

// T is the text of id in the page's language.
func (v *view) T(id string) string { return v.tr.T(texts.ID(id)) }

// F formats the text of id.
func (v *view) F(id string, args ...any) string { return v.tr.F(texts.ID(id), args...) }

// Lang is the page's language code.
func (v *view) Lang() string { return v.tr.Lang() }

// Switch is the address of this page in language lang.
func (v *view) Switch(lang string) string {
	u, err := url.Parse(v.Here)
	if err != nil {
		return "/?lang=" + lang
	}
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.String()
}

// render writes page name with status.
func (s *Server) render(w http.ResponseWriter, status int, name string, v *view) {
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, v); err != nil {
		s.log.Error("web: rendering a page", "page", name, "err", err)
		http.Error(w, "500 internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// newView starts the view of a page titled title for r.
func (s *Server) newView(w http.ResponseWriter, r *http.Request, d Door, title texts.ID, here string) *view {
	tr := s.language(w, r)
	v := &view{tr: tr, Title: tr.T(title), Here: here}
	if d != nil {
		v.Serial = d.Serial()
	}
	if id, ok := notices[r.URL.Query().Get("notice")]; ok {
		v.Notice = tr.T(id)
	}
	return v
}

// notices are the confirmations a redirect after a POST may show, by the
// key in its ?notice= (nothing the client writes reaches the page). Each
// is a text without an argument: a confirmation that shows what was
// typed (the saved e-mail address) is the POST's own answer instead.
var notices = map[string]texts.ID{
	"session-ended":     texts.ErrSessionEnded,
	"logged-out":        texts.WebLoggedOut,
	"activated":         texts.Activated,
	"password-changed":  texts.PasswordChanged,
	"questions-saved":   texts.QuestionsSaved,
	"questions-cleared": texts.WebQuestionsCleared,
	"email-cleared":     texts.WebEmailCleared,
	"guid-saved":        texts.WebGUIDConfirmed,
	"reauth-done":       texts.WebReauthDone,
}

// errorPage answers with the error page: p in words, and a way back.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, p texts.Problem) {
	retryAfter(w, p)
	v := s.newView(w, r, nil, texts.TitleLogin, "/")
	v.Title = v.tr.T(texts.ErrUnexpected)
	if p.Code != texts.CodeUnexpected {
		v.Title = v.tr.Problem(p)
	}
	v.Error = v.tr.Problem(p)
	s.render(w, status, "error", v)
}

// redirect sends the browser on to path (a GET) after a POST.
func redirect(w http.ResponseWriter, r *http.Request, path string) {
	http.Redirect(w, r, path, http.StatusSeeOther)
}
