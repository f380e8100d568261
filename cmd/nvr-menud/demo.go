package main

import (
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"

	"nvrmenu/config"
	"nvrmenu/internal/payload"
)

// demoDevice is a self-contained recorder kept in one directory: its state,
// a media root where every directory is a plugged stick, and a demo vendor
// key pair whose private half stays there for recovery-issuer.
type demoDevice struct {
	dir, state, media, key, log string
	public                      payload.PublicKey
	flags                       demoFlags
}

// demoFlags let two demo recorders run side by side (each in its own
// network namespace: the SADP port is one per host).
type demoFlags struct {
	serial     string // device.serial
	interfaces string // sadp.interfaces, comma-separated; "" is every suitable one
	web        string // the web door's address; "" is demoWeb
	lang       string // language; "" is the embedded default's
}

func (f *demoFlags) register(fl *flag.FlagSet) {
	fl.StringVar(&f.serial, "serial", "", "demo: the device `serial` (default: the embedded default's)")
	fl.StringVar(&f.interfaces, "sadp-interfaces", "", "demo: answer SADP on these `interfaces` only, comma-separated (default: every suitable one)")
	fl.StringVar(&f.web, "web", "", "demo: serve the web door on `host:port` instead of "+demoWeb)
	fl.StringVar(&f.lang, "lang", "", "demo: the menu's and the web page's `language`, it or en (default: the embedded default's, it)")
}

// set names the first demo flag given, or "".
func (f *demoFlags) set(fl *flag.FlagSet) string {
	var name string
	fl.Visit(func(g *flag.Flag) {
		if name == "" && (g.Name == "serial" || g.Name == "sadp-interfaces" || g.Name == "web" || g.Name == "lang") {
			name = g.Name
		}
	})
	return name
}

// demoWeb is where the demo's web door listens by default.
const demoWeb = "127.0.0.1:8443"

// demoAppURL is the page of the demo recovery service, recovery-issuer
// serve -demo DIR, which reads the demo's vendor key from the same DIR.
const demoAppURL = "https://127.0.0.1:8444/r/"

// webListen is the demo's web.listen.
func (d *demoDevice) webListen() string {
	if d.flags.web != "" {
		return d.flags.web
	}
	return demoWeb
}

// prepareDemo makes (or reopens) the demo device in dir.
func prepareDemo(dir string) (*demoDevice, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	d := &demoDevice{
		dir:   abs,
		state: filepath.Join(abs, "state"),
		media: filepath.Join(abs, "media"),
		key:   filepath.Join(abs, "vendor.key"),
		log:   filepath.Join(abs, "nvr-menud.log"),
	}
	for _, p := range []string{d.dir, d.state, d.media} {
		if err := os.MkdirAll(p, 0o700); err != nil {
			return nil, err
		}
	}
	data, err := os.ReadFile(d.key)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		k, err := payload.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(d.key, payload.MarshalPrivateKey(k), 0o600); err != nil {
			return nil, err
		}
		d.public = k.Public()
	case err != nil:
		return nil, err
	default:
		k, err := payload.ParsePrivateKey(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.key, err)
		}
		d.public = k.Public()
	}
	return d, nil
}

// config is the embedded default pointed at the demo directory, with the
// "dirs" stick source and no mouse device (the terminal's mouse works).
func (d *demoDevice) config() (config.Config, error) {
	c := config.Default()
	c.StateDir = d.state
	c.USB.Source = "dirs"
	c.USB.MediaRoot = d.media
	c.Recovery.VendorPublicKey = d.public.String()
	// The demo's QR code opens the demo recovery service's page
	// (recovery-issuer serve -demo, on the same directory).
	c.Recovery.AppURL = demoAppURL
	c.Console.TTY = ""
	c.Console.Mouse = ""
	c.Log.File = d.log
	if d.flags.serial != "" {
		c.Device.Serial = d.flags.serial
	}
	if d.flags.lang != "" {
		c.Language = d.flags.lang
	}
	if d.flags.interfaces != "" {
		c.SADP.Interfaces = nil
		for _, name := range strings.Split(d.flags.interfaces, ",") {
			c.SADP.Interfaces = append(c.SADP.Interfaces, strings.TrimSpace(name))
		}
	}
	if d.flags.web != "" {
		if _, _, err := net.SplitHostPort(d.flags.web); err != nil {
			return c, fmt.Errorf("-web %q: want host:port: %w", d.flags.web, err)
		}
	}
	c.Web.Listen = d.webListen()
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("demo flags: %w", err)
	}
	return c, nil
}

// help tells the newcomer how to play the demo: a first line, then one
// hint a line, its label ending in ':' (the menu lays them out for its F1
// dialog at every size). Every command works as printed, from the
// repository's root on the demo's own machine.
func (d *demoDevice) help() string {
	return fmt.Sprintf(`nvr-menud demo device in %s
  plug a stick:       mkdir %s/STICK   (remove the directory to pull it)
  vendor's service:   go run ./cmd/recovery-issuer serve -demo %s
                      (scan the QR code, or mail the exported PNG to 127.0.0.1:2525;
                      the code lands in %s/outbox/new)
  vendor by hand:     go run ./cmd/recovery-issuer issue -key %s -png %s/STICK/QR-*.png
  find it on the LAN: go run ./cmd/nvr-sadp list   (this machine's own probes are answered too)
%s  log:                %s
  start afresh:       rm -r %s
  quit:               Ctrl-C; after a kill -9 the terminal stays raw: type reset
`, d.dir, d.media, d.dir, d.dir, d.key, d.media, d.webHelp(), d.log, d.dir)
}

// webHelp tells where the demo's web door is, when this daemon has one.
func (d *demoDevice) webHelp() string {
	if !webBuilt {
		return ""
	}
	return fmt.Sprintf(`  web page:           https://%s/   (self-signed: the browser warns; compare
                      the fingerprint with: %s -demo %s -fingerprint)
  installer's API:    https://%s/api/v1/device   (docs/web.md)
`, d.webListen(), selfCommand(os.Args[0]), d.dir, d.webListen())
}

// selfCommand is how to run this program again from the repository's
// root: its path as it was started, or "go run ./cmd/nvr-menud" when go run
// built it in a directory of its own that is gone by now.
func selfCommand(arg0 string) string {
	if strings.Contains(filepath.ToSlash(arg0), "/go-build") {
		return "go run ./cmd/nvr-menud"
	}
	return arg0
}
