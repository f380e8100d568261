package vtcon

import (
	"bytes"
	"strings"
	"testing"
)

func TestPaletteSequence(t *testing.T) {
	seq := PaletteSequence()
	if want := "\x1b]P0000000\x1b]P1aa0000"; !bytes.HasPrefix(seq, []byte(want)) {
		t.Errorf("sequence starts %q, want %q", seq[:20], want)
	}
	if want := "\x1b]P400005f"; !bytes.Contains(seq, []byte(want)) {
		t.Errorf("no %q (navy) in %q", want, seq)
	}
	if want := "\x1b]Pbffff55"; !bytes.Contains(seq, []byte(want)) {
		t.Errorf("no %q (yellow, index 11 as one hex digit) in %q", want, seq)
	}
	if want := "\x1b]Pfffffff"; !bytes.HasSuffix(seq, []byte(want)) {
		t.Errorf("sequence ends %q, want %q", seq[len(seq)-10:], want)
	}
	if n := strings.Count(string(seq), "\x1b]P"); n != 16 || len(seq) != 16*10 {
		t.Errorf("%d entries in %d bytes, want 16 in 160", n, len(seq))
	}
	if ResetPaletteSequence != "\x1b]R" {
		t.Errorf("reset is %q", ResetPaletteSequence)
	}
}

func TestDefaultColoursSequence(t *testing.T) {
	for _, tc := range []struct {
		fg, bg uint8
		want   string
	}{
		{7, 4, "\x1b[0;37;44m\x1b[8]\x1b[0m"},  // the menu's: grey on navy
		{7, 0, "\x1b[0;37;40m\x1b[8]\x1b[0m"},  // the kernel's
		{15, 4, "\x1b[0;37;44m\x1b[8]\x1b[0m"}, // no bright ones: 0-7
	} {
		if got := string(DefaultColoursSequence(tc.fg, tc.bg)); got != tc.want {
			t.Errorf("DefaultColoursSequence(%d, %d) = %q, want %q", tc.fg, tc.bg, got, tc.want)
		}
	}
}
