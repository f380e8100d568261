//go:build !noweb

package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"os"
	osuser "os/user"
	"runtime/debug"
	"strconv"
	"strings"

	"nvrmenu/config"
	"nvrmenu/internal/buildinfo"
	"nvrmenu/internal/certfp"
	"nvrmenu/internal/selfcert"
	"nvrmenu/recovery"
	"nvrmenu/web"
)

// webBuilt says this daemon has the web door (the noweb build tag leaves
// it out, for firmware that does not want net/http and crypto/tls).
const webBuilt = true

// webCertificate is the door's certificate for cfg: the configured files,
// else the self-signed one kept in the state directory (made at the first
// start). Nil on a socket, where the firmware's web server does TLS.
func webCertificate(cfg config.Config) (*tls.Certificate, error) {
	if strings.HasPrefix(cfg.Web.Listen, "unix:") {
		return nil, nil
	}
	var cert tls.Certificate
	var err error
	if cfg.Web.CertFile != "" {
		cert, err = selfcert.Load(cfg.Web.CertFile, cfg.Web.KeyFile)
	} else {
		cert, err = selfcert.LoadOrCreate(cfg.StateDir, selfcert.LocalAddrs(), nil)
	}
	if err != nil {
		return nil, err
	}
	return &cert, nil
}

// printFingerprint is -fingerprint: the SHA-256 of the web certificate an
// installer compares with what the browser shows.
func (d *daemon) printFingerprint(cfg config.Config) int {
	if cfg.Web.Listen == "" {
		fmt.Fprintln(d.stderr, "nvr-menud: the web door is off (web.listen is empty): there is no certificate")
		return exitFailed
	}
	if strings.HasPrefix(cfg.Web.Listen, "unix:") {
		fmt.Fprintf(d.stderr, "nvr-menud: web.listen is %q: the firmware's web server holds the certificate, not nvr-menud\n", cfg.Web.Listen)
		return exitConfig
	}
	if problem, fix := stateDirProblem(cfg.StateDir); problem != "" && cfg.Web.CertFile == "" {
		fmt.Fprintf(d.stderr, "nvr-menud: %s, where the web door's certificate is kept: %s, then run this again\n", problem, fix)
		return exitFailed
	}
	// Made now if this is the first use: the daemon then serves the same.
	cert, err := webCertificate(cfg)
	if err != nil {
		fmt.Fprintf(d.stderr, "nvr-menud: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(d.stdout, "SHA-256 %s\n", selfcert.Fingerprint(*cert))
	return exitOK
}

// startWeb starts the web door of cfg on core, beside the menu, and
// returns how to stop it and what the menu's account screen and the SADP
// answers say of it. A door that cannot start (port taken, no
// certificate) is logged and left off: the console menu comes up anyway.
func (d *daemon) startWeb(cfg config.Config, core *recovery.Core, log *slog.Logger) (stop func(), door webInfo) {
	stop = func() {}
	if cfg.Web.Listen == "" {
		log.Info("web door off (web.listen is empty)")
		return stop, webInfo{}
	}
	cert, err := webCertificate(cfg)
	if err != nil {
		log.Error("web door not started: its certificate", "err", err)
		return stop, webInfo{}
	}
	var fingerprint certfp.Fingerprint
	opts := web.Options{
		Doors:    func(c recovery.Caller) web.Door { return core.Door(c) },
		Language: cfg.Language,
		Hosts:    cfg.Web.Hosts,
		Model:    deviceModel(cfg),
		Firmware: buildinfo.Version,
		Logger:   log,
	}
	if cert != nil {
		fingerprint = selfcert.Fingerprint(*cert)
		opts.CertFingerprint, opts.SelfSigned = fingerprint, selfcert.SelfSigned(*cert)
	} else {
		uid, err := frontUID(cfg.Web.FrontUser)
		if err != nil {
			log.Error("web door not started", "err", err)
			return stop, webInfo{}
		}
		opts.ClientHeader, opts.FrontUID = cfg.Web.ClientHeader, uid
	}
	srv, err := web.New(opts)
	if err != nil {
		log.Error("web door not started", "err", err)
		return stop, webInfo{}
	}
	ln, err := web.Listen(cfg.Web.Listen, cert, cfg.Web.MaxConns)
	if err != nil {
		log.Error("web door not started", "err", err)
		return stop, webInfo{}
	}
	// A door on the loopback alone (the demo's default) is not one the
	// LAN can reach: SADP does not announce it. The console shows it
	// whenever it runs.
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && cert != nil {
		if !tcp.IP.IsLoopback() {
			door = webInfo{fingerprint: fingerprint, port: tcp.Port}
			if !tcp.IP.IsUnspecified() {
				door.host = tcp.IP.String()
			}
		}
		door.shown = shownDoor{fingerprint: fingerprint, urls: doorURLs(tcp)}
	}
	// One argon2id at a time holds the KDF's memory; what a flood of
	// clients adds on top (TLS handshakes, request buffers) is garbage
	// the collector would otherwise let grow to the size of the live heap,
	// the KDF's block included. A soft limit a little above the cap makes
	// it collect first.
	debug.SetMemoryLimit(int64(cfg.KDF.MemoryCapMiB+webMemoryHeadroomMiB) << 20)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ctx, ln, cert); err != nil && ctx.Err() == nil {
			log.Error("web door stopped", "err", err)
		}
	}()
	log.Info("web door listening", "addr", listenName(ln), "fingerprint", fingerprint, "self_signed", opts.SelfSigned, "activation", cfg.Web.Activation, "activation_window", cfg.Web.ActivationWindow)
	return func() { cancel(); <-done }, door
}

// frontUID is the user id of web.front_user: a number as it is, a name
// from the user database, "" the daemon's own.
func frontUID(user string) (uint32, error) {
	if user == "" {
		return uint32(os.Getuid()), nil
	}
	if n, err := strconv.ParseUint(user, 10, 32); err == nil {
		return uint32(n), nil
	}
	u, err := osuser.Lookup(user)
	if err != nil {
		return 0, fmt.Errorf("web.front_user: %w", err)
	}
	n, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("web.front_user %q: user id %q: %w", user, u.Uid, err)
	}
	return uint32(n), nil
}

// doorURLs are the addresses a door listening on tcp is reached at: its
// own, or, listening on every address, the recorder's (not the loopback).
func doorURLs(tcp *net.TCPAddr) []string {
	ips := []net.IP{tcp.IP}
	if tcp.IP.IsUnspecified() {
		ips = selfcert.LocalAddrs()
	}
	var urls []string
	for _, ip := range ips {
		if ip.IsLinkLocalUnicast() {
			continue // fe80::: not one to type in a browser
		}
		urls = append(urls, "https://"+net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))+"/")
	}
	return urls
}

// webMemoryHeadroomMiB is the Go runtime's soft memory limit above the
// argon2id cap while the web door runs.
const webMemoryHeadroomMiB = 16

// listenName is where the door listens, as the log says it.
func listenName(ln net.Listener) string {
	if ln.Addr().Network() == "unix" {
		return "unix:" + ln.Addr().String()
	}
	return "https://" + ln.Addr().String() + "/"
}
