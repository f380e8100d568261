// Package config loads and validates nvrmenu's one TOML configuration file.
//
// Loading is strict: an unknown key is an error naming it, every value is
// validated, and an error says which file and key are wrong and why. A
// missing key keeps its default; the defaults are the embedded
// default.toml, which also documents every key and serves as the demo
// configuration when no file exists.
package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

//go:embed default.toml
var defaultTOML []byte

// DefaultPath is where the daemon looks for its config file.
const DefaultPath = "/etc/nvr-menu/config.toml"

// maxFileSize bounds a config file: the real one is a few KiB.
const maxFileSize = 64 << 10

// Config is the whole configuration.
type Config struct {
	Language string   `toml:"language"`
	StateDir string   `toml:"state_dir"`
	Device   Device   `toml:"device"`
	Password Password `toml:"password"`
	Recovery Recovery `toml:"recovery"`
	USB      USB      `toml:"usb"`
	Console  Console  `toml:"console"`
	Log      Log      `toml:"log"`
	Notify   Notify   `toml:"notify"`
	KDF      KDF      `toml:"kdf"`
}

// Device describes the recorder.
type Device struct {
	Serial string `toml:"serial"`
}

// Password is the admin password policy's configurable part.
type Password struct {
	MaxLength int `toml:"max_length"`
}

// Recovery configures the recovery methods.
type Recovery struct {
	VendorPublicKey string   `toml:"vendor_public_key"`
	RecoveryAddress string   `toml:"recovery_address"`
	CodeTTL         Duration `toml:"code_ttl"`
	GUID            bool     `toml:"guid"`
	Questions       bool     `toml:"questions"`
	Email           bool     `toml:"email"`
}

// USB configures the stick watcher.
type USB struct {
	Source    string `toml:"source"`
	MediaRoot string `toml:"media_root"`
}

// Console configures the screen and the mouse.
type Console struct {
	TTY      string `toml:"tty"`
	Mouse    string `toml:"mouse"`
	QRBlocks string `toml:"qr_blocks"`
}

// Log configures logging.
type Log struct {
	File  string `toml:"file"`
	Level string `toml:"level"`
}

// Notify configures the command run after a password change.
type Notify struct {
	Command []string `toml:"command"`
	Timeout Duration `toml:"timeout"`
}

// KDF configures argon2id calibration at activation.
type KDF struct {
	MemoryCapMiB int      `toml:"memory_cap_mib"`
	TargetTime   Duration `toml:"target_time"`
}

// Duration is a time.Duration written as a Go duration string ("48h").
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration like \"10s\" or \"48h\"", b)
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration as a Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// ErrInvalid is wrapped by every configuration error.
var ErrInvalid = errors.New("invalid configuration")

// KeyError names the key that is wrong and why.
type KeyError struct {
	Key     string
	Problem string
}

func (e *KeyError) Error() string { return fmt.Sprintf("key %s: %s", e.Key, e.Problem) }

// Unwrap makes every KeyError an ErrInvalid.
func (e *KeyError) Unwrap() error { return ErrInvalid }

// Default returns the embedded default configuration.
func Default() Config {
	c, err := Parse(defaultTOML)
	if err != nil {
		panic("config: embedded default.toml is broken: " + err.Error())
	}
	return c
}

// Load reads, parses and validates the file at path. Every error names
// the file.
func Load(path string) (Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return Config{}, fmt.Errorf("config %s: %w: larger than %d bytes", path, ErrInvalid, maxFileSize)
	}
	c, err := Parse(data)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// Parse decodes data over the defaults, strictly, and validates the result.
func Parse(data []byte) (Config, error) {
	var c Config
	if err := decodeStrict(defaultTOML, &c); err != nil {
		return Config{}, err
	}
	if err := decodeStrict(data, &c); err != nil {
		return Config{}, err
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

func decodeStrict(data []byte, c *Config) error {
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	err := dec.Decode(c)
	var strict *toml.StrictMissingError
	var de *toml.DecodeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &strict):
		var keys []string
		for _, e := range strict.Errors {
			row, _ := e.Position()
			keys = append(keys, fmt.Sprintf("%s (line %d)", strings.Join(e.Key(), "."), row))
		}
		return fmt.Errorf("%w: unknown key %s", ErrInvalid, strings.Join(keys, ", "))
	case errors.As(err, &de):
		row, _ := de.Position()
		key := strings.Join(de.Key(), ".")
		if key == "" {
			return fmt.Errorf("%w: line %d: %s", ErrInvalid, row, de.Error())
		}
		return fmt.Errorf("%w: line %d: key %s: %s", ErrInvalid, row, key, de.Error())
	}
	return fmt.Errorf("%w: %v", ErrInvalid, err)
}

// Validate checks every key; the error names the first bad one.
func (c Config) Validate() error {
	bad := func(key, format string, args ...any) error {
		return &KeyError{Key: key, Problem: fmt.Sprintf(format, args...)}
	}
	oneOf := func(key, v string, allowed ...string) error {
		for _, a := range allowed {
			if v == a {
				return nil
			}
		}
		return bad(key, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
	absolute := func(key, p string, optional bool) error {
		if p == "" && optional {
			return nil
		}
		if !filepath.IsAbs(p) || filepath.Clean(p) != p {
			return bad(key, "%q is not a clean absolute path", p)
		}
		return nil
	}
	for _, err := range []error{
		oneOf("language", c.Language, "it", "en"),
		absolute("state_dir", c.StateDir, false),
		checkSerial(c.Device.Serial),
		intWithin("password.max_length", c.Password.MaxLength, 8, 64),
		checkVendorKey(c.Recovery.VendorPublicKey),
		checkMailbox(c.Recovery.RecoveryAddress),
		durWithin("recovery.code_ttl", c.Recovery.CodeTTL.Duration, time.Hour, 168*time.Hour),
		oneOf("usb.source", c.USB.Source, "mounts", "dirs"),
		absolute("usb.media_root", c.USB.MediaRoot, false),
		absolute("console.tty", c.Console.TTY, true),
		absolute("console.mouse", c.Console.Mouse, true),
		oneOf("console.qr_blocks", c.Console.QRBlocks, "half", "full"),
		absolute("log.file", c.Log.File, true),
		oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error"),
		checkCommand(c.Notify.Command),
		durWithin("notify.timeout", c.Notify.Timeout.Duration, time.Second, 120*time.Second),
		intWithin("kdf.memory_cap_mib", c.KDF.MemoryCapMiB, 19, 1024),
		durWithin("kdf.target_time", c.KDF.TargetTime.Duration, 100*time.Millisecond, 5*time.Second),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

func intWithin(key string, v, lo, hi int) error {
	if v < lo || v > hi {
		return &KeyError{Key: key, Problem: fmt.Sprintf("%d is outside %d..%d", v, lo, hi)}
	}
	return nil
}

func durWithin(key string, d, lo, hi time.Duration) error {
	if d < lo || d > hi {
		return &KeyError{Key: key, Problem: fmt.Sprintf("%v is outside %v..%v", d, lo, hi)}
	}
	return nil
}

func checkSerial(s string) error {
	ok := len(s) >= 1 && len(s) <= 32
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
	}
	if !ok {
		return &KeyError{Key: "device.serial", Problem: fmt.Sprintf("%q: want 1 to 32 characters A-Z, 0-9 or '-'", s)}
	}
	return nil
}

// checkVendorKey checks the key's text form; the recovery core parses it
// for real. Config stays free of crypto.
func checkVendorKey(s string) error {
	if s == "" {
		return nil
	}
	body, ok := strings.CutPrefix(s, "nvrvk1:")
	ok = ok && len(body) == 43
	for i := 0; ok && i < len(body); i++ {
		c := body[i]
		ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
	}
	if !ok {
		return &KeyError{Key: "recovery.vendor_public_key", Problem: "want \"nvrvk1:\" and 43 base64url characters, as recovery-issuer keygen prints"}
	}
	return nil
}

func checkMailbox(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return &KeyError{Key: "recovery.recovery_address", Problem: fmt.Sprintf("%q is not a bare email address", s)}
	}
	return nil
}

func checkCommand(argv []string) error {
	if len(argv) == 0 {
		return nil
	}
	if !filepath.IsAbs(argv[0]) {
		return &KeyError{Key: "notify.command", Problem: fmt.Sprintf("program %q is not an absolute path", argv[0])}
	}
	return nil
}
