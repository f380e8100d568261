package recorder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"nvrmenu/apitype"
)

// The API's calls, on apitype's wire types; docs/web.md says what each
// does and how it may be refused.

// Device is GET /api/v1/device: the recorder and the owner's journey as
// the network doors see it.
func (c *Client) Device(ctx context.Context) (*apitype.Device, error) {
	var d apitype.Device
	if err := c.do(ctx, request{method: "GET", path: apitype.PathDevice}, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// Account is each method's state, after a login.
func (c *Client) Account(ctx context.Context) (*apitype.Account, error) {
	var a apitype.Account
	if err := c.do(ctx, request{method: "GET", path: apitype.PathAccount, auth: true}, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// session keeps the token of an answer that opens one, and what a reset
// or a change of the password changed.
func (c *Client) session(ctx context.Context, req request) error {
	var s apitype.Session
	if err := c.do(ctx, req, &s); err != nil {
		return err
	}
	if s.Token == "" {
		return &NetworkError{Op: req.op(), Kind: FailAnswer, Err: errors.New("no session token in the answer")}
	}
	c.token, c.after = s.Token, s.AfterReset
	return nil
}

// Activate sets a new recorder's admin password, and opens a session.
func (c *Client) Activate(ctx context.Context, password string) error {
	return c.session(ctx, request{method: "POST", path: apitype.PathActivate, json: apitype.Password{Password: password}})
}

// Login opens an admin session.
func (c *Client) Login(ctx context.Context, password string) error {
	return c.session(ctx, request{method: "POST", path: apitype.PathLogin, json: apitype.Login{User: "admin", Password: password}})
}

// Reauth types the password again, for a change the recorder asks it
// for (reauth-required).
func (c *Client) Reauth(ctx context.Context, password string) error {
	return c.do(ctx, request{method: "POST", path: apitype.PathReauth, json: apitype.Password{Password: password}, auth: true}, nil)
}

// Logout ends the session, if any; its failure does not matter (the
// recorder ends it after 5 idle minutes anyway).
func (c *Client) Logout(ctx context.Context) {
	if c.token == "" {
		return
	}
	c.do(ctx, request{method: "POST", path: apitype.PathLogout, auth: true}, nil)
	c.token = ""
}

// proof sends a proof and returns its reset ticket.
func (c *Client) proof(ctx context.Context, req request) (string, error) {
	var t apitype.Ticket
	if err := c.do(ctx, req, &t); err != nil {
		return "", err
	}
	if t.Ticket == "" {
		return "", &NetworkError{Op: req.op(), Kind: FailAnswer, Err: errors.New("no ticket in the answer")}
	}
	return t.Ticket, nil
}

// VerifyGUID proves ownership by a GUID file, sent raw.
func (c *Client) VerifyGUID(ctx context.Context, file []byte) (string, error) {
	return c.proof(ctx, request{method: "POST", path: apitype.PathVerifyGUID, raw: file})
}

// Questions are the three security questions set up, in order.
func (c *Client) Questions(ctx context.Context) ([]apitype.Question, error) {
	req := request{method: "GET", path: apitype.PathQuestions}
	var q apitype.Questions
	if err := c.do(ctx, req, &q); err != nil {
		return nil, err
	}
	if len(q.Questions) != 3 {
		return nil, &NetworkError{Op: req.op(), Kind: FailAnswer, Err: fmt.Errorf("%d questions, not three", len(q.Questions))}
	}
	return q.Questions, nil
}

// VerifyAnswers proves ownership by the answers, in the questions' order.
func (c *Client) VerifyAnswers(ctx context.Context, answers [3]string) (string, error) {
	return c.proof(ctx, request{method: "POST", path: apitype.PathQuestions, json: apitype.Answers{Answers: answers}})
}

// Challenge is the pending e-mail challenge, made if none is pending.
func (c *Client) Challenge(ctx context.Context) (*apitype.Challenge, error) {
	var ch apitype.Challenge
	if err := c.do(ctx, request{method: "POST", path: apitype.PathChallenge}, &ch); err != nil {
		return nil, err
	}
	return &ch, nil
}

// QRPNG is the pending challenge's QR code, a PNG image.
func (c *Client) QRPNG(ctx context.Context) ([]byte, error) {
	req := request{method: "GET", path: apitype.PathChallengeQR}
	data, ctype, err := c.fetch(ctx, req)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(ctype, "image/png") || !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		return nil, &NetworkError{Op: req.op(), Kind: FailAnswer, Err: fmt.Errorf("not a PNG image (%q)", ctype)}
	}
	return data, nil
}

// VerifyCode proves ownership by the e-mail's verification code.
func (c *Client) VerifyCode(ctx context.Context, code string) (string, error) {
	return c.proof(ctx, request{method: "POST", path: apitype.PathVerifyCode, json: apitype.Code{Code: code}})
}

// Reset sets the new password with a proof's ticket, and opens a session.
func (c *Client) Reset(ctx context.Context, ticket, password string) error {
	return c.session(ctx, request{method: "POST", path: apitype.PathReset, json: apitype.Reset{Ticket: ticket, Password: password}})
}

// NewGUIDExport makes a new GUID file on the recorder, pending until
// ConfirmGUID.
func (c *Client) NewGUIDExport(ctx context.Context) (*apitype.GUIDExport, error) {
	var e apitype.GUIDExport
	if err := c.do(ctx, request{method: "POST", path: apitype.PathGUIDExport, auth: true}, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

// GUIDFile is the pending GUID file's bytes.
func (c *Client) GUIDFile(ctx context.Context) ([]byte, error) {
	data, _, err := c.fetch(ctx, request{method: "GET", path: apitype.PathGUIDExport, auth: true})
	return data, err
}

// ConfirmGUID registers the pending GUID file: the previous one stops
// working.
func (c *Client) ConfirmGUID(ctx context.Context) error {
	return c.do(ctx, request{method: "POST", path: apitype.PathGUIDConfirm, auth: true}, nil)
}

// SetQuestions sets the three security questions and their answers.
func (c *Client) SetQuestions(ctx context.Context, qa [3]apitype.QuestionAnswer) error {
	return c.do(ctx, request{method: "PUT", path: apitype.PathSetQuestions, json: apitype.SetQuestions{Questions: qa}, auth: true}, nil)
}

// SetEmail sets the reserved e-mail address.
func (c *Client) SetEmail(ctx context.Context, address string) error {
	return c.do(ctx, request{method: "PUT", path: apitype.PathSetEmail, json: apitype.SetEmail{Address: address}, auth: true}, nil)
}
