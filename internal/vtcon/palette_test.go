package vtcon

import (
	"bytes"
	"strings"
	"testing"
)

func TestPaletteSequence(t *testing.T) {
	seq := PaletteSequence()
	// Entry 0 is the menu's navy (what fbcon fills the margins with),
	// entry 4 black.
	if want := "\x1b]P000005f\x1b]P1aa0000"; !bytes.HasPrefix(seq, []byte(want)) {
		t.Errorf("sequence starts %q, want %q", seq[:20], want)
	}
	if want := "\x1b]P4000000"; !bytes.Contains(seq, []byte(want)) {
		t.Errorf("no %q (black) in %q", want, seq)
	}
	if want := "\x1b]P88787ff"; !bytes.Contains(seq, []byte(want)) {
		t.Errorf("no %q (bright blue, navy's bold) in %q", want, seq)
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
