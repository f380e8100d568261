package web

import (
	"net/http"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// home sends the browser where the owner stands: the activation, the
// account or the login.
func (s *Server) home(q *pageReq) {
	switch {
	case !q.d.Journey().Activated:
		q.redirect("/activate")
	case cookieValue(q.r, sessionCookie) != "":
		q.redirect("/account")
	default:
		q.redirect("/login")
	}
}

// loginData is the login page's.
type loginData struct{ User string }

// activateData is the activation page's: the new password's form, shown
// when Open (this door may activate), else why not, as the core says it.
type activateData struct {
	passwordData
	Open    bool
	Refused string
}

// loginPage shows the login form, and why a login cannot be tried now if
// the core says so.
func (s *Server) loginPage(q *pageReq) {
	j := q.d.Journey()
	if !j.Activated {
		q.redirect("/activate")
		return
	}
	v := s.view(q, texts.TitleLogin, "/login")
	if j.LoginRefused != nil {
		v.Error = v.tr.Problem(*j.LoginRefused)
	}
	s.render(q.w, http.StatusOK, "login", loginHTML(v, loginData{User: recovery.AdminUser}))
}

func (s *Server) login(q *pageReq) {
	sess, err := q.d.Login(q.field("user"), q.field("password"))
	if err != nil {
		v := s.view(q, texts.TitleLogin, "/login")
		s.show(q, 0, "login", v, loginHTML(v, loginData{User: q.field("user")}), err)
		return
	}
	setCookie(q.w, sessionCookie, sess.Token(), 0)
	clearCookie(q.w, ticketCookie)
	q.redirect("/account")
}

// logout ends the cookie's session, if it is still live, and forgets it.
func (s *Server) logout(q *pageReq) {
	if sess, err := q.d.Resume(cookieValue(q.r, sessionCookie)); err == nil {
		sess.Logout()
	}
	clearCookie(q.w, sessionCookie)
	q.redirect("/login?notice=logged-out")
}

func (s *Server) activatePage(q *pageReq) {
	if q.d.Journey().Activated {
		q.redirect("/")
		return
	}
	s.renderActivate(q, http.StatusOK, nil)
}

// renderActivate shows "Attivazione": the new password's form, or where
// to activate when this door may not.
func (s *Server) renderActivate(q *pageReq, status int, err error) {
	v := s.view(q, texts.TitleActivation, "/activate")
	j := q.d.Journey()
	d := activateData{passwordData: passwordForm(q.d, "/activate"), Open: j.ActivationAllowed}
	if j.ActivationRefused != nil {
		d.Refused = v.tr.Problem(*j.ActivationRefused)
	}
	if d.Open {
		v.script(strengthScript)
	}
	s.show(q, status, "activate", v, activateHTML(v, d), err)
}

func (s *Server) activate(q *pageReq) {
	if q.field("password") != q.field("confirm") {
		s.renderActivate(q, 0, retyped(texts.PasswordMismatch))
		return
	}
	sess, err := q.d.Activate(q.field("password"))
	if err != nil {
		s.renderActivate(q, 0, err)
		return
	}
	setCookie(q.w, sessionCookie, sess.Token(), 0)
	q.redirect("/account?notice=activated")
}
