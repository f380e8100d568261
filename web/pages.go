package web

import (
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"nvrmenu/internal/payload"
	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// methods dispatches by HTTP method; any other is 405 with the door's own
// page or JSON (ServeMux's own 405 is plain text).
type methods map[string]http.HandlerFunc

func (s *Server) handle(mux *http.ServeMux, pattern string, m methods) {
	s.routes = append(s.routes, route{pattern: pattern, methods: slices.Sorted(maps.Keys(m))})
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		h, ok := m[r.Method]
		if !ok && r.Method == http.MethodHead {
			h, ok = m[http.MethodGet]
		}
		if !ok {
			allow := ""
			for k := range m {
				if allow != "" {
					allow += ", "
				}
				allow += k
			}
			w.Header().Set("Allow", allow)
			s.refuse(w, r, http.StatusMethodNotAllowed, texts.CodeMethodNotAllowed)
			return
		}
		h(w, r)
	})
}

func (s *Server) routePages(mux *http.ServeMux) {
	s.handle(mux, "/{$}", methods{"GET": s.home})
	s.handle(mux, "/login", methods{"GET": s.loginPage, "POST": s.login})
	s.handle(mux, "/logout", methods{"POST": s.logout})
	s.handle(mux, "/activate", methods{"GET": s.activatePage, "POST": s.activate})
	s.handle(mux, "/forgot", methods{"GET": s.forgotPage})
	s.handle(mux, "/forgot/guid", methods{"POST": s.forgotGUID})
	s.handle(mux, "/forgot/questions", methods{"POST": s.forgotQuestions})
	s.handle(mux, "/forgot/email", methods{"POST": s.forgotEmail})
	s.handle(mux, "/forgot/email/show", methods{"POST": s.forgotEmailShow})
	s.handle(mux, "/forgot/email/new", methods{"POST": s.forgotEmailNew})
	s.handle(mux, "/forgot/email/export", methods{"POST": s.forgotEmailExport})
	s.handle(mux, "/forgot/email/qr.png", methods{"GET": s.forgotEmailQR})
	s.handle(mux, "/reset", methods{"GET": s.resetPage, "POST": s.reset})
	s.handle(mux, "/done", methods{"GET": s.donePage})
	s.handle(mux, "/account", methods{"GET": s.accountPage})
	s.handle(mux, "/account/guid", methods{"GET": s.guidPage})
	s.handle(mux, "/account/guid/export", methods{"POST": s.guidExport})
	s.handle(mux, "/account/guid/file", methods{"GET": s.guidFile})
	s.handle(mux, "/account/guid/confirm", methods{"POST": s.guidConfirm})
	s.handle(mux, "/account/questions", methods{"GET": s.questionsPage, "POST": s.setQuestions})
	s.handle(mux, "/account/questions/clear", methods{"POST": s.clearQuestions})
	s.handle(mux, "/account/email", methods{"GET": s.emailPage, "POST": s.setEmail})
	s.handle(mux, "/account/email/clear", methods{"POST": s.clearEmail})
	s.handle(mux, "/account/password", methods{"GET": s.passwordPage, "POST": s.changePassword})
	s.handle(mux, "/account/reauth", methods{"GET": s.reauthPage, "POST": s.reauth})
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

// pageDoor is the core's door for a page request.
func (s *Server) pageDoor(w http.ResponseWriter, r *http.Request) (Door, bool) {
	return s.door(w, r, DoorPages)
}

// pageSession is the logged-in admin's session, from the cookie; without
// a live one the browser is sent to the login page (nil).
func (s *Server) pageSession(w http.ResponseWriter, r *http.Request, d Door) *recovery.Session {
	token := cookieValue(r, sessionCookie)
	if token != "" {
		if sess, err := d.Resume(token); err == nil {
			return sess
		}
		clearCookie(w, sessionCookie)
	}
	notice := ""
	if token != "" {
		notice = "?notice=session-ended"
	}
	redirect(w, r, "/login"+notice)
	return nil
}

// pagePost is a form posted to a page: its door and its fields, or false
// once the answer is written (no door, a body refused).
func (s *Server) pagePost(w http.ResponseWriter, r *http.Request) (Door, url.Values, bool) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return nil, nil, false
	}
	f, err := form(r)
	if err != nil {
		s.bodyRefused(w, r, err)
		return nil, nil, false
	}
	return d, f, true
}

// adminPost is pagePost from a logged-in admin, with the session; without
// one the browser is sent to the login page.
func (s *Server) adminPost(w http.ResponseWriter, r *http.Request) (Door, url.Values, *recovery.Session, bool) {
	d, f, ok := s.pagePost(w, r)
	if !ok {
		return nil, nil, nil, false
	}
	sess := s.pageSession(w, r, d)
	return d, f, sess, sess != nil
}

// fail shows the core's err on page name, rendered by show with v.Error
// set, at the problem's status.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, v *view, err error) int {
	status, p := s.explain(r, err)
	retryAfter(w, p)
	v.Error = v.tr.Problem(p)
	return status
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	switch {
	case !d.Status().Activated:
		redirect(w, r, "/activate")
	case cookieValue(r, sessionCookie) != "":
		redirect(w, r, "/account")
	default:
		redirect(w, r, "/login")
	}
}

// loginData is the login page's.
type loginData struct{ User string }

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	j := d.Journey()
	if !j.Activated {
		redirect(w, r, "/activate")
		return
	}
	v := s.newView(w, r, d, texts.TitleLogin, "/login")
	v.Data = loginData{User: recovery.AdminUser}
	if j.LoginRefused != nil {
		v.Error = v.tr.Problem(*j.LoginRefused)
	}
	s.render(w, http.StatusOK, "login", v)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	d, f, ok := s.pagePost(w, r)
	if !ok {
		return
	}
	v := s.newView(w, r, d, texts.TitleLogin, "/login")
	v.Data = loginData{User: f.Get("user")}
	sess, err := d.Login(f.Get("user"), f.Get("password"))
	if err != nil {
		s.render(w, s.fail(w, r, v, err), "login", v)
		return
	}
	setCookie(w, sessionCookie, sess.Token(), 0)
	clearCookie(w, ticketCookie)
	redirect(w, r, "/account")
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	if sess, err := d.Resume(cookieValue(r, sessionCookie)); err == nil {
		sess.Logout()
	}
	clearCookie(w, sessionCookie)
	redirect(w, r, "/login?notice=logged-out")
}

// passwordData is what the pages with a new password show.
type passwordData struct {
	MinLength, MaxLength int
	Action               string
}

func (s *Server) activatePage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	if d.Status().Activated {
		redirect(w, r, "/")
		return
	}
	s.renderActivate(w, r, d, http.StatusOK, nil)
}

func (s *Server) renderActivate(w http.ResponseWriter, r *http.Request, d Door, status int, err error) {
	v := s.newView(w, r, d, texts.TitleActivation, "/activate")
	p := d.PasswordPolicy()
	v.Data = struct {
		passwordData
		Open bool
	}{passwordData{p.MinLength, p.MaxLength, "/activate"}, d.ActivationAllowed()}
	v.Script = d.ActivationAllowed()
	if err != nil {
		status = s.fail(w, r, v, err)
	}
	s.render(w, status, "activate", v)
}

func (s *Server) activate(w http.ResponseWriter, r *http.Request) {
	d, f, ok := s.pagePost(w, r)
	if !ok {
		return
	}
	if f.Get("password") != f.Get("confirm") {
		s.renderMismatch(w, r, d, "activate")
		return
	}
	sess, err := d.Activate(f.Get("password"))
	if err != nil {
		s.renderActivate(w, r, d, 0, err)
		return
	}
	setCookie(w, sessionCookie, sess.Token(), 0)
	redirect(w, r, "/account?notice=activated")
}

// renderMismatch shows a password form again with "the two passwords
// differ".
func (s *Server) renderMismatch(w http.ResponseWriter, r *http.Request, d Door, page string) {
	switch page {
	case "activate":
		v := s.newView(w, r, d, texts.TitleActivation, "/activate")
		p := d.PasswordPolicy()
		v.Data = struct {
			passwordData
			Open bool
		}{passwordData{p.MinLength, p.MaxLength, "/activate"}, d.ActivationAllowed()}
		v.Script = true
		v.Error = v.tr.T(texts.PasswordMismatch)
		s.render(w, http.StatusUnprocessableEntity, "activate", v)
	case "reset":
		v := s.newView(w, r, d, texts.TitleNewPassword, "/reset")
		p := d.PasswordPolicy()
		v.Data = passwordData{p.MinLength, p.MaxLength, "/reset"}
		v.Script = true
		v.Error = v.tr.T(texts.PasswordMismatch)
		s.render(w, http.StatusUnprocessableEntity, "reset", v)
	}
}

// bodyRefused answers a page request whose body did not parse.
func (s *Server) bodyRefused(w http.ResponseWriter, r *http.Request, err error) {
	status, p := bodyProblem(w, r, err)
	s.errorPage(w, r, status, p)
}

// forgotMethod is one entry of the "Modalità di verifica" drop-down.
type forgotMethod struct {
	Value, Label, Reason string
	Usable, Selected     bool
}

// forgotData is the forgot-password page's.
type forgotData struct {
	Methods   []forgotMethod
	Mode      string
	Questions []string // the three questions, for mode questions
	// Email mode:
	MaskedEmail     string
	Pending, ShowQR bool
	RecoveryAddress string
	TriesLeft       int
	QRSrc           string
	QRURL           string // the QR code's URL, a link on a phone; "" without one
}

func (s *Server) forgotPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	s.renderForgot(w, r, d, q.Get("mode"), q.Get("qr") == "1", http.StatusOK, nil)
}

// renderForgot shows "Password dimenticata" with mode's part open (none
// when mode is not a usable one), err's words if any.
func (s *Server) renderForgot(w http.ResponseWriter, r *http.Request, d Door, mode string, showQR bool, status int, err error) {
	j := d.Journey()
	if !j.Activated {
		redirect(w, r, "/activate")
		return
	}
	here := "/forgot"
	data := forgotData{}
	var open journey.Status
	for _, st := range j.Methods {
		if st.Usable && mode == string(st.Method) {
			open, data.Mode = st, mode
			here += "?mode=" + mode
		}
	}
	v := s.newView(w, r, d, texts.WebForgotPassword, here)
	for _, st := range j.Methods {
		fm := forgotMethod{Value: string(st.Method), Label: st.Method.Label(v.tr), Usable: st.Usable, Selected: st.Method == open.Method}
		if !st.Usable {
			fm.Reason = st.Words(v.tr)
		}
		data.Methods = append(data.Methods, fm)
	}
	switch open.Method {
	case recovery.MethodQuestions:
		ids, qerr := d.SecurityQuestions()
		if qerr != nil && err == nil {
			err = qerr
		}
		for _, id := range ids {
			if id != "" {
				data.Questions = append(data.Questions, v.tr.Question(string(id)))
			}
		}
	case recovery.MethodEmail:
		data.MaskedEmail = open.MaskedEmail
		data.Pending = open.ChallengePending
		if open.ChallengePending {
			if ch, pending, cerr := d.PendingEmailChallenge(); cerr == nil && pending {
				data.RecoveryAddress = ch.RecoveryAddress
				data.TriesLeft = ch.TriesLeft
				data.ShowQR = showQR
				data.QRSrc = "/forgot/email/qr.png?c=" + strconv.FormatInt(ch.Created.UnixNano(), 36)
				data.QRURL = ch.URL
			}
		}
		if data.ShowQR {
			v.Here += "&qr=1"
		}
	}
	v.Data = data
	if err != nil {
		status = s.fail(w, r, v, err)
	}
	s.render(w, status, "forgot", v)
}

// proofPassed keeps the ticket in its cookie and goes on to the new
// password.
func (s *Server) proofPassed(w http.ResponseWriter, r *http.Request, t *recovery.ResetTicket) {
	setCookie(w, ticketCookie, t.Token(), 0)
	redirect(w, r, "/reset")
}

func (s *Server) forgotGUID(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	data, err := parseGUIDUpload(r.Header.Get("Content-Type"), r.Body, "guid")
	if err != nil {
		status, p := bodyProblem(w, r, err)
		if status == http.StatusRequestEntityTooLarge {
			s.errorPage(w, r, status, p)
			return
		}
		s.renderForgot(w, r, d, "guid", false, 0, recovery.ErrGUIDMalformed)
		return
	}
	t, err := d.VerifyGUIDFile(data)
	if err != nil {
		s.renderForgot(w, r, d, "guid", false, 0, err)
		return
	}
	s.proofPassed(w, r, t)
}

func (s *Server) forgotQuestions(w http.ResponseWriter, r *http.Request) {
	d, f, ok := s.pagePost(w, r)
	if !ok {
		return
	}
	t, err := d.VerifyAnswers([3]string{f.Get("answer1"), f.Get("answer2"), f.Get("answer3")})
	if err != nil {
		s.renderForgot(w, r, d, "questions", false, 0, err)
		return
	}
	s.proofPassed(w, r, t)
}

func (s *Server) forgotEmail(w http.ResponseWriter, r *http.Request) {
	d, f, ok := s.pagePost(w, r)
	if !ok {
		return
	}
	t, err := d.VerifyEmailCode(f.Get("code"))
	if err != nil {
		s.renderForgot(w, r, d, "email", f.Get("qr") == "1", 0, err)
		return
	}
	s.proofPassed(w, r, t)
}

// forgotEmailShow makes sure the network's challenge is pending, then
// shows its QR code on the page.
func (s *Server) forgotEmailShow(w http.ResponseWriter, r *http.Request) {
	s.emailChallenge(w, r, false, "/forgot?mode=email&qr=1")
}

func (s *Server) forgotEmailNew(w http.ResponseWriter, r *http.Request) {
	s.emailChallenge(w, r, true, "/forgot?mode=email&qr=1")
}

func (s *Server) emailChallenge(w http.ResponseWriter, r *http.Request, renew bool, next string) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	var err error
	if renew {
		_, err = d.NewEmailChallenge()
	} else {
		_, err = d.EmailChallenge()
	}
	if err != nil {
		s.renderForgot(w, r, d, "email", false, 0, err)
		return
	}
	redirect(w, r, next)
}

// forgotEmailExport is "Esporta il codice QR": the pending challenge's
// QR code as a PNG download (the challenge is made first if none is
// pending).
func (s *Server) forgotEmailExport(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	ch, err := d.EmailChallenge()
	if err != nil {
		s.renderForgot(w, r, d, "email", false, 0, err)
		return
	}
	s.qrPNG(w, r, d, ch, true)
}

// forgotEmailQR is the QR code shown on the page: only a pending
// challenge's, never a new one (a GET changes nothing).
func (s *Server) forgotEmailQR(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	s.pendingQR(w, r, d)
}

// pendingQR answers with the pending challenge's QR code, 404 without one.
func (s *Server) pendingQR(w http.ResponseWriter, r *http.Request, d Door) {
	ch, pending, err := d.PendingEmailChallenge()
	if err != nil {
		status, p := s.explain(r, err)
		s.refuseProblem(w, r, status, p)
		return
	}
	if !pending {
		s.refuse(w, r, http.StatusNotFound, texts.CodeNoChallenge)
		return
	}
	s.qrPNG(w, r, d, ch, false)
}

// refuseProblem is refuse with a whole problem.
func (s *Server) refuseProblem(w http.ResponseWriter, r *http.Request, status int, p texts.Problem) {
	if isAPI(r) {
		s.apiProblem(w, r, status, p)
		return
	}
	s.errorPage(w, r, status, p)
}

// qrPNGSize is the QR code image's side in pixels: a phone scans it off a
// laptop screen, and it still fits a 320-pixel-wide page scaled down.
const qrPNGSize = 480

func (s *Server) qrPNG(w http.ResponseWriter, r *http.Request, d Door, ch recovery.Challenge, download bool) {
	png, err := payload.QRPNG(ch.Payload, qrPNGSize)
	if err != nil {
		status, p := s.explain(r, err)
		s.refuseProblem(w, r, status, p)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	if download {
		w.Header().Set("Content-Disposition", `attachment; filename="`+qrFileName(d.Serial(), ch.Created)+`"`)
	}
	w.Write(png)
}

// qrFileName names an exported QR code as the console does.
func qrFileName(serial string, created time.Time) string {
	return "QR-" + serial + "-" + created.UTC().Format("20060102-150405") + ".png"
}

// ticket is the reset ticket of the ticket cookie, or nil with the error
// page shown.
func (s *Server) ticket(w http.ResponseWriter, r *http.Request, d Door) *recovery.ResetTicket {
	t, err := d.Ticket(cookieValue(r, ticketCookie))
	if err != nil {
		clearCookie(w, ticketCookie)
		v := s.newView(w, r, d, texts.WebForgotPassword, "/forgot")
		status := s.fail(w, r, v, err)
		v.Title = v.tr.T(texts.WebForgotPassword)
		v.Data = struct{ Again bool }{true}
		s.render(w, status, "error", v)
		return nil
	}
	return t
}

func (s *Server) resetPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	if s.ticket(w, r, d) == nil {
		return
	}
	v := s.newView(w, r, d, texts.TitleNewPassword, "/reset")
	p := d.PasswordPolicy()
	v.Data = passwordData{p.MinLength, p.MaxLength, "/reset"}
	v.Script = true
	s.render(w, http.StatusOK, "reset", v)
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	d, f, ok := s.pagePost(w, r)
	if !ok {
		return
	}
	t := s.ticket(w, r, d)
	if t == nil {
		return
	}
	if f.Get("password") != f.Get("confirm") {
		s.renderMismatch(w, r, d, "reset")
		return
	}
	sess, err := t.SetPassword(f.Get("password"))
	if err != nil {
		v := s.newView(w, r, d, texts.TitleNewPassword, "/reset")
		p := d.PasswordPolicy()
		v.Data = passwordData{p.MinLength, p.MaxLength, "/reset"}
		v.Script = true
		s.render(w, s.fail(w, r, v, err), "reset", v)
		return
	}
	clearCookie(w, ticketCookie)
	setCookie(w, sessionCookie, sess.Token(), 0)
	redirect(w, r, "/done")
}

// donePage says what the reset changed, as the core says it, and offers a
// fresh GUID file when the old one expired.
func (s *Server) donePage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	v := s.newView(w, r, d, texts.TitleResetDone, "/done")
	said, offer := []string{v.tr.T(texts.ResetDone)}, false
	if sess, err := d.Resume(cookieValue(r, sessionCookie)); err == nil {
		v.LoggedIn = true
		if after, ok := sess.AfterReset(); ok {
			said, offer = strings.Split(after.Words(v.tr), "\n\n"), after.OfferGUIDExport
		}
	}
	v.Data = struct {
		Said      []string
		OfferGUID bool
	}{said, offer}
	s.render(w, http.StatusOK, "done", v)
}

// accountMethod is one line of the account page.
type accountMethod struct {
	Label, State, Action, Button string
	Ready, Usable                bool
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	if s.pageSession(w, r, d) == nil {
		return
	}
	s.renderAccount(w, r, d, http.StatusOK, nil)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, d Door, status int, err error) {
	v := s.newView(w, r, d, texts.TitleAccount, "/account")
	v.LoggedIn = true
	var list []accountMethod
	for _, st := range d.Journey().Methods {
		am := accountMethod{Label: st.Method.Setting(v.tr), State: st.SetUpWords(v.tr), Ready: st.SetUp, Usable: st.Offered, Button: st.Method.Setting(v.tr)}
		switch st.Method {
		case recovery.MethodGUID:
			am.Action = "/account/guid/export"
		case recovery.MethodQuestions:
			am.Action = "/account/questions"
		case recovery.MethodEmail:
			am.Action = "/account/email"
		}
		list = append(list, am)
	}
	v.Data = struct{ Methods []accountMethod }{list}
	if err != nil {
		status = s.fail(w, r, v, err)
	}
	s.render(w, status, "account", v)
}

// sessionFail shows a session call's error: a reauthentication asked for
// goes to the password prompt, an ended session to the login page, the
// rest on the account page.
func (s *Server) sessionFail(w http.ResponseWriter, r *http.Request, d Door, next string, err error) {
	p := recovery.Explain(err)
	switch p.Code {
	case texts.CodeReauthRequired:
		redirect(w, r, "/account/reauth?next="+url.QueryEscape(next))
	case texts.CodeSessionEnded:
		clearCookie(w, sessionCookie)
		redirect(w, r, "/login?notice=session-ended")
	default:
		s.renderAccount(w, r, d, 0, err)
	}
}

func (s *Server) guidExport(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	sess := s.pageSession(w, r, d)
	if sess == nil {
		return
	}
	if _, err := sess.NewGUIDExport(); err != nil {
		s.sessionFail(w, r, d, "/account", err)
		return
	}
	redirect(w, r, "/account/guid")
}

func (s *Server) guidPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	sess := s.pageSession(w, r, d)
	if sess == nil {
		return
	}
	e, ok := sess.PendingGUIDExport()
	if !ok {
		redirect(w, r, "/account")
		return
	}
	v := s.newView(w, r, d, texts.TitleGUIDExport, "/account/guid")
	v.LoggedIn = true
	v.Data = struct{ FileName string }{e.FileName}
	s.render(w, http.StatusOK, "guid", v)
}

// guidFile downloads the pending GUID export: the browser's computer is
// the stick. It changes nothing; the export counts once confirmed.
func (s *Server) guidFile(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	sess := s.pageSession(w, r, d)
	if sess == nil {
		return
	}
	e, ok := sess.PendingGUIDExport()
	if !ok {
		s.refuse(w, r, http.StatusNotFound, texts.CodeNotFound)
		return
	}
	sendGUIDFile(w, e)
}

func sendGUIDFile(w http.ResponseWriter, e *recovery.GUIDExport) {
	data := e.Data()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="`+e.FileName+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

func (s *Server) guidConfirm(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	sess := s.pageSession(w, r, d)
	if sess == nil {
		return
	}
	e, ok := sess.PendingGUIDExport()
	if !ok {
		redirect(w, r, "/account")
		return
	}
	if err := sess.ConfirmGUIDExport(e); err != nil {
		s.sessionFail(w, r, d, "/account", err)
		return
	}
	redirect(w, r, "/account?notice=guid-saved")
}

// questionChoice is one question of the set-up drop-downs.
type questionChoice struct {
	ID, Text string
	Selected bool
}

func (s *Server) questionsPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	if s.pageSession(w, r, d) == nil {
		return
	}
	s.renderQuestions(w, r, d, [3]string{}, http.StatusOK, nil)
}

func (s *Server) renderQuestions(w http.ResponseWriter, r *http.Request, d Door, chosen [3]string, status int, err error) {
	v := s.newView(w, r, d, texts.SetQuestions, "/account/questions")
	v.LoggedIn = true
	st := d.Status()
	if chosen == ([3]string{}) {
		for i, id := range st.QuestionIDs {
			chosen[i] = string(id)
		}
	}
	catalogue := recovery.QuestionCatalogue()
	type slot struct {
		N       int
		Choices []questionChoice
	}
	var slots []slot
	for i := range 3 {
		sl := slot{N: i + 1}
		for j, id := range catalogue {
			sel := string(id) == chosen[i] || (chosen[i] == "" && j == i)
			sl.Choices = append(sl.Choices, questionChoice{ID: string(id), Text: v.tr.Question(string(id)), Selected: sel})
		}
		slots = append(slots, sl)
	}
	v.Data = struct {
		Slots []slot
		Set   bool
	}{slots, d.Journey().Method(recovery.MethodQuestions).SetUp}
	if err != nil {
		status = s.fail(w, r, v, err)
	}
	s.render(w, status, "questions", v)
}

func (s *Server) setQuestions(w http.ResponseWriter, r *http.Request) {
	d, f, sess, ok := s.adminPost(w, r)
	if !ok {
		return
	}
	var qa [3]recovery.QuestionAnswer
	var chosen [3]string
	for i := range qa {
		n := strconv.Itoa(i + 1)
		chosen[i] = f.Get("question" + n)
		qa[i] = recovery.QuestionAnswer{ID: recovery.QuestionID(chosen[i]), Answer: f.Get("answer" + n)}
	}
	if err := sess.SetSecurityQuestions(qa); err != nil {
		switch recovery.Explain(err).Code {
		case texts.CodeReauthRequired, texts.CodeSessionEnded:
			s.sessionFail(w, r, d, "/account/questions", err)
		default:
			s.renderQuestions(w, r, d, chosen, 0, err)
		}
		return
	}
	redirect(w, r, "/account?notice=questions-saved")
}

func (s *Server) clearQuestions(w http.ResponseWriter, r *http.Request) {
	s.sessionAction(w, r, "/account/questions", "questions-cleared", func(sess *recovery.Session) error {
		return sess.ClearSecurityQuestions()
	})
}

func (s *Server) clearEmail(w http.ResponseWriter, r *http.Request) {
	s.sessionAction(w, r, "/account/email", "email-cleared", func(sess *recovery.Session) error {
		return sess.ClearRecoveryEmail()
	})
}

// sessionAction runs a body-less account change and goes back to the
// account page with notice.
func (s *Server) sessionAction(w http.ResponseWriter, r *http.Request, from, notice string, do func(*recovery.Session) error) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	sess := s.pageSession(w, r, d)
	if sess == nil {
		return
	}
	if err := do(sess); err != nil {
		s.sessionFail(w, r, d, from, err)
		return
	}
	redirect(w, r, "/account?notice="+notice)
}

func (s *Server) emailPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	if s.pageSession(w, r, d) == nil {
		return
	}
	s.renderEmail(w, r, d, "", http.StatusOK, nil)
}

func (s *Server) renderEmail(w http.ResponseWriter, r *http.Request, d Door, typed string, status int, err error) {
	v := s.newView(w, r, d, texts.SetEmail, "/account/email")
	v.LoggedIn = true
	email := d.Journey().Method(recovery.MethodEmail)
	v.Data = struct {
		Current, Typed string
		Set            bool
	}{email.MaskedEmail, typed, email.SetUp}
	if err != nil {
		status = s.fail(w, r, v, err)
	}
	s.render(w, status, "email", v)
}

func (s *Server) setEmail(w http.ResponseWriter, r *http.Request) {
	d, f, sess, ok := s.adminPost(w, r)
	if !ok {
		return
	}
	addr := f.Get("email")
	if addr != f.Get("confirm") {
		v := s.newView(w, r, d, texts.SetEmail, "/account/email")
		v.LoggedIn = true
		email := d.Journey().Method(recovery.MethodEmail)
		v.Data = struct {
			Current, Typed string
			Set            bool
		}{email.MaskedEmail, addr, email.SetUp}
		v.Error = v.tr.T(texts.WebEmailMismatch)
		s.render(w, http.StatusUnprocessableEntity, "email", v)
		return
	}
	if err := sess.SetRecoveryEmail(addr); err != nil {
		switch recovery.Explain(err).Code {
		case texts.CodeReauthRequired, texts.CodeSessionEnded:
			s.sessionFail(w, r, d, "/account/email", err)
		default:
			s.renderEmail(w, r, d, addr, 0, err)
		}
		return
	}
	redirect(w, r, "/account?notice=email-saved")
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	if s.pageSession(w, r, d) == nil {
		return
	}
	s.renderPassword(w, r, d, http.StatusOK, nil, "")
}

func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, d Door, status int, err error, msg string) {
	v := s.newView(w, r, d, texts.ChangePassword, "/account/password")
	v.LoggedIn = true
	v.Script = true
	p := d.PasswordPolicy()
	v.Data = passwordData{p.MinLength, p.MaxLength, "/account/password"}
	v.Error = msg
	if err != nil {
		status = s.fail(w, r, v, err)
	}
	s.render(w, status, "password", v)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	d, f, sess, ok := s.adminPost(w, r)
	if !ok {
		return
	}
	if f.Get("password") != f.Get("confirm") {
		tr := s.language(w, r)
		s.renderPassword(w, r, d, http.StatusUnprocessableEntity, nil, tr.T(texts.PasswordMismatch))
		return
	}
	if err := sess.ChangePassword(f.Get("current"), f.Get("password")); err != nil {
		if recovery.Explain(err).Code == texts.CodeSessionEnded {
			s.sessionFail(w, r, d, "/account/password", err)
			return
		}
		s.renderPassword(w, r, d, 0, err, "")
		return
	}
	// Every session ended; this one carries on under a new token.
	setCookie(w, sessionCookie, sess.Token(), 0)
	redirect(w, r, "/account?notice=password-changed")
}

// reauthNext are the pages a reauthentication may go back to.
var reauthNext = map[string]bool{"/account": true, "/account/questions": true, "/account/email": true}

func (s *Server) reauthPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.pageDoor(w, r)
	if !ok {
		return
	}
	if s.pageSession(w, r, d) == nil {
		return
	}
	s.renderReauth(w, r, d, r.URL.Query().Get("next"), http.StatusOK, nil)
}

func (s *Server) renderReauth(w http.ResponseWriter, r *http.Request, d Door, next string, status int, err error) {
	if !reauthNext[next] {
		next = "/account"
	}
	v := s.newView(w, r, d, texts.TitleAccount, "/account/reauth?next="+url.QueryEscape(next))
	v.LoggedIn = true
	v.Data = struct{ Next string }{next}
	if err != nil {
		status = s.fail(w, r, v, err)
	}
	s.render(w, status, "reauth", v)
}

func (s *Server) reauth(w http.ResponseWriter, r *http.Request) {
	d, f, sess, ok := s.adminPost(w, r)
	if !ok {
		return
	}
	next := f.Get("next")
	if !reauthNext[next] {
		next = "/account"
	}
	if err := sess.Reauthenticate(f.Get("password")); err != nil {
		if recovery.Explain(err).Code == texts.CodeSessionEnded {
			s.sessionFail(w, r, d, next, err)
			return
		}
		s.renderReauth(w, r, d, next, 0, err)
		return
	}
	redirect(w, r, next+"?notice=reauth-done")
}

// ceilSeconds rounds d up to whole seconds, as the core does for its
// problems.
func ceilSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Second - 1) / time.Second)
}
