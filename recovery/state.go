package recovery

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// StateFileName is the name of the one state file in the state directory.
const StateFileName = "state.json"

// stateVersion is the format version this build reads and writes. A file of
// another version is refused, never rewritten.
const stateVersion = 1

// maxStateSize bounds what is read back: the real file is a few KiB.
const maxStateSize = 1 << 20

// ErrStateCorrupt reports a state file that exists but cannot be used: it
// does not parse, has an unknown version, or holds an impossible value. The
// core never overwrites such a file: a person must look at it.
var ErrStateCorrupt = errors.New("state file unusable")

// StateError names the state file and what is wrong with it.
type StateError struct {
	Path string
	Err  error
}

func (e *StateError) Error() string {
	return fmt.Sprintf("state file %s: %v (left untouched; restore it from a backup or move it away to start over, which loses the admin password)", e.Path, e.Err)
}

func (e *StateError) Unwrap() error { return e.Err }

// state is everything the core keeps. It is written whole on every change.
type state struct {
	Version int `json:"version"`

	// Tick is the monotonic time the core has seen pass, summed over every
	// run and persisted at every write: the clock of locks and of code and
	// ticket lifetimes, which no change of the wall clock can move.
	Tick time.Duration `json:"tick"`

	// KDF are the costs chosen at activation for every new hash.
	KDF *kdfJSON `json:"kdf,omitempty"`

	Admin     *adminState     `json:"admin,omitempty"`
	GUID      *guidState      `json:"guid,omitempty"`
	OldGUIDs  []oldGUID       `json:"old_guids,omitempty"`
	Questions *questionsState `json:"questions,omitempty"`
	Email     *emailState     `json:"email,omitempty"`
	Challenge *challengeState `json:"challenge,omitempty"`

	Locks map[Method]*lockState `json:"locks,omitempty"`
	// RecentFailures holds the times of failed tries of the last hour, all
	// methods together, for the global rate limit.
	RecentFailures []time.Duration `json:"recent_failures,omitempty"`
}

type kdfJSON struct {
	MemoryKiB uint32 `json:"m"`
	Time      uint32 `json:"t"`
	Threads   uint8  `json:"p"`
}

type adminState struct {
	Hash    string    `json:"hash"`
	Changed time.Time `json:"changed"`
	// Generation counts password changes; a ResetTicket is only good for
	// the generation it was issued in.
	Generation uint64 `json:"generation"`
}

type guidState struct {
	ID         string    `json:"id"`
	SecretHash string    `json:"secret_sha256"`
	Created    time.Time `json:"created"`
}

// oldGUID remembers a GUID that no longer opens the device, so that
// importing its file says "expired" instead of "wrong file".
type oldGUID struct {
	ID string `json:"id"`
}

type questionsState struct {
	IDs  [3]QuestionID `json:"ids"`
	Hash string        `json:"hash"`
}

type emailState struct {
	Address string `json:"address"`
}

type challengeState struct {
	ID       string    `json:"id"`
	CodeHash string    `json:"code_hash"`
	Payload  string    `json:"payload"`
	Created  time.Time `json:"created"`
	// CreatedTick is the Tick at creation: the code also dies CodeTTL of
	// running time later, whatever the wall clock says.
	CreatedTick time.Duration `json:"created_tick"`
	// CreatedTrusted is false when Created was read off a clock earlier
	// than the build date; the expiry then starts when a trusted clock is
	// first seen.
	CreatedTrusted bool `json:"created_trusted"`
	Wrong          int  `json:"wrong"`
}

type lockState struct {
	Failures int `json:"failures"`
	Locks    int `json:"locks"`
	// LockedTick and LockFor describe the current or last lock, in ticks.
	LockedTick time.Duration `json:"locked_tick,omitempty"`
	LockFor    time.Duration `json:"lock_for,omitempty"`
}

// statePath is the state file's path in dir.
func statePath(dir string) string { return filepath.Join(dir, StateFileName) }

// loadState reads the state file in dir. A missing file is a device that was
// never activated: an empty state and no error.
func loadState(dir string) (*state, error) {
	path := statePath(dir)
	removeStaleTemps(dir)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &state{Version: stateVersion}, nil
	}
	if err != nil {
		// Unreadable is as bad as damaged: nothing can be checked.
		return nil, &StateError{Path: path, Err: fmt.Errorf("opening: %w", err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxStateSize+1))
	if err != nil {
		return nil, &StateError{Path: path, Err: fmt.Errorf("reading: %w", err)}
	}
	st, err := decodeState(data)
	if err != nil {
		return nil, &StateError{Path: path, Err: err}
	}
	return st, nil
}

// decodeState parses and checks a state file's bytes.
func decodeState(data []byte) (*state, error) {
	if len(data) > maxStateSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrStateCorrupt, maxStateSize)
	}
	var probe struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%w: not valid JSON: %v", ErrStateCorrupt, err)
	}
	if probe.Version == nil {
		return nil, fmt.Errorf("%w: no version field", ErrStateCorrupt)
	}
	if *probe.Version != stateVersion {
		return nil, fmt.Errorf("%w: version %d, this build reads version %d", ErrStateCorrupt, *probe.Version, stateVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	st := new(state)
	if err := dec.Decode(st); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStateCorrupt, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the JSON object", ErrStateCorrupt)
	}
	if err := st.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStateCorrupt, err)
	}
	return st, nil
}

// check refuses values that no build of the core writes.
func (st *state) check() error {
	if st.KDF != nil {
		if err := st.KDF.params().Validate(); err != nil {
			return fmt.Errorf("kdf: %v", err)
		}
	}
	hashes := map[string]string{}
	if st.Admin != nil {
		hashes["admin.hash"] = st.Admin.Hash
	}
	if st.Questions != nil {
		hashes["questions.hash"] = st.Questions.Hash
		if err := checkQuestionIDs(st.Questions.IDs); err != nil {
			return fmt.Errorf("questions: %v", err)
		}
	}
	if st.Challenge != nil {
		hashes["challenge.code_hash"] = st.Challenge.CodeHash
		if !isHex(st.Challenge.ID, 32) || st.Challenge.Payload == "" || st.Challenge.Wrong < 0 {
			return errors.New("challenge: malformed")
		}
	}
	for field, h := range hashes {
		if _, _, _, err := parsePHC(h); err != nil {
			return fmt.Errorf("%s: %v", field, err)
		}
	}
	if st.GUID != nil && (!isHex(st.GUID.ID, guidIDLen*2) || !isHex(st.GUID.SecretHash, 64)) {
		return errors.New("guid: malformed")
	}
	for _, g := range st.OldGUIDs {
		if !isHex(g.ID, guidIDLen*2) {
			return errors.New("old_guids: malformed")
		}
	}
	if st.Tick < 0 {
		return errors.New("tick: negative")
	}
	for m, l := range st.Locks {
		if !m.valid() || l == nil || l.Failures < 0 || l.Locks < 0 || l.LockFor < 0 || l.LockedTick < 0 {
			return fmt.Errorf("locks: malformed entry %q", m)
		}
	}
	if (st.Questions != nil || st.Email != nil || st.GUID != nil) && st.Admin == nil {
		return errors.New("recovery methods without an admin password")
	}
	return nil
}

func (k *kdfJSON) params() KDFParams {
	return KDFParams{MemoryKiB: k.MemoryKiB, Time: k.Time, Threads: k.Threads}
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

const stateTempPrefix = "." + StateFileName + ".tmp-"

// saveState replaces the state file in dir atomically: a temp file in the
// same directory, fsync, rename over the old file, fsync the directory. A
// crash at any point leaves either the old or the new file whole.
func saveState(dir string, st *state) error {
	st.Version = stateVersion
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding state: %w", err)
	}
	data = append(data, '\n')
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating state directory %s: %w", dir, err)
	}
	return writeFileAtomic(dir, StateFileName, stateTempPrefix, data)
}

// writeFileAtomic writes data to dir/name through a temp file; on failure it
// removes the temp file and leaves any old dir/name untouched.
func writeFileAtomic(dir, name, tempPrefix string, data []byte) (err error) {
	tmp, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return fmt.Errorf("creating temp file in %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("setting mode of %s: %w", tmp.Name(), err)
	}
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", tmp.Name(), err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", tmp.Name(), err)
	}
	final := filepath.Join(dir, name)
	if err = os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("replacing %s: %w", final, err)
	}
	if derr := syncDir(dir); derr != nil {
		return fmt.Errorf("%w: %v", errDirSync, derr)
	}
	return nil
}

// errDirSync reports a write whose file was renamed into place but whose
// directory could not be synced afterwards.
var errDirSync = errors.New("file replaced but its directory not synced")

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("opening directory %s to sync it: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	return nil
}

// removeStaleTemps deletes temp files a crash left behind. They never hold
// the only copy of anything: the rename is what commits a write.
func removeStaleTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stateTempPrefix) && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
