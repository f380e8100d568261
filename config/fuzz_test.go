package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

// FuzzParse holds Parse to three promises on any input up to MaxFileSize:
// it never panics, what it accepts is valid, and what it refuses it
// refuses with one line that wraps ErrInvalid. Seeds are in
// testdata/fuzz/FuzzParse; the embedded default is one more.
func FuzzParse(f *testing.F) {
	f.Add(defaultTOML)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > MaxFileSize {
			return // Load refuses these before parsing
		}
		c, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse refused %q with %v, want an error that wraps ErrInvalid", data, err)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\r\n") {
				t.Fatalf("Parse refused %q with a message of several lines: %q", data, msg)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted %q, but Validate says %v", data, err)
		}
		again, err := Parse(data)
		if err != nil || !reflect.DeepEqual(again, c) {
			t.Fatalf("Parse(%q) a second time: got %+v, %v; want %+v, nil", data, again, err, c)
		}
	})
}

// BenchmarkParse measures a recorder's file and the worst file Load lets
// through that we know of: 64 KiB of unknown keys, which go-toml's strict
// mode alone takes seconds over.
func BenchmarkParse(b *testing.B) {
	var unknown strings.Builder
	for i := 0; unknown.Len() < MaxFileSize-16; i++ {
		fmt.Fprintf(&unknown, "k%d = 1\n", i)
	}
	recorder, err := os.ReadFile("testdata/recorder.toml")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		data []byte
	}{
		{"recorder", recorder},
		{"64KiB of unknown keys", []byte(unknown.String())},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.data)))
			for b.Loop() {
				Parse(bc.data)
			}
		})
	}
}
