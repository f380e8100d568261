package web

import (
	"io/fs"
	"maps"
	"net/http"
	"path"
	"slices"
	"strings"

	"nvrmenu/texts"
)

// methods dispatches by HTTP method; any other is 405 with the door's own
// page or JSON (ServeMux's own 405 is plain text).
type methods map[string]http.HandlerFunc

// handle routes pattern to m, and keeps the pattern and its methods in
// s.routes (the cross-origin test walks them all).
func (s *Server) handle(mux *http.ServeMux, pattern string, m methods) {
	s.routes = append(s.routes, route{pattern: pattern, methods: slices.Sorted(maps.Keys(m))})
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		h, ok := m[r.Method]
		if !ok && r.Method == http.MethodHead {
			h, ok = m[http.MethodGet]
		}
		if !ok {
			w.Header().Set("Allow", strings.Join(slices.Sorted(maps.Keys(m)), ", "))
			s.refuse(w, r, http.StatusMethodNotAllowed, texts.CodeMethodNotAllowed)
			return
		}
		h(w, r)
	})
}

// routePages is the pages' route table, in the order an owner meets them.
// Each handler goes through pageCall: who may open it (public, admin) and
// whether its request carries a form (noForm, withForm).
func (s *Server) routePages(mux *http.ServeMux) {
	s.handle(mux, "/{$}", methods{"GET": s.pageCall(public, noForm, s.home)})
	s.handle(mux, "/login", methods{"GET": s.pageCall(public, noForm, s.loginPage), "POST": s.pageCall(public, withForm, s.login)})
	s.handle(mux, "/logout", methods{"POST": s.pageCall(public, noForm, s.logout)})
	s.handle(mux, "/activate", methods{"GET": s.pageCall(public, noForm, s.activatePage), "POST": s.pageCall(public, withForm, s.activate)})
	s.handle(mux, "/forgot", methods{"GET": s.pageCall(public, noForm, s.forgotPage)})
	s.handle(mux, "/forgot/guid", methods{"POST": s.pageCall(public, noForm, s.forgotGUID)})
	s.handle(mux, "/forgot/questions", methods{"POST": s.pageCall(public, withForm, s.forgotQuestions)})
	s.handle(mux, "/forgot/email", methods{"POST": s.pageCall(public, withForm, s.forgotEmail)})
	s.handle(mux, "/forgot/email/show", methods{"POST": s.pageCall(public, noForm, s.forgotEmailShow)})
	s.handle(mux, "/forgot/email/new", methods{"POST": s.pageCall(public, noForm, s.forgotEmailNew)})
	s.handle(mux, "/forgot/email/export", methods{"POST": s.pageCall(public, noForm, s.forgotEmailExport)})
	s.handle(mux, "/forgot/email/qr.png", methods{"GET": s.pageCall(public, noForm, s.forgotEmailQR)})
	s.handle(mux, "/reset", methods{"GET": s.pageCall(public, noForm, s.resetPage), "POST": s.pageCall(public, withForm, s.reset)})
	s.handle(mux, "/done", methods{"GET": s.pageCall(public, noForm, s.donePage)})
	s.handle(mux, "/account", methods{"GET": s.pageCall(admin, noForm, s.accountPage)})
	s.handle(mux, "/account/guid", methods{"GET": s.pageCall(admin, noForm, s.guidPage)})
	s.handle(mux, "/account/guid/export", methods{"POST": s.pageCall(admin, noForm, s.guidExport)})
	s.handle(mux, "/account/guid/file", methods{"GET": s.pageCall(admin, noForm, s.guidFile)})
	s.handle(mux, "/account/guid/confirm", methods{"POST": s.pageCall(admin, noForm, s.guidConfirm)})
	s.handle(mux, "/account/questions", methods{"GET": s.pageCall(admin, noForm, s.questionsPage), "POST": s.pageCall(admin, withForm, s.setQuestions)})
	s.handle(mux, "/account/questions/clear", methods{"POST": s.pageCall(admin, noForm, s.clearQuestions)})
	s.handle(mux, "/account/email", methods{"GET": s.pageCall(admin, noForm, s.emailPage), "POST": s.pageCall(admin, withForm, s.setEmail)})
	s.handle(mux, "/account/email/clear", methods{"POST": s.pageCall(admin, noForm, s.clearEmail)})
	s.handle(mux, "/account/password", methods{"GET": s.pageCall(admin, noForm, s.passwordPage), "POST": s.pageCall(admin, withForm, s.changePassword)})
	s.handle(mux, "/account/reauth", methods{"GET": s.pageCall(admin, noForm, s.reauthPage), "POST": s.pageCall(admin, withForm, s.reauth)})
	s.handle(mux, "/static/", methods{"GET": s.static})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.refuse(w, r, http.StatusNotFound, texts.CodeNotFound)
	})
}

// static serves the embedded assets: files only, never a folder's
// listing (a folder, /static/ itself included, is not found).
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	fsys := staticFS()
	if fi, err := fs.Stat(fsys, path.Clean(name)); name == "" || strings.HasSuffix(name, "/") || err != nil || fi.IsDir() {
		s.refuse(w, r, http.StatusNotFound, texts.CodeNotFound)
		return
	}
	http.ServeFileFS(w, r, fsys, path.Clean(name))
}
