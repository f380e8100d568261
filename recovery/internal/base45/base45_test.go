package base45

import (
	"bytes"
	"errors"
	"testing"
)

// The examples of RFC 9285, sections 4.3 and 4.4.
func TestRFC9285Examples(t *testing.T) {
	for _, tc := range []struct{ plain, encoded string }{
		{"AB", "BB8"},
		{"Hello!!", "%69 VD92EX0"},
		{"base-45", "UJCLQE7W581"},
		{"ietf!", "QED8WEX0"},
		{"", ""},
	} {
		if got := Encode([]byte(tc.plain)); got != tc.encoded {
			t.Errorf("Encode(%q) = %q, want %q", tc.plain, got, tc.encoded)
		}
		got, err := Decode(tc.encoded)
		if err != nil || string(got) != tc.plain {
			t.Errorf("Decode(%q) = %q, %v; want %q", tc.encoded, got, err, tc.plain)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	for _, s := range []string{"GGW", "A", "BB8A", "bb8", "BB8\n", "ZZ", ":::"} {
		if _, err := Decode(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("Decode(%q) error %v, want ErrInvalid", s, err)
		}
	}
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("Hello!!"), "%69 VD92EX0")
	f.Add([]byte{0xff, 0xff, 0}, "GGW")
	f.Fuzz(func(t *testing.T, data []byte, text string) {
		got, err := Decode(Encode(data))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("round trip of %x: %x, %v", data, got, err)
		}
		if b, err := Decode(text); err == nil && Encode(b) != text {
			t.Fatalf("Decode(%q) accepted a non-canonical text", text)
		}
	})
}
