package web

import (
	"net/http"
	"time"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// The JSON API under /api/v1, for the installer's tool (nvr-sadp). It is
// the pages' logic with JSON in and out, through the core's "api" door:
// the same limits, counters and locks. docs/web.md documents every
// endpoint; keep the two in step.
func (s *Server) routeAPI(mux *http.ServeMux) {
	s.handle(mux, "/api/v1/device", methods{"GET": s.apiDevice})
	s.handle(mux, "/api/v1/password/strength", methods{"POST": s.apiStrength})
	s.handle(mux, "/api/v1/activate", methods{"POST": s.apiActivate})
	s.handle(mux, "/api/v1/login", methods{"POST": s.apiLogin})
	s.handle(mux, "/api/v1/logout", methods{"POST": s.apiLogout})
	s.handle(mux, "/api/v1/recovery/guid", methods{"POST": s.apiVerifyGUID})
	s.handle(mux, "/api/v1/recovery/questions", methods{"GET": s.apiQuestions, "POST": s.apiVerifyAnswers})
	s.handle(mux, "/api/v1/recovery/email/challenge", methods{"POST": s.apiChallenge})
	s.handle(mux, "/api/v1/recovery/email/challenge/new", methods{"POST": s.apiNewChallenge})
	s.handle(mux, "/api/v1/recovery/email/qr.png", methods{"GET": s.apiQR})
	s.handle(mux, "/api/v1/recovery/email/verify", methods{"POST": s.apiVerifyCode})
	s.handle(mux, "/api/v1/recovery/reset", methods{"POST": s.apiReset})
	s.handle(mux, "/api/v1/account", methods{"GET": s.apiAccount})
	s.handle(mux, "/api/v1/account/reauth", methods{"POST": s.apiReauth})
	s.handle(mux, "/api/v1/account/password", methods{"POST": s.apiChangePassword})
	s.handle(mux, "/api/v1/account/guid/export", methods{"POST": s.apiGUIDExport, "GET": s.apiGUIDDownload})
	s.handle(mux, "/api/v1/account/guid/confirm", methods{"POST": s.apiGUIDConfirm})
	s.handle(mux, "/api/v1/account/questions", methods{"PUT": s.apiSetQuestions, "DELETE": s.apiClearQuestions})
	s.handle(mux, "/api/v1/account/email", methods{"PUT": s.apiSetEmail, "DELETE": s.apiClearEmail})
}

func (s *Server) apiDoor(w http.ResponseWriter, r *http.Request) (Door, bool) {
	return s.door(w, r, DoorAPI)
}

// apiBody decodes r's JSON body into v, answering the request when it
// does not parse.
func (s *Server) apiBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := decodeJSON(r, v); err != nil {
		status, p := bodyProblem(w, r, err)
		s.apiProblem(w, r, status, p)
		return false
	}
	return true
}

// apiSession is the session of the request's bearer token or cookie.
func (s *Server) apiSession(w http.ResponseWriter, r *http.Request, d Door) *recovery.Session {
	sess, err := d.Resume(bearerToken(r))
	if err != nil {
		s.apiFail(w, r, err)
		return nil
	}
	return sess
}

// methodInfo is one recovery method in the device information.
type methodInfo struct {
	State         string `json:"state"`
	LockedSeconds int64  `json:"locked_seconds"`
}

// deviceInfo is GET /api/v1/device.
type deviceInfo struct {
	Serial             string                `json:"serial"`
	Model              string                `json:"model"`
	Firmware           string                `json:"firmware"`
	Activated          bool                  `json:"activated"`
	ActivationAllowed  bool                  `json:"activation_allowed"`
	Methods            map[string]methodInfo `json:"methods"`
	LoginLockedSeconds int64                 `json:"login_locked_seconds"`
	MaskedEmail        string                `json:"masked_email"`
	ChallengePending   bool                  `json:"challenge_pending"`
	PasswordPolicy     policyInfo            `json:"password_policy"`
	CertFingerprint    string                `json:"cert_fingerprint"`
}

type policyInfo struct {
	MinLength int `json:"min_length"`
	MaxLength int `json:"max_length"`
}

func (s *Server) device(d Door) deviceInfo {
	st := d.Status()
	p := d.PasswordPolicy()
	info := deviceInfo{
		Serial:             st.Serial,
		Model:              s.opts.Model,
		Firmware:           s.opts.Firmware,
		Activated:          st.Activated,
		ActivationAllowed:  d.ActivationAllowed(),
		Methods:            map[string]methodInfo{},
		LoginLockedSeconds: ceilSeconds(st.Locked[recovery.MethodLogin]),
		MaskedEmail:        st.MaskedEmail,
		ChallengePending:   st.ChallengePending,
		PasswordPolicy:     policyInfo{p.MinLength, p.MaxLength},
		CertFingerprint:    s.opts.CertFingerprint.String(),
	}
	for _, m := range []recovery.Method{recovery.MethodGUID, recovery.MethodQuestions, recovery.MethodEmail} {
		info.Methods[string(m)] = methodInfo{State: st.Methods[m].String(), LockedSeconds: ceilSeconds(st.Locked[m])}
	}
	return info
}

func (s *Server) apiDevice(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, s.device(d))
}

// passwordBody is a request carrying a new password.
type passwordBody struct {
	Password string `json:"password"`
}

// strengthInfo is the strength meter's answer.
type strengthInfo struct {
	Strength string   `json:"strength"`
	Words    string   `json:"words"`
	Reasons  []string `json:"reasons"`
	Refusal  string   `json:"refusal"`
}

// apiStrength rates a candidate password as the console's meter does. It
// counts nothing and waits for nothing; the password is in the body, never
// in a URL.
func (s *Server) apiStrength(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	var body passwordBody
	if !s.apiBody(w, r, &body) {
		return
	}
	tr := s.language(nil, r)
	strength, reasons := d.PasswordStrength(body.Password)
	info := strengthInfo{Strength: strength.String(), Words: tr.Strength(strength), Reasons: []string{}}
	if body.Password == "" {
		info.Words = tr.T(texts.StrengthEmpty)
	}
	for _, rs := range reasons {
		info.Reasons = append(info.Reasons, string(rs))
	}
	if len(reasons) > 0 {
		info.Refusal = tr.Reasons(reasons)
	}
	writeJSON(w, http.StatusOK, info)
}

// tokenInfo is a new session.
type tokenInfo struct {
	Token            string `json:"token"`
	ExpiresInSeconds int64  `json:"expires_in_seconds"`
}

func sessionInfo(sess *recovery.Session) tokenInfo {
	return tokenInfo{Token: sess.Token(), ExpiresInSeconds: ceilSeconds(sess.Expiry())}
}

// newSession answers with a new session, also as the cookie.
func newSession(w http.ResponseWriter, status int, sess *recovery.Session) {
	setCookie(w, sessionCookie, sess.Token(), 0)
	writeJSON(w, status, sessionInfo(sess))
}

func (s *Server) apiActivate(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	var body passwordBody
	if !s.apiBody(w, r, &body) {
		return
	}
	sess, err := d.Activate(body.Password)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	newSession(w, http.StatusCreated, sess)
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	var body struct {
		User     string `json:"user"`
		Password string `json:"password"`
	}
	if !s.apiBody(w, r, &body) {
		return
	}
	sess, err := d.Login(body.User, body.Password)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	newSession(w, http.StatusOK, sess)
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) {
	s.apiSessionAction(w, r, nil, func(sess *recovery.Session) error {
		sess.Logout()
		clearCookie(w, sessionCookie)
		return nil
	})
}

// ticketInfo is a passed proof: the ticket for POST /api/v1/recovery/reset.
type ticketInfo struct {
	Ticket string `json:"ticket"`
	Method string `json:"method"`
	// ExpiresInSeconds is how long the ticket waits for the new password.
	ExpiresInSeconds int64 `json:"expires_in_seconds"`
}

func (s *Server) proofResult(w http.ResponseWriter, r *http.Request, t *recovery.ResetTicket, err error) {
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ticketInfo{Ticket: t.Token(), Method: string(t.Method()), ExpiresInSeconds: ceilSeconds(t.Expiry())})
}

// apiVerifyGUID takes the GUID file as the raw body.
func (s *Server) apiVerifyGUID(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	data, err := readAllCapped(r.Body, recovery.MaxGUIDFileLen+1)
	if err != nil {
		// One byte over a GUID file is the core's "malformed" (below);
		// more than the upload limit is too large.
		status, p := bodyProblem(w, r, err)
		s.apiProblem(w, r, status, p)
		return
	}
	t, err := d.VerifyGUIDFile(data)
	s.proofResult(w, r, t, err)
}

// questionInfo is one of the three questions asked.
type questionInfo struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

func (s *Server) apiQuestions(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	ids, err := d.SecurityQuestions()
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	tr := s.language(nil, r)
	out := struct {
		Questions []questionInfo `json:"questions"`
	}{}
	for _, id := range ids {
		out.Questions = append(out.Questions, questionInfo{ID: string(id), Text: tr.Question(string(id))})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiVerifyAnswers(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	var body struct {
		Answers [3]string `json:"answers"`
	}
	if !s.apiBody(w, r, &body) {
		return
	}
	t, err := d.VerifyAnswers(body.Answers)
	s.proofResult(w, r, t, err)
}

// challengeInfo is the network's pending email challenge.
type challengeInfo struct {
	Payload         string     `json:"payload"`
	MaskedEmail     string     `json:"masked_email"`
	RecoveryAddress string     `json:"recovery_address"`
	Created         time.Time  `json:"created"`
	Expires         *time.Time `json:"expires,omitempty"`
	TriesLeft       int        `json:"tries_left"`
	QRFileName      string     `json:"qr_file_name"`
}

func (s *Server) challengeResult(w http.ResponseWriter, r *http.Request, d Door, ch recovery.Challenge, err error) {
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	info := challengeInfo{
		Payload: ch.Payload, MaskedEmail: ch.MaskedEmail, RecoveryAddress: ch.RecoveryAddress,
		Created: ch.Created.UTC(), TriesLeft: ch.TriesLeft, QRFileName: qrFileName(d.Serial(), ch.Created),
	}
	if !ch.Expires.IsZero() {
		e := ch.Expires.UTC()
		info.Expires = &e
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) apiChallenge(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	ch, err := d.EmailChallenge()
	s.challengeResult(w, r, d, ch, err)
}

func (s *Server) apiNewChallenge(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	ch, err := d.NewEmailChallenge()
	s.challengeResult(w, r, d, ch, err)
}

func (s *Server) apiQR(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	s.pendingQR(w, r, d)
}

func (s *Server) apiVerifyCode(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	var body struct {
		Code string `json:"code"`
	}
	if !s.apiBody(w, r, &body) {
		return
	}
	t, err := d.VerifyEmailCode(body.Code)
	s.proofResult(w, r, t, err)
}

func (s *Server) apiReset(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	var body struct {
		Ticket   string `json:"ticket"`
		Password string `json:"password"`
	}
	if !s.apiBody(w, r, &body) {
		return
	}
	t, err := d.Ticket(body.Ticket)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	sess, err := t.SetPassword(body.Password)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	newSession(w, http.StatusOK, sess)
}

// accountInfo is GET /api/v1/account: the device as its admin sees it.
type accountInfo struct {
	deviceInfo
	QuestionIDs   []string `json:"question_ids"`
	PasswordBy    string   `json:"password_by"`
	PasswordFrom  string   `json:"password_from"`
	PendingExport string   `json:"pending_guid_export"`
}

func (s *Server) apiAccount(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	sess := s.apiSession(w, r, d)
	if sess == nil {
		return
	}
	st := d.Status()
	info := accountInfo{deviceInfo: s.device(d), QuestionIDs: []string{}, PasswordBy: st.PasswordBy, PasswordFrom: st.PasswordFrom}
	if st.Methods[recovery.MethodQuestions] == recovery.MethodReady {
		for _, id := range st.QuestionIDs {
			info.QuestionIDs = append(info.QuestionIDs, string(id))
		}
	}
	if e, ok := sess.PendingGUIDExport(); ok {
		info.PendingExport = e.FileName
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) apiReauth(w http.ResponseWriter, r *http.Request) {
	var body passwordBody
	s.apiSessionAction(w, r, &body, func(sess *recovery.Session) error { return sess.Reauthenticate(body.Password) })
}

func (s *Server) apiChangePassword(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	var body struct {
		Current  string `json:"current"`
		Password string `json:"password"`
	}
	if !s.apiBody(w, r, &body) {
		return
	}
	sess := s.apiSession(w, r, d)
	if sess == nil {
		return
	}
	if err := sess.ChangePassword(body.Current, body.Password); err != nil {
		s.apiFail(w, r, err)
		return
	}
	newSession(w, http.StatusOK, sess)
}

func (s *Server) apiGUIDExport(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	sess := s.apiSession(w, r, d)
	if sess == nil {
		return
	}
	e, err := sess.NewGUIDExport()
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		FileName string `json:"file_name"`
		Size     int    `json:"size"`
	}{e.FileName, len(e.Data())})
}

func (s *Server) apiGUIDDownload(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	sess := s.apiSession(w, r, d)
	if sess == nil {
		return
	}
	e, ok := sess.PendingGUIDExport()
	if !ok {
		s.apiProblem(w, r, http.StatusNotFound, texts.Problem{Code: texts.CodeNotFound})
		return
	}
	sendGUIDFile(w, e)
}

func (s *Server) apiGUIDConfirm(w http.ResponseWriter, r *http.Request) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	sess := s.apiSession(w, r, d)
	if sess == nil {
		return
	}
	e, ok := sess.PendingGUIDExport()
	if !ok {
		s.apiProblem(w, r, http.StatusNotFound, texts.Problem{Code: texts.CodeNotFound})
		return
	}
	if err := sess.ConfirmGUIDExport(e); err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiSetQuestions(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Questions [3]struct {
			ID     string `json:"id"`
			Answer string `json:"answer"`
		} `json:"questions"`
	}
	s.apiSessionAction(w, r, &body, func(sess *recovery.Session) error {
		var qa [3]recovery.QuestionAnswer
		for i, q := range body.Questions {
			qa[i] = recovery.QuestionAnswer{ID: recovery.QuestionID(q.ID), Answer: q.Answer}
		}
		return sess.SetSecurityQuestions(qa)
	})
}

func (s *Server) apiClearQuestions(w http.ResponseWriter, r *http.Request) {
	s.apiSessionAction(w, r, nil, func(sess *recovery.Session) error { return sess.ClearSecurityQuestions() })
}

func (s *Server) apiSetEmail(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Address string `json:"address"`
	}
	s.apiSessionAction(w, r, &body, func(sess *recovery.Session) error { return sess.SetRecoveryEmail(body.Address) })
}

func (s *Server) apiClearEmail(w http.ResponseWriter, r *http.Request) {
	s.apiSessionAction(w, r, nil, func(sess *recovery.Session) error { return sess.ClearRecoveryEmail() })
}

// apiSessionAction is an API call an admin's session makes: the body,
// when the call has one (body non-nil), read into body first, then the
// session, then do; 204 when do succeeds, the core's problem otherwise.
func (s *Server) apiSessionAction(w http.ResponseWriter, r *http.Request, body any, do func(*recovery.Session) error) {
	d, ok := s.apiDoor(w, r)
	if !ok {
		return
	}
	if body != nil && !s.apiBody(w, r, body) {
		return
	}
	sess := s.apiSession(w, r, d)
	if sess == nil {
		return
	}
	if err := do(sess); err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
