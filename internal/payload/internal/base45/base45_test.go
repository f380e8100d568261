package base45

import (
	"bytes"
	"errors"
	"testing"
)

// TestRFC9285Examples checks the examples of RFC 9285, sections 4.3 and 4.4,
// and the edges of each group size.
func TestRFC9285Examples(t *testing.T) {
	for _, tc := range []struct {
		name    string
		plain   []byte
		encoded string
	}{
		{"RFC 4.3 AB", []byte("AB"), "BB8"},
		{"RFC 4.3 Hello!!", []byte("Hello!!"), "%69 VD92EX0"},
		{"RFC 4.3 base-45", []byte("base-45"), "UJCLQE7W581"},
		{"RFC 4.4 ietf!", []byte("ietf!"), "QED8WEX0"},
		{"empty", nil, ""},
		{"one zero byte", []byte{0}, "00"},
		{"one 0xff byte", []byte{0xff}, "U5"},
		{"two zero bytes", []byte{0, 0}, "000"},
		{"two 0xff bytes", []byte{0xff, 0xff}, "FGW"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Encode(tc.plain); got != tc.encoded {
				t.Errorf("Encode(%q) = %q, want %q", tc.plain, got, tc.encoded)
			}
			got, err := Decode(tc.encoded)
			if err != nil || !bytes.Equal(got, tc.plain) {
				t.Errorf("Decode(%q) = %q, %v; want %q", tc.encoded, got, err, tc.plain)
			}
		})
	}
}

func TestDecodeRefuses(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"RFC 4.4 GGW is over 65535", "GGW"},
		{"one character", "A"},
		{"one character after a group", "BB8A"},
		{"lowercase", "bb8"},
		{"newline", "BB8\n"},
		{"last pair over 255", "V5"},
		{"last pair ZZ", "ZZ"},
		{"largest group", ":::"},
		{"byte outside ASCII", "BB\xc3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := Decode(tc.text); !errors.Is(err, ErrInvalid) {
				t.Errorf("Decode(%q) = %x, %v; want ErrInvalid", tc.text, got, err)
			}
		})
	}
}

// FuzzRoundTrip checks that every byte string survives Encode and Decode,
// and that Decode accepts only Encode's own output.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("Hello!!"), "%69 VD92EX0")
	f.Add([]byte{0xff, 0xff, 0}, "GGW")
	f.Fuzz(func(t *testing.T, data []byte, text string) {
		if len(data) > 4096 || len(text) > 4096 {
			return
		}
		got, err := Decode(Encode(data))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("Decode(Encode(%x)) = %x, %v; want %x", data, got, err, data)
		}
		if b, err := Decode(text); err == nil && Encode(b) != text {
			t.Fatalf("Decode(%q) accepted a text Encode never makes (%q)", text, Encode(b))
		}
	})
}
