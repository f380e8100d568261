package recovery

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// AuditEvent is the kind of an audit record.
type AuditEvent string

// The events the core records.
const (
	AuditActivation     AuditEvent = "activation"
	AuditLogin          AuditEvent = "login"
	AuditLockout        AuditEvent = "lockout"
	AuditRecovery       AuditEvent = "recovery"
	AuditRecoverySetup  AuditEvent = "recovery-setup"
	AuditGUIDExport     AuditEvent = "guid-export"
	AuditChallenge      AuditEvent = "challenge"
	AuditPasswordChange AuditEvent = "password-change"
	AuditNotify         AuditEvent = "notify"
)

// AuditRecord is one line of the audit log. Its fields are codes and
// numbers chosen by the core, never text a user typed, so no password,
// answer, code or secret can reach the log.
type AuditRecord struct {
	Time        string     `json:"time"`
	Event       AuditEvent `json:"event"`
	Method      string     `json:"method,omitempty"`
	Outcome     string     `json:"outcome,omitempty"`
	Failures    int        `json:"failures,omitempty"`
	LockSeconds int64      `json:"lock_seconds,omitempty"`
}

// AuditFileName is the audit log's name; the previous one is kept as
// AuditFileName + ".1".
const AuditFileName = "audit.log"

// AuditLog is an append-only JSON-lines file, rotated before it passes
// 256 KiB with one old file kept, so it can never fill the recorder's
// flash. It is safe for concurrent use.
type AuditLog struct {
	dir   string
	clock Clock
	limit int64

	mu   sync.Mutex
	f    *os.File
	size int64
}

// OpenAuditLog returns the audit log in dir; the file is opened at the
// first record.
func OpenAuditLog(dir string, clock Clock) *AuditLog {
	return &AuditLog{dir: dir, clock: clock, limit: 256 << 10}
}

// Record appends r with the current time, in one write.
func (a *AuditLog) Record(r AuditRecord) error {
	r.Time = a.clock.Now().UTC().Format(time.RFC3339)
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("audit record: %w", err)
	}
	line = append(line, '\n')
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f != nil && a.size+int64(len(line)) > a.limit {
		if err := a.rotate(); err != nil {
			return err
		}
	}
	if a.f == nil {
		if err := a.open(); err != nil {
			return err
		}
	}
	n, err := a.f.Write(line)
	a.size += int64(n)
	if err != nil {
		return fmt.Errorf("writing audit log %s: %w", a.f.Name(), err)
	}
	return nil
}

func (a *AuditLog) open() error {
	path := filepath.Join(a.dir, AuditFileName)
	if err := os.MkdirAll(a.dir, 0o700); err != nil {
		return fmt.Errorf("creating audit log directory %s: %w", a.dir, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("opening audit log %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("audit log %s: %w", path, err)
	}
	a.f, a.size = f, fi.Size()
	if a.size >= a.limit {
		return a.rotate()
	}
	return nil
}

// rotate renames the full log to .1, replacing the older one, and starts
// a new file.
func (a *AuditLog) rotate() error {
	path := filepath.Join(a.dir, AuditFileName)
	a.f.Close()
	a.f = nil
	if err := os.Rename(path, path+".1"); err != nil {
		return fmt.Errorf("rotating audit log %s: %w", path, err)
	}
	return a.open()
}

// Close closes the file; a later Record opens it again.
func (a *AuditLog) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		return nil
	}
	err := a.f.Close()
	a.f = nil
	return err
}
