package mailout

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Sender hands one message to the next hop. It returns only once the
// message is accepted (by the relay, or synced to disk).
type Sender interface {
	Send(ctx context.Context, from, to string, msg []byte) error
}

// Relay submits to the vendor's relay over SMTP.
type Relay struct {
	Addr string // host:port
	// TLS is "starttls" (required: the relay must offer it), "implicit"
	// or "none".
	TLS       string
	TLSConfig *tls.Config // nil: the system's roots, the relay's host name
	// Username and Password authenticate with PLAIN (only over TLS).
	Username, Password string
	Timeout            time.Duration
}

// Send implements Sender.
func (r *Relay) Send(ctx context.Context, from, to string, msg []byte) error {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	host, _, _ := net.SplitHostPort(r.Addr)
	cfg := r.TLSConfig
	if cfg == nil {
		cfg = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", r.Addr)
	if err != nil {
		return fmt.Errorf("relay %s: %w", r.Addr, err)
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	// The context also ends a stuck exchange before its deadline.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	var c *smtp.Client
	switch r.TLS {
	case "implicit":
		c = smtp.NewClient(tls.Client(conn, cfg))
	case "none":
		if r.Username != "" {
			conn.Close()
			return fmt.Errorf("relay %s: no password is sent without TLS", r.Addr)
		}
		c = smtp.NewClient(conn)
	default:
		// STARTTLS is required: a relay that does not offer it is an error,
		// never a fall back to plain text.
		if c, err = smtp.NewClientStartTLS(conn, cfg); err != nil {
			conn.Close()
			return fmt.Errorf("relay %s: STARTTLS: %w", r.Addr, err)
		}
	}
	defer c.Close()
	if r.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", r.Username, r.Password)); err != nil {
			return fmt.Errorf("relay %s: authentication: %w", r.Addr, err)
		}
	}
	if err := c.SendMail(from, []string{to}, bytesReader(msg)); err != nil {
		return fmt.Errorf("relay %s: %w", r.Addr, err)
	}
	if err := c.Quit(); err != nil {
		// Accepted already: a lost QUIT reply changes nothing.
		return nil
	}
	return nil
}

// Temporary reports whether an error from Send is worth a retry: anything
// but a permanent (5xx) refusal from the relay.
func Temporary(err error) bool {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code < 500
	}
	return true
}

// Maildir writes each message as a file into a Maildir (tmp/, then a
// rename into new/), synced before Send returns: the demo's outbox.
type Maildir struct{ Dir string }

// Send implements Sender.
func (m *Maildir) Send(ctx context.Context, from, to string, msg []byte) error {
	for _, sub := range []string{"tmp", "new", "cur"} {
		if err := os.MkdirAll(filepath.Join(m.Dir, sub), 0o700); err != nil {
			return fmt.Errorf("maildir: %w", err)
		}
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	name := strconv.FormatInt(time.Now().UnixNano(), 10) + "." + hex.EncodeToString(rnd[:]) + "." + strconv.Itoa(os.Getpid())
	tmp := filepath.Join(m.Dir, "tmp", name)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("maildir: %w", err)
	}
	_, err = fmt.Fprintf(f, "Return-Path: <%s>\r\nDelivered-To: %s\r\n", from, to)
	if err == nil {
		_, err = f.Write(msg)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(m.Dir, "new", name))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("maildir: %w", err)
	}
	if d, err := os.Open(filepath.Join(m.Dir, "new")); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
