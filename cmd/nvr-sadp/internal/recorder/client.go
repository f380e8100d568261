// Package recorder is nvr-sadp's client of one recorder's JSON API
// (docs/web.md is the contract, apitype the wire types), spoken over HTTPS
// to the one certificate pinned for the recorder's serial: the TLS
// connection is refused unless the certificate it presents has the pinned
// SHA-256, so nothing (no password, answer, code or GUID file) is ever
// sent to another server. There is no CA check: the recorder's certificate
// signs itself, and the pin is what authenticates it.
//
// A refusal is a *ProblemError carrying the API's problem, which the
// caller words with its own catalogue (the recorder's own words are never
// printed: they came over the LAN); a certificate that is not the pin is a
// *FingerprintError; anything else that goes wrong with the recorder is a
// *NetworkError. A request the recorder throttles, or is too busy for, is
// sent again after the short wait it asks for. It decides nothing the
// recorder decides, and builds for Linux, macOS and Windows.
package recorder

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"nvrmenu/apitype"
	"nvrmenu/internal/certfp"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// maxAnswer bounds what the client reads of any answer: the largest is
// the QR code's PNG (a few KiB); a GUID file is at most 4 KiB.
const maxAnswer = 1 << 20

// requestTimeout bounds one request: the recorder may take up to 60 s (a
// request waits for its one argon2id computation).
const requestTimeout = 90 * time.Second

// maxRetryWait is the longest a throttled or busy request waits, as the
// recorder asks, before it is sent again (nothing was counted or checked):
// longer, the refusal is returned.
const maxRetryWait = 15 * time.Second

// maxRetries is how many times a throttled or busy request is sent again.
const maxRetries = 2

// Config says which recorder a Client talks to.
type Config struct {
	// URL is the web door, as its SADP answer announced it:
	// https://host:port/.
	URL string
	// Serial is the recorder's serial, as pinned (named in a
	// FingerprintError).
	Serial string
	// Pin is the SHA-256 every connection's certificate must have.
	Pin certfp.Fingerprint
	// Lang is the session's language, sent as Accept-Language: it or en.
	Lang string
	// Waiting, when set, is told before a throttled or busy request waits
	// to be sent again.
	Waiting func(time.Duration)
	// Sleep waits d, or until ctx ends (then it returns ctx's error);
	// nil is a timer. Tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client is a client of one recorder's API. Its methods are not safe for
// concurrent use: a session is one conversation.
type Client struct {
	cfg   Config
	base  *url.URL
	http  *http.Client
	token string              // the session, once one is open
	after *journey.AfterReset // what the last reset or change of the password changed
}

// New is a client of the web door at cfg.URL, whose certificate must have
// the SHA-256 cfg.Pin. It connects to nothing yet.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Scheme != "https" || u.Host == "" || cfg.Pin.IsZero() {
		return nil, &NetworkError{Op: cfg.URL, Kind: FailAnswer, Err: errors.New("not an https URL with a pinned certificate")}
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	c := &Client{cfg: cfg, base: u}
	tlsConf := &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The chain is not checked against any CA (the recorder's
		// certificate signs itself): VerifyConnection checks the one
		// thing that matters, the pin, on every connection, in the
		// handshake, before a byte of a request is sent.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			var got certfp.Fingerprint
			if len(cs.PeerCertificates) > 0 {
				got = certfp.Of(cs.PeerCertificates[0].Raw)
			}
			if got.IsZero() || !got.Equal(cfg.Pin) {
				return &FingerprintError{Serial: cfg.Serial, Pinned: cfg.Pin, Presented: got}
			}
			return nil
		},
	}
	c.http = &http.Client{
		Timeout: requestTimeout,
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
	return c, nil
}

// Close drops the idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// AfterReset is what the last reset, or change of the password, changed,
// as the recorder said it; nil before one.
func (c *Client) AfterReset() *journey.AfterReset { return c.after }

// sleep is Config.Sleep's default.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// request is one API call.
type request struct {
	method, path string
	json         any    // a JSON body, or
	raw          []byte // a raw body (application/octet-stream)
	auth         bool   // send the session token
}

func (r request) op() string { return r.method + " " + r.path }

// do sends req and decodes a 2xx answer's JSON into out (when not nil).
func (c *Client) do(ctx context.Context, req request, out any) error {
	body, _, err := c.fetch(ctx, req)
	if err != nil {
		return err
	}
	if out != nil && len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			return &NetworkError{Op: req.op(), Kind: FailAnswer, Err: fmt.Errorf("the answer does not parse: %w", err)}
		}
	}
	return nil
}

// fetch sends req and returns a 2xx answer's body and content type. A
// request the recorder throttles or is too busy for is sent again after
// the wait it asks for (Retry-After), maxRetries times at most, when that
// is at most maxRetryWait.
func (c *Client) fetch(ctx context.Context, req request) ([]byte, string, error) {
	for try := 0; ; try++ {
		body, ctype, wait, err := c.fetchOnce(ctx, req)
		var pe *ProblemError
		if try == maxRetries || !errors.As(err, &pe) || (pe.Problem.Code != texts.CodeThrottled && pe.Problem.Code != texts.CodeBusy) {
			return body, ctype, err
		}
		if wait <= 0 {
			wait = time.Duration(max(pe.Problem.LockSeconds, 1)) * time.Second
		}
		if wait > maxRetryWait {
			return body, ctype, err
		}
		if c.cfg.Waiting != nil {
			c.cfg.Waiting(wait)
		}
		if err := c.cfg.Sleep(ctx, wait); err != nil {
			return nil, "", err
		}
	}
}

// fetchOnce sends req once. It returns the answer's body and type, or
// the error, and the wait a refusal's Retry-After asks for.
func (c *Client) fetchOnce(ctx context.Context, req request) ([]byte, string, time.Duration, error) {
	u := c.base.JoinPath(req.path)
	var body io.Reader
	var ctype string
	switch {
	case req.json != nil:
		b, err := json.Marshal(req.json)
		if err != nil {
			return nil, "", 0, err
		}
		body, ctype = bytes.NewReader(b), "application/json"
	case req.raw != nil:
		body, ctype = bytes.NewReader(req.raw), "application/octet-stream"
	}
	r, err := http.NewRequestWithContext(ctx, req.method, u.String(), body)
	if err != nil {
		return nil, "", 0, err
	}
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	r.Header.Set("Accept-Language", c.cfg.Lang)
	r.Header.Set("User-Agent", "nvr-sadp")
	if req.auth && c.token != "" {
		r.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(r)
	if err != nil {
		var fe *FingerprintError
		switch {
		case errors.As(err, &fe):
			return nil, "", 0, fe
		case ctx.Err() != nil:
			return nil, "", 0, ctx.Err()
		}
		return nil, "", 0, &NetworkError{Op: req.op(), Kind: FailConnect, Err: unwrapURL(err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, "", 0, ctx.Err()
		}
		return nil, "", 0, &NetworkError{Op: req.op(), Kind: FailConnect, Err: err}
	}
	if len(data) > maxAnswer {
		return nil, "", 0, &NetworkError{Op: req.op(), Kind: FailTooLarge, Err: fmt.Errorf("the answer is over %d bytes", maxAnswer)}
	}
	if resp.StatusCode/100 == 2 {
		return data, resp.Header.Get("Content-Type"), 0, nil
	}
	var e apitype.Error
	if err := json.Unmarshal(data, &e); err != nil || e.Error.Code == "" {
		return nil, "", 0, &NetworkError{Op: req.op(), Kind: FailAnswer, Status: resp.StatusCode, Err: fmt.Errorf("HTTP %d without the API's error", resp.StatusCode)}
	}
	return nil, "", retryAfter(resp.Header.Get("Retry-After")), &ProblemError{Status: resp.StatusCode, Problem: e.Error}
}

// retryAfter reads a Retry-After header in seconds (the API's form); 0
// when there is none or it is another form.
func retryAfter(h string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(h))
	if err != nil || n < 0 || n > 24*3600 {
		return 0
	}
	return time.Duration(n) * time.Second
}

// unwrapURL drops url.Error's wrapping, which repeats the method and URL.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
