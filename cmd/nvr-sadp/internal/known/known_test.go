package known

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"nvrmenu/internal/certfp"
)

var (
	pinA = certfp.Of([]byte("certificate A"))
	pinB = certfp.Of([]byte("certificate B"))
)

func TestFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", FileName)
	k, err := Load(path)
	if err != nil || !k.Lookup("X").IsZero() {
		t.Fatalf("a missing file: %v, want no pins", err)
	}
	now := time.Date(2027, 3, 14, 9, 30, 0, 0, time.UTC)
	for _, p := range []struct {
		serial string
		pin    certfp.Fingerprint
	}{{"NVRLAN00000001", pinA}, {"NVRLAN00000002", pinB}, {"NVRLAN00000001", pinB}} { // the last replaced in place
		if err := k.Pin(p.serial, p.pin, now); err != nil {
			t.Fatal(err)
		}
	}
	if runtime.GOOS != "windows" {
		st, _ := os.Stat(path)
		dst, _ := os.Stat(filepath.Dir(path))
		if st.Mode().Perm() != 0o600 || dst.Mode().Perm() != 0o700 {
			t.Errorf("modes: file %04o, directory %04o; want 0600 and 0700", st.Mode().Perm(), dst.Mode().Perm())
		}
	}
	again, err := Load(path)
	if err != nil || again.Lookup("NVRLAN00000001") != pinB || again.Lookup("NVRLAN00000002") != pinB {
		t.Fatalf("read back: %v, %+v", err, again)
	}
	data, _ := os.ReadFile(path)
	if strings.Count(string(data), "NVRLAN00000001") != 1 || !strings.HasPrefix(string(data), "#") ||
		!strings.Contains(string(data), "NVRLAN00000001 "+pinB.Hex()+" # pinned 2027-03-14T09:30:00Z\n") {
		t.Errorf("file:\n%s", data)
	}
	if old, err := again.Forget("NVRLAN00000001"); err != nil || old != pinB {
		t.Errorf("forget: %v, %v", old, err)
	}
	if old, _ := again.Forget("NVRLAN00000001"); !old.IsZero() {
		t.Errorf("forget twice: %v", old)
	}
	if k, _ := Load(path); !k.Lookup("NVRLAN00000001").IsZero() || k.Lookup("NVRLAN00000002") != pinB {
		t.Errorf("after forget: %+v", k)
	}

	for name, content := range map[string]string{
		"a short hash":                 "S1 abcd\n",
		"upper-case hex":               "S1 " + strings.ToUpper(pinA.Hex()) + "\n",
		"colons":                       "S1 " + pinA.String() + "\n",
		"one field":                    "S1\n",
		"a bad serial":                 "S\x1b[2J " + pinA.Hex() + "\n",
		"a serial twice":               "S1 " + pinA.Hex() + "\nS1 " + pinB.Hex() + "\n",
		"a serial twice, in two cases": "ABC123 " + pinA.Hex() + "\nabc123 " + pinB.Hex() + "\n",
		"a dot in a serial":            "S.1 " + pinA.Hex() + "\n",
		"a non-ASCII letter":           "S\u017f1 " + pinA.Hex() + "\n", // ſ, which strings.ToUpper makes an S
		"binary":                       "\x00\x01\x02",
	} {
		p := filepath.Join(dir, "corrupt")
		os.WriteFile(p, []byte(content), 0o600)
		var ce *CorruptError
		if _, err := Load(p); !errors.Is(err, ErrCorrupt) || !errors.As(err, &ce) || ce.Path != p || ce.Line < 1 {
			t.Errorf("%s: got %v, want corrupt at a line", name, err)
		}
	}
	// A pin written by hand in lower case is the upper-case serial's.
	lower := filepath.Join(dir, "lower")
	os.WriteFile(lower, []byte("abc-123 "+pinA.Hex()+"\n"), 0o600)
	if k, err := Load(lower); err != nil || k.Lookup("ABC-123") != pinA || k.Lookup("Abc-123") != pinA {
		t.Errorf("a lower-case pin: %v, %+v; want it found as ABC-123", err, k)
	}
	if err := again.Pin("nvrlan00000002", pinA, now); err != nil { // the same recorder as NVRLAN00000002
		t.Fatal(err)
	}
	if k, _ := Load(path); k.Lookup("NVRLAN00000002") != pinA || k.Len() != 1 {
		t.Errorf("a pin in lower case did not replace the upper-case one: %+v", k)
	}
	if old, err := again.Forget("nvrlan00000002"); err != nil || old != pinA {
		t.Errorf("forget in lower case: %v, %v", old, err)
	}
	if data, _ := os.ReadFile(path); strings.Contains(string(data), "nvrlan") {
		t.Errorf("a serial written in lower case:\n%s", data)
	}
	if err := k.Pin("NVR.1", pinA, now); err == nil {
		t.Error("pinned a serial with a dot")
	}
	if err := k.Pin("NVR1", certfp.Fingerprint{}, now); err == nil {
		t.Error("pinned no fingerprint")
	}
	p := filepath.Join(dir, "ok")
	os.WriteFile(p, []byte("# comment\n\n  S1 "+pinA.Hex()+" # pinned by hand\r\n"), 0o600)
	if k, err := Load(p); err != nil || k.Lookup("S1") != pinA {
		t.Errorf("comments, blank lines, CRLF: %v", err)
	}
	if err := os.WriteFile(p, make([]byte, MaxFileSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	var ce *CorruptError
	if _, err := Load(p); !errors.As(err, &ce) || !ce.TooLarge {
		t.Errorf("a file over %d bytes: %v, want corrupt, too large", MaxFileSize, err)
	}
	if _, err := Load(dir); !errors.Is(err, ErrNotRegular) {
		t.Errorf("a directory as the file: %v, want ErrNotRegular", err)
	}
}

func TestSerials(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"NVR1", "NVR1", true},
		{" nvr-1 ", "NVR-1", true},
		{"NVR.1", "NVR.1", false},
		{"NVR_1", "NVR_1", false},
		{"NVR\u017f", "NVR\u017f", false}, // ſ is not s
		{"", "", false},
		{strings.Repeat("A", MaxSerial), strings.Repeat("A", MaxSerial), true},
		{strings.Repeat("A", MaxSerial+1), strings.Repeat("A", MaxSerial+1), false},
	} {
		if got, ok := Canonical(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("Canonical(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
