package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"nvrmenu/internal/atomicfile"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The known-recorders file pins each recorder's web certificate by serial,
// as ssh's known_hosts pins host keys: the first use of a recorder stores
// the SHA-256 of the certificate it presented, and every later connection
// must present that one. One recorder a line:
//
//	# comment
//	SERIAL SHA256 [comment...]
//
// SERIAL is 1 to 64 of A-Z 0-9 and -, SHA256 64 lower-case hex digits.
// Serials are compared in upper case: a recorder is one serial whatever
// the case an answer (or the file, written by hand) spells it in, so that
// a device answering "abc123" is held to the pin of "ABC123". A line that
// is neither blank, a comment nor a pin makes the whole file corrupt
// (a serial pinned twice, in any case, too): nvr-sadp refuses to act
// rather than guess which pins it held. The file is 0600 in a 0700
// directory, and refused when someone else may have written it or its
// directory (known_unix.go: Linux, macOS).

// knownName is the file's name under the user's config directory.
const knownName = "known_recorders"

// maxKnownFile bounds the file: about 10,000 recorders.
const maxKnownFile = 1 << 20

// errKnownCorrupt: the file is not a known-recorders file.
var errKnownCorrupt = errors.New("corrupt")

// knownPath is os.UserConfigDir()/nvr-sadp/known_recorders.
func knownPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config directory for the known recorders: %w", err)
	}
	return filepath.Join(dir, "nvr-sadp", knownName), nil
}

// knownRecorders is the file's content.
type knownRecorders struct {
	path  string
	lines []knownLine // in the file's order, comments kept
}

type knownLine struct {
	serial, sha256 string // empty for a comment or blank line
	text           string // the line as it is written
}

// loadKnown reads the file at path; a missing file has no pins.
func loadKnown(path string) (*knownRecorders, error) {
	k := &knownRecorders{path: path}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return k, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := checkPrivate(f, path); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKnownFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > maxKnownFile {
		return nil, fmt.Errorf("%s: %w: over %d bytes", path, errKnownCorrupt, maxKnownFile)
	}
	if err := k.parse(data); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// checkPrivate refuses a file that is not a regular file, or that
// someone else could have written (checkWriters): they could plant a pin.
func checkPrivate(f *os.File, path string) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", path)
	}
	return checkWriters(st, path)
}

func (k *knownRecorders) parse(data []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 4096), maxKnownFile)
	seen := map[string]bool{}
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSuffix(sc.Text(), "\r")
		trimmed := strings.TrimSpace(text)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			k.lines = append(k.lines, knownLine{text: text})
			continue
		}
		f := strings.Fields(trimmed)
		serial, ok := canonicalSerial(f[0])
		if len(f) < 2 || !ok || !validSHA256(f[1]) {
			return fmt.Errorf("%w: line %d is not \"SERIAL SHA256\"", errKnownCorrupt, n)
		}
		if seen[serial] {
			return fmt.Errorf("%w: line %d pins %s a second time", errKnownCorrupt, n, serial)
		}
		seen[serial] = true
		k.lines = append(k.lines, knownLine{serial: serial, sha256: f[1], text: text})
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%w: %v", errKnownCorrupt, err)
	}
	return nil
}

// lookup is the pin of serial (in any case), or "".
func (k *knownRecorders) lookup(serial string) string {
	serial = foldSerial(serial)
	for _, l := range k.lines {
		if l.serial == serial {
			return l.sha256
		}
	}
	return ""
}

// pin sets serial's pin (replacing any, in any case) and writes the
// file, the serial in upper case.
func (k *knownRecorders) pin(serial, sha string, now time.Time) error {
	serial, ok := canonicalSerial(serial)
	if !ok || !validSHA256(sha) {
		return fmt.Errorf("pin %q %q: not a serial and a SHA-256", serial, sha)
	}
	line := knownLine{serial: serial, sha256: sha, text: serial + " " + sha + " # pinned " + now.UTC().Format(time.RFC3339)}
	return k.update(func() bool {
		if i := slices.IndexFunc(k.lines, func(l knownLine) bool { return l.serial == serial }); i >= 0 {
			k.lines[i] = line
		} else {
			k.lines = append(k.lines, line)
		}
		return true
	})
}

// forget removes serial's pin (in any case) and writes the file; it
// returns the pin there was, or "".
func (k *knownRecorders) forget(serial string) (string, error) {
	serial = foldSerial(serial)
	var old string
	err := k.update(func() bool {
		i := slices.IndexFunc(k.lines, func(l knownLine) bool { return l.serial == serial })
		if i < 0 {
			return false
		}
		old = k.lines[i].sha256
		k.lines = slices.Delete(k.lines, i, i+1)
		return true
	})
	return old, err
}

// update changes the pins as the file has them now and writes it back,
// holding the file's lock (lockKnown): two runs of nvr-sadp pinning at
// once (an installer's script over many recorders) each read what the
// other wrote, and no pin is lost, which would make the next contact a
// first use again. change reports whether it changed anything.
func (k *knownRecorders) update(change func() bool) error {
	if err := os.MkdirAll(filepath.Dir(k.path), 0o700); err != nil {
		return err
	}
	unlock, err := lockKnown(k.path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	now, err := loadKnown(k.path)
	if err != nil {
		return err
	}
	k.lines = now.lines
	if !change() {
		return nil
	}
	return k.save()
}

// save writes the file whole, safely (a temporary file, synced, renamed
// over the old one), 0600 in a 0700 directory.
func (k *knownRecorders) save() error {
	var b strings.Builder
	if len(k.lines) == 0 || !strings.HasPrefix(k.lines[0].text, "#") {
		b.WriteString("# nvr-sadp's pinned recorder certificates: SERIAL SHA-256 (see nvr-sadp -h)\n")
	}
	for _, l := range k.lines {
		b.WriteString(l.text + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(k.path), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(k.path, []byte(b.String()), atomicfile.Options{Replace: true})
}

// maxSerial bounds a serial nvr-sadp pins (an nvrmenu recorder's is at
// most 32).
const maxSerial = 64

// foldSerial is s trimmed, its ASCII letters in upper case: the form
// serials are compared in. Only ASCII is folded (strings.ToUpper would
// turn "ſ" into "S" and "ı" into "I"); a serial with anything else is
// refused by validSerial.
func foldSerial(s string) string {
	b := []byte(strings.TrimSpace(s))
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// canonicalSerial is s as nvr-sadp pins and compares it (foldSerial),
// and whether it is a serial at all: 1 to 64 of A-Z, 0-9 and -, in any
// case.
func canonicalSerial(s string) (string, bool) {
	s = foldSerial(s)
	return s, validSerial(s)
}

// validSerial reports whether s is a canonical serial: 1 to 64 of A-Z,
// 0-9 and -, what the file, a file name and a terminal hold safely, and
// what nvrmenu recorders have (config's device.serial).
func validSerial(s string) bool {
	if len(s) == 0 || len(s) > maxSerial {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validSHA256 reports whether s is 64 lower-case hex digits.
func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// shownFingerprint writes a SHA-256 as the recorder's screen shows it:
// upper-case hex pairs separated by colons.
func shownFingerprint(sha string) string {
	sha = strings.ToUpper(sha)
	var b strings.Builder
	for i := 0; i+1 < len(sha); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(sha[i : i+2])
	}
	return b.String()
}

// parseFingerprint reads a SHA-256 as typed: hex, with or without colons
// or spaces, any case (the form the recorder's screen shows included).
func parseFingerprint(s string) (string, bool) {
	s = strings.ToLower(strings.NewReplacer(":", "", " ", "", "-", "").Replace(strings.TrimSpace(s)))
	return s, validSHA256(s)
}
