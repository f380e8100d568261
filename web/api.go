package web

import (
	"net/http"

	"nvrmenu/apitype"
	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// The JSON API under /api/v1, for the installer's tool (nvr-sadp). It is
// the pages' logic with JSON in and out, through the core's "api" door:
// the same limits, counters and locks. The wire types are apitype's;
// docs/web.md documents every endpoint; keep the two in step.
func (s *Server) routeAPI(mux *http.ServeMux) {
	s.handle(mux, apitype.PathDevice, methods{"GET": apiCall(s, public, s.apiDevice)})
	s.handle(mux, apitype.PathStrength, methods{"POST": apiCall(s, public, s.apiStrength)})
	s.handle(mux, apitype.PathActivate, methods{"POST": apiCall(s, public, s.apiActivate)})
	s.handle(mux, apitype.PathLogin, methods{"POST": apiCall(s, public, s.apiLogin)})
	s.handle(mux, apitype.PathLogout, methods{"POST": apiCall(s, admin, s.apiLogout)})
	s.handle(mux, apitype.PathVerifyGUID, methods{"POST": apiCall(s, public, s.apiVerifyGUID)})
	s.handle(mux, apitype.PathQuestions, methods{"GET": apiCall(s, public, s.apiQuestions), "POST": apiCall(s, public, s.apiVerifyAnswers)})
	s.handle(mux, apitype.PathChallenge, methods{"POST": apiCall(s, public, s.apiChallenge)})
	s.handle(mux, apitype.PathNewChallenge, methods{"POST": apiCall(s, public, s.apiNewChallenge)})
	s.handle(mux, apitype.PathChallengeQR, methods{"GET": apiCall(s, public, s.apiQR)})
	s.handle(mux, apitype.PathVerifyCode, methods{"POST": apiCall(s, public, s.apiVerifyCode)})
	s.handle(mux, apitype.PathReset, methods{"POST": apiCall(s, public, s.apiReset)})
	s.handle(mux, apitype.PathAccount, methods{"GET": apiCall(s, admin, s.apiAccount)})
	s.handle(mux, apitype.PathReauth, methods{"POST": apiCall(s, admin, s.apiReauth)})
	s.handle(mux, apitype.PathChangePassword, methods{"POST": apiCall(s, admin, s.apiChangePassword)})
	s.handle(mux, apitype.PathGUIDExport, methods{"POST": apiCall(s, admin, s.apiGUIDExport), "GET": apiCall(s, admin, s.apiGUIDDownload)})
	s.handle(mux, apitype.PathGUIDConfirm, methods{"POST": apiCall(s, admin, s.apiGUIDConfirm)})
	s.handle(mux, apitype.PathSetQuestions, methods{"PUT": apiCall(s, admin, s.apiSetQuestions), "DELETE": apiCall(s, admin, s.apiClearQuestions)})
	s.handle(mux, apitype.PathSetEmail, methods{"PUT": apiCall(s, admin, s.apiSetEmail), "DELETE": apiCall(s, admin, s.apiClearEmail)})
}

// apiReq is one API request as its handler sees it: the core's door for
// the client, and for an admin's call the session of its bearer token (or
// cookie).
type apiReq struct {
	w    http.ResponseWriter
	r    *http.Request
	d    Door
	sess *recovery.Session
}

// noBody is the In of a call without a request body; noContent the Out of
// a call answered 204; written the Out of a call that wrote its own answer
// (a file).
type (
	noBody    struct{}
	noContent struct{}
	written   struct{}
)

// created is an Out answered 201 Created.
type created[T any] struct{ v T }

// apiCall is the one adapter of every API handler: the door, then the
// body decoded into In (unless In is noBody), then for an admin's call the
// session, then do; its Out as JSON (200, 201 for created, 204 for
// noContent), or the core's problem with its status.
func apiCall[In, Out any](s *Server, who access, do func(q *apiReq, in In) (Out, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, ok := s.door(w, r, DoorAPI)
		if !ok {
			return
		}
		var in In
		if _, none := any(in).(noBody); !none {
			if err := decodeJSON(r, &in); err != nil {
				status, p := bodyProblem(w, r, err)
				s.apiProblem(w, r, status, p)
				return
			}
		}
		q := &apiReq{w: w, r: r, d: d}
		if who == admin {
			sess, err := d.Resume(bearerToken(r))
			if err != nil {
				s.apiFail(w, r, err)
				return
			}
			q.sess = sess
		}
		out, err := do(q, in)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		switch v := any(out).(type) {
		case written:
		case noContent:
			w.WriteHeader(http.StatusNoContent)
		case interface{ createdValue() any }:
			writeJSON(w, http.StatusCreated, v.createdValue())
		default:
			writeJSON(w, http.StatusOK, out)
		}
	}
}

func (c created[T]) createdValue() any { return c.v }

// apiDevice describes the device and the owner's journey, as the core
// says it.
func (s *Server) apiDevice(q *apiReq, _ noBody) (apitype.Device, error) {
	return s.device(q.d), nil
}

func (s *Server) device(d Door) apitype.Device {
	p := d.PasswordPolicy()
	return apitype.NewDevice(d.Serial(), s.opts.Model, s.opts.Firmware, d.Journey(),
		apitype.PasswordPolicy{MinLength: p.MinLength, MaxLength: p.MaxLength}, s.opts.CertFingerprint.String())
}

// apiStrength rates a candidate password as the console's meter does. It
// counts nothing and waits for nothing; the password is in the body, never
// in a URL.
func (s *Server) apiStrength(q *apiReq, in apitype.Password) (apitype.Strength, error) {
	tr := s.language(nil, q.r)
	strength, reasons := q.d.PasswordStrength(in.Password)
	out := apitype.Strength{Strength: strength.String(), Words: tr.Strength(strength), Reasons: reasons}
	if in.Password == "" {
		out.Words = tr.T(texts.StrengthEmpty)
	}
	if out.Reasons == nil {
		out.Reasons = []pwpolicy.Reason{}
	}
	if len(reasons) > 0 {
		out.Refusal = tr.Reasons(reasons)
	}
	return out, nil
}

// session answers with a new session, also as the cookie.
func session(q *apiReq, sess *recovery.Session) apitype.Session {
	setCookie(q.w, sessionCookie, sess.Token(), 0)
	out := apitype.Session{Token: sess.Token(), ExpiresInSeconds: journey.Seconds(sess.Expiry())}
	if after, ok := sess.AfterReset(); ok {
		out.AfterReset = &after
	}
	return out
}

func (s *Server) apiActivate(q *apiReq, in apitype.Password) (created[apitype.Session], error) {
	sess, err := q.d.Activate(in.Password)
	if err != nil {
		return created[apitype.Session]{}, err
	}
	return created[apitype.Session]{session(q, sess)}, nil
}

func (s *Server) apiLogin(q *apiReq, in apitype.Login) (apitype.Session, error) {
	sess, err := q.d.Login(in.User, in.Password)
	if err != nil {
		return apitype.Session{}, err
	}
	return session(q, sess), nil
}

func (s *Server) apiLogout(q *apiReq, _ noBody) (noContent, error) {
	q.sess.Logout()
	clearCookie(q.w, sessionCookie)
	return noContent{}, nil
}

// ticket is a passed proof's answer.
func ticket(t *recovery.ResetTicket, err error) (apitype.Ticket, error) {
	if err != nil {
		return apitype.Ticket{}, err
	}
	return apitype.Ticket{Ticket: t.Token(), Method: t.Method(), ExpiresInSeconds: journey.Seconds(t.Expiry())}, nil
}

// apiVerifyGUID takes the GUID file as the raw body.
func (s *Server) apiVerifyGUID(q *apiReq, _ noBody) (apitype.Ticket, error) {
	data, err := readAllCapped(q.r.Body, recovery.MaxGUIDFileLen+1)
	if err != nil {
		// One byte over a GUID file is the core's "malformed" (below);
		// more than the upload limit is too large.
		status, p := bodyProblem(q.w, q.r, err)
		return apitype.Ticket{}, &problemError{status, p}
	}
	return ticket(q.d.VerifyGUIDFile(data))
}

func (s *Server) apiQuestions(q *apiReq, _ noBody) (apitype.Questions, error) {
	ids, err := q.d.SecurityQuestions()
	if err != nil {
		return apitype.Questions{}, err
	}
	tr := s.language(nil, q.r)
	var out apitype.Questions
	for _, id := range ids {
		out.Questions = append(out.Questions, apitype.Question{ID: string(id), Text: tr.Question(string(id))})
	}
	return out, nil
}

func (s *Server) apiVerifyAnswers(q *apiReq, in apitype.Answers) (apitype.Ticket, error) {
	return ticket(q.d.VerifyAnswers(in.Answers))
}

// challenge is the network's pending challenge's answer.
func challenge(d Door, ch recovery.Challenge, err error) (apitype.Challenge, error) {
	if err != nil {
		return apitype.Challenge{}, err
	}
	out := apitype.Challenge{
		Payload: ch.Payload, URL: ch.URL, MaskedEmail: ch.MaskedEmail, RecoveryAddress: ch.RecoveryAddress,
		Created: ch.Created.UTC(), TriesLeft: ch.TriesLeft, QRFileName: qrFileName(d.Serial(), ch.Created),
	}
	if !ch.Expires.IsZero() {
		e := ch.Expires.UTC()
		out.Expires = &e
	}
	return out, nil
}

func (s *Server) apiChallenge(q *apiReq, _ noBody) (apitype.Challenge, error) {
	ch, err := q.d.EmailChallenge()
	return challenge(q.d, ch, err)
}

func (s *Server) apiNewChallenge(q *apiReq, _ noBody) (apitype.Challenge, error) {
	ch, err := q.d.NewEmailChallenge()
	return challenge(q.d, ch, err)
}

func (s *Server) apiQR(q *apiReq, _ noBody) (written, error) {
	s.pendingQR(q.w, q.r, q.d)
	return written{}, nil
}

func (s *Server) apiVerifyCode(q *apiReq, in apitype.Code) (apitype.Ticket, error) {
	return ticket(q.d.VerifyEmailCode(in.Code))
}

func (s *Server) apiReset(q *apiReq, in apitype.Reset) (apitype.Session, error) {
	t, err := q.d.Ticket(in.Ticket)
	if err != nil {
		return apitype.Session{}, err
	}
	sess, err := t.SetPassword(in.Password)
	if err != nil {
		return apitype.Session{}, err
	}
	return session(q, sess), nil
}

func (s *Server) apiAccount(q *apiReq, _ noBody) (apitype.Account, error) {
	st := q.d.Status()
	out := apitype.Account{Device: s.device(q.d), QuestionIDs: []string{}, PasswordBy: st.PasswordBy, PasswordFrom: st.PasswordFrom}
	if out.Journey.Method(journey.Questions).SetUp {
		for _, id := range st.QuestionIDs {
			out.QuestionIDs = append(out.QuestionIDs, string(id))
		}
	}
	if e, ok := q.sess.PendingGUIDExport(); ok {
		out.PendingExport = e.FileName
	}
	return out, nil
}

func (s *Server) apiReauth(q *apiReq, in apitype.Password) (noContent, error) {
	return noContent{}, q.sess.Reauthenticate(in.Password)
}

func (s *Server) apiChangePassword(q *apiReq, in apitype.ChangePassword) (apitype.Session, error) {
	if err := q.sess.ChangePassword(in.Current, in.Password); err != nil {
		return apitype.Session{}, err
	}
	return session(q, q.sess), nil
}

func (s *Server) apiGUIDExport(q *apiReq, _ noBody) (created[apitype.GUIDExport], error) {
	e, err := q.sess.NewGUIDExport()
	if err != nil {
		return created[apitype.GUIDExport]{}, err
	}
	return created[apitype.GUIDExport]{apitype.GUIDExport{FileName: e.FileName, Size: len(e.Data())}}, nil
}

// errNoExport is a GUID file asked for, or confirmed, with none made.
var errNoExport = &problemError{http.StatusNotFound, texts.Problem{Code: texts.CodeNotFound}}

func (s *Server) apiGUIDDownload(q *apiReq, _ noBody) (written, error) {
	e, ok := q.sess.PendingGUIDExport()
	if !ok {
		return written{}, errNoExport
	}
	sendGUIDFile(q.w, e)
	return written{}, nil
}

func (s *Server) apiGUIDConfirm(q *apiReq, _ noBody) (noContent, error) {
	e, ok := q.sess.PendingGUIDExport()
	if !ok {
		return noContent{}, errNoExport
	}
	return noContent{}, q.sess.ConfirmGUIDExport(e)
}

func (s *Server) apiSetQuestions(q *apiReq, in apitype.SetQuestions) (noContent, error) {
	var qa [3]recovery.QuestionAnswer
	for i, x := range in.Questions {
		qa[i] = recovery.QuestionAnswer{ID: recovery.QuestionID(x.ID), Answer: x.Answer}
	}
	return noContent{}, q.sess.SetSecurityQuestions(qa)
}

func (s *Server) apiClearQuestions(q *apiReq, _ noBody) (noContent, error) {
	return noContent{}, q.sess.ClearSecurityQuestions()
}

func (s *Server) apiSetEmail(q *apiReq, in apitype.SetEmail) (noContent, error) {
	return noContent{}, q.sess.SetRecoveryEmail(in.Address)
}

func (s *Server) apiClearEmail(q *apiReq, _ noBody) (noContent, error) {
	return noContent{}, q.sess.ClearRecoveryEmail()
}
