package recovery

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"nvrmenu/internal/payload"
	"strings"
	"time"
)

// GUID file format, version 1 (docs/formats.md has it byte by byte):
//
//	nvrmenu-guid v1
//	serial <device serial, 1..32 of A-Z 0-9 ->
//	id <32 lowercase hex digits: 16 random bytes>
//	secret <64 lowercase hex digits: 32 random bytes>
//
// Lines end in LF or CRLF (the last line's end is optional) and a UTF-8 byte
// order mark is skipped, because owners open these files in Notepad. Nothing
// else is accepted. The device keeps the id and the SHA-256 of the secret:
// 256 random bits need no slow hash.
const (
	guidHeader     = "nvrmenu-guid v1"
	guidIDLen      = 16
	guidSecretLen  = 32
	GUIDFileExt    = ".nvrguid"
	MaxGUIDFileLen = 4096
	maxOldGUIDs    = 16
)

// Outcomes of a GUID import, distinct for the menu.
var (
	ErrGUIDMalformed   = errors.New("not a GUID file of this product")
	ErrGUIDOtherDevice = errors.New("GUID file belongs to another device")
	ErrGUIDExpired     = errors.New("GUID file expired: it was used or replaced by a newer one")
	ErrGUIDWrong       = errors.New("GUID file not valid for this device")
	ErrNoValidGUID     = errors.New("no valid GUID on this device: export a new GUID file")
)

// GUIDFile is a parsed GUID file. Its secret never prints.
type GUIDFile struct {
	Serial string
	ID     string // 32 lowercase hex digits
	secret [guidSecretLen]byte
}

// String names the file's device and id, never its secret.
func (f GUIDFile) String() string { return fmt.Sprintf("GUID %s for %s", f.ID, f.Serial) }

// GoString is String, so %#v cannot print the secret either.
func (f GUIDFile) GoString() string { return f.String() }

// Format prints String for every verb: %d or %x must not print the secret.
func (f GUIDFile) Format(s fmt.State, _ rune) { io.WriteString(s, f.String()) }

// Marshal renders the file in its one canonical form.
func (f GUIDFile) Marshal() []byte {
	return fmt.Appendf(nil, "%s\nserial %s\nid %s\nsecret %s\n", guidHeader, f.Serial, f.ID, hex.EncodeToString(f.secret[:]))
}

// ParseGUIDFile parses a GUID file strictly. It reads no more than
// MaxGUIDFileLen bytes of data; a longer input is refused.
func ParseGUIDFile(data []byte) (GUIDFile, error) {
	var f GUIDFile
	if len(data) > MaxGUIDFileLen {
		return f, fmt.Errorf("%w: longer than %d bytes", ErrGUIDMalformed, MaxGUIDFileLen)
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != 4 {
		return f, fmt.Errorf("%w: %d lines, want 4", ErrGUIDMalformed, len(lines))
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	if lines[0] != guidHeader {
		return f, fmt.Errorf("%w: first line is not %q", ErrGUIDMalformed, guidHeader)
	}
	serial, ok := strings.CutPrefix(lines[1], "serial ")
	if !ok || !payload.ValidSerial(serial) {
		return f, fmt.Errorf("%w: bad serial line", ErrGUIDMalformed)
	}
	id, ok := strings.CutPrefix(lines[2], "id ")
	if !ok || !isHex(id, guidIDLen*2) {
		return f, fmt.Errorf("%w: bad id line", ErrGUIDMalformed)
	}
	secretHex, ok := strings.CutPrefix(lines[3], "secret ")
	if !ok || !isHex(secretHex, guidSecretLen*2) {
		return f, fmt.Errorf("%w: bad secret line", ErrGUIDMalformed)
	}
	hex.Decode(f.secret[:], []byte(secretHex))
	f.Serial, f.ID = serial, id
	return f, nil
}

// GUIDFileName is the name of a GUID file exported at t: the device serial
// and the date and time to the second, so a person and the menu can tell
// whose it is and two exports a minute apart do not collide,
// e.g. "NVR0012345_20261125_093000.nvrguid".
func GUIDFileName(serial string, t time.Time) string {
	return serial + "_" + t.Format("20060102_150405") + GUIDFileExt
}

// GUIDFileSerial reports whether name is named like a GUID file (case
// does not matter: FAT sticks may change it) and the serial in its name.
// The time may have seconds or not (files of early builds had none).
func GUIDFileSerial(name string) (serial string, ok bool) {
	if len(name) <= len(GUIDFileExt) || !strings.EqualFold(name[len(name)-len(GUIDFileExt):], GUIDFileExt) {
		return "", false
	}
	stem := strings.ToUpper(name[:len(name)-len(GUIDFileExt)])
	for _, stamp := range []int{len("_20060102_150405"), len("_20060102_1504")} {
		if len(stem) > stamp && guidFileStamp(stem[len(stem)-stamp:]) && payload.ValidSerial(stem[:len(stem)-stamp]) {
			return stem[:len(stem)-stamp], true
		}
	}
	return "", false
}

// guidFileStamp reports whether s is "_YYYYMMDD_HHMM" or "_YYYYMMDD_HHMMSS"
// in shape (digits where digits go).
func guidFileStamp(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 0 || i == 9 {
			if c != '_' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// IsGUIDFileName reports whether name is named like a GUID file.
func IsGUIDFileName(name string) bool {
	_, ok := GUIDFileSerial(name)
	return ok
}

// GUIDExport is a freshly made GUID file waiting to be written. The device
// goes on accepting its current GUID until ConfirmGUIDExport is called
// after the file was written and synced.
type GUIDExport struct {
	FileName string
	file     GUIDFile
	hash     [sha256.Size]byte
	created  time.Time
}

// Data is the file's content, to be written to the stick.
func (e *GUIDExport) Data() []byte { return e.file.Marshal() }

// String names the export, never its secret.
func (e GUIDExport) String() string { return "GUID export " + e.FileName }

// GoString is String.
func (e GUIDExport) GoString() string { return e.String() }

// Format prints String for every verb, by value or by pointer.
func (e GUIDExport) Format(s fmt.State, _ rune) { io.WriteString(s, e.String()) }

// NewGUIDExport makes a new GUID for this device. Nothing changes on the
// device until ConfirmGUIDExport.
func (s *Session) NewGUIDExport() (*GUIDExport, error) {
	c := s.c
	release, err := c.begin(s.caller, false, false)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := s.checkFresh(); err != nil {
		return nil, err
	}
	if err := c.methodUsable(MethodGUID); err != nil {
		return nil, err
	}
	f := GUIDFile{Serial: c.opts.Serial}
	var id [guidIDLen]byte
	if _, err := io.ReadFull(c.opts.Rand, id[:]); err != nil {
		return nil, fmt.Errorf("reading random GUID id: %w", err)
	}
	if _, err := io.ReadFull(c.opts.Rand, f.secret[:]); err != nil {
		return nil, fmt.Errorf("reading random GUID secret: %w", err)
	}
	f.ID = hex.EncodeToString(id[:])
	now := c.now()
	s.used()
	e := &GUIDExport{FileName: GUIDFileName(c.opts.Serial, now), file: f, hash: sha256.Sum256(f.secret[:]), created: now}
	s.rec().pending.Store(e)
	return e, nil
}

// PendingGUIDExport is the session's last NewGUIDExport not yet confirmed,
// if any: a browser downloads it (as often as it likes, the same file) and
// the owner then confirms it in another request. It lives only as long as
// the password typed last is fresh (the rule NewGUIDExport follows): a
// walk-up at an open browser tab gets nothing.
func (s *Session) PendingGUIDExport() (*GUIDExport, bool) {
	if s.checkFresh() != nil {
		if r := s.rec(); r != nil {
			r.pending.Store(nil)
		}
		return nil, false
	}
	e := s.rec().pending.Load()
	return e, e != nil
}

// ErrExportStale reports a GUID export that is not the session's latest
// unconfirmed one: make and save a new one.
var ErrExportStale = errors.New("GUID export replaced or already confirmed: export a new GUID file")

// ConfirmGUIDExport makes e the device's GUID, once its file is safely on
// the stick (or, from a browser, once the owner says the download is
// saved). The previous GUID is replaced: its file now reads as expired.
func (s *Session) ConfirmGUIDExport(e *GUIDExport) error {
	c := s.c
	release, err := c.begin(s.caller, false, false)
	if err != nil {
		return err
	}
	defer release()
	if err := s.checkFresh(); err != nil {
		return err
	}
	if err := c.methodUsable(MethodGUID); err != nil {
		return err
	}
	// Only the session's own latest export can become the GUID.
	if !s.rec().pending.CompareAndSwap(e, nil) {
		return ErrExportStale
	}
	err = c.commit(func(next *state) error {
		next.expireGUID(c.now(), guidReplaced)
		next.GUID = &guidState{ID: e.file.ID, SecretHash: hex.EncodeToString(e.hash[:]), Created: e.created}
		return nil
	})
	if err != nil {
		s.rec().pending.CompareAndSwap(nil, e) // still the one to confirm
		return err
	}
	s.used()
	c.recordFor(s.caller, AuditRecord{Event: AuditGUIDExport, Method: string(MethodGUID), Outcome: "ok"})
	c.publish(EventMethodsChanged, s.caller)
	return nil
}

// expireGUID retires the current GUID at now, for why, remembering its id
// and its secret's hash.
func (st *state) expireGUID(now time.Time, why string) {
	if st.GUID == nil {
		return
	}
	st.OldGUIDs = append(st.OldGUIDs, oldGUID{ID: st.GUID.ID, SecretHash: st.GUID.SecretHash, Expired: now, Why: why})
	if len(st.OldGUIDs) > maxOldGUIDs {
		st.OldGUIDs = st.OldGUIDs[len(st.OldGUIDs)-maxOldGUIDs:]
	}
	st.GUID = nil
}

// VerifyGUIDFile checks an imported GUID file. Every well-formed file is a
// counted try (7 wrong files lock the method) but one: the genuine file of
// one of this device's expired GUIDs, its secret matching the hash kept of
// it, is refused with a *GUIDExpiredError (when and why it expired) and
// counts nothing. The other outcomes are distinct: ErrGUIDOtherDevice,
// ErrGUIDExpired (an old GUID's id, of a state that kept no hash),
// ErrNoValidGUID and ErrGUIDWrong, the last saying nothing about why. A
// passing file yields a ResetTicket; the GUID expires when the new password
// is stored.
func (d *Door) VerifyGUIDFile(data []byte) (*ResetTicket, error) {
	if d.bad != nil {
		return nil, d.bad
	}
	f, err := ParseGUIDFile(data)
	if err != nil {
		return nil, err
	}
	c := d.c
	release, err := c.begin(d.caller, true, false)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := c.methodUsable(MethodGUID); err != nil {
		return nil, err
	}
	if old, ok := c.st.expiredGUIDFile(f); ok && f.Serial == c.opts.Serial {
		c.recordFor(d.caller, AuditRecord{Event: AuditRecovery, Method: string(MethodGUID), Outcome: "guid-expired-uncounted"})
		return nil, &GUIDExpiredError{On: old.Expired, Replaced: old.Why == guidReplaced}
	}
	a, err := c.beginAttempt(d.caller, MethodGUID, nil)
	if err != nil {
		return nil, err
	}
	st := c.st
	switch {
	case f.Serial != c.opts.Serial:
		return nil, c.fail(a, ErrGUIDOtherDevice)
	case st.isOldGUID(f.ID):
		return nil, c.fail(a, ErrGUIDExpired)
	case st.GUID == nil:
		return nil, c.fail(a, ErrNoValidGUID)
	}
	want, err := hex.DecodeString(st.GUID.SecretHash)
	if err != nil {
		return nil, err
	}
	got := sha256.Sum256(f.secret[:])
	// Both comparisons always run, in constant time, so a known id with a
	// wrong secret looks exactly like an unknown id.
	idOK := subtle.ConstantTimeCompare([]byte(f.ID), []byte(st.GUID.ID))
	secretOK := subtle.ConstantTimeCompare(got[:], want)
	if idOK&secretOK != 1 {
		return nil, c.fail(a, ErrGUIDWrong)
	}
	c.succeed(a, nil)
	return c.newTicket(d.caller, MethodGUID, st.GUID.ID)
}

// expiredGUIDFile returns the old GUID whose file f is: its id, and its
// secret's hash, compared in constant time. An old GUID kept without a
// hash (an older state) never matches: its file cannot be told from a
// forgery of its id.
func (st *state) expiredGUIDFile(f GUIDFile) (oldGUID, bool) {
	got := sha256.Sum256(f.secret[:])
	for _, g := range st.OldGUIDs {
		if g.ID != f.ID || g.SecretHash == "" {
			continue
		}
		want, err := hex.DecodeString(g.SecretHash)
		if err == nil && subtle.ConstantTimeCompare(got[:], want) == 1 {
			return g, true
		}
	}
	return oldGUID{}, false
}

// GUIDExpiredError is the refusal of this device's genuine GUID file after
// its GUID expired: On is when, Replaced says a newer file took its place
// (else the password changed, with a reset or not). It is ErrGUIDExpired,
// and no counted try.
type GUIDExpiredError struct {
	On       time.Time
	Replaced bool
}

func (e *GUIDExpiredError) Error() string {
	why := "the password changed"
	if e.Replaced {
		why = "a newer one was exported"
	}
	return fmt.Sprintf("%v on %s: %s", ErrGUIDExpired, e.On.UTC().Format(time.DateOnly), why)
}

func (e *GUIDExpiredError) Unwrap() error { return ErrGUIDExpired }

// GUIDFileState is what the core says of a GUID file without a try, for a
// list of files to mark: Current, its id is the device's GUID's (the id
// alone, which proves nothing: importing it is the counted check of its
// secret); Expired, when it is the genuine file of an expired GUID of this
// device (as VerifyGUIDFile refuses it uncounted), with Replaced as there.
type GUIDFileState struct {
	Current  bool
	Expired  time.Time
	Replaced bool
}

// GUIDFileState reads data as a GUID file and says what it is to this
// device. It never waits and counts nothing.
func (d *Door) GUIDFileState(data []byte) GUIDFileState {
	f, err := ParseGUIDFile(data)
	if err != nil || d.bad != nil {
		return GUIDFileState{}
	}
	c := d.c
	st := c.snap.Load()
	if f.Serial != c.opts.Serial {
		return GUIDFileState{}
	}
	if st.GUID != nil && st.GUID.ID == f.ID {
		return GUIDFileState{Current: true}
	}
	if old, ok := st.expiredGUIDFile(f); ok {
		return GUIDFileState{Expired: old.Expired, Replaced: old.Why == guidReplaced}
	}
	return GUIDFileState{}
}

func (st *state) isOldGUID(id string) bool {
	for _, g := range st.OldGUIDs {
		if g.ID == id {
			return true
		}
	}
	return false
}
