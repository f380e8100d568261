package ps2

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/iotest"
)

// stream returns the bytes of packets ps, in order.
func stream(ps ...Packet) []byte {
	var b []byte
	for _, p := range ps {
		e := encode(p)
		b = append(b, e[:]...)
	}
	return b
}

// join concatenates byte slices into a new one.
func join(parts ...[]byte) []byte {
	return slices.Concat(parts...)
}

// collect runs ReadPackets on r and returns the packets and the error.
func collect(r io.Reader) ([]Packet, error) {
	var got []Packet
	err := ReadPackets(r, func(p Packet) { got = append(got, p) })
	return got, err
}

// randomPackets returns n plausible packets from a fixed seed.
func randomPackets(n int) []Packet {
	rng := rand.New(rand.NewPCG(1, 2))
	ps := make([]Packet, n)
	for i := range ps {
		ps[i] = Packet{
			Buttons: Buttons(rng.IntN(8)),
			DX:      rng.IntN(41) - 20,
			DY:      rng.IntN(41) - 20,
		}
	}
	return ps
}

var (
	p1 = Packet{DX: 3, DY: -2}
	p2 = Packet{Buttons: Left}
	p3 = Packet{Buttons: Left, DX: -128, DY: 127}
	p4 = Packet{DX: 255, DY: -255}
	p5 = Packet{}
)

func TestReadPackets(t *testing.T) {
	clean := stream(p1, p2, p3, p4, p5)
	readers := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"whole", func(r io.Reader) io.Reader { return r }},
		{"one byte at a time", iotest.OneByteReader},
		{"half reads", iotest.HalfReader},
		{"data with EOF", iotest.DataErrReader},
	}
	streams := []struct {
		name string
		in   []byte
		want []Packet
	}{
		{"empty", nil, nil},
		{"clean", clean, []Packet{p1, p2, p3, p4, p5}},
		{"many", stream(randomPackets(500)...), randomPackets(500)},
		{"garbage in front", join([]byte{0x00, 0xf7, 0x01}, clean), []Packet{p1, p2, p3, p4, p5}},
		{"joined mid-packet", join([]byte{0x05, 0x02}, clean), []Packet{p1, p2, p3, p4, p5}},
		{"garbage in the middle", join(stream(p1, p2), []byte{0x10, 0x20, 0x30, 0x40}, stream(p3, p4, p5)), []Packet{p1, p2, p3, p4, p5}},
		{"packet without its first byte", join(stream(p1), []byte{0x03, 0x04}, stream(p3, p4, p5)), []Packet{p1, p3, p4, p5}},
		{"partial packet at the end is dropped", join(clean, []byte{0x09, 0x01}), []Packet{p1, p2, p3, p4, p5}},
		{"lone garbage", []byte{0x00, 0x01, 0x02, 0x04}, nil},
		{
			// The delta byte 0x08 has bit 3 set, so the resync takes it for a
			// first byte and misreads one packet; the stream then falls back
			// into step and p2 comes through.
			"resync misreads one packet",
			join([]byte{0x08, 0x00}, stream(Packet{DX: 5}, p2)),
			[]Packet{{DY: -8}, p2},
		},
	}
	for _, rt := range readers {
		for _, st := range streams {
			t.Run(rt.name+"/"+st.name, func(t *testing.T) {
				got, err := collect(rt.wrap(bytes.NewReader(st.in)))
				if err != io.EOF {
					t.Errorf("ReadPackets error = %v, want %v", err, io.EOF)
				}
				if !slices.Equal(got, st.want) {
					t.Errorf("ReadPackets delivered %+v, want %+v", got, st.want)
				}
			})
		}
	}
}

func TestReadPacketsReturnsReadError(t *testing.T) {
	errUnplugged := errors.New("mouse unplugged")
	tests := []struct {
		name    string
		r       io.Reader
		want    []Packet
		wantErr error
	}{
		{"error at once", iotest.ErrReader(errUnplugged), nil, errUnplugged},
		{
			"error after packets",
			io.MultiReader(bytes.NewReader(stream(p1, p2, p3)), iotest.ErrReader(errUnplugged)),
			[]Packet{p1, p2, p3},
			errUnplugged,
		},
		{
			"error inside a packet",
			io.MultiReader(bytes.NewReader(join(stream(p1, p2), []byte{0x09})), iotest.ErrReader(errUnplugged)),
			[]Packet{p1, p2},
			errUnplugged,
		},
		{
			"error after one-byte reads",
			io.MultiReader(iotest.OneByteReader(bytes.NewReader(stream(p1, p2))), iotest.ErrReader(errUnplugged)),
			[]Packet{p1, p2},
			errUnplugged,
		},
		{"timeout on second read", iotest.TimeoutReader(bytes.NewReader(stream(p1, p2, p3))), []Packet{p1, p2, p3}, iotest.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := collect(tt.r)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("ReadPackets error = %v, want %v", err, tt.wantErr)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ReadPackets delivered %+v, want %+v", got, tt.want)
			}
		})
	}
}

// repeatReader serves data over and over, passes times, then io.EOF.
type repeatReader struct {
	data   []byte
	off    int
	passes int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.passes <= 0 {
		return 0, io.EOF
	}
	n := copy(p, r.data[r.off:])
	r.off += n
	if r.off == len(r.data) {
		r.off = 0
		r.passes--
	}
	return n, nil
}

func TestReadPacketsAllocatesNothingPerPacket(t *testing.T) {
	data := stream(randomPackets(10000)...)
	r := &repeatReader{data: data}
	ptr := NewPointer(80, 25, 0, 0)
	count := 0
	apply := func(pk Packet) {
		ptr.Apply(pk)
		count++
	}
	allocs := testing.AllocsPerRun(10, func() {
		r.off, r.passes = 0, 1
		if err := ReadPackets(r, apply); err != io.EOF {
			t.Fatalf("ReadPackets error = %v, want %v", err, io.EOF)
		}
	})
	// One allocation at most: the read buffer, which escapes through
	// r.Read, once per call however many packets there are.
	if allocs > 1 {
		t.Errorf("ReadPackets of %d packets made %v allocations, want at most 1", 10000, allocs)
	}
	if count == 0 {
		t.Errorf("ReadPackets delivered 0 packets, want some")
	}
}

// BenchmarkReadPackets measures decoding plus Pointer.Apply over 64 KiB of
// packets per operation. The figure goes to BENCHMARKS.md.
func BenchmarkReadPackets(b *testing.B) {
	data := stream(randomPackets(64 << 10 / packetSize)...)
	ptr := NewPointer(80, 25, 0, 0)
	apply := func(pk Packet) { ptr.Apply(pk) }
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	// One call reads the data b.N times, so the read buffer is allocated
	// once and the figure shows the steady state per 64 KiB.
	if err := ReadPackets(&repeatReader{data: data, passes: b.N}, apply); err != io.EOF {
		b.Fatalf("ReadPackets error = %v, want %v", err, io.EOF)
	}
}
