package recovery

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"nvrmenu/internal/atomicfile"
	"nvrmenu/internal/regfile"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// StateFileName is the name of the one state file in the state directory;
// PrevStateFileName is the copy of the one it replaced, kept beside it;
// V2MarkerFileName exists once this device has written a version 2 state
// file (see stateVersion).
const (
	StateFileName     = "state.json"
	PrevStateFileName = StateFileName + ".prev"
	V2MarkerFileName  = StateFileName + ".v2"
)

// stateVersion is the format version this build writes. A version 1 file
// (no checksum, counters for the console alone) is what the first builds
// wrote: it loads only on a device that never wrote version 2 — no
// state.json.prev (which came with version 2) and no state.json.v2 marker
// beside it — and is rewritten as version 2 as soon as it loads. Anywhere
// else a version 1 file can only have been written by hand (nothing checks
// it: "version 1" with no admin would be a new device anyone could claim,
// one without counters a device with every lock erased), and it is a
// fault. A file of another version is refused, never rewritten.
const stateVersion = 2

// v2Marker is what state.json.v2 says to a person who finds it.
const v2Marker = "This device has written its recovery state in format version 2: a version 1 state.json here is refused.\n"

// maxStateSize bounds what is read back: the real file is a few KiB.
const maxStateSize = 1 << 20

// ErrStateCorrupt reports a state file that exists but cannot be used: it
// does not parse, fails its checksum, has an unknown version, or holds an
// impossible value. The core never overwrites such a file: a person must
// look at it.
var ErrStateCorrupt = errors.New("state file unusable")

// StateError names the state file and what is wrong with it, and the copy
// of the previous version when there is one.
type StateError struct {
	Path string
	Err  error
	// Prev is the previous version's path (state.json.prev) when it
	// exists: restoring it brings back the device as it was one change
	// earlier.
	Prev string
}

func (e *StateError) Error() string {
	// Starting over means taking away every file that says a state was
	// written here: the file, its previous version and the marker.
	var present []string
	dir := filepath.Dir(e.Path)
	for _, name := range []string{StateFileName, PrevStateFileName, V2MarkerFileName} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			present = append(present, filepath.Join(dir, name))
		}
	}
	startOver := "move " + listed(present) + " away to start over, which loses the admin password"
	fix := "restore it from a backup or " + startOver
	switch _, err := os.Lstat(e.Path); {
	case e.Prev != "" && err != nil:
		fix = "copy " + e.Prev + " to " + e.Path + " to go back one change, restore it from a backup, or " + startOver
	case e.Prev != "":
		fix = "copy " + e.Prev + " over it to go back one change, restore it from a backup, or " + startOver
	}
	return fmt.Sprintf("state file %s: %v (left untouched; %s)", e.Path, e.Err, fix)
}

// listed joins names as "a", "a and b", "a, b and c".
func listed(names []string) string {
	switch len(names) {
	case 0:
		return "it"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func (e *StateError) Unwrap() error { return e.Err }

// state is everything the core keeps. It is written whole on every change.
type state struct {
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
	// Challenges holds each door class's pending email challenge: a
	// LAN attacker can spoil only the network's own code, never the one
	// the owner at the console waits for.
	Challenges map[Class]*challengeState `json:"challenges,omitempty"`

	// Doors holds each door class's failure counters, locks and hourly
	// record.
	Doors map[Class]*doorState `json:"doors,omitempty"`

	// EmailRenewals are the ticks of the network's new email challenges
	// in the last hour (maxNetworkRenewals).
	EmailRenewals []time.Duration `json:"email_renewals,omitempty"`
	// Throttle is the per-address throttle's buckets that are not full,
	// as of Tick.
	Throttle []throttleEntry `json:"throttle,omitempty"`
}

// throttleEntry is one address's bucket: its tokens at tick At.
type throttleEntry struct {
	Addr   string        `json:"addr"`
	Tokens float64       `json:"tokens"`
	At     time.Duration `json:"at"`
}

// doorState is one door class's failures.
type doorState struct {
	Locks map[Method]*lockState `json:"locks,omitempty"`
	// RecentFailures holds the ticks of failed tries of the last hour,
	// all methods together, for the hourly cap.
	RecentFailures []time.Duration `json:"recent_failures,omitempty"`
}

// stateV1 is the format of the first builds: no checksum, one set of
// counters, one challenge. It is read strictly, so a version 2 file (which
// has "sha256" and "state" at the top) can never pass for one.
type stateV1 struct {
	Version        int                   `json:"version"`
	Tick           time.Duration         `json:"tick"`
	KDF            *kdfJSON              `json:"kdf,omitempty"`
	Admin          *adminState           `json:"admin,omitempty"`
	GUID           *guidState            `json:"guid,omitempty"`
	OldGUIDs       []oldGUID             `json:"old_guids,omitempty"`
	Questions      *questionsState       `json:"questions,omitempty"`
	Email          *emailState           `json:"email,omitempty"`
	Challenge      *challengeState       `json:"challenge,omitempty"`
	Locks          map[Method]*lockState `json:"locks,omitempty"`
	RecentFailures []time.Duration       `json:"recent_failures,omitempty"`
}

// upgrade turns a version 1 state into the current one: its counters and
// challenge were the console's, the only door there was.
func (v *stateV1) upgrade() *state {
	st := &state{Tick: v.Tick, KDF: v.KDF, Admin: v.Admin, GUID: v.GUID, OldGUIDs: v.OldGUIDs, Questions: v.Questions, Email: v.Email}
	if len(v.Locks) > 0 || len(v.RecentFailures) > 0 {
		st.Doors = map[Class]*doorState{ClassConsole: {Locks: v.Locks, RecentFailures: v.RecentFailures}}
	}
	if v.Challenge != nil {
		st.Challenges = map[Class]*challengeState{ClassConsole: v.Challenge}
	}
	return st
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
	// By is the door (and client address) that set this password.
	By *byState `json:"by,omitempty"`
}

// byState names a door and, for the network, the client address.
type byState struct {
	Door string `json:"door"`
	Addr string `json:"addr,omitempty"`
}

func byCaller(c Caller) *byState {
	b := &byState{Door: c.Door}
	if c.Addr.IsValid() {
		b.Addr = c.Addr.String()
	}
	return b
}

type guidState struct {
	ID         string    `json:"id"`
	SecretHash string    `json:"secret_sha256"`
	Created    time.Time `json:"created"`
}

// oldGUID remembers a GUID that no longer opens the device, so that
// importing its file says "expired" instead of "wrong file". SecretHash (the
// SHA-256 of its retired 256-bit secret, which opens nothing any more),
// Expired and Why, kept since they were, let the core tell its genuine file
// apart, and say when and why it expired, without counting the try; an
// entry of an older state has only its id.
type oldGUID struct {
	ID         string    `json:"id"`
	SecretHash string    `json:"secret_sha256,omitempty"`
	Expired    time.Time `json:"expired,omitzero"`
	Why        string    `json:"why,omitempty"` // guidReplaced, guidPasswordChanged
}

// Why an old GUID expired.
const (
	guidReplaced        = "replaced"         // a newer GUID file was exported
	guidPasswordChanged = "password-changed" // the password changed (a reset with it included)
)

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
// never activated: an empty state and no error — unless the previous
// version or the version 2 marker is there, which means the file was lost,
// not never written.
func loadState(dir string) (*state, error) {
	st, _, err := loadStateVersion(dir)
	return st, err
}

// loadStateVersion is loadState, also saying the file's format version (0
// when there was no file).
func loadStateVersion(dir string) (st *state, version int, err error) {
	path := statePath(dir)
	prev := filepath.Join(dir, PrevStateFileName)
	if _, err := os.Lstat(prev); err != nil {
		prev = ""
	}
	_, markerErr := os.Lstat(filepath.Join(dir, V2MarkerFileName))
	v2Written := prev != "" || markerErr == nil
	// Never through a link, never waiting on a FIFO, only a regular
	// file: whoever can write the directory must not be able to hang the
	// daemon in open(2) or point it at another file.
	data, err := regfile.ReadFile(path, maxStateSize)
	if errors.Is(err, fs.ErrNotExist) {
		if v2Written {
			return nil, 0, &StateError{Path: path, Prev: prev, Err: fmt.Errorf("%w: missing, but %s: the file was lost, not never written", ErrStateCorrupt, writtenBefore(prev != ""))}
		}
		return &state{}, 0, nil
	}
	if errors.Is(err, regfile.ErrTooLarge) {
		return nil, 0, &StateError{Path: path, Prev: prev, Err: fmt.Errorf("%w: larger than %d bytes", ErrStateCorrupt, maxStateSize)}
	}
	if errors.Is(err, regfile.ErrNotRegular) {
		return nil, 0, &StateError{Path: path, Prev: prev, Err: fmt.Errorf("%w: %w", ErrStateCorrupt, unwrapPath(err))}
	}
	if err != nil {
		// Unreadable is as bad as damaged: nothing can be checked.
		return nil, 0, &StateError{Path: path, Prev: prev, Err: fmt.Errorf("reading: %w", unwrapPath(err))}
	}
	st, version, err = decodeStateVersion(data)
	if err != nil {
		return nil, 0, &StateError{Path: path, Prev: prev, Err: err}
	}
	if version == 1 && v2Written {
		return nil, 0, &StateError{Path: path, Prev: prev, Err: fmt.Errorf("%w: a version 1 file, but %s: only a device that never wrote version 2 reads version 1, since nothing in it can be checked", ErrStateCorrupt, writtenBefore(prev != ""))}
	}
	return st, version, nil
}

// writtenBefore says which file shows that a version 2 state was written.
func writtenBefore(prev bool) string {
	if prev {
		return PrevStateFileName + " exists"
	}
	return V2MarkerFileName + " exists (a version 2 state was written here)"
}

// stateFile is the version 2 file: the state and the SHA-256 of its exact
// bytes, so that a flipped bit anywhere in it (cheap flash does rot) is
// caught instead of, say, silently changing the admin hash.
type stateFile struct {
	Version *int            `json:"version"`
	SHA256  *string         `json:"sha256"`
	State   json.RawMessage `json:"state"`
}

// encodeState renders st as a version 2 file.
func encodeState(st *state) ([]byte, error) {
	body, err := json.MarshalIndent(st, "  ", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding state: %w", err)
	}
	sum := sha256.Sum256(body)
	return fmt.Appendf(nil, "{\n  \"version\": %d,\n  \"sha256\": \"%x\",\n  \"state\": %s\n}\n", stateVersion, sum, body), nil
}

// decodeState parses and checks a state file's bytes, of either version.
func decodeState(data []byte) (*state, error) {
	st, _, err := decodeStateVersion(data)
	return st, err
}

// decodeStateVersion is decodeState, also saying the file's version.
func decodeStateVersion(data []byte) (*state, int, error) {
	st, err := decodeAny(data)
	if err != nil {
		return nil, 0, err
	}
	var probe struct {
		Version int `json:"version"`
	}
	json.Unmarshal(data, &probe) // decodeAny parsed it already
	return st, probe.Version, nil
}

func decodeAny(data []byte) (*state, error) {
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
	var st *state
	switch *probe.Version {
	case 1:
		var v1 stateV1
		if err := decodeStrict(data, &v1); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrStateCorrupt, err)
		}
		st = v1.upgrade()
	case stateVersion:
		var file stateFile
		if err := decodeStrict(data, &file); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrStateCorrupt, err)
		}
		if file.SHA256 == nil || file.State == nil {
			return nil, fmt.Errorf("%w: no checksum or no state", ErrStateCorrupt)
		}
		sum := sha256.Sum256(file.State)
		if want, err := hex.DecodeString(*file.SHA256); err != nil || !bytes.Equal(want, sum[:]) {
			return nil, fmt.Errorf("%w: checksum mismatch: the file was damaged after it was written", ErrStateCorrupt)
		}
		st = new(state)
		if err := decodeStrict(file.State, st); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrStateCorrupt, err)
		}
	default:
		return nil, fmt.Errorf("%w: version %d, this build reads versions 1 and %d", ErrStateCorrupt, *probe.Version, stateVersion)
	}
	if err := st.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStateCorrupt, err)
	}
	return st, nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields and
// anything after the value.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON object")
	}
	return nil
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
		if b := st.Admin.By; b != nil && !auditIsCode(b.Door, true) {
			return errors.New("admin.by: malformed")
		}
	}
	if st.Questions != nil {
		hashes["questions.hash"] = st.Questions.Hash
		if err := checkQuestionIDs(st.Questions.IDs); err != nil {
			return fmt.Errorf("questions: %v", err)
		}
	}
	for class, ch := range st.Challenges {
		if !class.valid() || ch == nil || !isHex(ch.ID, 32) || ch.Payload == "" || ch.Wrong < 0 {
			return fmt.Errorf("challenges: malformed entry %q", class)
		}
		hashes["challenges."+string(class)+".code_hash"] = ch.CodeHash
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
	for class, ds := range st.Doors {
		if !class.valid() || ds == nil {
			return fmt.Errorf("doors: malformed entry %q", class)
		}
		for m, l := range ds.Locks {
			if !validMethod(m) || l == nil || l.Failures < 0 || l.Locks < 0 || l.LockFor < 0 || l.LockedTick < 0 {
				return fmt.Errorf("locks: malformed entry %q", m)
			}
		}
	}
	for i, r := range st.EmailRenewals {
		if r < 0 || r > st.Tick || (i > 0 && r < st.EmailRenewals[i-1]) {
			return errors.New("email_renewals: malformed")
		}
	}
	if len(st.Throttle) > maxThrottled {
		return errors.New("throttle: too many entries")
	}
	for _, e := range st.Throttle {
		if a, err := netip.ParseAddr(e.Addr); err != nil || a != throttleKey(a) || !(e.Tokens >= 0) || e.At < 0 || e.At > st.Tick {
			return fmt.Errorf("throttle: malformed entry %q", e.Addr)
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

// saveState replaces the state file in dir atomically, keeping the file it
// replaces as state.json.prev: a temp file in the same directory, fsync,
// the current file linked (or, where links are not supported, copied) to
// the .prev name through a temp name of its own, the temp file renamed over
// the state file, fsync of the directory. state.json exists at every
// moment: a device without it reads as never activated, which anyone could
// then activate. A crash at any point leaves either the old or the new
// file whole.
//
// Once the new file is in place, the version 2 marker is made if it is not
// there yet (after, so that a crash in between never leaves the marker
// beside a version 1 file: the device would then refuse its own state).
func saveState(dir string, st *state) error { return writeState(dir, st, PrevStateFileName) }

// writeState is saveState keeping the replaced file as prev ("": not kept).
func writeState(dir string, st *state, prev string) error {
	data, err := encodeState(st)
	if err != nil {
		return err
	}
	err = atomicfile.Write(filepath.Join(dir, StateFileName), data, atomicfile.Options{
		Replace: true, Previous: prev, TempPrefix: stateTempPrefix, Link: linkFile,
	})
	if err != nil && !errors.Is(err, atomicfile.ErrDirSync) {
		return err
	}
	if merr := writeV2Marker(dir); merr != nil {
		return merr
	}
	return err
}

// writeV2Marker makes state.json.v2 unless it is there.
func writeV2Marker(dir string) error {
	path := filepath.Join(dir, V2MarkerFileName)
	if _, err := os.Lstat(path); err == nil {
		return nil
	}
	err := atomicfile.Write(path, []byte(v2Marker), atomicfile.Options{TempPrefix: stateTempPrefix + "v2-", Link: linkFile})
	if err != nil && !errors.Is(err, atomicfile.ErrExists) {
		return fmt.Errorf("marking the state directory as version 2: %w", err)
	}
	return nil
}

// upgradeState rewrites a version 1 file as version 2 at once, without
// keeping the old one as state.json.prev: from now on the device refuses
// version 1, so a .prev of that version could never be gone back to.
func upgradeState(dir string, st *state) error { return writeState(dir, st, "") }

// removeStaleTemps deletes temp files a crash left behind.
func removeStaleTemps(dir string) { atomicfile.RemoveTemps(dir, stateTempPrefix) }

// unwrapPath drops the *fs.PathError around err: the StateError names the
// path already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// linkFile is os.Link; tests take it away, as some flash file systems do.
var linkFile = os.Link
