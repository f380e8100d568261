package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// ErrInvalid is wrapped by every error that rejects a configuration: bad
// TOML, an unknown key, a value of the wrong type or out of range, a file
// too large. A file that cannot be read at all is not ErrInvalid.
var ErrInvalid = errors.New("invalid configuration")

// KeyError reports the key that is wrong and why. Key is the dotted TOML
// name ("usb.source"); Line is the line of the file it was found on, or 0
// when the decoder does not say (every check made after decoding).
type KeyError struct {
	Key     string
	Line    int
	Problem string
}

// Error gives "key usb.source: ...", with the line first when it is known.
func (e *KeyError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: key %s: %s", e.Line, shownKey(e.Key), e.Problem)
	}
	return fmt.Sprintf("key %s: %s", shownKey(e.Key), e.Problem)
}

// Unwrap makes every KeyError an ErrInvalid.
func (e *KeyError) Unwrap() error { return ErrInvalid }

// fileError is a problem with the file as a whole (its size, its TOML
// syntax) rather than with one key. It is an ErrInvalid without
// repeating ErrInvalid's text in the message.
type fileError struct{ problem string }

func (e *fileError) Error() string { return e.problem }

func (e *fileError) Unwrap() error { return ErrInvalid }

// maxShown is how many characters of a value or key a message shows: a
// message is one line, whatever the file holds.
const maxShown = 48

// shown quotes a value for a message, cut to maxShown characters.
func shown(value string) string {
	runes := []rune(value)
	if len(runes) <= maxShown {
		return strconv.Quote(value)
	}
	return strconv.Quote(string(runes[:maxShown])) + "..."
}

// shownKey gives a key as written in the file when it is a plain dotted
// key, and quoted and cut otherwise (a quoted TOML key can hold anything,
// a newline included).
func shownKey(key string) string {
	plain := len(key) <= maxShown && !strings.ContainsFunc(key, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.')
	})
	if plain && key != "" {
		return key
	}
	return shown(key)
}

// oneLine replaces the control characters in a message from the TOML
// decoder, which may quote the file, with '?'.
func oneLine(message string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, message)
}
