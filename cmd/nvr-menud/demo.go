package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"nvrmenu/config"
	"nvrmenu/recovery"
)

// demoDevice is a self-contained recorder kept in one directory: its state,
// a media root where every directory is a plugged stick, and a demo vendor
// key pair whose private half stays there for recovery-issuer.
type demoDevice struct {
	dir, state, media, key, log string
	public                      recovery.VendorPublicKey
	// web is -web: where the demo's web door listens ("" is demoWeb).
	web string
}

// demoWeb is where the demo's web door listens by default.
const demoWeb = "127.0.0.1:8443"

// webListen is the demo's web.listen.
func (d *demoDevice) webListen() string {
	if d.web != "" {
		return d.web
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
		k, err := recovery.GenerateVendorKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(d.key, recovery.MarshalVendorPrivateKey(k), 0o600); err != nil {
			return nil, err
		}
		d.public = k.Public()
	case err != nil:
		return nil, err
	default:
		k, err := recovery.ParseVendorPrivateKey(data)
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
	c.Console.TTY = ""
	c.Console.Mouse = ""
	c.Log.File = d.log
	c.Web.Listen = d.webListen()
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("-web %q: %w", d.web, err)
	}
	return c, nil
}

// help tells the newcomer how to play the demo.
func (d *demoDevice) help() string {
	return fmt.Sprintf(`nvr-menud demo device in %s
  plug a stick:     mkdir %s/STICK      (remove the directory to pull it)
  vendor's answer:  go run ./cmd/recovery-issuer issue -key %s -png %s/STICK/QR-....png
  log:              %s
  start afresh:     rm -r %s
%s`, d.dir, d.media, d.key, d.media, d.log, d.dir, d.webHelp())
}

// webHelp tells where the demo's web door is, when this daemon has one.
func (d *demoDevice) webHelp() string {
	if !webBuilt {
		return ""
	}
	return fmt.Sprintf(`  web page:         https://%s/   (self-signed: the browser warns; compare
                    the fingerprint with: nvr-menud -demo %s -fingerprint)
  installer's API:  https://%s/api/v1/device   (docs/web.md)
`, d.webListen(), d.dir, d.webListen())
}
