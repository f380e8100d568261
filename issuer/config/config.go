// Package config loads and checks the recovery service's one TOML file
// (recovery-issuer serve -config FILE).
//
// Loading is strict, as the recorder's own config: an unknown key is an
// error naming it and its line, every value is checked, and a key missing
// from the file keeps its default. The defaults are the embedded
// default.toml, which documents every key. Demo returns the demo service's
// configuration for a demo directory.
package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// MaxFileSize is the largest configuration file Load reads.
const MaxFileSize = 64 << 10

//go:embed default.toml
var defaultTOML []byte

// ErrInvalid is wrapped by every error that refuses a configuration.
var ErrInvalid = errors.New("invalid configuration")

// Duration is a time.Duration written as text ("48h") in the file.
type Duration time.Duration

// UnmarshalText reads "90s", "48h" and the like.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration like \"10s\", \"90m\" or \"48h\"", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as time.Duration does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// D is the duration as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Config is the whole configuration.
type Config struct {
	// KeyFile is the vendor's private key (recovery-issuer keygen).
	KeyFile string `toml:"key_file"`
	// MaxCodeAge refuses a challenge made longer ago than this (by the
	// recorder's clock): the longest life a recorder gives a code.
	MaxCodeAge Duration `toml:"max_code_age"`
	// CodeLife is the life most recorders give a code (their
	// recovery.code_ttl), which the mail tells the owner.
	CodeLife Duration `toml:"code_life"`
	// Demo marks the demo service (outgoing mail to a Maildir, plain SMTP
	// on the loopback); only Demo sets it.
	Demo bool `toml:"-"`

	SMTP    Listener `toml:"smtp"`
	LMTP    Listener `toml:"lmtp"`
	Phone   Phone    `toml:"phone"`
	Mailout Mailout  `toml:"mailout"`
	Ledger  Ledger   `toml:"ledger"`
	Limits  Limits   `toml:"limits"`
	Log     Log      `toml:"log"`
}

// Listener is one mail protocol's listener.
type Listener struct {
	// Listen is "host:port", "unix:/path" or "" (off).
	Listen string `toml:"listen"`
	// Domain is the name the server greets with.
	Domain string `toml:"domain"`
	// CertFile and KeyFile offer STARTTLS to senders (SMTP only).
	CertFile string `toml:"cert_file"`
	KeyFile  string `toml:"key_file"`
	// MaxMessageBytes refuses larger messages before reading them.
	MaxMessageBytes int64 `toml:"max_message_bytes"`
	// MaxConns bounds the connections served at once.
	MaxConns int `toml:"max_conns"`
	// Timeout bounds each read and write.
	Timeout Duration `toml:"timeout"`
}

// Phone is the https page a phone's camera opens.
type Phone struct {
	// Listen is "host:port" or "" (off).
	Listen string `toml:"listen"`
	// Path is the page's path before the payload, as in the recorders'
	// recovery.app_url; matched in any case.
	Path string `toml:"path"`
	// CertFile and KeyFile: TLS; both empty serves plain HTTP behind a
	// proxy that does TLS.
	CertFile string `toml:"cert_file"`
	KeyFile  string `toml:"key_file"`
	// ClientHeader names the header where a proxy puts the client's
	// address ("" uses the connection's).
	ClientHeader string `toml:"client_header"`
	// MaxConns bounds the connections served at once.
	MaxConns int `toml:"max_conns"`
}

// Mailout is how the code leaves: SMTP submission to the vendor's relay.
type Mailout struct {
	// Relay is the submission server, "host:port".
	Relay string `toml:"relay"`
	// TLS is "starttls" (required), "implicit" (port 465) or "none"
	// (a relay on the loopback only).
	TLS string `toml:"tls"`
	// Username and PasswordFile authenticate (PLAIN, over TLS only);
	// empty: no authentication.
	Username     string `toml:"username"`
	PasswordFile string `toml:"password_file"`
	// From is the sender address of the code mails.
	From string `toml:"from"`
	// Timeout bounds one submission.
	Timeout Duration `toml:"timeout"`
	// Maildir writes the mails into this Maildir instead (demo and tests).
	Maildir string `toml:"maildir"`
}

// Ledger is where the service keeps what it mailed and its limits.
type Ledger struct {
	// Driver is "bolt" (one file, one instance) or "postgres" (several
	// instances sharing their limits).
	Driver string `toml:"driver"`
	// Path is the bolt file.
	Path string `toml:"path"`
	// DSNFile holds the PostgreSQL connection string (a file, since it
	// may hold a password).
	DSNFile string `toml:"dsn_file"`
}

// Limits bound how often the service mails.
type Limits struct {
	// Window is the period of the per-challenge, per-serial and
	// per-address limits (fixed windows, shared across instances).
	Window            Duration `toml:"window"`
	PerChallenge      int      `toml:"per_challenge"`
	PerSerial         int      `toml:"per_serial"`
	PerAddress        int      `toml:"per_address"`
	PerClientBurst    int      `toml:"per_client_burst"`
	PerClientInterval Duration `toml:"per_client_interval"`
	GlobalBurst       int      `toml:"global_burst"`
	GlobalInterval    Duration `toml:"global_interval"`
	// Clients bounds the client addresses remembered (least recently seen
	// forgotten first).
	Clients int `toml:"clients"`
}

// Log configures the structured log (standard error).
type Log struct {
	Level  string `toml:"level"`
	Format string `toml:"format"`
}

// Default is the embedded default.toml.
func Default() Config {
	c, err := parse(Config{}, defaultTOML)
	if err != nil {
		panic("recovery service: embedded default.toml: " + err.Error())
	}
	return c
}

// Load reads and checks the file at path over the defaults.
func Load(path string) (Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return Config{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return Config{}, fmt.Errorf("config %s: %w: larger than %d bytes", path, ErrInvalid, MaxFileSize)
	}
	c, err := parse(Default(), data)
	if err == nil {
		err = c.Validate()
	}
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// Parse reads a configuration from data over the defaults and checks it.
func Parse(data []byte) (Config, error) {
	c, err := parse(Default(), data)
	if err != nil {
		return Config{}, err
	}
	return c, c.Validate()
}

func parse(base Config, data []byte) (Config, error) {
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	c := base
	if err := dec.Decode(&c); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) && len(strict.Errors) > 0 {
			e := strict.Errors[0]
			row, _ := e.Position()
			return Config{}, fmt.Errorf("%w: line %d: unknown key %s", ErrInvalid, row, strings.Join(e.Key(), "."))
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return Config{}, fmt.Errorf("%w: line %d: %s", ErrInvalid, row, de.Error())
		}
		return Config{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return c, nil
}
