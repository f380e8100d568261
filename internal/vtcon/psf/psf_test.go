package psf

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"slices"
	"testing"
)

// sample is a 3-glyph 10x4 font (2 bytes a row) with a Unicode table.
func sample() *Font {
	f := &Font{Width: 10, Height: 4, Unicode: [][]rune{{'A', 'Α'}, {'…'}, nil}}
	for i := 0; i < 3; i++ {
		f.Glyphs = append(f.Glyphs, make([]byte, 8))
	}
	f.Set(0, 0, 0, true)
	f.Set(0, 9, 3, true)
	f.Set(1, 5, 2, true)
	return f
}

func TestPSF2RoundTrip(t *testing.T) {
	f := sample()
	got, err := Parse(f.PSF2())
	if err != nil {
		t.Fatal(err)
	}
	if got.Width != 10 || got.Height != 4 || got.Len() != 3 {
		t.Fatalf("got %dx%d, %d glyphs; want 10x4, 3", got.Width, got.Height, got.Len())
	}
	for g := range f.Glyphs {
		if !bytes.Equal(got.Glyphs[g], f.Glyphs[g]) || !slices.Equal(got.Unicode[g], f.Unicode[g]) {
			t.Errorf("glyph %d: got %x %q, want %x %q", g, got.Glyphs[g], string(got.Unicode[g]), f.Glyphs[g], string(f.Unicode[g]))
		}
	}
	if !got.Pixel(0, 9, 3) || got.Pixel(0, 8, 3) || !got.Pixel(1, 5, 2) {
		t.Error("pixels moved in the round trip")
	}
	if g, ok := got.Index('Α'); !ok || g != 0 {
		t.Errorf("Index('Α') = %d, %v; want 0, true", g, ok)
	}
	if _, ok := got.Index('B'); ok {
		t.Error("Index('B') found a glyph")
	}
	if m := got.Map(); len(m) != 3 || m['…'] != 1 {
		t.Errorf("Map() = %v", m)
	}
}

func TestParseGzipped(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(sample().PSF2())
	zw.Close()
	f, err := Parse(b.Bytes())
	if err != nil || f.Len() != 3 {
		t.Fatalf("Parse(gzipped) = %v, %v", f, err)
	}
}

// psf1 builds a PSF1 font of n 8x2 glyphs; table, if set, is appended.
func psf1(mode byte, n int, table []uint16) []byte {
	b := []byte{0x36, 0x04, mode, 2}
	for i := 0; i < n; i++ {
		b = append(b, byte(i), byte(i>>8))
	}
	for _, v := range table {
		b = binary.LittleEndian.AppendUint16(b, v)
	}
	return b
}

func TestParsePSF1(t *testing.T) {
	table := make([]uint16, 0, 600)
	for g := 0; g < 512; g++ {
		switch g {
		case 1:
			// 'a', then a sequence (a + combining grave) the kernel cannot
			// use, then the separator.
			table = append(table, 'a', 0xFFFE, 'a', 0x0300, 0xFFFF)
		case 2:
			table = append(table, 0x2026, 0x22EF, 0xFFFF)
		default:
			table = append(table, 0xFFFF)
		}
	}
	f, err := Parse(psf1(0x01|0x02, 512, table))
	if err != nil {
		t.Fatal(err)
	}
	if f.Width != 8 || f.Height != 2 || f.Len() != 512 {
		t.Fatalf("got %dx%d, %d glyphs", f.Width, f.Height, f.Len())
	}
	if !slices.Equal(f.Unicode[1], []rune{'a'}) || !slices.Equal(f.Unicode[2], []rune{'…', '⋯'}) {
		t.Errorf("Unicode[1] = %q, Unicode[2] = %q", string(f.Unicode[1]), string(f.Unicode[2]))
	}
	if f.Glyphs[300][0] != 300&0xff || f.Glyphs[300][1] != 300>>8 {
		t.Errorf("glyph 300 = %x", f.Glyphs[300])
	}
}

func TestParseRejects(t *testing.T) {
	good := sample().PSF2()
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrFormat},
		{"text", []byte("not a font at all"), ErrFormat},
		{"psf2 header cut", good[:20], ErrTruncated},
		{"psf2 glyphs cut", good[:40], ErrTruncated},
		{"psf2 table cut", good[:len(good)-1], ErrTruncated},
		{"psf2 wrong glyph size", func() []byte { b := bytes.Clone(good); b[20] = 7; return b }(), ErrFormat},
		{"psf2 no glyphs", func() []byte { b := bytes.Clone(good); b[16] = 0; return b }(), ErrFormat},
		{"psf1 glyphs cut", psf1(0, 10, nil), ErrTruncated},
		{"psf1 table cut", psf1(0x02, 256, []uint16{'a'}), ErrTruncated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse(tc.data); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestKernelData(t *testing.T) {
	f := sample()
	data, n, err := f.KernelData()
	if err != nil || n != 256 || len(data) != 256*32*2 {
		t.Fatalf("KernelData() = %d bytes, %d, %v; want %d, 256", len(data), n, err, 256*32*2)
	}
	// Glyph 1 starts at its 32-row slot; its rows are as in the font.
	if !bytes.Equal(data[64:64+8], f.Glyphs[1]) || !bytes.Equal(data[64+8:128], make([]byte, 56)) {
		t.Errorf("glyph 1's slot = %x", data[64:128])
	}
	for i := 0; i < 300; i++ {
		f.Glyphs = append(f.Glyphs, make([]byte, 8))
		f.Unicode = append(f.Unicode, nil)
	}
	if _, n, _ := f.KernelData(); n != 512 {
		t.Errorf("303 glyphs: %d slots, want 512", n)
	}
	f.Height = 40
	if _, _, err := f.KernelData(); err == nil {
		t.Error("a 40-pixel-high font: no error")
	}
}
