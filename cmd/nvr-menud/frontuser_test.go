//go:build !noweb

package main

import (
	"os"
	"testing"
)

// TestFrontUID: web.front_user as the door is given it: "" is the
// daemon's own user, a number is that uid, a name is looked up, and an
// unknown name is an error (the door stays off).
func TestFrontUID(t *testing.T) {
	for _, tc := range []struct {
		user string
		want uint32
		ok   bool
	}{
		{"", uint32(os.Getuid()), true},
		{"0", 0, true},
		{"33", 33, true},
		{"root", 0, true},
		{"no-such-user-here", 0, false},
	} {
		got, err := frontUID(tc.user)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("frontUID(%q) = %d, %v; want %d, ok %v", tc.user, got, err, tc.want, tc.ok)
		}
	}
}
