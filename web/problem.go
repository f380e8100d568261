package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"nvrmenu/apitype"
	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// problemStatus is the HTTP status of each problem code (docs/web.md has
// the same table). A code missing here is 500.
var problemStatus = map[texts.Code]int{
	texts.CodeUnexpected:           http.StatusInternalServerError,
	texts.CodeLocked:               http.StatusLocked,
	texts.CodePasswordRefused:      http.StatusUnprocessableEntity,
	texts.CodeWrongPassword:        http.StatusUnauthorized,
	texts.CodePasswordTooShort:     http.StatusUnprocessableEntity,
	texts.CodeSessionEnded:         http.StatusUnauthorized,
	texts.CodeNotSetUp:             http.StatusConflict,
	texts.CodeUnavailable:          http.StatusConflict,
	texts.CodeTicketInvalid:        http.StatusForbidden,
	texts.CodeNotActivated:         http.StatusConflict,
	texts.CodeAlreadyActivated:     http.StatusConflict,
	texts.CodeGUIDMalformed:        http.StatusUnprocessableEntity,
	texts.CodeGUIDOtherDevice:      http.StatusForbidden,
	texts.CodeGUIDExpired:          http.StatusForbidden,
	texts.CodeGUIDWrong:            http.StatusForbidden,
	texts.CodeNoValidGUID:          http.StatusForbidden,
	texts.CodeWrongAnswers:         http.StatusForbidden,
	texts.CodeAnswersIncomplete:    http.StatusUnprocessableEntity,
	texts.CodeAnswerTooShort:       http.StatusUnprocessableEntity,
	texts.CodeAnswerTooLong:        http.StatusUnprocessableEntity,
	texts.CodeQuestionChoice:       http.StatusUnprocessableEntity,
	texts.CodeInvalidEmail:         http.StatusUnprocessableEntity,
	texts.CodeInvalidEmailEmpty:    http.StatusUnprocessableEntity,
	texts.CodeInvalidEmailLocal:    http.StatusUnprocessableEntity,
	texts.CodeInvalidEmailDomain:   http.StatusUnprocessableEntity,
	texts.CodeInvalidEmailTLD:      http.StatusUnprocessableEntity,
	texts.CodeNoChallenge:          http.StatusConflict,
	texts.CodeCodeExpired:          http.StatusConflict,
	texts.CodeCodeMalformed:        http.StatusUnprocessableEntity,
	texts.CodeWrongCode:            http.StatusForbidden,
	texts.CodeReauthRequired:       http.StatusForbidden,
	texts.CodeClosed:               http.StatusServiceUnavailable,
	texts.CodeBusy:                 http.StatusServiceUnavailable,
	texts.CodeThrottled:            http.StatusTooManyRequests,
	texts.CodeActivationClosed:     http.StatusForbidden,
	texts.CodeActivationWindowOver: http.StatusForbidden,
	texts.CodeBadRequest:           http.StatusBadRequest,
	texts.CodeTooLarge:             http.StatusRequestEntityTooLarge,
	texts.CodeNotFound:             http.StatusNotFound,
	texts.CodeMethodNotAllowed:     http.StatusMethodNotAllowed,
	texts.CodeCrossOrigin:          http.StatusForbidden,
	texts.CodeNoClientAddress:      http.StatusBadRequest,
}

// statusOf is the HTTP status for p.
func statusOf(p texts.Problem) int {
	if s, ok := problemStatus[p.Code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// explain turns a core error into its problem and status. An error the
// core does not name is logged here, with the request's path, and shown
// to the client only as "unexpected".
func (s *Server) explain(r *http.Request, err error) (int, texts.Problem) {
	var pe *problemError
	if errors.As(err, &pe) {
		return pe.status, pe.p
	}
	p := recovery.Explain(err)
	if p.Code == texts.CodeUnexpected {
		s.log.Error("web: unexpected error", "path", r.URL.Path, "err", err)
	}
	return statusOf(p), p
}

// retryAfter sets Retry-After for a problem that ends by waiting: a busy
// or throttled door, a lock.
func retryAfter(w http.ResponseWriter, p texts.Problem) {
	switch p.Code {
	case texts.CodeBusy, texts.CodeThrottled, texts.CodeLocked:
		if p.LockSeconds > 0 {
			w.Header().Set("Retry-After", strconv.FormatInt(p.LockSeconds, 10))
		}
	}
}

// problemError is a refusal of the web door's own (a body too large, no
// such export), with its status, for a handler that returns an error.
type problemError struct {
	status int
	p      texts.Problem
}

func (e *problemError) Error() string { return string(e.p.Code) }

// apiProblem answers an API request with p, worded in the request's
// language.
func (s *Server) apiProblem(w http.ResponseWriter, r *http.Request, status int, p texts.Problem) {
	retryAfter(w, p)
	writeJSON(w, status, apitype.Error{Error: p, Message: s.language(nil, r).Problem(p)})
}

// apiFail answers an API request with the core's err.
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	status, p := s.explain(r, err)
	s.apiProblem(w, r, status, p)
}

// writeJSON sends v as the response body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":{"code":"unexpected"},"message":"unexpected"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)+1))
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}
