package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// shutdownGrace is how long the requests in flight get at a stop.
const shutdownGrace = 3 * time.Second

// Listen opens the door's listener for listen (config web.listen):
// "host:port" is TCP wrapped in TLS with cert, "unix:/path" a socket
// (mode 0660; a stale socket file left by a killed daemon is removed)
// served in plain HTTP to the firmware's web server in front. At most
// maxConns connections are served at once; further ones wait in the
// kernel's accept queue until one closes.
func Listen(listen string, cert *tls.Certificate, maxConns int) (net.Listener, error) {
	var ln net.Listener
	if path, ok := strings.CutPrefix(listen, "unix:"); ok {
		if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
			os.Remove(path)
		}
		l, err := net.Listen("unix", path)
		if err != nil {
			return nil, fmt.Errorf("web door: %w", err)
		}
		if err := os.Chmod(path, 0o660); err != nil {
			l.Close()
			return nil, fmt.Errorf("web door: %w", err)
		}
		ln = l
	} else {
		if cert == nil {
			return nil, errors.New("web door: HTTPS on " + listen + " needs a certificate")
		}
		l, err := net.Listen("tcp", listen)
		if err != nil {
			return nil, fmt.Errorf("web door: %w", err)
		}
		ln = l
	}
	return LimitListener(ln, maxConns), nil
}

// LimitListener lets at most n connections of ln be open at once: Accept
// waits while n are. (golang.org/x/net/netutil has the same; this one is
// the dozen lines the door needs.)
func LimitListener(ln net.Listener, n int) net.Listener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, max(n, 1)), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// Serve serves s on ln until ctx ends, then shuts down: the requests in
// flight get a few seconds to finish. On TCP it serves TLS with cert
// (the same one given to Listen); on a socket, plain HTTP.
func (s *Server) Serve(ctx context.Context, ln net.Listener, cert *tls.Certificate) error {
	tcp := ln.Addr().Network() == "tcp"
	var srv *http.Server
	if tcp {
		srv = s.HTTPServer(cert)
	} else {
		srv = s.HTTPServer(nil)
	}
	errc := make(chan error, 1)
	go func() {
		if tcp {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		srv.Close()
	}
	<-errc
	return nil
}
