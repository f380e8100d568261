package recovery

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// KDFParams are the argon2id costs of one hash. Every hash carries its own
// parameters in PHC string form, so raising the defaults never locks out an
// existing password: verification always uses what is stored with the hash.
type KDFParams struct {
	MemoryKiB uint32 // m, in KiB
	Time      uint32 // t, passes over memory
	Threads   uint8  // p, lanes
}

// DefaultKDFParams is OWASP's minimum for argon2id: m=19 MiB, t=2, p=1.
var DefaultKDFParams = KDFParams{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// Bounds on parameters read back from a state file. A corrupted or hostile
// hash must not make the recorder allocate gigabytes or spin for minutes.
const (
	kdfMinMemoryKiB = 8
	kdfMaxMemoryKiB = 1 << 20 // 1 GiB
	kdfMaxTime      = 64
	kdfMaxThreads   = 16
	kdfSaltLen      = 16
	kdfKeyLen       = 32
)

// ErrBadHash reports a stored hash that is not a well-formed argon2id PHC
// string within the bounds this build accepts.
var ErrBadHash = errors.New("stored hash is not a valid argon2id PHC string")

// Validate reports whether p is within the bounds this build accepts.
func (p KDFParams) Validate() error {
	switch {
	case p.MemoryKiB < kdfMinMemoryKiB || p.MemoryKiB > kdfMaxMemoryKiB:
		return fmt.Errorf("argon2id memory %d KiB outside %d..%d", p.MemoryKiB, kdfMinMemoryKiB, kdfMaxMemoryKiB)
	case p.Time < 1 || p.Time > kdfMaxTime:
		return fmt.Errorf("argon2id time %d outside 1..%d", p.Time, kdfMaxTime)
	case p.Threads < 1 || p.Threads > kdfMaxThreads:
		return fmt.Errorf("argon2id threads %d outside 1..%d", p.Threads, kdfMaxThreads)
	}
	return nil
}

// String gives the parameters as in a PHC string, e.g. "m=19456,t=2,p=1".
func (p KDFParams) String() string {
	return fmt.Sprintf("m=%d,t=%d,p=%d", p.MemoryKiB, p.Time, p.Threads)
}

// hashSecret derives an argon2id hash of secret with a fresh random salt
// and returns it in PHC string form:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt, base64 unpadded>$<hash, base64 unpadded>
func hashSecret(secret []byte, p KDFParams, rand io.Reader) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	salt := make([]byte, kdfSaltLen)
	if _, err := io.ReadFull(rand, salt); err != nil {
		return "", fmt.Errorf("reading random salt: %w", err)
	}
	key := argon2.IDKey(secret, salt, p.Time, p.MemoryKiB, p.Threads, kdfKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$%s$%s$%s", argon2.Version, p, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// verifySecret reports whether secret matches the PHC hash, using the
// parameters stored in it and a constant-time comparison. An error means
// the stored hash itself is unusable, never that the secret was wrong.
func verifySecret(phc string, secret []byte) (bool, error) {
	p, salt, want, err := parsePHC(phc)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey(secret, salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// parsePHC splits an argon2id PHC string strictly: the exact algorithm and
// version, the three parameters in order, and salt and hash of sane sizes.
func parsePHC(s string) (KDFParams, []byte, []byte, error) {
	var p KDFParams
	fields := strings.Split(s, "$")
	if len(fields) != 6 || fields[0] != "" || fields[1] != "argon2id" || fields[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, ErrBadHash
	}
	params := strings.Split(fields[3], ",")
	if len(params) != 3 {
		return p, nil, nil, ErrBadHash
	}
	m, err1 := phcUint(params[0], "m=", 32)
	t, err2 := phcUint(params[1], "t=", 32)
	th, err3 := phcUint(params[2], "p=", 8)
	if err := errors.Join(err1, err2, err3); err != nil {
		return p, nil, nil, ErrBadHash
	}
	p = KDFParams{MemoryKiB: uint32(m), Time: uint32(t), Threads: uint8(th)}
	if err := p.Validate(); err != nil {
		return p, nil, nil, fmt.Errorf("%w: %v", ErrBadHash, err)
	}
	salt, err := base64.RawStdEncoding.Strict().DecodeString(fields[4])
	if err != nil || len(salt) < 8 || len(salt) > 64 {
		return p, nil, nil, ErrBadHash
	}
	hash, err := base64.RawStdEncoding.Strict().DecodeString(fields[5])
	if err != nil || len(hash) < 16 || len(hash) > 64 {
		return p, nil, nil, ErrBadHash
	}
	return p, salt, hash, nil
}

func phcUint(s, prefix string, bits int) (uint64, error) {
	if !strings.HasPrefix(s, prefix) {
		return 0, ErrBadHash
	}
	digits := s[len(prefix):]
	if digits == "" || (len(digits) > 1 && digits[0] == '0') {
		return 0, ErrBadHash
	}
	return strconv.ParseUint(digits, 10, bits)
}

// CalibrateKDF chooses argon2id costs for this hardware, as cryptsetup does
// for LUKS: the most memory allowed by memCapKiB (never below OWASP's
// 19 MiB), then as many passes as fit in target (never fewer than 2). When
// even the cap at two passes is slower than target, memory is halved down to
// the 19 MiB floor; on hardware slower still the floor is returned as it is,
// because security does not bend to a slow CPU.
//
// measure runs one hash with the given parameters and returns how long it
// took; MeasureKDF is the real one, tests pass a model of the hardware.
func CalibrateKDF(memCapKiB uint32, target time.Duration, measure func(KDFParams) time.Duration) KDFParams {
	floor := DefaultKDFParams
	if memCapKiB < floor.MemoryKiB {
		memCapKiB = floor.MemoryKiB
	}
	if memCapKiB > kdfMaxMemoryKiB {
		memCapKiB = kdfMaxMemoryKiB
	}
	// The best of three runs: the first pays for page faults, and a busy
	// recorder (video decoding) only ever makes a run slower.
	best := func(p KDFParams) time.Duration {
		return min(measure(p), measure(p), measure(p))
	}
	p := KDFParams{MemoryKiB: memCapKiB, Time: 2, Threads: 1}
	d := best(p)
	for d > target && p.MemoryKiB > floor.MemoryKiB {
		p.MemoryKiB = max(p.MemoryKiB/2, floor.MemoryKiB)
		d = best(p)
	}
	if d <= 0 || d >= target {
		return p
	}
	// Time cost scales linearly with passes: d covers two of them.
	perPass := d / 2
	passes := uint64(target / perPass)
	p.Time = uint32(min(max(passes, 2), kdfMaxTime))
	return p
}

// MeasureKDF times one argon2id derivation with p on this machine. It is
// the measure function for CalibrateKDF in production.
func MeasureKDF(p KDFParams) time.Duration {
	var salt [kdfSaltLen]byte
	start := time.Now()
	argon2.IDKey([]byte("calibration"), salt[:], p.Time, p.MemoryKiB, p.Threads, kdfKeyLen)
	return time.Since(start)
}
