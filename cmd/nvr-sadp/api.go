package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"nvrmenu/apitype"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// The recorder's JSON API (docs/web.md is the contract), spoken over HTTPS
// to the one certificate pinned for the recorder's serial: the TLS
// connection is refused unless the certificate it presents has the pinned
// SHA-256, so nothing (no password, answer, code or GUID file) is ever
// sent to another server. There is no CA check: the recorder's certificate
// is self-signed, and the pin is what authenticates it.

// maxAnswer bounds what the tool reads of any answer: the largest is the
// QR code's PNG (a few KiB); a GUID file is at most 4 KiB.
const maxAnswer = 1 << 20

// apiTimeout bounds one request: the recorder may take up to 60 s (a
// request waits for its one argon2id computation).
const apiTimeout = 90 * time.Second

// problemError is a refusal from the recorder: its HTTP status and the
// API's problem, which nvr-sadp words with its own catalogue (the
// recorder's message is not printed: it came over the LAN).
type problemError struct {
	Status  int
	Problem texts.Problem
}

func (e *problemError) Error() string {
	return fmt.Sprintf("the recorder refused: %s (HTTP %d)", e.Problem.Code, e.Status)
}

// fingerprintError is a certificate that is not the pinned one: presented
// by the TLS connection, or announced by a SADP answer.
type fingerprintError struct {
	Serial    string
	Pinned    string // 64 hex digits
	Presented string // 64 hex digits; what the connection or answer showed
	// Announced: the SADP answer announced another certificate (the
	// connection was never made); else the TLS connection presented it.
	Announced bool
	// FirstUse: there was no pin yet; Pinned is the certificate the
	// answer announced (or -expect-fingerprint named).
	FirstUse bool
}

func (e *fingerprintError) Error() string {
	return fmt.Sprintf("certificate of %s: SHA-256 %s, want %s", e.Serial, e.Presented, e.Pinned)
}

// networkError is a failure to talk to the recorder at all.
type networkError struct{ err error }

func (e *networkError) Error() string { return e.err.Error() }
func (e *networkError) Unwrap() error { return e.err }

// certSHA256 is the SHA-256 of a DER certificate in 64 lower-case hex
// digits, the form SADP answers and the known-recorders file use.
func certSHA256(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// recorderAPI is a client of one recorder's API.
type recorderAPI struct {
	base   *url.URL // https://host:port/
	serial string
	pin    string // the certificate's SHA-256 every connection must present
	lang   string // "it" or "en": Accept-Language
	client *http.Client
	token  string // the session, once logged in
	// after is what the last reset or change of the password changed.
	after *journey.AfterReset
	// waiting is told when a request waits before it is sent again.
	waiting func(time.Duration)
}

// newRecorderAPI is a client for the web door at base whose certificate
// must have the SHA-256 pin.
func newRecorderAPI(base, serial, pin, lang string) (*recorderAPI, error) {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("web door %q: not an https URL", base)
	}
	a := &recorderAPI{base: u, serial: serial, pin: pin, lang: lang}
	tlsConf := &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The chain is not checked against any CA (the recorder's
		// certificate signs itself): VerifyConnection checks the one
		// thing that matters, the pin, on every connection, before a
		// byte of a request is sent.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return &fingerprintError{Serial: serial, Pinned: pin, Presented: "none"}
			}
			if got := certSHA256(cs.PeerCertificates[0].Raw); got != pin {
				return &fingerprintError{Serial: serial, Pinned: pin, Presented: got}
			}
			return nil
		},
	}
	a.client = &http.Client{
		Timeout: apiTimeout,
		Transport: &http.Transport{
			// A LAN device: never through a proxy from the environment.
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
			TLSClientConfig:     tlsConf,
			TLSHandshakeTimeout: 10 * time.Second,
			ForceAttemptHTTP2:   false,
			MaxIdleConns:        2,
			IdleConnTimeout:     30 * time.Second,
		},
		// The API never redirects; a redirect is not followed anywhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return a, nil
}

// close drops the idle connections.
func (a *recorderAPI) close() { a.client.CloseIdleConnections() }

// request is one API call.
type request struct {
	method, path string
	json         any    // a JSON body, or
	raw          []byte // a raw body (application/octet-stream)
	auth         bool   // send the session token
}

// do sends req and decodes a 2xx answer's JSON into out (when not nil);
// a refusal is a *problemError, a certificate that is not the pin a
// *fingerprintError, anything else a *networkError.
func (a *recorderAPI) do(ctx context.Context, req request, out any) error {
	body, _, err := a.fetch(ctx, req)
	if err != nil {
		return err
	}
	if out != nil && len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			return &networkError{fmt.Errorf("%s %s: the answer does not parse: %v", req.method, req.path, err)}
		}
	}
	return nil
}

// maxRetryWait is the longest a throttled or busy request waits, as the
// recorder's Retry-After says, before it is sent again (nothing was
// counted or checked): longer, the refusal is reported.
const maxRetryWait = 15 * time.Second

// fetch sends req and returns a 2xx answer's body and content type. A
// request the recorder throttles or is too busy for is sent again after
// the wait it asks for, twice at most, when that is short.
func (a *recorderAPI) fetch(ctx context.Context, req request) ([]byte, string, error) {
	for try := 0; ; try++ {
		body, ctype, err := a.fetchOnce(ctx, req)
		var pe *problemError
		if try == 2 || !errors.As(err, &pe) || (pe.Problem.Code != texts.CodeThrottled && pe.Problem.Code != texts.CodeBusy) {
			return body, ctype, err
		}
		wait := time.Duration(max(pe.Problem.LockSeconds, 1)) * time.Second
		if wait > maxRetryWait {
			return body, ctype, err
		}
		if a.waiting != nil {
			a.waiting(wait)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, "", errInterrupted
		}
	}
}

// fetchOnce sends req once.
func (a *recorderAPI) fetchOnce(ctx context.Context, req request) ([]byte, string, error) {
	u := a.base.JoinPath(req.path)
	var body io.Reader
	var ctype string
	switch {
	case req.json != nil:
		b, err := json.Marshal(req.json)
		if err != nil {
			return nil, "", err
		}
		body, ctype = bytes.NewReader(b), "application/json"
	case req.raw != nil:
		body, ctype = bytes.NewReader(req.raw), "application/octet-stream"
	}
	r, err := http.NewRequestWithContext(ctx, req.method, u.String(), body)
	if err != nil {
		return nil, "", err
	}
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	r.Header.Set("Accept-Language", a.lang)
	r.Header.Set("User-Agent", "nvr-sadp")
	if req.auth && a.token != "" {
		r.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := a.client.Do(r)
	if err != nil {
		var fe *fingerprintError
		if errors.As(err, &fe) {
			return nil, "", fe
		}
		return nil, "", &networkError{fmt.Errorf("%s %s: %w", req.method, u.Redacted(), unwrapURL(err))}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, "", &networkError{fmt.Errorf("%s %s: reading the answer: %w", req.method, u.Redacted(), err)}
	}
	if len(data) > maxAnswer {
		return nil, "", &networkError{fmt.Errorf("%s %s: the answer is over %d bytes", req.method, u.Redacted(), maxAnswer)}
	}
	if resp.StatusCode/100 == 2 {
		return data, resp.Header.Get("Content-Type"), nil
	}
	var e apitype.Error
	if err := json.Unmarshal(data, &e); err != nil || e.Error.Code == "" {
		return nil, "", &networkError{fmt.Errorf("%s %s: HTTP %d without the API's error", req.method, u.Redacted(), resp.StatusCode)}
	}
	return nil, "", &problemError{Status: resp.StatusCode, Problem: e.Error}
}

// unwrapURL drops url.Error's wrapping, which repeats the method and URL.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// The API's calls, on apitype's wire types (docs/web.md).

func (a *recorderAPI) device(ctx context.Context) (*apitype.Device, error) {
	var d apitype.Device
	if err := a.do(ctx, request{method: "GET", path: apitype.PathDevice}, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func (a *recorderAPI) account(ctx context.Context) (*apitype.Account, error) {
	var d apitype.Account
	if err := a.do(ctx, request{method: "GET", path: apitype.PathAccount, auth: true}, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// session keeps the token of an answer that opens one, and what a reset
// or a change of the password changed.
func (a *recorderAPI) session(ctx context.Context, req request) error {
	var t apitype.Session
	if err := a.do(ctx, req, &t); err != nil {
		return err
	}
	if t.Token == "" {
		return &networkError{fmt.Errorf("%s %s: no session token in the answer", req.method, req.path)}
	}
	a.token, a.after = t.Token, t.AfterReset
	return nil
}

func (a *recorderAPI) activate(ctx context.Context, password string) error {
	return a.session(ctx, request{method: "POST", path: apitype.PathActivate, json: apitype.Password{Password: password}})
}

func (a *recorderAPI) login(ctx context.Context, password string) error {
	return a.session(ctx, request{method: "POST", path: apitype.PathLogin, json: apitype.Login{User: "admin", Password: password}})
}

func (a *recorderAPI) reauth(ctx context.Context, password string) error {
	return a.do(ctx, request{method: "POST", path: apitype.PathReauth, json: apitype.Password{Password: password}, auth: true}, nil)
}

// logout ends the session, if any; its failure does not matter (the
// recorder ends it after 5 idle minutes anyway).
func (a *recorderAPI) logout(ctx context.Context) {
	if a.token == "" {
		return
	}
	a.do(ctx, request{method: "POST", path: apitype.PathLogout, auth: true}, nil)
	a.token = ""
}

func (a *recorderAPI) proof(ctx context.Context, req request) (string, error) {
	var t apitype.Ticket
	if err := a.do(ctx, req, &t); err != nil {
		return "", err
	}
	if t.Ticket == "" {
		return "", &networkError{fmt.Errorf("%s %s: no ticket in the answer", req.method, req.path)}
	}
	return t.Ticket, nil
}

func (a *recorderAPI) verifyGUID(ctx context.Context, file []byte) (string, error) {
	return a.proof(ctx, request{method: "POST", path: apitype.PathVerifyGUID, raw: file})
}

func (a *recorderAPI) questions(ctx context.Context) ([]apitype.Question, error) {
	var q apitype.Questions
	if err := a.do(ctx, request{method: "GET", path: apitype.PathQuestions}, &q); err != nil {
		return nil, err
	}
	if len(q.Questions) != 3 {
		return nil, &networkError{fmt.Errorf("the recorder asks %d questions, not three", len(q.Questions))}
	}
	return q.Questions, nil
}

func (a *recorderAPI) verifyAnswers(ctx context.Context, answers [3]string) (string, error) {
	return a.proof(ctx, request{method: "POST", path: apitype.PathQuestions, json: apitype.Answers{Answers: answers}})
}

func (a *recorderAPI) challenge(ctx context.Context) (*apitype.Challenge, error) {
	var c apitype.Challenge
	if err := a.do(ctx, request{method: "POST", path: apitype.PathChallenge}, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

func (a *recorderAPI) qrPNG(ctx context.Context) ([]byte, error) {
	data, ctype, err := a.fetch(ctx, request{method: "GET", path: apitype.PathChallengeQR})
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(ctype, "image/png") || !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		return nil, &networkError{fmt.Errorf("the QR code's answer is not a PNG image (%q)", ctype)}
	}
	return data, nil
}

func (a *recorderAPI) verifyCode(ctx context.Context, code string) (string, error) {
	return a.proof(ctx, request{method: "POST", path: apitype.PathVerifyCode, json: apitype.Code{Code: code}})
}

func (a *recorderAPI) reset(ctx context.Context, ticket, password string) error {
	return a.session(ctx, request{method: "POST", path: apitype.PathReset, json: apitype.Reset{Ticket: ticket, Password: password}})
}

func (a *recorderAPI) newGUIDExport(ctx context.Context) (*apitype.GUIDExport, error) {
	var e apitype.GUIDExport
	if err := a.do(ctx, request{method: "POST", path: apitype.PathGUIDExport, auth: true}, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

func (a *recorderAPI) guidFile(ctx context.Context) ([]byte, error) {
	data, _, err := a.fetch(ctx, request{method: "GET", path: apitype.PathGUIDExport, auth: true})
	return data, err
}

func (a *recorderAPI) confirmGUID(ctx context.Context) error {
	return a.do(ctx, request{method: "POST", path: apitype.PathGUIDConfirm, auth: true}, nil)
}

func (a *recorderAPI) setQuestions(ctx context.Context, qa [3]apitype.QuestionAnswer) error {
	return a.do(ctx, request{method: "PUT", path: apitype.PathSetQuestions, json: apitype.SetQuestions{Questions: qa}, auth: true}, nil)
}

func (a *recorderAPI) setEmail(ctx context.Context, address string) error {
	return a.do(ctx, request{method: "PUT", path: apitype.PathSetEmail, json: apitype.SetEmail{Address: address}, auth: true}, nil)
}
