package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"nvrmenu/internal/certfp"
	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// Options configure a Server. Doors is required.
type Options struct {
	// Doors gives the core's network door for each request's client.
	Doors Doors
	// Language is the pages' language when neither the switch nor the
	// browser's Accept-Language chooses one: "it" (default) or "en".
	Language string
	// Hosts are the Host names allowed besides the device's own addresses
	// and localhost (config web.hosts), in lower case.
	Hosts []string
	// ClientHeader, when set, is the header a trusted front server (the
	// firmware's own web server, on a unix socket) puts the client's
	// address in; the last address in it is taken. It is read only for
	// requests that did not come over TCP, and only from FrontUID: a LAN
	// client can never set its own address with it, nor can a local
	// process that reaches the socket.
	ClientHeader string
	// FrontUID is the user id the front server runs as. On a socket, a
	// request is served only when the process that connected runs as
	// FrontUID (the kernel's SO_PEERCRED, which the peer cannot choose);
	// any other gets 400 no-client-address before the core is asked.
	FrontUID uint32
	// Model, Firmware and CertFingerprint are what the API's device
	// information tells the installer's tool.
	Model, Firmware string
	CertFingerprint certfp.Fingerprint
	// SelfSigned is set while the certificate is self-signed: no HSTS is
	// sent then (a browser could no longer pass its warning).
	SelfSigned bool
	// Logger receives one line per refused or failed request; never a
	// secret. Default: discard.
	Logger *slog.Logger
	// LocalAddrs lists the device's own addresses for the Host check;
	// default: the interfaces' addresses. They are read again when an
	// address Host is not among those last read, at most once a second
	// (see addrRefresh).
	LocalAddrs func() []netip.Addr
	// Clock tells the time of the rate-limited log lines and of the
	// addresses' refresh; default: recovery.SystemClock.
	Clock recovery.Clock
}

// Limits of what one request may send. The GUID upload holds one GUID
// file (recovery.MaxGUIDFileLen) and the multipart form around it.
const (
	MaxBodyBytes   = 16 << 10
	MaxUploadBytes = recovery.MaxGUIDFileLen + 2<<10
	MaxHeaderBytes = 8 << 10
)

// The connection timeouts (see Server.HTTPServer). The write timeout
// covers a request waiting in the core's argon2id queue.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 15 * time.Second
	WriteTimeout      = 60 * time.Second
	// IdleTimeout is short: an idle connection holds one of the
	// door's few slots (and gives way at once when someone waits).
	IdleTimeout = 5 * time.Second
)

// Server is the web door: an http.Handler for the pages and the API.
type Server struct {
	opts Options
	log  *slog.Logger
	cop  *http.CrossOriginProtection
	mux  *http.ServeMux

	// routes is every pattern and its methods, as routed.
	routes []route

	// refusedLog holds back the refusals' log lines that a client can
	// make at will (wrong Host, cross-origin).
	refusedLog *logLimiter

	addrMu   sync.Mutex
	addrs    []netip.Addr
	addrRead time.Time // when addrs were read; zero: never

	// timeouts are HTTPServer's; a test may shorten them.
	timeouts timeouts
}

// route is one pattern of the mux and the methods it answers.
type route struct {
	pattern string
	methods []string
}

// timeouts are an http.Server's connection timeouts.
type timeouts struct {
	readHeader, read, write, idle time.Duration
}

// addrRefresh is how often, at most, the device's addresses are read
// again for the Host check: a client sending one unknown address after
// another costs the system at most that many reads.
const addrRefresh = time.Second

// New makes the web door.
func New(opts Options) (*Server, error) {
	if opts.Doors == nil {
		return nil, errors.New("web: no recovery core (Options.Doors)")
	}
	if _, err := texts.New(opts.Language); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.LocalAddrs == nil {
		opts.LocalAddrs = interfaceAddrs
	}
	if opts.Clock == nil {
		opts.Clock = recovery.SystemClock{}
	}
	opts.Hosts = slices.Clone(opts.Hosts)
	for i, h := range opts.Hosts {
		opts.Hosts[i] = strings.ToLower(h)
	}
	s := &Server{
		opts:       opts,
		log:        opts.Logger,
		refusedLog: newLogLimiter(opts.Clock, refusedLogEvery),
		timeouts:   timeouts{ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout},
	}
	s.cop = http.NewCrossOriginProtection()
	s.cop.SetDenyHandler(http.HandlerFunc(s.crossOriginRefused))
	s.mux = http.NewServeMux()
	s.routePages(s.mux)
	s.routeAPI(s.mux)
	return s, nil
}

// ServeHTTP checks the Host first, then sets the security headers, bounds
// the body, refuses cross-origin requests that change state, and routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header(), s.opts.SelfSigned)
	if !s.hostAllowed(r) {
		if ok, held := s.refusedLog.allow("host"); ok {
			s.log.Warn("web: request for a foreign host refused", "host", shortField(r.Host), "client", r.RemoteAddr, "refusals_not_logged", held)
		}
		// A client that asks under a foreign name is not one to keep a
		// connection open for.
		w.Header().Set("Connection", "close")
		http.Error(w, "421 misdirected request: this recorder does not answer to that host name / host non ammesso", http.StatusMisdirectedRequest)
		return
	}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.Error("web: panic", "path", r.URL.Path, "value", fmt.Sprint(p), "stack", string(debug.Stack()))
			s.refuse(w, r, http.StatusInternalServerError, texts.CodeUnexpected)
		}
	}()
	limit := int64(MaxBodyBytes)
	if isUpload(r) {
		limit = MaxUploadBytes
	}
	if r.ContentLength > limit {
		// Refused before a byte of the body is read; the connection is
		// closed, so the rest is never read either.
		w.Header().Set("Connection", "close")
		s.refuse(w, r, http.StatusRequestEntityTooLarge, texts.CodeTooLarge)
		return
	}
	r.Body = &limitedBody{ReadCloser: http.MaxBytesReader(w, r.Body, limit)}
	if err := s.cop.Check(r); err != nil {
		s.crossOriginRefused(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// crossOriginRefused answers a state-changing request another site's page
// made the browser send. Its log line is rate-limited (that page can send
// these at will) and the connection is closed.
func (s *Server) crossOriginRefused(w http.ResponseWriter, r *http.Request) {
	if ok, held := s.refusedLog.allow("cross-origin"); ok {
		s.log.Warn("web: cross-origin request refused", "method", r.Method, "path", shortField(r.URL.Path), "client", r.RemoteAddr, "refusals_not_logged", held)
	}
	w.Header().Set("Connection", "close")
	s.refuse(w, r, http.StatusForbidden, texts.CodeCrossOrigin)
}

// setSecurityHeaders sets, in one place, what every response carries.
func setSecurityHeaders(h http.Header, selfSigned bool) {
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if !selfSigned {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
}

// isUpload reports whether r goes to one of the two GUID uploads.
func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && (r.URL.Path == "/forgot/guid" || r.URL.Path == "/api/v1/recovery/guid")
}

// hostAllowed is the allow-list against DNS rebinding: the device's own
// addresses, localhost and the configured names. A page that someone on
// the LAN opens can make their browser talk to the recorder under the
// attacker's name; it then sends that name as Host.
func (s *Server) hostAllowed(r *http.Request) bool {
	// A request line in absolute form ("GET https://host/... HTTP/1.1",
	// what a proxy receives) or authority form (CONNECT) names a host of
	// its own, and Go's server then takes that one as r.Host and drops
	// the Host header unread: "GET https://<the device>/" with "Host:
	// evil.example" would pass a check of r.Host alone. No browser sends
	// either form to a server it talks to directly, nor does any tool of
	// ours: refused, whatever the line's host. (RequestURI is empty only
	// for a request that did not come through a server.)
	if r.RequestURI != "" && !strings.HasPrefix(r.RequestURI, "/") {
		return false
	}
	host := strings.ToLower(r.Host)
	if h, port, err := net.SplitHostPort(host); err == nil {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return false
		}
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if host == "" {
		return false
	}
	if host == "localhost" || slices.Contains(s.opts.Hosts, host) {
		return true
	}
	a, err := netip.ParseAddr(host)
	if err != nil || a.Zone() != "" {
		return false
	}
	a = a.Unmap()
	if a.IsLoopback() {
		return true
	}
	// The address the client connected to is the device's own.
	if la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if ap, err := netip.ParseAddrPort(la.String()); err == nil && ap.Addr().Unmap() == a {
			return true
		}
	}
	return s.isLocalAddr(a)
}

// isLocalAddr looks a among the device's addresses, reading them again
// when it is not among those last read (DHCP moves them) and they were
// read addrRefresh ago or more: on demand, with no timer.
func (s *Server) isLocalAddr(a netip.Addr) bool {
	s.addrMu.Lock()
	defer s.addrMu.Unlock()
	if slices.Contains(s.addrs, a) {
		return true
	}
	now := s.opts.Clock.Now()
	if !s.addrRead.IsZero() && now.Sub(s.addrRead) < addrRefresh && !now.Before(s.addrRead) {
		return false
	}
	s.addrs, s.addrRead = s.opts.LocalAddrs(), now
	return slices.Contains(s.addrs, a)
}

// interfaceAddrs lists the addresses of the device's interfaces.
func interfaceAddrs() []netip.Addr {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []netip.Addr
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(n.IP); ok {
				out = append(out, ip.Unmap())
			}
		}
	}
	return out
}

// clientAddr is the client's address: the TCP peer, or, on the socket
// and from the front server only (Options.FrontUID), the last address of
// Options.ClientHeader.
func (s *Server) clientAddr(r *http.Request) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap(), true
	}
	if s.opts.ClientHeader == "" {
		return netip.Addr{}, false
	}
	if uid, ok := r.Context().Value(peerUIDKey{}).(uint32); !ok || uid != s.opts.FrontUID {
		// Another local process that reached the socket: what it puts
		// in the header would pick the address the core throttles and
		// the audit log names.
		if ok, held := s.refusedLog.allow("peer"); ok {
			s.log.Warn("web: request on the socket from a process that is not the front server refused", "peer_uid", peerUIDText(r), "front_uid", s.opts.FrontUID, "refusals_not_logged", held)
		}
		return netip.Addr{}, false
	}
	values := r.Header.Values(s.opts.ClientHeader)
	if len(values) == 0 {
		return netip.Addr{}, false
	}
	last := values[len(values)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	a, err := netip.ParseAddr(strings.TrimSpace(last))
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// peerUIDKey is the request context's key for the socket peer's user id
// (uint32), set for each connection the kernel can name (peerContext).
type peerUIDKey struct{}

// peerContext notes, on a unix socket, the connecting process's user id.
func peerContext(ctx context.Context, c net.Conn) context.Context {
	if lc := limitConnOf(c); lc != nil {
		c = lc.Conn
	}
	if uid, ok := socketPeerUID(c); ok {
		return context.WithValue(ctx, peerUIDKey{}, uid)
	}
	return ctx
}

// peerUIDText is the socket peer's user id for a log line.
func peerUIDText(r *http.Request) string {
	if uid, ok := r.Context().Value(peerUIDKey{}).(uint32); ok {
		return strconv.FormatUint(uint64(uid), 10)
	}
	return "unknown"
}

// door is the core's door for r's client, named door ("web" or "api");
// ok is false, and r answered, when the client's address is unknown.
func (s *Server) door(w http.ResponseWriter, r *http.Request, name string) (Door, bool) {
	a, ok := s.clientAddr(r)
	if !ok {
		s.log.Warn("web: request without a client address refused", "path", r.URL.Path, "remote", r.RemoteAddr)
		s.refuse(w, r, http.StatusBadRequest, texts.CodeNoClientAddress)
		return nil, false
	}
	return s.opts.Doors(recovery.Caller{Door: name, Class: recovery.ClassNetwork, Addr: a}), true
}

// refuse answers a request refused before or without the core, as JSON
// for the API and as a page otherwise.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, code texts.Code) {
	if isAPI(r) {
		s.apiProblem(w, r, status, texts.Problem{Code: code})
		return
	}
	s.errorPage(w, r, status, texts.Problem{Code: code})
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// shortField cuts a client's value for a log line.
func shortField(v string) string {
	if len(v) > 64 {
		v = v[:64] + "..."
	}
	return strconv.Quote(v)
}

// HTTPServer is an http.Server for s with the door's limits: header size,
// read-header, read, write and idle timeouts, HTTP/1.1 only (one request
// at a time per connection, so that Listen's connection cap bounds the
// requests too), and, for TCP, TLS with cert: 1.3 as Go sets it up, or
// 1.2 with the AEAD suites of tls12Suites only.
func (s *Server) HTTPServer(cert *tls.Certificate) *http.Server {
	srv := &http.Server{
		Handler:           busyWhileServing(s),
		ReadHeaderTimeout: s.timeouts.readHeader,
		ReadTimeout:       s.timeouts.read,
		WriteTimeout:      s.timeouts.write,
		IdleTimeout:       s.timeouts.idle,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		Protocols:         new(http.Protocols),
		ConnContext:       connContext,
		ConnState:         connStateHook,
	}
	srv.Protocols.SetHTTP1(true)
	if cert != nil {
		srv.TLSConfig = &tls.Config{
			MinVersion:   tls.VersionTLS12,
			CipherSuites: tls12Suites,
			Certificates: []tls.Certificate{*cert},
			NextProtos:   []string{"http/1.1"},
		}
	}
	return srv
}

// tls12Suites are the TLS 1.2 cipher suites the door accepts: ECDHE for
// forward secrecy and an AEAD (AES-GCM, ChaCha20-Poly1305), for an ECDSA
// certificate (the self-signed one) or an RSA one (an installer's). No
// CBC, no RSA key exchange. TLS 1.3's suites are not configurable in Go
// and are all AEAD.
var tls12Suites = []uint16{
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
}

// staticFS is the embedded assets' folder.
func staticFS() fs.FS { sub, _ := fs.Sub(assets, "static"); return sub }
