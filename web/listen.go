package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// shutdownGrace is how long the requests in flight get at a stop.
const shutdownGrace = 3 * time.Second

// Listen opens the door's listener for listen (config web.listen):
// "host:port" is TCP wrapped in TLS with cert, "unix:/path" a socket
// (mode 0660 from the moment it has its name; a stale socket file left by
// a killed daemon is removed) served in plain HTTP to the firmware's web
// server in front. At most maxConns connections are served at once, and
// over TCP at most PerClientConns(maxConns) from one address; see
// LimitListener.
func Listen(listen string, cert *tls.Certificate, maxConns int) (net.Listener, error) {
	var ln net.Listener
	if path, ok := strings.CutPrefix(listen, "unix:"); ok {
		l, err := listenUnix(path, 0o660)
		if err != nil {
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

// listenUnix listens on a socket at path with mode perm. A socket is
// created with the umask's mode and can be connected to as soon as it is
// bound: it is bound in a folder of its own that only this user may
// enter (made beside path, mode 0700), given perm, and only then renamed
// to path, so that path never has another mode and nobody else can
// connect before it has perm. A stale socket at path is replaced by the
// rename; anything else there is left alone and is an error.
func listenUnix(path string, perm os.FileMode) (net.Listener, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSocket == 0 {
		return nil, fmt.Errorf("listen unix %s: a file that is not a socket is in the way", path)
	}
	dir, err := os.MkdirTemp(filepath.Dir(path), "."+filepath.Base(path)+".")
	if err != nil {
		return nil, fmt.Errorf("listen unix %s: %w", path, err)
	}
	defer os.Remove(dir) // empty by then, whatever happened
	tmp := filepath.Join(dir, "s")
	l, err := net.Listen("unix", tmp)
	if err != nil {
		return nil, err
	}
	ul := l.(*net.UnixListener)
	// Closing removes path, the name it is served under, not tmp.
	ul.SetUnlinkOnClose(false)
	if err := os.Chmod(tmp, perm); err != nil {
		ul.Close()
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		ul.Close()
		os.Remove(tmp)
		return nil, err
	}
	return &unixListener{UnixListener: ul, addr: &net.UnixAddr{Name: path, Net: "unix"}}, nil
}

// unixListener is a socket renamed after its bind: its address is the
// final name, which a close removes.
type unixListener struct {
	*net.UnixListener
	addr      *net.UnixAddr
	closeOnce sync.Once
}

func (l *unixListener) Addr() net.Addr { return l.addr }

func (l *unixListener) Close() error {
	err := l.UnixListener.Close()
	l.closeOnce.Do(func() { os.Remove(l.addr.Name) })
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
