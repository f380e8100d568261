package recovery

import (
	"crypto/rand"
	"errors"
	"fmt"
	"nvrmenu/internal/testenv"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestHashSecretRoundTrip(t *testing.T) {
	for _, p := range []KDFParams{testKDF, {MemoryKiB: 256, Time: 3, Threads: 2}} {
		h, err := hashSecret([]byte("segreto"), p, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if want := "$argon2id$v=19$" + p.String() + "$"; !strings.HasPrefix(h, want) {
			t.Errorf("hash %q does not start with %q", h, want)
		}
		for _, tc := range []struct {
			secret string
			want   bool
		}{{"segreto", true}, {"Segreto", false}, {"", false}, {"segreto ", false}} {
			got, err := verifySecret(h, []byte(tc.secret))
			if err != nil || got != tc.want {
				t.Errorf("verify(%s, %q) = %v, %v; want %v", p, tc.secret, got, err, tc.want)
			}
		}
	}
}

func TestDefaultKDFParamsAreOWASPMinimum(t *testing.T) {
	if got, want := DefaultKDFParams.String(), "m=19456,t=2,p=1"; got != want {
		t.Fatalf("DefaultKDFParams = %s, want %s", got, want)
	}
	h, err := hashSecret([]byte("x"), DefaultKDFParams, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := verifySecret(h, []byte("x")); !ok || err != nil {
		t.Fatalf("verify at default cost = %v, %v", ok, err)
	}
}

func TestVerifyUsesStoredParams(t *testing.T) {
	// A hash made with other costs than today's defaults still verifies.
	old := KDFParams{MemoryKiB: 32, Time: 5, Threads: 1}
	h, err := hashSecret([]byte("vecchia"), old, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p, _, _, err := parsePHC(h)
	if err != nil || p != old {
		t.Fatalf("parsePHC = %v, %v; want %v", p, err, old)
	}
	if ok, _ := verifySecret(h, []byte("vecchia")); !ok {
		t.Fatal("hash with stored non-default params did not verify")
	}
}

func TestParsePHCRefuses(t *testing.T) {
	good, err := hashSecret([]byte("x"), testKDF, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	salt, sum := parts[4], parts[5]
	for name, h := range map[string]string{
		"empty":           "",
		"argon2i":         "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + sum,
		"old version":     "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + sum,
		"params order":    "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + sum,
		"huge memory":     "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + sum,
		"zero time":       "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + sum,
		"many threads":    "$argon2id$v=19$m=64,t=1,p=200$" + salt + "$" + sum,
		"leading zero":    "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + sum,
		"short salt":      "$argon2id$v=19$m=64,t=1,p=1$AAAA$" + sum,
		"short hash":      "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$AAAA",
		"padded base64":   "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + sum,
		"extra field":     good + "$x",
		"plain password":  "Gatto!Nero77",
		"negative memory": "$argon2id$v=19$m=-1,t=1,p=1$" + salt + "$" + sum,
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, _, err := parsePHC(h); !errors.Is(err, ErrBadHash) {
				t.Fatalf("parsePHC(%q) error = %v, want ErrBadHash", h, err)
			}
			if ok, err := verifySecret(h, []byte("x")); ok || err == nil {
				t.Fatalf("verifySecret(%q) = %v, %v; want false and an error", h, ok, err)
			}
		})
	}
}

// hardware models a machine where argon2id costs perKiBPass per KiB and pass.
func hardware(perKiBPass time.Duration, calls *[]KDFParams) func(KDFParams) time.Duration {
	return func(p KDFParams) time.Duration {
		*calls = append(*calls, p)
		return time.Duration(p.MemoryKiB) * time.Duration(p.Time) * perKiBPass
	}
}

func TestCalibrateKDF(t *testing.T) {
	const mib = 1024
	for _, tc := range []struct {
		name   string
		capKiB uint32
		target time.Duration
		perKiB time.Duration // per KiB per pass
		want   KDFParams
	}{
		// 64 MiB x 2 passes = 131 ms at 1 µs/KiB/pass: 500 ms fits 7 passes.
		{"fast machine uses the cap and more passes", 64 * mib, 500 * time.Millisecond, time.Microsecond, KDFParams{64 * mib, 7, 1}},
		// 64 MiB x 2 at 10 µs = 1.3 s > 500 ms: halve to 32 MiB (655 ms), 16 MiB is below the floor: 19 MiB at 2 passes = 389 ms.
		{"slow machine halves memory down to the floor", 64 * mib, 500 * time.Millisecond, 10 * time.Microsecond, KDFParams{19 * mib, 2, 1}},
		{"very slow machine keeps the OWASP floor", 64 * mib, 100 * time.Millisecond, 100 * time.Microsecond, DefaultKDFParams},
		{"cap below the floor is raised to it", 1 * mib, time.Second, time.Microsecond, KDFParams{19 * mib, 51, 1}},
		{"passes capped", 19 * mib, time.Hour, time.Nanosecond, KDFParams{19 * mib, kdfMaxTime, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls []KDFParams
			got := CalibrateKDF(tc.capKiB, tc.target, hardware(tc.perKiB, &calls))
			if got != tc.want {
				t.Fatalf("CalibrateKDF = %v, want %v (measured %v)", got, tc.want, calls)
			}
			if got.MemoryKiB < DefaultKDFParams.MemoryKiB || got.Time < 2 {
				t.Fatalf("CalibrateKDF = %v, below the OWASP minimum", got)
			}
			if err := got.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func BenchmarkHashDefault(b *testing.B) {
	for b.Loop() {
		if _, err := hashSecret([]byte(firstPassword), DefaultKDFParams, rand.Reader); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyDefault(b *testing.B) {
	h, err := hashSecret([]byte(firstPassword), DefaultKDFParams, rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, _ := verifySecret(h, []byte(firstPassword)); !ok {
			b.Fatal("no match")
		}
	}
}

// BenchmarkCalibrate reports what calibration picks on this machine for a
// 64 MiB cap and a 500 ms target (the config defaults), and how long a
// verification at that cost takes.
func BenchmarkCalibrate(b *testing.B) {
	var p KDFParams
	for b.Loop() {
		p = CalibrateKDF(64*1024, 500*time.Millisecond, MeasureKDF)
	}
	b.ReportMetric(float64(p.MemoryKiB)/1024, "MiB")
	b.ReportMetric(float64(p.Time), "passes")
	b.ReportMetric(float64(MeasureKDF(p).Milliseconds()), "ms/verify")
}

// BenchmarkReleaseKDFMemory measures what stays resident after an argon2id
// of 64 MiB (the calibration's cap) and the release the core does after
// it, against a collection and debug.FreeOSMemory, each in a fresh process
// (this test binary again: TestKDFMemoryChild), as the daemon is:
// the heap's free pages not handed back (idle-KiB) and the process's
// anonymous memory (rssanon-KiB), medians over b.N processes. Run with
// -benchtime=8x; BENCHMARKS.md has the figures.
func BenchmarkReleaseKDFMemory(b *testing.B) {
	for _, mode := range []string{"core", "GC+FreeOSMemory"} {
		b.Run(mode, func(b *testing.B) {
			var idle, anon []float64
			for b.Loop() {
				cmd := exec.Command(os.Args[0], "-test.run=^TestKDFMemoryChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), kdfMemEnv+"="+mode)
				out, err := cmd.Output()
				if err != nil {
					testenv.SkipIfForeign(b, err)
					b.Fatalf("%v: %s", err, out)
				}
				var i, a float64
				if _, err := fmt.Sscanf(string(out), "idle %g anon %g", &i, &a); err != nil {
					b.Fatalf("the child said %q: %v", out, err)
				}
				idle, anon = append(idle, i), append(anon, a)
			}
			b.ReportMetric(median(idle), "idle-KiB")
			b.ReportMetric(median(anon), "rssanon-KiB")
		})
	}
}

const kdfMemEnv = "NVRMENU_KDFMEM_CHILD"

// TestKDFMemoryChild is BenchmarkReleaseKDFMemory's process: one argon2id of
// 64 MiB, the release named by the environment, and what stays.
func TestKDFMemoryChild(t *testing.T) {
	mode := os.Getenv(kdfMemEnv)
	if mode == "" {
		t.Skip("runs only as BenchmarkReleaseKDFMemory's child")
	}
	if _, err := hashSecret([]byte("pw"), KDFParams{MemoryKiB: 64 << 10, Time: 1, Threads: 1}, rand.Reader); err != nil {
		t.Fatal(err)
	}
	if mode == "core" {
		releaseKDFMemory()
	} else {
		runtime.GC()
		debug.FreeOSMemory()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("idle %d anon %d\n", (ms.HeapIdle-ms.HeapReleased)/1024, rssAnonKiB(t))
}

func median(v []float64) float64 {
	slices.Sort(v)
	return v[len(v)/2]
}

// rssAnonKiB is this process's RssAnon from /proc/self/status.
func rssAnonKiB(t testing.TB) int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}
