package sadp

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// declaredEncoding finds a declaration's encoding at the start of a
// message, as the fuzz target's check reads it (independently of the
// parser's own reading).
var declaredEncoding = regexp.MustCompile(`^\x{feff}?[ \t\r\n]*<\?xml[ \t\r\n][^>]*?encoding[ \t\r\n]*=[ \t\r\n]*["']([^"']*)["'][^>]*\?>`)

// FuzzParseProbe: the responder's parser never panics, accepts only what
// it promises (a probe within the limits, with tokens it can echo, no byte
// over 0x7F under an encoding other than UTF-8), and what it accepts
// survives a round trip. Seeds: testdata/fuzz/FuzzParseProbe.
func FuzzParseProbe(f *testing.F) {
	f.Add([]byte(probeText))
	f.Add([]byte(pythonProbe))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 2*MaxProbeSize {
			return
		}
		p, err := ParseProbe(b)
		if err != nil {
			if p != (Probe{}) {
				t.Fatalf("error %v with a probe %+v", err, p)
			}
			return
		}
		if len(b) > MaxProbeSize {
			t.Fatalf("accepted %d bytes, over the limit of %d", len(b), MaxProbeSize)
		}
		if !validToken(p.UUID, 64, "-_.:{}") || !validToken(p.Types, 32, "_") {
			t.Fatalf("accepted a probe whose echo is not safe: %+v", p)
		}
		if m := declaredEncoding.FindSubmatchIndex(b); m != nil {
			enc := string(b[m[2]:m[3]])
			if !strings.EqualFold(enc, "utf-8") && !strings.EqualFold(enc, "utf8") && bytes.ContainsFunc(b[m[1]:], func(r rune) bool { return r >= 0x80 }) {
				t.Fatalf("accepted bytes over 0x7F under encoding %q: %q", enc, b)
			}
		}
		again, err := ParseProbe(p.Marshal())
		if err != nil || again != p {
			t.Fatalf("round trip of %+v: got %+v, %v", p, again, err)
		}
	})
}

// FuzzParseProbeMatch: the client's parser never panics, and what it
// accepts marshals to an answer that parses to the same fields.
// Seeds: testdata/fuzz/FuzzParseProbeMatch.
func FuzzParseProbeMatch(f *testing.F) {
	f.Add(ours.Marshal())
	f.Add([]byte(vendorAnswer))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 8<<10 {
			return
		}
		m, err := ParseProbeMatch(b)
		if err != nil {
			if m != nil {
				t.Fatalf("error %v with an answer", err)
			}
			return
		}
		if m.WebDoor != nil && !m.WebDoor.Valid() {
			t.Fatalf("accepted an invalid web door %+v", *m.WebDoor)
		}
		if m.HTTPPort < 0 || m.HTTPPort > 65535 {
			t.Fatalf("port %d", m.HTTPPort)
		}
		want := *m
		if m.Result != "" { // a command's answer carries only the echo
			want = ProbeMatch{UUID: m.UUID, Types: m.Types, Result: m.Result}
		}
		again, err := ParseProbeMatch(m.Marshal())
		if err != nil {
			t.Fatalf("our marshalling of %+v does not parse: %v\n%s", *m, err, m.Marshal())
		}
		if !reflect.DeepEqual(*again, want) {
			t.Fatalf("round trip:\ngot  %+v\nwant %+v", *again, want)
		}
		if strings.Contains(string(m.Marshal()), "<!") {
			t.Fatalf("marshalled a directive: %s", m.Marshal())
		}
	})
}
