package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/a-h/templ"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// pageReq is one page request as its handler sees it (apiReq's twin): the
// core's door for the client, the fields of a posted form, and on an
// admin's page the session of the cookie.
type pageReq struct {
	w    http.ResponseWriter
	r    *http.Request
	d    Door
	form url.Values
	sess *recovery.Session
}

// access is who may make a call, a page's or the API's.
type access bool

const (
	public access = false // anyone: the login, the proofs, the reset
	admin  access = true  // a logged-in admin, with a live session
)

// formBody says what a page request's body holds for its handler.
type formBody bool

const (
	// noForm: a GET, a button alone, or a body the handler reads
	// itself (the GUID upload).
	noForm formBody = false
	// withForm: an application/x-www-form-urlencoded form (parseForm).
	withForm formBody = true
)

// pageCall is the one adapter of every page handler: the door for the
// client, then the form for withForm (a body that does not parse gets
// the error page), then for an admin's page the session (without a live
// one the browser goes to the login page), then do, which answers.
func (s *Server) pageCall(who access, body formBody, do func(q *pageReq)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, ok := s.door(w, r, DoorPages)
		if !ok {
			return
		}
		q := &pageReq{w: w, r: r, d: d}
		if body == withForm {
			f, err := form(r)
			if err != nil {
				status, p := bodyProblem(w, r, err)
				s.errorPage(w, r, status, p)
				return
			}
			q.form = f
		}
		if who == admin {
			if q.sess = s.pageSession(q); q.sess == nil {
				return
			}
		}
		do(q)
	}
}

// pageSession is the logged-in admin's session, from the cookie; without
// a live one the browser is sent to the login page (nil).
func (s *Server) pageSession(q *pageReq) *recovery.Session {
	token := cookieValue(q.r, sessionCookie)
	if token != "" {
		if sess, err := q.d.Resume(token); err == nil {
			return sess
		}
		clearCookie(q.w, sessionCookie)
	}
	notice := ""
	if token != "" {
		notice = "?notice=session-ended"
	}
	q.redirect("/login" + notice)
	return nil
}

// field is the posted form's field name ("" without it).
func (q *pageReq) field(name string) string { return q.form.Get(name) }

// redirect sends the browser on to path (a GET) after a POST.
func (q *pageReq) redirect(path string) { redirect(q.w, q.r, path) }

// view starts the view of the page titled title at address here; an
// admin's page shows the logout button.
func (s *Server) view(q *pageReq, title texts.ID, here string) *view {
	v := s.newView(q.w, q.r, q.d, title, here)
	v.LoggedIn = q.sess != nil
	return v
}

// show writes page (named name, of view v) with status, or, when err is
// set, with err's words in v and err's status (fail): the page reads v
// when it is rendered, after that.
func (s *Server) show(q *pageReq, status int, name string, v *view, page templ.Component, err error) {
	if err != nil {
		status = s.fail(q, v, err)
	}
	s.render(q.w, status, name, page)
}

// retyped is the door's own refusal of a form whose two copies of a value
// (a new password, an address) differ, worded by the catalogue's id. The
// core never sees such a form.
type retyped texts.ID

func (e retyped) Error() string { return "the two copies differ: " + string(e) }

// fail sets v.Error to err's words and returns the status to show them
// with: the core's problem's (with Retry-After when it ends by waiting),
// 422 for a value typed twice differently.
func (s *Server) fail(q *pageReq, v *view, err error) int {
	var rt retyped
	if errors.As(err, &rt) {
		v.Error = v.tr.T(texts.ID(rt))
		return http.StatusUnprocessableEntity
	}
	status, p := s.explain(q.r, err)
	retryAfter(q.w, p)
	v.Error = v.tr.Problem(p)
	return status
}

// refuseProblem is refuse with a whole problem.
func (s *Server) refuseProblem(w http.ResponseWriter, r *http.Request, status int, p texts.Problem) {
	if isAPI(r) {
		s.apiProblem(w, r, status, p)
		return
	}
	s.errorPage(w, r, status, p)
}

// passwordData is what the pages with a new password show.
type passwordData struct {
	MinLength, MaxLength int
	Action               string
}

// passwordForm is passwordData for a form posted to action.
func passwordForm(d Door, action string) passwordData {
	p := d.PasswordPolicy()
	return passwordData{p.MinLength, p.MaxLength, action}
}
