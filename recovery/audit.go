package recovery

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"nvrmenu/internal/regfile"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// AuditEvent is the kind of an audit record.
type AuditEvent string

// The events the core records.
const (
	AuditActivation     AuditEvent = "activation"      // first admin password set
	AuditLogin          AuditEvent = "login"           // a login try; Outcome says how it went
	AuditLockout        AuditEvent = "lockout"         // a method locked after too many failures
	AuditRecovery       AuditEvent = "recovery"        // a recovery proof tried or used
	AuditRecoverySetup  AuditEvent = "recovery-setup"  // a recovery method set up or cleared
	AuditGUIDExport     AuditEvent = "guid-export"     // a GUID file written to a stick
	AuditChallenge      AuditEvent = "challenge"       // an email challenge created or expired
	AuditPasswordChange AuditEvent = "password-change" // the admin changed the password
	AuditNotify         AuditEvent = "notify"          // the password-change command ran
)

// AuditRecord is one line of the audit log. Event, Method, Outcome and Door
// are codes the core chooses from its own constants (lowercase letters, digits
// and dashes, at most 32 bytes: Record refuses anything else), never text a
// user typed, so no password, answer, code or secret can reach the log.
// Zero fields are left out of the line.
type AuditRecord struct {
	Event       AuditEvent
	Method      string // e.g. "login", "guid", "questions", "email"
	Outcome     string // e.g. "counted", "ok", "wrong-password", "guid-expired"
	Failures    int    // consecutive failures so far
	LockSeconds int64  // how long the method stays locked
	// Door is the door the event came through ("menu", "web", ...), a
	// code like the others; Addr is a network client's address.
	Door string
	Addr netip.Addr
}

// auditLine is an AuditRecord as written, with its time first.
type auditLine struct {
	Time        string     `json:"time"`
	Event       AuditEvent `json:"event"`
	Door        string     `json:"door,omitempty"`
	Addr        string     `json:"addr,omitempty"`
	Method      string     `json:"method,omitempty"`
	Outcome     string     `json:"outcome,omitempty"`
	Failures    int        `json:"failures,omitempty"`
	LockSeconds int64      `json:"lock_seconds,omitempty"`
}

// Names and limits of the audit log.
const (
	auditFileName    = "audit.log"
	auditOldFileName = auditFileName + ".1"
	auditMaxBytes    = 256 << 10
	auditMaxCode     = 32
)

// ErrAuditNotACode is returned by Record for an event, method or outcome
// that is not a code; the error does not include the text.
var ErrAuditNotACode = errors.New("audit record field is not a code")

// AuditLog is an append-only file of JSON lines, audit.log in its
// directory. Before a line would take the file past 256 KiB it is renamed
// to audit.log.1, replacing the previous old file, and a new one is
// started: the log can never fill the recorder's flash. Lines are not
// synced to disk one by one, to spare the flash; a power cut may lose the
// last few. It is safe for concurrent use.
type AuditLog struct {
	dir   string
	clock Clock
	limit int64 // rotation size; tests lower it

	mu   sync.Mutex
	file *os.File // nil until the first Record and after Close
	size int64    // bytes in file

	// testHookSynced is told of each record RecordSync has synced.
	testHookSynced func(AuditRecord)
}

// OpenAuditLog returns the audit log kept in dir, with times from clock
// (the system clock if nil). Nothing is opened or created until the first
// Record, so a read-only or missing directory does not stop the caller.
func OpenAuditLog(dir string, clock Clock) *AuditLog {
	if clock == nil {
		clock = SystemClock{}
	}
	return &AuditLog{dir: dir, clock: clock, limit: auditMaxBytes}
}

// Record appends r, stamped with the clock's time in RFC 3339 UTC, as one
// line in one write(2) on a file opened O_APPEND with mode 0600. An error
// means the record was not written; the caller logs it and goes on, since a
// broken audit log must not block recovery.
func (a *AuditLog) Record(r AuditRecord) error { return a.write(r, false) }

// RecordSync is Record, then fsync: the core writes a try's "counted" line
// with it, so that a try cut short by a power cut is in the log as well as
// in the state file.
func (a *AuditLog) RecordSync(r AuditRecord) error { return a.write(r, true) }

func (a *AuditLog) write(r AuditRecord, sync bool) error {
	for _, code := range [...]struct{ name, value string }{
		{"event", string(r.Event)}, {"method", r.Method}, {"outcome", r.Outcome}, {"door", r.Door},
	} {
		if !auditIsCode(code.value, code.name == "event") {
			return fmt.Errorf("audit log %s: %s: %w", a.path(), code.name, ErrAuditNotACode)
		}
	}
	var addr string
	if r.Addr.IsValid() {
		addr = r.Addr.Unmap().String()
	}
	line, err := json.Marshal(auditLine{
		Time:        a.clock.Now().UTC().Format(time.RFC3339),
		Event:       r.Event,
		Door:        r.Door,
		Addr:        addr,
		Method:      r.Method,
		Outcome:     r.Outcome,
		Failures:    r.Failures,
		LockSeconds: r.LockSeconds,
	})
	if err != nil {
		return fmt.Errorf("audit log %s: encoding a record: %w", a.path(), err)
	}
	line = append(line, '\n')

	a.mu.Lock()
	defer a.mu.Unlock()
	if a.file == nil {
		if err := a.open(); err != nil {
			return err
		}
	}
	if a.size > 0 && a.size+int64(len(line)) > a.limit {
		if err := a.rotate(); err != nil {
			return err
		}
	}
	n, err := a.file.Write(line)
	a.size += int64(n)
	if err != nil {
		return fmt.Errorf("audit log %s: writing: %w", a.path(), err)
	}
	if sync {
		if err := a.file.Sync(); err != nil {
			return fmt.Errorf("audit log %s: syncing: %w", a.path(), err)
		}
		if a.testHookSynced != nil {
			a.testHookSynced(r)
		}
	}
	return nil
}

// Close closes the file. A later Record opens it again.
func (a *AuditLog) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.file == nil {
		return nil
	}
	err := a.file.Close()
	a.file = nil
	if err != nil {
		return fmt.Errorf("audit log %s: closing: %w", a.path(), err)
	}
	return nil
}

func (a *AuditLog) path() string { return filepath.Join(a.dir, auditFileName) }

// open opens (or creates, with its directory) the log for appending and
// learns its size.
func (a *AuditLog) open() error {
	path := a.path()
	if err := os.MkdirAll(a.dir, 0o700); err != nil {
		return fmt.Errorf("audit log %s: %w", path, err)
	}
	// Not through a link (the core would append to the file it names),
	// not a FIFO (the open would wait for a reader for good).
	f, err := regfile.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("audit log %s: opening: %w", path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("audit log %s: %w", path, err)
	}
	// The mode only matters at creation; an older file is tightened too.
	if fi.Mode().Perm() != 0o600 {
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return fmt.Errorf("audit log %s: %w", path, err)
		}
	}
	a.file, a.size = f, fi.Size()
	return nil
}

// rotate renames the current log to the old name, replacing the previous
// old file, and starts a new log.
func (a *AuditLog) rotate() error {
	path := a.path()
	a.file.Close()
	a.file = nil
	if err := os.Rename(path, filepath.Join(a.dir, auditOldFileName)); err != nil {
		return fmt.Errorf("audit log %s: rotating: %w", path, err)
	}
	return a.open()
}

// auditIsCode reports whether s is a code: lowercase ASCII letters, digits
// and dashes, at most auditMaxCode bytes, empty only when allowed.
func auditIsCode(s string, required bool) bool {
	if len(s) > auditMaxCode || (required && s == "") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}
