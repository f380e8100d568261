package web

import (
	"net/http"
	"strings"
)

// The door's cookies. The __Host- prefix makes the browser keep them only
// for this host, over HTTPS, for the whole site; HttpOnly keeps them from
// scripts and SameSite=Strict from every request another site starts.
// They hold tokens the core issued and checks: the web door keeps no
// session of its own.
const (
	sessionCookie = "__Host-nvr-session"
	ticketCookie  = "__Host-nvr-ticket"
	langCookie    = "__Host-nvr-lang"
)

// setCookie sets a __Host- cookie; maxAge 0 makes it last the browser's
// session, < 0 removes it.
func setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		Secure:   true,
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
	})
}

func clearCookie(w http.ResponseWriter, name string) { setCookie(w, name, "", -1) }

// cookieValue is the value of the cookie name, "" without one.
func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// bearerToken is the session token of an API request: the Authorization
// header's bearer token, else the session cookie.
func bearerToken(r *http.Request) string {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, token, ok := strings.Cut(auth, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(token)
		}
		return ""
	}
	return cookieValue(r, sessionCookie)
}
