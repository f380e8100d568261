// Package known is nvr-sadp's known-recorders file: each recorder's web
// certificate pinned by serial, as ssh's known_hosts pins host keys. The
// first use of a recorder stores the SHA-256 of the certificate it
// presented, and every later connection must present that one. One
// recorder a line:
//
//	# comment
//	SERIAL SHA256 [comment...]
//
// SERIAL is 1 to 64 of A-Z 0-9 and -, SHA256 64 lower-case hex digits.
// Serials are compared in upper case (Fold): a recorder is one serial
// whatever the case an answer (or the file, written by hand) spells it in,
// so that a device answering "abc123" is held to the pin of "ABC123". A
// line that is neither blank, a comment nor a pin makes the whole file
// corrupt (a serial pinned twice, in any case, too): nvr-sadp refuses to
// act rather than guess which pins it held. The file is 0600 in a 0700
// directory, and refused when someone else may have written it or its
// directory (private_unix.go: Linux, macOS). Runs that change it at the
// same time take turns on a lock file beside it (not on Windows).
//
// It builds for Linux, macOS and Windows, and imports no door.
package known

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"nvrmenu/internal/atomicfile"
	"nvrmenu/internal/certfp"
)

// FileName is the file's name under the user's config directory.
const FileName = "known_recorders"

// MaxFileSize bounds the file: about 10,000 recorders.
const MaxFileSize = 1 << 20

// ErrCorrupt reports a file that is not a known-recorders file; the error
// is a *CorruptError that says where.
var ErrCorrupt = errors.New("corrupt")

// CorruptError says why the file at Path is not a known-recorders file:
// line Line is not a pin, or pins Twice a second time, or the file is
// over its size limit (TooLarge).
type CorruptError struct {
	Path     string
	Line     int
	Twice    string // the serial pinned a second time, or ""
	TooLarge bool
}

func (e *CorruptError) Error() string {
	switch {
	case e.TooLarge:
		return fmt.Sprintf("%s: corrupt: over %d bytes", e.Path, MaxFileSize)
	case e.Twice != "":
		return fmt.Sprintf("%s: corrupt: line %d pins %s a second time", e.Path, e.Line, e.Twice)
	}
	return fmt.Sprintf("%s: corrupt: line %d is not \"SERIAL SHA256\"", e.Path, e.Line)
}

func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// DefaultPath is os.UserConfigDir()/nvr-sadp/known_recorders.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "nvr-sadp", FileName), nil
}

// File is the known-recorders file's content.
type File struct {
	path  string
	lines []line // in the file's order, comments kept
}

type line struct {
	serial string             // "" for a comment or blank line
	pin    certfp.Fingerprint // the zero value for a comment or blank line
	text   string             // the line as it is written
}

// Load reads the file at path; a missing file has no pins.
func Load(path string) (*File, error) {
	k := &File{path: path}
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
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &os.PathError{Op: "read", Path: path, Err: err}
	}
	if len(data) > MaxFileSize {
		return nil, &CorruptError{Path: path, TooLarge: true}
	}
	if err := k.parse(data); err != nil {
		return nil, err
	}
	return k, nil
}

// Path is where the file is.
func (k *File) Path() string { return k.path }

// ErrNotRegular reports a known-recorders path that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// checkPrivate refuses a file that is not a regular file, or that
// someone else could have written (checkWriters): they could plant a pin.
func checkPrivate(f *os.File, path string) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return &os.PathError{Op: "open", Path: path, Err: ErrNotRegular}
	}
	return checkWriters(st, path)
}

func (k *File) parse(data []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 4096), MaxFileSize)
	seen := map[string]bool{}
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSuffix(sc.Text(), "\r")
		trimmed := strings.TrimSpace(text)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			k.lines = append(k.lines, line{text: text})
			continue
		}
		f := strings.Fields(trimmed)
		serial, ok := Canonical(f[0])
		var pin certfp.Fingerprint
		if ok && len(f) >= 2 {
			pin, ok = parseStored(f[1])
		}
		if len(f) < 2 || !ok {
			return &CorruptError{Path: k.path, Line: n}
		}
		if seen[serial] {
			return &CorruptError{Path: k.path, Line: n, Twice: serial}
		}
		seen[serial] = true
		k.lines = append(k.lines, line{serial: serial, pin: pin, text: text})
	}
	if sc.Err() != nil {
		return &CorruptError{Path: k.path, TooLarge: true}
	}
	return nil
}

// parseStored reads a pin as the file stores it: exactly 64 lower-case
// hex digits (certfp.Parse alone would take other forms too).
func parseStored(s string) (certfp.Fingerprint, bool) {
	if len(s) != 64 || strings.ToLower(s) != s {
		return certfp.Fingerprint{}, false
	}
	fp, err := certfp.Parse(s)
	return fp, err == nil
}

// Lookup is the pin of serial (in any case); the zero value when there is
// none.
func (k *File) Lookup(serial string) certfp.Fingerprint {
	serial = Fold(serial)
	for _, l := range k.lines {
		if l.serial == serial {
			return l.pin
		}
	}
	return certfp.Fingerprint{}
}

// Len is the number of serials pinned.
func (k *File) Len() int {
	n := 0
	for _, l := range k.lines {
		if l.serial != "" {
			n++
		}
	}
	return n
}

// Pin sets serial's pin (replacing any, in any case) and writes the
// file, the serial in upper case.
func (k *File) Pin(serial string, pin certfp.Fingerprint, now time.Time) error {
	serial, ok := Canonical(serial)
	if !ok || pin.IsZero() {
		return fmt.Errorf("pin %q %q: not a serial and a SHA-256", serial, pin.Hex())
	}
	l := line{serial: serial, pin: pin, text: serial + " " + pin.Hex() + " # pinned " + now.UTC().Format(time.RFC3339)}
	return k.update(func() bool {
		if i := slices.IndexFunc(k.lines, func(x line) bool { return x.serial == serial }); i >= 0 {
			k.lines[i] = l
		} else {
			k.lines = append(k.lines, l)
		}
		return true
	})
}

// Forget removes serial's pin (in any case) and writes the file; it
// returns the pin there was, or the zero value.
func (k *File) Forget(serial string) (certfp.Fingerprint, error) {
	serial = Fold(serial)
	var old certfp.Fingerprint
	err := k.update(func() bool {
		i := slices.IndexFunc(k.lines, func(l line) bool { return l.serial == serial })
		if i < 0 {
			return false
		}
		old = k.lines[i].pin
		k.lines = slices.Delete(k.lines, i, i+1)
		return true
	})
	return old, err
}

// update changes the pins as the file has them now and writes it back,
// holding the file's lock (lock): two runs of nvr-sadp pinning at once
// (an installer's script over many recorders) each read what the other
// wrote, and no pin is lost, which would make the next contact a first
// use again. change reports whether it changed anything.
func (k *File) update(change func() bool) error {
	if err := os.MkdirAll(filepath.Dir(k.path), 0o700); err != nil {
		return err
	}
	unlock, err := lock(k.path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	now, err := Load(k.path)
	if err != nil {
		return err
	}
	k.lines = now.lines
	if !change() {
		return nil
	}
	return k.save()
}

// save writes the file whole, safely (atomicfile), 0600 in a 0700
// directory.
func (k *File) save() error {
	var b strings.Builder
	if len(k.lines) == 0 || !strings.HasPrefix(k.lines[0].text, "#") {
		b.WriteString("# nvr-sadp's pinned recorder certificates: SERIAL SHA-256 (see nvr-sadp -h)\n")
	}
	for _, l := range k.lines {
		b.WriteString(l.text + "\n")
	}
	return atomicfile.Write(k.path, []byte(b.String()), atomicfile.Options{Replace: true})
}
