package web

import (
	"net/http"
	"net/url"
	"strconv"

	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// accountMethod is one line of the account page: the method, its state
// in the journey's words, and the button that sets it up.
type accountMethod struct {
	Label, State  string
	Action, Verb  string // the button's address and what it says it does
	SetUp         bool
	Offered       bool
	ID            string // the button's id
	ActionIsAForm bool   // a POST (the GUID export), not a page
}

// stateClass is the class of the method's state: set up or not.
func (m accountMethod) stateClass() string {
	if m.SetUp {
		return "ready"
	}
	return "not-ready"
}

// accountData is the account page's.
type accountData struct{ Methods []accountMethod }

func (s *Server) accountPage(q *pageReq) { s.renderAccount(q, http.StatusOK, nil) }

// accountView is the account page: each method, set up or not as the
// journey says, with a button that says what it does.
func (s *Server) accountView(q *pageReq) (*view, accountData) {
	v := s.view(q, texts.TitleAccount, "/account")
	var list []accountMethod
	for _, st := range q.d.Journey().Methods {
		am := accountMethod{Label: st.Method.Setting(v.tr), State: st.SetUpWords(v.tr), SetUp: st.SetUp, Offered: st.Offered}
		am.Action, am.Verb, am.ID = accountAction(v, st)
		am.ActionIsAForm = st.Method == recovery.MethodGUID
		list = append(list, am)
	}
	return v, accountData{list}
}

// accountAction is where a method is set up from the account page, the
// words of its button (to set it up, or to replace what is set up) and
// the button's id.
func accountAction(v *view, st journey.Status) (action, verb, id string) {
	replace := st.SetUp || st.Expired
	switch st.Method {
	case recovery.MethodGUID:
		verb = v.tr.T(texts.WebExportGUID)
		if replace {
			verb = v.tr.T(texts.WebExportNewGUID)
		}
		return "/account/guid/export", verb, "guid-export"
	case recovery.MethodQuestions:
		verb = v.tr.T(texts.WebSetUpQuestions)
		if replace {
			verb = v.tr.T(texts.WebChangeQuestions)
		}
		return "/account/questions", verb, "questions-set"
	case recovery.MethodEmail:
		verb = v.tr.T(texts.WebSetUpEmail)
		if replace {
			verb = v.tr.T(texts.WebChangeEmail)
		}
		return "/account/email", verb, "email-set"
	}
	return "/account", string(st.Method), string(st.Method)
}

func (s *Server) renderAccount(q *pageReq, status int, err error) {
	v, d := s.accountView(q)
	s.show(q, status, "account", v, accountHTML(v, d), err)
}

// sessionFail shows a session call's error: a reauthentication asked for
// goes to the password prompt (then back to next), an ended session to
// the login page; with rest, the rest is shown by rest, else on the
// account page.
func (s *Server) sessionFail(q *pageReq, next string, err error, rest func(error)) {
	switch recovery.Explain(err).Code {
	case texts.CodeReauthRequired:
		q.redirect("/account/reauth?next=" + url.QueryEscape(next))
	case texts.CodeSessionEnded:
		clearCookie(q.w, sessionCookie)
		q.redirect("/login?notice=session-ended")
	default:
		if rest != nil {
			rest(err)
			return
		}
		s.renderAccount(q, 0, err)
	}
}

// The GUID export: made, downloaded (the browser's computer is the
// stick), then confirmed once the file is saved.

func (s *Server) guidExport(q *pageReq) {
	if _, err := q.sess.NewGUIDExport(); err != nil {
		s.sessionFail(q, "/account", err, nil)
		return
	}
	q.redirect("/account/guid")
}

func (s *Server) guidPage(q *pageReq) {
	e, ok := q.sess.PendingGUIDExport()
	if !ok {
		q.redirect("/account")
		return
	}
	v := s.view(q, texts.TitleGUIDExport, "/account/guid")
	s.render(q.w, http.StatusOK, "guid", guidHTML(v, guidData{e.FileName}))
}

// guidFile downloads the pending GUID export. It changes nothing; the
// export counts once confirmed.
func (s *Server) guidFile(q *pageReq) {
	e, ok := q.sess.PendingGUIDExport()
	if !ok {
		s.refuse(q.w, q.r, http.StatusNotFound, texts.CodeNotFound)
		return
	}
	sendGUIDFile(q.w, e)
}

func sendGUIDFile(w http.ResponseWriter, e *recovery.GUIDExport) {
	data := e.Data()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="`+e.FileName+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

func (s *Server) guidConfirm(q *pageReq) {
	e, ok := q.sess.PendingGUIDExport()
	if !ok {
		q.redirect("/account")
		return
	}
	if err := q.sess.ConfirmGUIDExport(e); err != nil {
		s.sessionFail(q, "/account", err, nil)
		return
	}
	q.redirect("/account?notice=guid-saved")
}

// The security questions.

// questionChoice is one question of the set-up drop-downs.
type questionChoice struct {
	ID, Text string
	Selected bool
}

// questionSlot is one of the three picks and its drop-down's choices.
type questionSlot struct {
	N       int
	Choices []questionChoice
}

// name is the slot's form field (and id) of kind: "question2", "answer2".
func (sl questionSlot) name(kind string) string { return kind + strconv.Itoa(sl.N) }

// questionsData is the questions page's: the three picks, and whether
// questions are set up (they may be removed).
type questionsData struct {
	Slots []questionSlot
	Set   bool
}

func (s *Server) questionsPage(q *pageReq) { s.renderQuestions(q, [3]string{}, http.StatusOK, nil) }

// renderQuestions shows the three picks, chosen (the form sent), else the
// questions set up, else the catalogue's first three.
func (s *Server) renderQuestions(q *pageReq, chosen [3]string, status int, err error) {
	v := s.view(q, texts.SetQuestions, "/account/questions")
	if chosen == ([3]string{}) {
		for i, id := range q.d.Status().QuestionIDs {
			chosen[i] = string(id)
		}
	}
	var slots []questionSlot
	for i := range 3 {
		sl := questionSlot{N: i + 1}
		for j, id := range journey.QuestionIDs {
			sel := id == chosen[i] || (chosen[i] == "" && j == i)
			sl.Choices = append(sl.Choices, questionChoice{ID: id, Text: v.tr.Question(id), Selected: sel})
		}
		slots = append(slots, sl)
	}
	d := questionsData{slots, q.d.Journey().Method(recovery.MethodQuestions).SetUp}
	v.script(answersScript)
	s.show(q, status, "questions", v, questionsHTML(v, d), err)
}

func (s *Server) setQuestions(q *pageReq) {
	var qa [3]recovery.QuestionAnswer
	var chosen [3]string
	for i := range qa {
		n := strconv.Itoa(i + 1)
		chosen[i] = q.field("question" + n)
		qa[i] = recovery.QuestionAnswer{ID: recovery.QuestionID(chosen[i]), Answer: q.field("answer" + n)}
	}
	if err := q.sess.SetSecurityQuestions(qa); err != nil {
		s.sessionFail(q, "/account/questions", err, func(err error) { s.renderQuestions(q, chosen, 0, err) })
		return
	}
	q.redirect("/account?notice=questions-saved")
}

func (s *Server) clearQuestions(q *pageReq) {
	if err := q.sess.ClearSecurityQuestions(); err != nil {
		s.sessionFail(q, "/account/questions", err, nil)
		return
	}
	q.redirect("/account?notice=questions-cleared")
}

// The reserved e-mail.

func (s *Server) emailPage(q *pageReq) { s.renderEmail(q, "", http.StatusOK, nil) }

// renderEmail shows the address form, with typed in it.
func (s *Server) renderEmail(q *pageReq, typed string, status int, err error) {
	v := s.view(q, texts.SetEmail, "/account/email")
	email := q.d.Journey().Method(recovery.MethodEmail)
	d := emailData{email.MaskedEmail, typed, email.SetUp}
	s.show(q, status, "email", v, emailHTML(v, d), err)
}

// setEmail saves the reserved address and answers with the account page
// itself, which shows the address in full this once (texts.EmailSaved):
// from then on every page shows it masked. The page is the POST's own
// answer, not a redirect, so that the address never goes into a URL and
// the door keeps nothing between requests; reloading it would send the
// form again, which sets the same address.
func (s *Server) setEmail(q *pageReq) {
	addr := q.field("email")
	if addr != q.field("confirm") {
		s.renderEmail(q, addr, 0, retyped(texts.WebEmailMismatch))
		return
	}
	if err := q.sess.SetRecoveryEmail(addr); err != nil {
		s.sessionFail(q, "/account/email", err, func(err error) { s.renderEmail(q, addr, 0, err) })
		return
	}
	v, d := s.accountView(q)
	v.Notice = v.tr.F(texts.EmailSaved, addr)
	s.render(q.w, http.StatusOK, "account", accountHTML(v, d))
}

func (s *Server) clearEmail(q *pageReq) {
	if err := q.sess.ClearRecoveryEmail(); err != nil {
		s.sessionFail(q, "/account/email", err, nil)
		return
	}
	q.redirect("/account?notice=email-cleared")
}

// The password, and typing it again before a recovery method changes.

func (s *Server) passwordPage(q *pageReq) { s.renderPassword(q, http.StatusOK, nil) }

func (s *Server) renderPassword(q *pageReq, status int, err error) {
	v := s.view(q, texts.ChangePassword, "/account/password")
	v.script(strengthScript)
	s.show(q, status, "password", v, passwordHTML(v, passwordForm(q.d, "/account/password")), err)
}

func (s *Server) changePassword(q *pageReq) {
	if q.field("password") != q.field("confirm") {
		s.renderPassword(q, 0, retyped(texts.PasswordMismatch))
		return
	}
	if err := q.sess.ChangePassword(q.field("current"), q.field("password")); err != nil {
		if recovery.Explain(err).Code == texts.CodeSessionEnded {
			s.sessionFail(q, "/account/password", err, nil)
			return
		}
		s.renderPassword(q, 0, err)
		return
	}
	// Every session ended; this one carries on under a new token.
	setCookie(q.w, sessionCookie, q.sess.Token(), 0)
	q.redirect("/account?notice=password-changed")
}

// reauthNext are the pages a reauthentication may go back to.
var reauthNext = map[string]bool{"/account": true, "/account/questions": true, "/account/email": true}

func (s *Server) reauthPage(q *pageReq) {
	s.renderReauth(q, q.r.URL.Query().Get("next"), http.StatusOK, nil)
}

func (s *Server) renderReauth(q *pageReq, next string, status int, err error) {
	if !reauthNext[next] {
		next = "/account"
	}
	v := s.view(q, texts.TitleAccount, "/account/reauth?next="+url.QueryEscape(next))
	s.show(q, status, "reauth", v, reauthHTML(v, reauthData{next}), err)
}

func (s *Server) reauth(q *pageReq) {
	next := q.field("next")
	if !reauthNext[next] {
		next = "/account"
	}
	if err := q.sess.Reauthenticate(q.field("password")); err != nil {
		if recovery.Explain(err).Code == texts.CodeSessionEnded {
			s.sessionFail(q, next, err, nil)
			return
		}
		s.renderReauth(q, next, 0, err)
		return
	}
	q.redirect(next + "?notice=reauth-done")
}

// guidData is the GUID export page's: the file's name.
type guidData struct{ FileName string }

// emailData is the reserved e-mail page's: the address set up (masked),
// the one typed in the form, and whether one is set up.
type emailData struct {
	Current, Typed string
	Set            bool
}

// reauthData is the reauthentication page's: where it goes back to.
type reauthData struct{ Next string }
