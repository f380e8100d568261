package config

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"nvrmenu/internal/mailaddr"
	"nvrmenu/internal/payload"
)

// Validate checks every key and returns a *KeyError (an ErrInvalid) naming
// the first bad one, in the order of the file.
func (c Config) Validate() error {
	for _, err := range []error{
		oneOf("language", c.Language, "it", "en"),
		absolutePath("state_dir", c.StateDir),
		checkSerial("device.serial", c.Device.Serial),
		checkModel("device.model", c.Device.Model),
		intWithin("password.max_length", c.Password.MaxLength, 8, 64),
		checkVendorKey("recovery.vendor_public_key", c.Recovery.VendorPublicKey),
		checkMailbox("recovery.recovery_address", c.Recovery.RecoveryAddress),
		checkAppURL("recovery.app_url", c.Recovery.AppURL),
		durationWithin("recovery.code_ttl", c.Recovery.CodeTTL, time.Hour, 168*time.Hour),
		oneOf("usb.source", c.USB.Source, "mounts", "dirs"),
		absolutePath("usb.media_root", c.USB.MediaRoot),
		optionalPath("console.tty", c.Console.TTY),
		optionalPath("console.mouse", c.Console.Mouse),
		oneOf("console.qr_blocks", c.Console.QRBlocks, "half", "full"),
		oneOf("console.font", c.Console.Font, "auto", "keep", "8x16", "12x24", "16x32"),
		oneOf("console.keymap", c.Console.Keymap, "us", "it", "keep"),
		optionalPath("log.file", c.Log.File),
		oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error"),
		checkCommand("notify.command", c.Notify.Command),
		durationWithin("notify.timeout", c.Notify.Timeout, time.Second, 120*time.Second),
		intWithin("kdf.memory_cap_mib", c.KDF.MemoryCapMiB, 19, 1024),
		durationWithin("kdf.target_time", c.KDF.TargetTime, 100*time.Millisecond, 5*time.Second),
		checkInterfaces("sadp.interfaces", c.SADP.Interfaces),
		checkListen("web.listen", c.Web.Listen),
		checkHosts("web.hosts", c.Web.Hosts),
		optionalPath("web.cert_file", c.Web.CertFile),
		optionalPath("web.key_file", c.Web.KeyFile),
		bothOrNeither("web.key_file", c.Web.CertFile, c.Web.KeyFile),
		zeroOrWithin("web.activation_window", c.Web.ActivationWindow, time.Minute, 24*time.Hour),
		checkHeaderName("web.client_header", c.Web.ClientHeader),
		checkUser("web.front_user", c.Web.FrontUser),
		intWithin("web.max_conns", c.Web.MaxConns, 4, 1024),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

func invalid(key, format string, args ...any) error {
	return &KeyError{Key: key, Problem: fmt.Sprintf(format, args...)}
}

func oneOf(key, value string, allowed ...string) error {
	if !slices.Contains(allowed, value) {
		return invalid(key, "%s is not one of %s", shown(value), strings.Join(allowed, ", "))
	}
	return nil
}

func intWithin(key string, value, lowest, highest int) error {
	if value < lowest || value > highest {
		return invalid(key, "%d is outside %d..%d", value, lowest, highest)
	}
	return nil
}

// zeroOrWithin is durationWithin, or "0s" (off).
func zeroOrWithin(key string, value, shortest, longest time.Duration) error {
	if value == 0 {
		return nil
	}
	if value < shortest || value > longest {
		return invalid(key, "%v is neither 0s (no limit) nor within %v..%v", value, shortest, longest)
	}
	return nil
}

func durationWithin(key string, value, shortest, longest time.Duration) error {
	if value < shortest || value > longest {
		return invalid(key, "%v is outside %v..%v", value, shortest, longest)
	}
	return nil
}

// absolutePath wants a clean absolute path without control characters
// (they would end up in log lines and error messages).
func absolutePath(key, path string) error {
	switch {
	case strings.ContainsFunc(path, unicode.IsControl):
		return invalid(key, "%s contains a control character", shown(path))
	case !filepath.IsAbs(path):
		return invalid(key, "%s is not an absolute path", shown(path))
	case filepath.Clean(path) != path:
		return invalid(key, "%s is not a clean path (want %s)", shown(path), shown(filepath.Clean(path)))
	}
	return nil
}

// optionalPath is absolutePath where "" means "not set".
func optionalPath(key, path string) error {
	if path == "" {
		return nil
	}
	return absolutePath(key, path)
}

// checkSerial keeps the serial safe to put in file names and QR codes.
func checkSerial(key, serial string) error {
	if !payload.ValidSerial(serial) {
		return invalid(key, "%s is not 1 to 32 characters A-Z, 0-9 or '-'", shown(serial))
	}
	return nil
}

// checkVendorKey checks the text form of the vendor's X25519 public key
// with the parser the core uses. The key itself is public, but it is long:
// the message does not repeat it.
func checkVendorKey(key, text string) error {
	if text == "" {
		return nil
	}
	if _, err := payload.ParsePublicKey(text); err != nil {
		return invalid(key, "want %q and the 43 base64url characters of a 32-byte key, as recovery-issuer keygen prints it", "nvrvk1:")
	}
	return nil
}

// checkMailbox wants a bare address ("a@b.example", not "Name <a@b.example>")
// in printable ASCII, which the console font can show, of at most 254
// characters (RFC 5321).
func checkMailbox(key, address string) error {
	if len(address) > 254 {
		return invalid(key, "%s is longer than 254 characters", shown(address))
	}
	if err := mailaddr.Check(address); err != nil {
		why := strings.TrimPrefix(err.Error(), mailaddr.ErrInvalid.Error()+": ")
		return invalid(key, "%s is not a bare email address in printable ASCII, like \"pw_recovery@example.com\" (%s)", shown(address), why)
	}
	return nil
}

// checkAppURL wants "" or the vendor's recovery page address as the QR
// code can carry it (payload.CheckAppURL: https, a host, a path ending in
// "/", nothing a QR code's alphanumeric mode cannot hold once upper-cased).
func checkAppURL(key, u string) error {
	if u == "" {
		return nil
	}
	if err := payload.CheckAppURL(u); err != nil {
		why := strings.TrimPrefix(err.Error(), payload.ErrAppURL.Error()+": ")
		return invalid(key, "%s is not an https address with a host and a path ending in /, of letters, digits and . - / : only, like \"https://recover.vendor.example/r/\" (%s)", shown(u), why)
	}
	return nil
}

// checkCommand wants an empty list or a program given by a clean absolute
// path; no argument may hold a NUL byte, which exec cannot pass.
func checkCommand(key string, argv []string) error {
	if len(argv) == 0 {
		return nil
	}
	if err := absolutePath(key, argv[0]); err != nil {
		return invalid(key, "program %s is not a clean absolute path", shown(argv[0]))
	}
	for i, arg := range argv[1:] {
		if strings.ContainsRune(arg, 0) {
			return invalid(key, "argument %d contains a NUL byte", i+1)
		}
	}
	return nil
}

// checkModel keeps the model name printable and short: it goes to every
// installer's tool on the LAN (and perhaps into their spreadsheets).
func checkModel(key, model string) error {
	valid := len(model) >= 1 && len(model) <= 48 && !strings.ContainsFunc(model, func(r rune) bool {
		return r < 0x20 || r > 0x7e || strings.ContainsRune(`<>&"'\`, r)
	})
	if !valid || model != strings.TrimSpace(model) || strings.ContainsAny(model[:1], "=+-@") {
		return invalid(key, "%s is not 1 to 48 printable ASCII characters (none of < > & \" ' \\, no space at either end, not starting with = + - @)", shown(model))
	}
	return nil
}

// checkInterfaces wants network interface names as Linux allows them: 1 to
// 15 bytes, no '/', ':' (aliases are not interfaces), white space or
// control character, each named once.
func checkInterfaces(key string, names []string) error {
	for i, name := range names {
		valid := len(name) >= 1 && len(name) <= 15 && name != "." && name != ".." &&
			!strings.ContainsFunc(name, func(r rune) bool { return r <= 0x20 || r >= 0x7f || r == '/' || r == ':' })
		if !valid {
			return invalid(key, "%s is not an interface name (1 to 15 characters, no '/', ':' or space)", shown(name))
		}
		if slices.Contains(names[:i], name) {
			return invalid(key, "%s is named twice", shown(name))
		}
	}
	return nil
}
