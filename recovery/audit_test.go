package recovery

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// auditTestClock is a clock that stands still, in any time zone.
type auditTestClock struct{ t time.Time }

func (c auditTestClock) Now() time.Time { return c.t }

var auditTestTime = auditTestClock{time.Date(2027, 3, 14, 10, 30, 0, 0, time.FixedZone("CET", 3600))}

// auditReadLines decodes every line of the file at path strictly.
func auditReadLines(t *testing.T, path string) []auditLine {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []auditLine
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var l auditLine
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("%s: line %q: got %v, want valid JSON", filepath.Base(path), sc.Text(), err)
		}
		lines = append(lines, l)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Fatalf("%s: got a last line without newline", filepath.Base(path))
	}
	return lines
}

// auditFileNames lists dir.
func auditFileNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestAuditRecordWritesOneJSONLine(t *testing.T) {
	for _, tc := range []struct {
		name   string
		record AuditRecord
		want   string
	}{
		{
			"failed login",
			AuditRecord{Event: AuditLogin, Method: "login", Outcome: "wrong-password", Failures: 2},
			`{"time":"2027-03-14T09:30:00Z","event":"login","method":"login","outcome":"wrong-password","failures":2}`,
		},
		{
			"lockout",
			AuditRecord{Event: AuditLockout, Method: "guid", LockSeconds: 1800},
			`{"time":"2027-03-14T09:30:00Z","event":"lockout","method":"guid","lock_seconds":1800}`,
		},
		{
			"event only",
			AuditRecord{Event: AuditNotify},
			`{"time":"2027-03-14T09:30:00Z","event":"notify"}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			a := OpenAuditLog(dir, auditTestTime)
			if err := a.Record(tc.record); err != nil {
				t.Fatalf("Record: got %v, want nil", err)
			}
			if err := a.Close(); err != nil {
				t.Fatalf("Close: got %v, want nil", err)
			}
			got, err := os.ReadFile(filepath.Join(dir, "audit.log"))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want+"\n" {
				t.Fatalf("got %q, want %q", got, tc.want+"\n")
			}
		})
	}
}

func TestAuditRecordRefusesText(t *testing.T) {
	for _, tc := range []struct {
		name   string
		record AuditRecord
	}{
		{"no event", AuditRecord{Outcome: "ok"}},
		{"event with capitals", AuditRecord{Event: "Login"}},
		{"password as method", AuditRecord{Event: AuditLogin, Method: "Gatto!Nero77"}},
		{"answer as outcome", AuditRecord{Event: AuditRecovery, Outcome: "fido il bassotto"}},
		{"newline", AuditRecord{Event: AuditLogin, Outcome: "ok\n{\"event\":\"forged\"}"}},
		{"too long", AuditRecord{Event: AuditLogin, Outcome: strings.Repeat("a", 33)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			a := OpenAuditLog(dir, auditTestTime)
			err := a.Record(tc.record)
			if !errors.Is(err, ErrAuditNotACode) {
				t.Fatalf("got %v, want ErrAuditNotACode", err)
			}
			for _, text := range []string{string(tc.record.Event), tc.record.Method, tc.record.Outcome} {
				if text != "" && strings.Contains(err.Error(), text) {
					t.Fatalf("got message %q, want one without %q", err, text)
				}
			}
			if names := auditFileNames(t, dir); len(names) != 0 {
				t.Fatalf("got files %v, want none", names)
			}
		})
	}
}

func TestAuditLogRotatesBeforeTheLimit(t *testing.T) {
	dir := t.TempDir()
	a := OpenAuditLog(dir, auditTestTime)
	defer a.Close()
	record := func(failures int) AuditRecord {
		return AuditRecord{Event: AuditLogin, Method: "login", Outcome: "wrong-password", Failures: failures}
	}
	line, err := json.Marshal(auditLine{Time: "2027-03-14T09:30:00Z", Event: AuditLogin, Method: "login", Outcome: "wrong-password", Failures: 1})
	if err != nil {
		t.Fatal(err)
	}
	a.limit = int64(3 * (len(line) + 1)) // exactly three lines of one-digit failures
	failures := func(path string) []int {
		var got []int
		for _, l := range auditReadLines(t, path) {
			got = append(got, l.Failures)
		}
		return got
	}
	current, old := filepath.Join(dir, "audit.log"), filepath.Join(dir, "audit.log.1")
	for _, step := range []struct {
		record       int
		wantCurrent  []int
		wantOld      []int
		wantNames    []string
		wantFullSize bool
	}{
		{1, []int{1}, nil, []string{"audit.log"}, false},
		{2, []int{1, 2}, nil, []string{"audit.log"}, false},
		{3, []int{1, 2, 3}, nil, []string{"audit.log"}, true}, // at the limit, not past it
		{4, []int{4}, []int{1, 2, 3}, []string{"audit.log", "audit.log.1"}, false},
		{5, []int{4, 5}, []int{1, 2, 3}, []string{"audit.log", "audit.log.1"}, false},
		{6, []int{4, 5, 6}, []int{1, 2, 3}, []string{"audit.log", "audit.log.1"}, true},
		{7, []int{7}, []int{4, 5, 6}, []string{"audit.log", "audit.log.1"}, false}, // one old file only
	} {
		if err := a.Record(record(step.record)); err != nil {
			t.Fatalf("record %d: got %v, want nil", step.record, err)
		}
		if got := auditFileNames(t, dir); !slices.Equal(got, step.wantNames) {
			t.Fatalf("after record %d: got files %v, want %v", step.record, got, step.wantNames)
		}
		if got := failures(current); !slices.Equal(got, step.wantCurrent) {
			t.Fatalf("after record %d: got audit.log %v, want %v", step.record, got, step.wantCurrent)
		}
		if step.wantOld != nil {
			if got := failures(old); !slices.Equal(got, step.wantOld) {
				t.Fatalf("after record %d: got audit.log.1 %v, want %v", step.record, got, step.wantOld)
			}
		}
		fi, err := os.Stat(current)
		if err != nil {
			t.Fatal(err)
		}
		if full := fi.Size() == a.limit; full != step.wantFullSize {
			t.Fatalf("after record %d: got size %d, want at the %d limit: %v", step.record, fi.Size(), a.limit, step.wantFullSize)
		}
	}
}

func TestAuditLogRotatesAFullFileFromBefore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.log")
	before := strings.Repeat(`{"time":"2027-03-13T09:30:00Z","event":"login"}`+"\n", 20)
	if err := os.WriteFile(path, []byte(before), 0o600); err != nil {
		t.Fatal(err)
	}
	a := OpenAuditLog(dir, auditTestTime)
	a.limit = int64(len(before))
	if err := a.Record(AuditRecord{Event: AuditActivation, Outcome: "ok"}); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	a.Close()
	if got, _ := os.ReadFile(path + ".1"); string(got) != before {
		t.Fatalf("got audit.log.1 %q, want the earlier log", got)
	}
	if lines := auditReadLines(t, path); len(lines) != 1 || lines[0].Event != AuditActivation {
		t.Fatalf("got audit.log %+v, want the one new record", lines)
	}
}

func TestAuditLogFileMode(t *testing.T) {
	for _, tc := range []struct {
		name     string
		existing os.FileMode // 0: no file yet
	}{
		{"new file", 0},
		{"older file readable by all", 0o644},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "audit.log")
			if tc.existing != 0 {
				if err := os.WriteFile(path, nil, tc.existing); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tc.existing); err != nil { // past the umask
					t.Fatal(err)
				}
			}
			a := OpenAuditLog(dir, auditTestTime)
			defer a.Close()
			if err := a.Record(AuditRecord{Event: AuditActivation}); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != 0o600 {
				t.Fatalf("got mode %v, want 0600", got)
			}
		})
	}
}

func TestAuditLogConcurrentRecords(t *testing.T) {
	const goroutines, each = 8, 50
	for _, tc := range []struct {
		name  string
		limit int64 // 0: the default
	}{
		{"no rotation", 0},
		{"rotating", 2 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			a := OpenAuditLog(dir, auditTestTime)
			if tc.limit != 0 {
				a.limit = tc.limit
			}
			var wg sync.WaitGroup
			for g := range goroutines {
				wg.Go(func() {
					for i := range each {
						if err := a.Record(AuditRecord{Event: AuditLogin, Method: "login", Outcome: "wrong-password", Failures: g*each + i + 1}); err != nil {
							t.Errorf("got %v, want nil", err)
						}
					}
				})
			}
			wg.Wait()
			if err := a.Close(); err != nil {
				t.Fatal(err)
			}
			seen := map[int]bool{}
			for _, name := range auditFileNames(t, dir) {
				path := filepath.Join(dir, name)
				fi, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if fi.Size() > a.limit {
					t.Fatalf("%s: got size %d, want at most %d", name, fi.Size(), a.limit)
				}
				for _, l := range auditReadLines(t, path) {
					if seen[l.Failures] {
						t.Fatalf("got record %d twice", l.Failures)
					}
					seen[l.Failures] = true
				}
			}
			names := auditFileNames(t, dir)
			if tc.limit == 0 {
				if len(seen) != goroutines*each || !slices.Equal(names, []string{"audit.log"}) {
					t.Fatalf("got %d records in %v, want %d in audit.log", len(seen), names, goroutines*each)
				}
			} else if !slices.Equal(names, []string{"audit.log", "audit.log.1"}) {
				t.Fatalf("got files %v, want audit.log and audit.log.1", names)
			}
		})
	}
}

func TestAuditLogReopensAfterClose(t *testing.T) {
	dir := t.TempDir()
	a := OpenAuditLog(dir, auditTestTime)
	for _, step := range []func() error{
		func() error { return a.Record(AuditRecord{Event: AuditActivation}) },
		a.Close,
		a.Close,
		func() error { return a.Record(AuditRecord{Event: AuditPasswordChange}) },
		a.Close,
	} {
		if err := step(); err != nil {
			t.Fatalf("got %v, want nil", err)
		}
	}
	lines := auditReadLines(t, filepath.Join(dir, "audit.log"))
	if len(lines) != 2 || lines[0].Event != AuditActivation || lines[1].Event != AuditPasswordChange {
		t.Fatalf("got %+v, want the two records in order", lines)
	}
}

func TestAuditLogUnwritable(t *testing.T) {
	// A regular file where the directory should be: nothing can be created.
	notADir := filepath.Join(t.TempDir(), "state")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	a := OpenAuditLog(filepath.Join(notADir, "audit"), auditTestTime)
	for i := range 2 { // and again: no state is left broken
		err := a.Record(AuditRecord{Event: AuditActivation})
		if err == nil || !strings.Contains(err.Error(), notADir) {
			t.Fatalf("try %d: got %v, want an error naming %s", i+1, err, notADir)
		}
	}
	if err := a.Close(); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
}
