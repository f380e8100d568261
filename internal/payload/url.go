package payload

import (
	"encoding/base32"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"nvrmenu/internal/payload/internal/base45"
)

// The URL form of a payload: the outer bytes, unchanged (version 1),
// written after the vendor's recovery page address so that any phone's
// camera opens that page:
//
//	HTTPS://RECOVER.VENDOR.EXAMPLE/R/ <base32 of the outer bytes>
//
// The whole text is upper case and uses only the QR code's alphanumeric
// characters (0-9 A-Z space $ % * + - . / :), so the QR code stays in
// alphanumeric mode: the address's scheme and host are case-insensitive,
// and the vendor's service routes its path in any case. Base32 (RFC 4648,
// A-Z 2-7, no padding) is URL-safe; base45 is not (it has a space and %).

// urlEncoding writes the outer bytes in a URL.
var urlEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// appURLMax bounds a recovery page address: every character it takes is
// one the payload cannot, in a QR code that must fit a console.
const appURLMax = 64

// Errors checking a recovery page address.
var ErrAppURL = errors.New("not a recovery page address")

// CheckAppURL checks a recovery page address as a recorder's
// recovery.app_url holds it: https, a host, no port but a number, a path
// that ends in "/", no query, fragment or user, at most 64 characters, all
// letters, digits or ". - / :" so that, upper-cased, it stays in the QR
// code's alphanumeric mode. Errors wrap ErrAppURL.
func CheckAppURL(s string) error {
	if len(s) > appURLMax {
		return fmt.Errorf("%w: %d characters, want at most %d", ErrAppURL, len(s), appURLMax)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-/:", r)) {
			return fmt.Errorf("%w: %q is not a letter, a digit or one of . - / :", ErrAppURL, r)
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrAppURL, err)
	}
	switch {
	case !strings.EqualFold(u.Scheme, "https"):
		return fmt.Errorf("%w: scheme %q, want https", ErrAppURL, u.Scheme)
	case u.Hostname() == "" || u.Opaque != "":
		return fmt.Errorf("%w: no host", ErrAppURL)
	case u.Port() == "" && strings.HasSuffix(u.Host, ":"):
		return fmt.Errorf("%w: empty port", ErrAppURL)
	case !strings.HasPrefix(u.Path, "/") || !strings.HasSuffix(u.Path, "/"):
		return fmt.Errorf("%w: path %q does not start and end with /", ErrAppURL, u.Path)
	case strings.Contains(u.Path, "//"):
		return fmt.Errorf("%w: path %q has an empty segment", ErrAppURL, u.Path)
	}
	return nil
}

// Text writes the outer bytes of a payload as a QR code's text: the
// "NVRR1:" base45 form when appURL is empty, else the URL form, upper case.
// appURL is trusted to have passed CheckAppURL.
func Text(outer []byte, appURL string) string {
	if appURL == "" {
		return Prefix + base45.Encode(outer)
	}
	return strings.ToUpper(appURL) + urlEncoding.EncodeToString(outer)
}

// Outer decodes a payload's text, in either form, into its outer bytes,
// checking nothing but the encoding. Surrounding ASCII white space is
// ignored. The URL form is any https address (in any case) whose last path
// segment is the base32 of the outer bytes (in any case): the bytes are
// sealed, so the address in front proves nothing and need not be checked.
// Errors wrap ErrMalformed.
func Outer(text string) ([]byte, error) {
	if len(text) > payloadMaxText {
		return nil, fmt.Errorf("%w: %d characters, want at most %d", ErrMalformed, len(text), payloadMaxText)
	}
	text = strings.Trim(text, payloadSpace)
	if body, ok := strings.CutPrefix(text, Prefix); ok {
		raw, err := base45.Decode(body)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		if len(raw) == 0 {
			return nil, fmt.Errorf("%w: 0 bytes, too short for a key id and serial length", ErrMalformed)
		}
		return raw, nil
	}
	if len(text) < len("https://") || !strings.EqualFold(text[:len("https://")], "https://") {
		return nil, fmt.Errorf("%w: does not start with %s or https://", ErrMalformed, Prefix)
	}
	rest := text[len("https://"):]
	slash := strings.LastIndexByte(rest, '/')
	if slash <= 0 {
		return nil, fmt.Errorf("%w: an https address without a path", ErrMalformed)
	}
	if strings.ContainsFunc(rest[:slash], func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune("?#\\", r) }) {
		return nil, fmt.Errorf("%w: the address before the payload has a space, a query or a character outside ASCII", ErrMalformed)
	}
	raw, err := urlEncoding.DecodeString(strings.ToUpper(rest[slash+1:]))
	if err != nil || len(raw) == 0 {
		return nil, fmt.Errorf("%w: the address's last segment is not base32", ErrMalformed)
	}
	return raw, nil
}

// Render rewrites a payload's text for a recovery page address: the
// form a recorder shows is decided when it is shown, so that changing
// app_url keeps a pending challenge (the sealed bytes do not change).
func Render(text, appURL string) (string, error) {
	outer, err := Outer(text)
	if err != nil {
		return "", err
	}
	return Text(outer, appURL), nil
}
