package config

import (
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"nvrmenu/internal/mailaddr"
)

// Validate checks every key and names the first bad one.
func (c Config) Validate() error {
	checks := []error{
		absolute("key_file", c.KeyFile),
		within("max_code_age", c.MaxCodeAge.D(), time.Hour, 720*time.Hour),
		within("code_life", c.CodeLife.D(), time.Hour, c.MaxCodeAge.D()),
	}
	for _, l := range []struct {
		name string
		l    Listener
	}{{"smtp", c.SMTP}, {"lmtp", c.LMTP}} {
		checks = append(checks,
			listen(l.name+".listen", l.l.Listen, true),
			nonEmpty(l.name+".domain", l.l.Domain),
			optional(l.name+".cert_file", l.l.CertFile),
			optional(l.name+".key_file", l.l.KeyFile),
			both(l.name+".key_file", l.l.CertFile, l.l.KeyFile),
			intWithin(l.name+".max_message_bytes", l.l.MaxMessageBytes, 64<<10, 64<<20),
			intWithin(l.name+".max_conns", int64(l.l.MaxConns), 1, 10000),
			within(l.name+".timeout", l.l.Timeout.D(), time.Second, 10*time.Minute),
		)
	}
	if c.LMTP.CertFile != "" {
		checks = append(checks, fmt.Errorf("%w: key lmtp.cert_file: LMTP has no STARTTLS here: keep it on a socket or the loopback", ErrInvalid))
	}
	checks = append(checks,
		listen("phone.listen", c.Phone.Listen, false),
		phonePath("phone.path", c.Phone.Path),
		optional("phone.cert_file", c.Phone.CertFile),
		optional("phone.key_file", c.Phone.KeyFile),
		both("phone.key_file", c.Phone.CertFile, c.Phone.KeyFile),
		intWithin("phone.max_conns", int64(c.Phone.MaxConns), 1, 10000),
		oneOf("mailout.tls", c.Mailout.TLS, "starttls", "implicit", "none"),
		address("mailout.from", c.Mailout.From),
		within("mailout.timeout", c.Mailout.Timeout.D(), time.Second, 5*time.Minute),
		optional("mailout.maildir", c.Mailout.Maildir),
		optional("mailout.password_file", c.Mailout.PasswordFile),
		oneOf("ledger.driver", c.Ledger.Driver, "bolt", "postgres"),
		oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error"),
		oneOf("log.format", c.Log.Format, "json", "text"),
		within("limits.window", c.Limits.Window.D(), time.Minute, 720*time.Hour),
		intWithin("limits.per_challenge", int64(c.Limits.PerChallenge), 1, 1000),
		intWithin("limits.per_serial", int64(c.Limits.PerSerial), 1, 1000),
		intWithin("limits.per_address", int64(c.Limits.PerAddress), 1, 1000),
		intWithin("limits.per_client_burst", int64(c.Limits.PerClientBurst), 1, 100000),
		within("limits.per_client_interval", c.Limits.PerClientInterval.D(), time.Millisecond, 24*time.Hour),
		intWithin("limits.global_burst", int64(c.Limits.GlobalBurst), 1, 1000000),
		within("limits.global_interval", c.Limits.GlobalInterval.D(), time.Microsecond, time.Hour),
		intWithin("limits.clients", int64(c.Limits.Clients), 100, 10000000),
	)
	if c.Mailout.Maildir == "" {
		checks = append(checks, hostPort("mailout.relay", c.Mailout.Relay))
	}
	if c.Mailout.Username != "" {
		if c.Mailout.TLS == "none" {
			checks = append(checks, invalid("mailout.username", "a password is never sent without TLS: set tls to starttls or implicit"))
		}
		checks = append(checks, absolute("mailout.password_file", c.Mailout.PasswordFile))
	}
	switch c.Ledger.Driver {
	case "bolt":
		checks = append(checks, absolute("ledger.path", c.Ledger.Path))
	case "postgres":
		checks = append(checks, absolute("ledger.dsn_file", c.Ledger.DSNFile))
	}
	if c.SMTP.Listen == "" && c.LMTP.Listen == "" && c.Phone.Listen == "" {
		checks = append(checks, invalid("smtp.listen", "smtp, lmtp and phone are all off: the service would serve nothing"))
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}

func invalid(key, format string, args ...any) error {
	return fmt.Errorf("%w: key %s: %s", ErrInvalid, key, fmt.Sprintf(format, args...))
}

func oneOf(key, v string, allowed ...string) error {
	if !slices.Contains(allowed, v) {
		return invalid(key, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
	return nil
}

func within(key string, v, lo, hi time.Duration) error {
	if v < lo || v > hi {
		return invalid(key, "%v is outside %v..%v", v, lo, hi)
	}
	return nil
}

func intWithin(key string, v, lo, hi int64) error {
	if v < lo || v > hi {
		return invalid(key, "%d is outside %d..%d", v, lo, hi)
	}
	return nil
}

func nonEmpty(key, v string) error {
	if strings.TrimSpace(v) == "" || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r >= 0x7f }) {
		return invalid(key, "%q is not a host name", v)
	}
	return nil
}

func absolute(key, p string) error {
	if !filepath.IsAbs(p) || filepath.Clean(p) != p || strings.ContainsFunc(p, func(r rune) bool { return r < ' ' }) {
		return invalid(key, "%q is not a clean absolute path", p)
	}
	return nil
}

func optional(key, p string) error {
	if p == "" {
		return nil
	}
	return absolute(key, p)
}

func both(key, cert, keyFile string) error {
	if (cert == "") != (keyFile == "") {
		return invalid(key, "give both cert_file and key_file, or neither")
	}
	return nil
}

func hostPort(key, v string) error {
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" || strings.Trim(port, "0123456789") != "" {
		return invalid(key, "%q is not host:port", v)
	}
	return nil
}

// listen wants "", "host:port" or (when unix) "unix:/absolute/path".
func listen(key, v string, unix bool) error {
	if v == "" {
		return nil
	}
	if p, ok := strings.CutPrefix(v, "unix:"); ok && unix {
		return absolute(key, p)
	}
	return hostPort(key, v)
}

func phonePath(key, p string) error {
	ok := strings.HasPrefix(p, "/") && strings.HasSuffix(p, "/") && !strings.Contains(p, "//") &&
		!strings.ContainsFunc(p, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '/')
		})
	if !ok {
		return invalid(key, "%q is not a path of letters, digits, - and . that starts and ends with /", p)
	}
	return nil
}

func address(key, a string) error {
	if err := mailaddr.Check(a); err != nil {
		return invalid(key, "%q is not a bare e-mail address (%v)", a, err)
	}
	return nil
}
