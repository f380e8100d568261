package ps2

import (
	"bytes"
	"io"
	"slices"
	"testing"
	"testing/iotest"
)

// maxFuzzInput caps fuzz inputs: longer streams only repeat what short
// ones already reach.
const maxFuzzInput = 4096

// fuzzGrid is a grid and its counts per cell.
type fuzzGrid struct{ w, h, mx, my int }

func FuzzReadPackets(f *testing.F) {
	f.Add([]byte{})
	f.Add(stream(p1, p2, p3, p4, p5))
	f.Add([]byte{0x00, 0x08, 0x00, 0x08, 0xff, 0xff, 0xff, 0x48, 0x12})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		whole, err := collect(bytes.NewReader(data))
		if err != io.EOF {
			t.Fatalf("ReadPackets error = %v, want %v", err, io.EOF)
		}
		if len(whole) > len(data)/packetSize {
			t.Fatalf("ReadPackets delivered %d packets from %d bytes, want at most %d", len(whole), len(data), len(data)/packetSize)
		}
		for _, r := range []io.Reader{
			iotest.OneByteReader(bytes.NewReader(data)),
			iotest.HalfReader(bytes.NewReader(data)),
		} {
			got, _ := collect(r)
			if !slices.Equal(got, whole) {
				t.Fatalf("ReadPackets with short reads delivered %+v, want %+v as from one read", got, whole)
			}
		}
		for _, pk := range whole {
			if pk.DX < -256 || pk.DX > 255 || pk.DY < -255 || pk.DY > 256 || pk.Buttons&^(Left|Right|Middle) != 0 {
				t.Fatalf("ReadPackets delivered %+v, want |deltas| <= 256 and only 3 buttons", pk)
			}
		}

		grids := []fuzzGrid{{80, 25, 0, 0}, {1, 1, 1, 1}, {3, 2, 1, 1}, {132, 50, 3, 5}}
		if len(data) > 0 {
			grids = append(grids, fuzzGrid{int(data[0]%7) + 1, int(data[len(data)-1]%5) + 1, int(data[0] % 4), int(data[len(data)-1] % 4)})
		}
		for _, g := range grids {
			p := NewPointer(g.w, g.h, g.mx, g.my)
			w, h := g.w, g.h
			for i, pk := range whole {
				if i == len(whole)/2 {
					w, h = max(1, h-1), max(1, w/2) // shrink and reshape half way
					p.Resize(w, h)
					checkInside(t, p, w, h)
				}
				x0, y0, b0 := p.Position()
				changed := p.Apply(pk)
				x, y, b := p.Position()
				checkInside(t, p, w, h)
				if want := x != x0 || y != y0 || b != b0; changed != want {
					t.Fatalf("Apply(%+v) = %v, want %v (from %d, %d, %03b to %d, %d, %03b)", pk, changed, want, x0, y0, b0, x, y, b)
				}
				if b != pk.Buttons {
					t.Fatalf("buttons after Apply(%+v) = %03b, want %03b", pk, b, pk.Buttons)
				}
			}
		}
	})
}

// checkInside fails t when p is outside its w×h grid.
func checkInside(t *testing.T, p *Pointer, w, h int) {
	t.Helper()
	if x, y, _ := p.Position(); x < 0 || x >= w || y < 0 || y >= h {
		t.Fatalf("Position() = %d, %d; want inside %dx%d", x, y, w, h)
	}
}
