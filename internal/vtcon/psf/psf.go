// Package psf reads and writes Linux console fonts in the PC Screen Font
// formats (PSF1 and PSF2, optionally gzipped) with their Unicode tables.
//
// It is the font model the console package loads into the kernel, the font
// generator writes, and the QEMU bench matches screen cells against. It
// imports nothing but the standard library. Only single code points of a
// Unicode table are kept: the kernel's Unicode map has no sequences either.
package psf

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"unicode/utf8"
)

// Font is a console font: Len() glyphs of Width x Height pixels, and the
// code points each glyph draws.
type Font struct {
	Width, Height int
	// Glyphs holds each glyph's bitmap: Height rows of Pitch() bytes, the
	// leftmost pixel in the high bit of a row's first byte.
	Glyphs [][]byte
	// Unicode lists, per glyph, the code points it draws.
	Unicode [][]rune
}

// Pitch is the number of bytes in one row of a glyph.
func (f *Font) Pitch() int { return (f.Width + 7) / 8 }

// Len is the number of glyphs.
func (f *Font) Len() int { return len(f.Glyphs) }

// Index returns the glyph that draws r.
func (f *Font) Index(r rune) (int, bool) {
	for i, rs := range f.Unicode {
		if slices.Contains(rs, r) {
			return i, true
		}
	}
	return 0, false
}

// Map returns the font's Unicode map: code point to glyph. A code point
// listed for two glyphs maps to the first.
func (f *Font) Map() map[rune]int {
	m := make(map[rune]int)
	for i, rs := range f.Unicode {
		for _, r := range rs {
			if _, dup := m[r]; !dup {
				m[r] = i
			}
		}
	}
	return m
}

// Pixel reports whether pixel x, y of glyph g is set.
func (f *Font) Pixel(g, x, y int) bool {
	return f.Glyphs[g][y*f.Pitch()+x/8]&(0x80>>(x%8)) != 0
}

// Set sets or clears pixel x, y of glyph g.
func (f *Font) Set(g, x, y int, on bool) {
	i, bit := y*f.Pitch()+x/8, byte(0x80>>(x%8))
	if on {
		f.Glyphs[g][i] |= bit
	} else {
		f.Glyphs[g][i] &^= bit
	}
}

// Errors Parse returns (wrapped with what is wrong).
var (
	ErrFormat    = errors.New("not a PSF1 or PSF2 font")
	ErrTruncated = errors.New("font data truncated")
)

const (
	psf1Magic0, psf1Magic1 = 0x36, 0x04
	psf1Mode512            = 0x01
	psf1ModeHasTab         = 0x02
	psf1ModeSeq            = 0x04
	psf1Separator          = 0xFFFF
	psf1StartSeq           = 0xFFFE

	psf2Magic       = 0x864ab572
	psf2HeaderSize  = 32
	psf2HasUnicode  = 0x01
	psf2Separator   = 0xFF
	psf2StartSeq    = 0xFE
	maxGlyphs       = 1 << 16
	maxGlyphSide    = 64
	maxGzippedInput = 4 << 20
)

// Parse decodes a PSF1 or PSF2 font, gzipped or not.
func Parse(data []byte) (*Font, error) {
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("psf: gzip: %w", err)
		}
		raw, err := io.ReadAll(io.LimitReader(zr, maxGzippedInput+1))
		if err != nil {
			return nil, fmt.Errorf("psf: gzip: %w", err)
		}
		if len(raw) > maxGzippedInput {
			return nil, fmt.Errorf("psf: gzip: more than %d bytes", maxGzippedInput)
		}
		data = raw
	}
	switch {
	case len(data) >= 4 && binary.LittleEndian.Uint32(data) == psf2Magic:
		return parsePSF2(data)
	case len(data) >= 4 && data[0] == psf1Magic0 && data[1] == psf1Magic1:
		return parsePSF1(data)
	}
	return nil, fmt.Errorf("psf: %w", ErrFormat)
}

func parsePSF1(data []byte) (*Font, error) {
	mode, height := data[2], int(data[3])
	n := 256
	if mode&psf1Mode512 != 0 {
		n = 512
	}
	if height == 0 {
		return nil, fmt.Errorf("psf1: %w: glyph height 0", ErrFormat)
	}
	f := &Font{Width: 8, Height: height}
	rest, err := f.readGlyphs(data[4:], n, height)
	if err != nil {
		return nil, fmt.Errorf("psf1: %w", err)
	}
	f.Unicode = make([][]rune, n)
	if mode&(psf1ModeHasTab|psf1ModeSeq) == 0 {
		return f, nil
	}
	for g := 0; g < n; g++ {
		inSeq := false
		for {
			if len(rest) < 2 {
				return nil, fmt.Errorf("psf1: Unicode table: %w", ErrTruncated)
			}
			v := binary.LittleEndian.Uint16(rest)
			rest = rest[2:]
			if v == psf1Separator {
				break
			}
			if v == psf1StartSeq {
				inSeq = true
				continue
			}
			if !inSeq {
				f.Unicode[g] = append(f.Unicode[g], rune(v))
			}
		}
	}
	return f, nil
}

func parsePSF2(data []byte) (*Font, error) {
	if len(data) < psf2HeaderSize {
		return nil, fmt.Errorf("psf2: header: %w", ErrTruncated)
	}
	u := func(i int) int { return int(binary.LittleEndian.Uint32(data[4*i:])) }
	headerSize, flags, n, charSize, height, width := u(2), u(3), u(4), u(5), u(6), u(7)
	switch {
	case headerSize < psf2HeaderSize || headerSize > len(data):
		return nil, fmt.Errorf("psf2: %w: header size %d", ErrFormat, headerSize)
	case n <= 0 || n > maxGlyphs:
		return nil, fmt.Errorf("psf2: %w: %d glyphs", ErrFormat, n)
	case width <= 0 || width > maxGlyphSide || height <= 0 || height > maxGlyphSide:
		return nil, fmt.Errorf("psf2: %w: glyphs of %dx%d", ErrFormat, width, height)
	case charSize != (width+7)/8*height:
		return nil, fmt.Errorf("psf2: %w: %d bytes per %dx%d glyph", ErrFormat, charSize, width, height)
	}
	f := &Font{Width: width, Height: height}
	rest, err := f.readGlyphs(data[headerSize:], n, charSize)
	if err != nil {
		return nil, fmt.Errorf("psf2: %w", err)
	}
	f.Unicode = make([][]rune, n)
	if flags&psf2HasUnicode == 0 {
		return f, nil
	}
	for g := 0; g < n; g++ {
		end := bytes.IndexByte(rest, psf2Separator)
		if end < 0 {
			return nil, fmt.Errorf("psf2: Unicode table: %w", ErrTruncated)
		}
		entry := rest[:end]
		rest = rest[end+1:]
		if seq := bytes.IndexByte(entry, psf2StartSeq); seq >= 0 {
			entry = entry[:seq] // sequences: the kernel has no use for them
		}
		for len(entry) > 0 {
			r, size := utf8.DecodeRune(entry)
			if r == utf8.RuneError && size <= 1 {
				return nil, fmt.Errorf("psf2: Unicode table of glyph %d: %w: bad UTF-8", g, ErrFormat)
			}
			f.Unicode[g] = append(f.Unicode[g], r)
			entry = entry[size:]
		}
	}
	return f, nil
}

func (f *Font) readGlyphs(data []byte, n, size int) ([]byte, error) {
	if len(data) < n*size {
		return nil, fmt.Errorf("%d glyphs of %d bytes: %w", n, size, ErrTruncated)
	}
	f.Glyphs = make([][]byte, n)
	for i := range f.Glyphs {
		f.Glyphs[i] = slices.Clone(data[i*size : (i+1)*size])
	}
	return data[n*size:], nil
}

// PSF2 encodes the font as PSF2 with its Unicode table.
func (f *Font) PSF2() []byte {
	var b bytes.Buffer
	header := []uint32{psf2Magic, 0, psf2HeaderSize, psf2HasUnicode, uint32(f.Len()), uint32(f.Pitch() * f.Height), uint32(f.Height), uint32(f.Width)}
	for _, v := range header {
		binary.Write(&b, binary.LittleEndian, v)
	}
	for _, g := range f.Glyphs {
		b.Write(g)
	}
	for g := range f.Glyphs {
		for _, r := range f.Unicode[g] {
			b.WriteString(string(r))
		}
		b.WriteByte(psf2Separator)
	}
	return b.Bytes()
}

// KernelData is the font as KDFONTOP's KD_FONT_OP_SET takes it (and
// KD_FONT_OP_GET gives it back): glyphs padded to n slots of 32 rows each,
// n being 256 or 512, the kernel's two glyph counts. It fails for a font
// with more than 512 glyphs or taller than 32 pixels.
func (f *Font) KernelData() (data []byte, n int, err error) {
	switch {
	case f.Len() <= 256:
		n = 256
	case f.Len() <= 512:
		n = 512
	default:
		return nil, 0, fmt.Errorf("psf: %d glyphs: the console takes at most 512", f.Len())
	}
	if f.Height > 32 || f.Width > 32 {
		return nil, 0, fmt.Errorf("psf: %dx%d glyphs: the console takes at most 32x32", f.Width, f.Height)
	}
	slot := 32 * f.Pitch()
	data = make([]byte, n*slot)
	for i, g := range f.Glyphs {
		copy(data[i*slot:], g)
	}
	return data, n, nil
}
