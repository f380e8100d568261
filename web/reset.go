package web

import (
	"net/http"
	"strings"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// ticket is the reset ticket of the ticket cookie, or nil with the error
// page shown (and a way to start the verification again).
func (s *Server) ticket(q *pageReq) *recovery.ResetTicket {
	t, err := q.d.Ticket(cookieValue(q.r, ticketCookie))
	if err != nil {
		clearCookie(q.w, ticketCookie)
		v := s.view(q, texts.WebForgotPassword, "/forgot")
		s.show(q, 0, "error", v, errorHTML(v, true), err)
		return nil
	}
	return t
}

func (s *Server) resetPage(q *pageReq) {
	if s.ticket(q) == nil {
		return
	}
	s.renderReset(q, http.StatusOK, nil)
}

// renderReset shows the new password's form.
func (s *Server) renderReset(q *pageReq, status int, err error) {
	v := s.view(q, texts.TitleNewPassword, "/reset")
	v.script(strengthScript)
	s.show(q, status, "reset", v, resetHTML(v, passwordForm(q.d, "/reset")), err)
}

func (s *Server) reset(q *pageReq) {
	t := s.ticket(q)
	if t == nil {
		return
	}
	if q.field("password") != q.field("confirm") {
		s.renderReset(q, 0, retyped(texts.PasswordMismatch))
		return
	}
	sess, err := t.SetPassword(q.field("password"))
	if err != nil {
		s.renderReset(q, 0, err)
		return
	}
	clearCookie(q.w, ticketCookie)
	setCookie(q.w, sessionCookie, sess.Token(), 0)
	q.redirect("/done")
}

// donePage is "Password ripristinata": what the reset changed, as the
// core says it (Session.AfterReset), and the fresh GUID file it offers.
func (s *Server) donePage(q *pageReq) {
	sess, err := q.d.Resume(cookieValue(q.r, sessionCookie))
	if err == nil {
		q.sess = sess
	}
	v := s.view(q, texts.TitleResetDone, "/done")
	said, offer := []string{v.tr.T(texts.ResetDone)}, false
	if q.sess != nil {
		if after, ok := q.sess.AfterReset(); ok {
			said, offer = strings.Split(after.Words(v.tr), "\n\n"), after.OfferGUIDExport
		}
	}
	s.render(q.w, http.StatusOK, "done", doneHTML(v, doneData{said, offer}))
}

// doneData is "Password ripristinata"'s: what the reset changed, one
// paragraph each, and whether a fresh GUID file is offered.
type doneData struct {
	Said      []string
	OfferGUID bool
}
