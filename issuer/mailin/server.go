package mailin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
	"golang.org/x/net/netutil"
)

// Handler is what the mail door asks of the service.
type Handler interface {
	// Admit is asked at each MAIL FROM, before the message is read.
	Admit(client netip.Addr, trusted bool) error
	// Deliver handles one message's payload candidates; via is "smtp"
	// or "lmtp". It returns nil once the code is mailed and recorded.
	Deliver(ctx context.Context, candidates []string, via string) error
}

// temporary is how a Handler's error says "try again later".
type temporary interface{ Temporary() bool }

// Options configure a Server.
type Options struct {
	Handler Handler
	// LMTP serves LMTP (the vendor's MTA hands mail over) instead of SMTP.
	LMTP bool
	// Trusted skips the per-client rate (the peer is the vendor's MTA).
	Trusted         bool
	Domain          string
	MaxMessageBytes int64
	MaxConns        int
	Timeout         time.Duration
	// TLS offers STARTTLS (SMTP only); nil offers none.
	TLS    *tls.Config
	Limits Limits
	// Decoders bounds the messages parsed at once (each may decode an
	// image of up to Limits.Image.MaxPixels): the memory a flood can take.
	Decoders int
	Logger   *slog.Logger
}

// Server is one SMTP or LMTP listener.
type Server struct {
	o    Options
	smtp *smtp.Server
	sem  chan struct{}
	ctx  context.Context
	stop context.CancelFunc
}

// New makes a server; Serve starts it.
func New(o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Decoders < 1 {
		o.Decoders = 4
	}
	if o.Limits.MaxParts == 0 {
		o.Limits = DefaultLimits
	}
	s := &Server{o: o, sem: make(chan struct{}, o.Decoders)}
	s.ctx, s.stop = context.WithCancel(context.Background())
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.LMTP = o.LMTP
	srv.Domain = o.Domain
	srv.MaxMessageBytes = o.MaxMessageBytes
	srv.MaxRecipients = 10
	srv.ReadTimeout, srv.WriteTimeout = o.Timeout, o.Timeout
	srv.TLSConfig = o.TLS
	srv.ErrorLog = slogLogger{o.Logger}
	s.smtp = srv
	return s
}

// proto is "smtp" or "lmtp".
func (s *Server) proto() string {
	if s.o.LMTP {
		return "lmtp"
	}
	return "smtp"
}

// Serve accepts connections on l, at most MaxConns at once, until
// Shutdown or Close.
func (s *Server) Serve(l net.Listener) error {
	if s.o.MaxConns > 0 {
		l = netutil.LimitListener(l, s.o.MaxConns)
	}
	err := s.smtp.Serve(l)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting, lets every session finish (a message being
// handled is handled and answered), then returns; when ctx ends first,
// the remaining connections are closed (their messages unacknowledged:
// the sender tries again).
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.smtp.Shutdown(ctx)
	if err != nil {
		s.stop()
		s.smtp.Close()
	}
	return err
}

// Close closes everything at once.
func (s *Server) Close() error {
	s.stop()
	return s.smtp.Close()
}

type slogLogger struct{ l *slog.Logger }

func (g slogLogger) Printf(format string, v ...interface{}) {
	g.l.Warn("smtp server", "msg", strings.TrimSpace(fmt.Sprintf(format, v...)))
}
func (g slogLogger) Println(v ...interface{}) {
	g.l.Warn("smtp server", "msg", strings.TrimSpace(fmt.Sprintln(v...)))
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	var client netip.Addr
	if ap, err := netip.ParseAddrPort(c.Conn().RemoteAddr().String()); err == nil {
		client = ap.Addr()
	}
	return &session{s: s, client: client}, nil
}

type session struct {
	s      *Server
	client netip.Addr
	rcpts  int
}

func (ss *session) Reset()        { ss.rcpts = 0 }
func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if err := ss.s.o.Handler.Admit(ss.client, ss.s.o.Trusted); err != nil {
		return reply(err)
	}
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.rcpts++
	return nil
}

// Data reads and handles one message; its reply is the handling's.
func (ss *session) Data(r io.Reader) error {
	s := ss.s
	select {
	case s.sem <- struct{}{}:
	case <-s.ctx.Done():
		io.Copy(io.Discard, r)
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "shutting down: try again later"}
	}
	cands, err := Extract(r, s.o.Limits)
	<-s.sem
	// The rest is read (and counted against the size limit) before the
	// reply, as the protocol wants.
	if _, cerr := io.Copy(io.Discard, r); cerr != nil {
		return cerr
	}
	if err != nil {
		s.o.Logger.Warn("refused", "via", s.proto(), "client", ss.client.String(), "reason", err.Error())
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: oneLine(err.Error())}
	}
	if err := s.o.Handler.Deliver(s.ctx, cands, s.proto()); err != nil {
		return reply(err)
	}
	return nil
}

// reply maps a Handler's error to an SMTP reply: 451 for a passing
// failure, 550 for a refusal; its text is the error's (which the service
// keeps free of codes and addresses).
func reply(err error) error {
	var t temporary
	if errors.As(err, &t) && t.Temporary() {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: oneLine(err.Error())}
	}
	return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: oneLine(err.Error())}
}

// oneLine keeps a reply's text to one line of printable ASCII.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r > '~' {
			return ' '
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
