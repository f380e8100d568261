package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/netutil"

	"nvrmenu/internal/payload"
	"nvrmenu/internal/selfcert"
	"nvrmenu/issuer/config"
	"nvrmenu/issuer/keyring"
	"nvrmenu/issuer/ledger"
	"nvrmenu/issuer/limits"
	"nvrmenu/issuer/mailin"
	"nvrmenu/issuer/mailout"
	"nvrmenu/issuer/phone"
	"nvrmenu/issuer/service"
)

// shutdownGrace is how long a stop waits for the messages and pages being
// handled; what is still open then is closed unanswered (a sender's MTA
// tries again).
const shutdownGrace = 30 * time.Second

const serveUsage = `usage: recovery-issuer serve -config FILE [-check]
       recovery-issuer serve -demo DIR [-smtp ADDR] [-lmtp ADDR] [-phone ADDR]`

// serve runs the recovery service until ctx ends (SIGINT, SIGTERM).
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	cfgPath := fl.String("config", "", "the service's TOML `file` (docs: issuer/config/default.toml)")
	check := fl.Bool("check", false, "check the configuration, the key, the certificates and the ledger, then exit")
	demo := fl.String("demo", "", "run the demo service beside nvr-menud -demo `DIR`")
	smtpAddr := fl.String("smtp", "", "demo: SMTP on `host:port` instead of "+config.DemoSMTP)
	lmtpAddr := fl.String("lmtp", "", "demo: LMTP on `host:port` instead of "+config.DemoLMTP)
	phoneAddr := fl.String("phone", "", "demo: the phone page on `host:port` instead of "+config.DemoPhone)
	if err := fl.Parse(args); err != nil || fl.NArg() > 0 || (*cfgPath == "") == (*demo == "") ||
		(*demo == "" && (*smtpAddr != "" || *lmtpAddr != "" || *phoneAddr != "")) {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, serveUsage)
			return 0
		}
		fmt.Fprintln(stderr, serveUsage)
		return exitUsage
	}
	var cfg config.Config
	var err error
	if *demo != "" {
		cfg, err = demoConfig(*demo, *smtpAddr, *lmtpAddr, *phoneAddr)
	} else {
		cfg, err = config.Load(*cfgPath)
	}
	if err != nil {
		fmt.Fprintln(stderr, "recovery-issuer:", err)
		return exitRefused
	}
	log := newLogger(cfg.Log, stderr)
	st, err := build(ctx, cfg, *demo, !*check, log)
	if err != nil {
		fmt.Fprintln(stderr, "recovery-issuer:", err)
		return exitRefused
	}
	if *check {
		st.close()
		fmt.Fprintf(stdout, "config %s: ok (vendor key %s)\n", *cfgPath, st.keyID)
		return 0
	}
	return st.run(ctx, log)
}

// demoConfig is the demo service for dir, with its addresses moved by the
// flags. The vendor key is the one nvr-menud -demo keeps there, made here
// first when the service starts before the recorder.
func demoConfig(dir, smtpAddr, lmtpAddr, phoneAddr string) (config.Config, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return config.Config{}, err
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return config.Config{}, err
	}
	cfg := config.Demo(abs)
	for _, o := range []struct {
		flag string
		to   *string
	}{{smtpAddr, &cfg.SMTP.Listen}, {lmtpAddr, &cfg.LMTP.Listen}, {phoneAddr, &cfg.Phone.Listen}} {
		if o.flag != "" {
			*o.to = o.flag
		}
	}
	if _, err := os.Stat(cfg.KeyFile); errors.Is(err, fs.ErrNotExist) {
		k, err := payload.GenerateKey(rand.Reader)
		if err != nil {
			return cfg, err
		}
		f, err := os.OpenFile(cfg.KeyFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, err = f.Write(payload.MarshalPrivateKey(k))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil && !errors.Is(err, fs.ErrExist) {
			return cfg, fmt.Errorf("demo vendor key: %w", err)
		}
	}
	return cfg, cfg.Validate()
}

func newLogger(c config.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// stack is the service and its listeners, built from one configuration.
type stack struct {
	cfg    config.Config
	keyID  payload.KeyID
	ledger ledger.Ledger
	svc    *service.Service
	smtp   *mailin.Server
	lmtp   *mailin.Server
	web    *http.Server
	webTLS bool
	lis    map[string]net.Listener
}

func (s *stack) close() {
	for _, l := range s.lis {
		l.Close()
	}
	if s.ledger != nil {
		s.ledger.Close()
	}
}

// build opens everything the configuration names (the key, the ledger,
// the certificates) so that -check finds every problem, and binds the
// listeners when bind is set (-check leaves them to a running service).
func build(ctx context.Context, cfg config.Config, demoDir string, bind bool, log *slog.Logger) (st *stack, err error) {
	st = &stack{cfg: cfg, lis: map[string]net.Listener{}}
	opened := st // st is nil on an error return: close what was opened
	defer func() {
		if err != nil {
			opened.close()
		}
	}()
	keys, err := keyring.Load(cfg.KeyFile)
	if err != nil {
		return nil, err
	}
	st.keyID = keys.KeyID()
	switch cfg.Ledger.Driver {
	case "postgres":
		dsn, err := os.ReadFile(cfg.Ledger.DSNFile)
		if err != nil {
			return nil, fmt.Errorf("ledger.dsn_file: %w", err)
		}
		octx, cancel := context.WithTimeout(ctx, 30*time.Second)
		st.ledger, err = ledger.OpenPostgres(octx, strings.TrimSpace(string(dsn)))
		cancel()
		if err != nil {
			return nil, err
		}
	default:
		if err := os.MkdirAll(filepath.Dir(cfg.Ledger.Path), 0o700); err != nil {
			return nil, fmt.Errorf("ledger: %w", err)
		}
		if st.ledger, err = ledger.OpenBolt(cfg.Ledger.Path); err != nil {
			return nil, err
		}
	}
	var sender mailout.Sender
	if cfg.Mailout.Maildir != "" {
		sender = &mailout.Maildir{Dir: cfg.Mailout.Maildir}
	} else {
		r := &mailout.Relay{Addr: cfg.Mailout.Relay, TLS: cfg.Mailout.TLS, Username: cfg.Mailout.Username, Timeout: cfg.Mailout.Timeout.D()}
		if cfg.Mailout.Username != "" {
			pw, err := os.ReadFile(cfg.Mailout.PasswordFile)
			if err != nil {
				return nil, fmt.Errorf("mailout.password_file: %w", err)
			}
			r.Password, _, _ = strings.Cut(string(pw), "\n")
		}
		sender = r
	}
	host := cfg.SMTP.Domain
	lim := cfg.Limits
	st.svc = service.New(service.Options{
		Keyring: keys, Ledger: st.ledger, Sender: sender,
		From: cfg.Mailout.From, Host: host,
		MaxCodeAge: cfg.MaxCodeAge.D(), CodeLife: cfg.CodeLife.D(),
		Window: lim.Window.D(), PerChallenge: lim.PerChallenge, PerSerial: lim.PerSerial, PerAddress: lim.PerAddress,
		Client:  limits.Bucket{Burst: lim.PerClientBurst, Every: lim.PerClientInterval.D()},
		Global:  limits.Bucket{Burst: lim.GlobalBurst, Every: lim.GlobalInterval.D()},
		Clients: lim.Clients,
		Logger:  log,
	})
	for _, m := range []struct {
		name string
		c    config.Listener
		dst  **mailin.Server
	}{{"smtp", cfg.SMTP, &st.smtp}, {"lmtp", cfg.LMTP, &st.lmtp}} {
		if m.c.Listen == "" {
			continue
		}
		var tlsCfg *tls.Config
		if m.c.CertFile != "" {
			cert, err := selfcert.Load(m.c.CertFile, m.c.KeyFile)
			if err != nil {
				return nil, fmt.Errorf("%s certificate: %w", m.name, err)
			}
			tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		}
		*m.dst = mailin.New(mailin.Options{
			Handler: st.svc, LMTP: m.name == "lmtp", Trusted: m.name == "lmtp",
			Domain: m.c.Domain, MaxMessageBytes: m.c.MaxMessageBytes, MaxConns: m.c.MaxConns,
			Timeout: m.c.Timeout.D(), TLS: tlsCfg, Logger: log,
		})
		if !bind {
			continue
		}
		if st.lis[m.name], err = listen(m.c.Listen); err != nil {
			return nil, fmt.Errorf("%s.listen: %w", m.name, err)
		}
	}
	if cfg.Phone.Listen != "" {
		var cert tls.Certificate
		switch {
		case cfg.Phone.CertFile != "":
			cert, err = selfcert.Load(cfg.Phone.CertFile, cfg.Phone.KeyFile)
			st.webTLS = true
		case cfg.Demo:
			tlsDir := filepath.Join(demoDir, "issuer-tls")
			if err = os.MkdirAll(tlsDir, 0o700); err == nil {
				cert, err = selfcert.LoadOrCreate(tlsDir, []net.IP{net.IPv4(127, 0, 0, 1)}, nil)
			}
			st.webTLS = true
		}
		if err != nil {
			return nil, fmt.Errorf("phone certificate: %w", err)
		}
		h := phone.New(phone.Options{Service: st.svc, Path: cfg.Phone.Path, ClientHeader: cfg.Phone.ClientHeader,
			HSTS: st.webTLS && !selfcert.SelfSigned(cert), Logger: log})
		st.web = &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       10 * time.Second,
			WriteTimeout:      cfg.Mailout.Timeout.D() + 15*time.Second,
			IdleTimeout:       60 * time.Second,
			MaxHeaderBytes:    8 << 10,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		}
		if st.webTLS {
			st.web.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		}
		if !bind {
			return st, nil
		}
		l, err := listen(cfg.Phone.Listen)
		if err != nil {
			return nil, fmt.Errorf("phone.listen: %w", err)
		}
		st.lis["phone"] = netutil.LimitListener(l, cfg.Phone.MaxConns)
	}
	return st, nil
}

// listen binds "host:port" or "unix:/path" (a stale socket is replaced).
func listen(addr string) (net.Listener, error) {
	if p, ok := strings.CutPrefix(addr, "unix:"); ok {
		os.Remove(p)
		return net.Listen("unix", p)
	}
	return net.Listen("tcp", addr)
}

// run serves until ctx ends, then stops taking new work, finishes what
// was accepted (shutdownGrace at most), and closes the ledger.
func (st *stack) run(ctx context.Context, log *slog.Logger) int {
	errs := make(chan error, 3)
	var wg sync.WaitGroup
	start := func(name string, serve func(net.Listener) error) {
		l := st.lis[name]
		log.Info("listening", "proto", name, "addr", l.Addr().String())
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	if st.smtp != nil {
		start("smtp", st.smtp.Serve)
	}
	if st.lmtp != nil {
		start("lmtp", st.lmtp.Serve)
	}
	if st.web != nil {
		if st.webTLS {
			start("phone", func(l net.Listener) error { return st.web.ServeTLS(l, "", "") })
		} else {
			start("phone", st.web.Serve)
		}
	}
	pruneCtx, stopPrune := context.WithCancel(context.Background())
	go st.svc.Prune(pruneCtx, 10*time.Minute, 90*24*time.Hour)
	log.Info("recovery service started", "key", st.keyID.String(), "ledger", st.cfg.Ledger.Driver, "demo", st.cfg.Demo)
	code := 0
	select {
	case <-ctx.Done():
		log.Info("shutting down: finishing the messages and pages in hand")
	case err := <-errs:
		log.Error("listener failed", "err", err)
		code = exitRefused
	}
	stopCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	var swg sync.WaitGroup
	for _, stop := range []func(context.Context) error{
		func(c context.Context) error {
			if st.smtp == nil {
				return nil
			}
			return st.smtp.Shutdown(c)
		},
		func(c context.Context) error {
			if st.lmtp == nil {
				return nil
			}
			return st.lmtp.Shutdown(c)
		},
		func(c context.Context) error {
			if st.web == nil {
				return nil
			}
			return st.web.Shutdown(c)
		},
	} {
		swg.Add(1)
		go func() {
			defer swg.Done()
			if err := stop(stopCtx); err != nil {
				log.Warn("shutdown", "err", err)
			}
		}()
	}
	swg.Wait()
	wg.Wait()
	stopPrune()
	st.ledger.Close()
	log.Info("stopped")
	return code
}
