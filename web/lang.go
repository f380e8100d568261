package web

import (
	"net/http"
	"strconv"
	"strings"

	"nvrmenu/texts"
)

// language picks the catalogue for r: the page's switch (?lang=, kept in
// a cookie), else the language cookie, else the browser's Accept-Language,
// else the configured default.
func (s *Server) language(w http.ResponseWriter, r *http.Request) *texts.Catalogue {
	if q := r.URL.Query().Get("lang"); q == "it" || q == "en" {
		if w != nil {
			setCookie(w, langCookie, q, 365*24*3600)
		}
		return mustCatalogue(q)
	}
	if c := cookieValue(r, langCookie); c == "it" || c == "en" {
		return mustCatalogue(c)
	}
	if l := acceptLanguage(r.Header.Get("Accept-Language")); l != "" {
		return mustCatalogue(l)
	}
	return mustCatalogue(s.opts.Language)
}

func mustCatalogue(lang string) *texts.Catalogue {
	c, err := texts.New(lang)
	if err != nil {
		c, _ = texts.New("")
	}
	return c
}

// acceptLanguage picks "it" or "en" from an Accept-Language header, by
// quality then order, or "" when it names neither.
func acceptLanguage(header string) string {
	best, bestQ := "", 0.0
	for i, part := range strings.Split(header, ",") {
		if i >= 32 {
			break
		}
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if (primary == "it" || primary == "en") && q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}
