// Package config loads and validates nvrmenu's one TOML configuration file.
//
// Loading is strict: an unknown key (even one that differs only in case) is
// an error naming it, every value is checked, and an error says which file
// and key are wrong and why, in one line. A key missing from the file keeps
// its default. The defaults are the embedded default.toml, which documents
// every key and is the whole configuration of the demo, which needs no
// file. The package reads one file and imports no crypto.
package config

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"sync"
	"time"
)

// DefaultPath is where the daemon looks for its configuration file.
const DefaultPath = "/etc/nvr-menu/config.toml"

// MaxFileSize is the largest configuration file Load reads: the real one
// is a few KiB, and a bigger file is a mistake, not a configuration.
const MaxFileSize = 64 << 10

//go:embed default.toml
var defaultTOML []byte

// Config is the whole configuration. Its zero value is not valid: start
// from Default, Load or Parse.
type Config struct {
	// Language of the menu: "it" or "en".
	Language string `toml:"language"`
	// StateDir holds the recovery state and the audit log.
	StateDir string `toml:"state_dir"`

	Device   Device   `toml:"device"`
	Password Password `toml:"password"`
	Recovery Recovery `toml:"recovery"`
	USB      USB      `toml:"usb"`
	Console  Console  `toml:"console"`
	Log      Log      `toml:"log"`
	Notify   Notify   `toml:"notify"`
	KDF      KDF      `toml:"kdf"`
	SADP     SADP     `toml:"sadp"`
	Web      Web      `toml:"web"`
}

// Device describes the recorder itself.
type Device struct {
	// Serial names GUID files and goes into recovery QR codes.
	Serial string `toml:"serial"`
	// Model is the model name the recorder gives installers' tools (SADP's
	// DeviceDescription).
	Model string `toml:"model"`
}

// Password is the configurable part of the admin password policy.
type Password struct {
	// MaxLength is the longest password accepted; the minimum is fixed at 8.
	MaxLength int `toml:"max_length"`
}

// Recovery configures the ways an owner can prove who they are.
type Recovery struct {
	// VendorPublicKey is the vendor's key in its text form
	// ("nvrvk1:..."); empty makes the reserved-email method unavailable.
	VendorPublicKey string `toml:"vendor_public_key"`
	// RecoveryAddress is the vendor mailbox the owner mails the QR code to.
	RecoveryAddress string `toml:"recovery_address"`
	// AppURL is the vendor's recovery page address: the QR code is then
	// that page's URL, which a phone's camera opens; empty keeps the
	// "NVRR1:" text, which only a mailed picture or a vendor's tool reads.
	AppURL string `toml:"app_url"`
	// CodeTTL is how long an emailed verification code lives.
	CodeTTL time.Duration `toml:"code_ttl"`
	// GUID, Questions and Email say which methods the menu offers.
	GUID      bool `toml:"guid"`
	Questions bool `toml:"questions"`
	Email     bool `toml:"email"`
}

// USB configures how USB sticks are found.
type USB struct {
	// Source is "mounts" (filesystems mounted under MediaRoot, the
	// recorder) or "dirs" (every directory under MediaRoot is a stick, for
	// the demo and tests).
	Source    string `toml:"source"`
	MediaRoot string `toml:"media_root"`
}

// Console configures the screen and the pointer.
type Console struct {
	// TTY is the terminal device to draw on; empty is the terminal the
	// daemon was started in.
	TTY string `toml:"tty"`
	// Mouse is the PS/2-style mouse device read directly; empty disables it.
	Mouse string `toml:"mouse"`
	// QRBlocks is "half" (half-block glyphs) or "full" (full blocks, for
	// console fonts without half blocks).
	QRBlocks string `toml:"qr_blocks"`
	// Font is the console font the daemon loads on a virtual console:
	// "auto" (its size from the screen's), a size ("8x16", "12x24",
	// "16x32"), or "keep" (the firmware's own).
	Font string `toml:"font"`
	// Keymap is the keyboard layout loaded on a virtual console: "us",
	// "it", or "keep" (leave the kernel's as it is).
	Keymap string `toml:"keymap"`
}

// Log configures the daemon's log.
type Log struct {
	// File is an absolute path; empty logs to standard error.
	File string `toml:"file"`
	// Level is "debug", "info", "warn" or "error".
	Level string `toml:"level"`
}

// Notify configures the command run after every password change.
type Notify struct {
	// Command is the argument list, program first with an absolute path;
	// empty runs nothing.
	Command []string `toml:"command"`
	// Timeout is how long the command may run before it is killed.
	Timeout time.Duration `toml:"timeout"`
}

// KDF bounds the argon2id calibration made at activation.
type KDF struct {
	// MemoryCapMiB is the most memory one hash may use, in MiB.
	MemoryCapMiB int `toml:"memory_cap_mib"`
	// TargetTime is how long one verification should take.
	TargetTime time.Duration `toml:"target_time"`
}

// SADP configures the answers to installers' discovery tools on the LAN.
type SADP struct {
	// Enabled answers SADP discovery.
	Enabled bool `toml:"enabled"`
	// Interfaces names the network interfaces to answer on; empty is every
	// interface that is up, multicast-capable and not the loopback.
	Interfaces []string `toml:"interfaces"`
	// AnySubnet answers probes from outside the receiving interface's own
	// subnets too.
	AnySubnet bool `toml:"any_subnet"`
}

// Web configures the web door: the recovery pages for a browser and the
// JSON API for the installer's tool.
type Web struct {
	// Listen is where the door listens: "host:port" over TLS (an empty
	// host is every address), "unix:/path" for a socket behind the
	// firmware's own web server (no TLS there), or "" for no web door.
	Listen string `toml:"listen"`
	// Hosts are the Host names allowed besides the device's own addresses
	// and localhost (the defence against DNS rebinding), on TCP and on a
	// socket alike.
	Hosts []string `toml:"hosts"`
	// CertFile and KeyFile are a PEM certificate and key; both empty: a
	// self-signed certificate kept in the state directory.
	CertFile string `toml:"cert_file"`
	KeyFile  string `toml:"key_file"`
	// Activation lets the web page activate a new device.
	Activation bool `toml:"activation"`
	// ActivationWindow narrows Activation to this long after the
	// recorder is switched on; 0: any time.
	ActivationWindow time.Duration `toml:"activation_window"`
	// ClientHeader is the header the firmware's web server puts the
	// client's address in, read on a unix socket only.
	ClientHeader string `toml:"client_header"`
	// FrontUser is the user the firmware's web server runs as (a name or
	// a numeric uid; "" is the daemon's own): on a unix socket only its
	// connections are served, and only its ClientHeader believed.
	FrontUser string `toml:"front_user"`
	// MaxConns bounds the connections served at once.
	MaxConns int `toml:"max_conns"`
}

// embeddedDefault parses default.toml once.
var embeddedDefault = sync.OnceValue(func() Config { return mustParseDefault(defaultTOML) })

// mustParseDefault parses data over the zero Config and panics if it is
// not a valid configuration: a broken default.toml is a build mistake.
func mustParseDefault(data []byte) Config {
	c, err := parseOver(Config{}, data)
	if err != nil {
		panic(fmt.Sprintf("config: embedded default.toml: %v", err))
	}
	return c
}

// Default returns the embedded default configuration, the one the demo
// runs with. It panics only if the embedded default.toml is broken.
func Default() Config {
	c := embeddedDefault()
	c.Notify.Command = slices.Clone(c.Notify.Command) // never share the cached slices
	c.SADP.Interfaces = slices.Clone(c.SADP.Interfaces)
	c.Web.Hosts = slices.Clone(c.Web.Hosts)
	return c
}

// Parse decodes data strictly over the defaults, so that a missing key keeps
// its default, and validates the result. Every error wraps ErrInvalid; a
// problem with one key is a *KeyError.
func Parse(data []byte) (Config, error) {
	return parseOver(Default(), data)
}

// Load reads the file at path (at most MaxFileSize bytes) and parses it
// with Parse. Every error names the file. A missing file is reported with
// an error that errors.Is fs.ErrNotExist: the caller decides whether that
// means running on Default.
func Load(path string) (Config, error) {
	data, err := readCapped(path)
	if err == nil {
		var c Config
		if c, err = Parse(data); err == nil {
			return c, nil
		}
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		err = pathErr.Err // the path is said once, below
	}
	return Config{}, fmt.Errorf("config %s: %w", path, err)
}

// readCapped reads the whole file, refusing one larger than MaxFileSize
// without reading more than one byte past the limit (a device such as
// /dev/zero given by mistake would never end).
func readCapped(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, &fileError{fmt.Sprintf("file is larger than %d KiB", MaxFileSize>>10)}
	}
	return data, nil
}
