package ps2

import "testing"

// encode returns the packet mousedev would send for p. It is the reverse of
// Decode for deltas in [-255, 255] and leaves the overflow bits clear.
func encode(p Packet) [3]byte {
	b := [3]byte{bitAlways | byte(p.Buttons)&bitsButtons, byte(p.DX), byte(-p.DY)}
	if p.DX < 0 {
		b[0] |= bitSignX
	}
	if -p.DY < 0 {
		b[0] |= bitSignY
	}
	return b
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name   string
		in     [3]byte
		want   Packet
		wantOK bool
	}{
		{"no move", [3]byte{0x08, 0x00, 0x00}, Packet{}, true},
		{"left button", [3]byte{0x09, 0x00, 0x00}, Packet{Buttons: Left}, true},
		{"right button", [3]byte{0x0a, 0x00, 0x00}, Packet{Buttons: Right}, true},
		{"middle button", [3]byte{0x0c, 0x00, 0x00}, Packet{Buttons: Middle}, true},
		{"all buttons", [3]byte{0x0f, 0x00, 0x00}, Packet{Buttons: Left | Right | Middle}, true},
		{"small move right", [3]byte{0x08, 0x05, 0x00}, Packet{DX: 5}, true},
		{"small move left", [3]byte{0x18, 0xfb, 0x00}, Packet{DX: -5}, true},
		{"small move up is negative DY", [3]byte{0x08, 0x00, 0x03}, Packet{DY: -3}, true},
		{"small move down is positive DY", [3]byte{0x28, 0x00, 0xfd}, Packet{DY: 3}, true},
		{"left drag down and left", [3]byte{0x39, 0xf6, 0xf6}, Packet{Buttons: Left, DX: -10, DY: 10}, true},
		{"X 0x80 without sign is +128", [3]byte{0x08, 0x80, 0x00}, Packet{DX: 128}, true},
		{"X 0x80 with sign is -128", [3]byte{0x18, 0x80, 0x00}, Packet{DX: -128}, true},
		{"X 0xff without sign is +255", [3]byte{0x08, 0xff, 0x00}, Packet{DX: 255}, true},
		{"X 0xff with sign is -1", [3]byte{0x18, 0xff, 0x00}, Packet{DX: -1}, true},
		{"X 0x00 with sign is -256", [3]byte{0x18, 0x00, 0x00}, Packet{DX: -256}, true},
		{"Y 0x80 without sign is up 128", [3]byte{0x08, 0x00, 0x80}, Packet{DY: -128}, true},
		{"Y 0x80 with sign is down 128", [3]byte{0x28, 0x00, 0x80}, Packet{DY: 128}, true},
		{"X overflow right clamps to 255", [3]byte{0x48, 0x12, 0x00}, Packet{DX: 255}, true},
		{"X overflow left clamps to -255", [3]byte{0x58, 0x12, 0x00}, Packet{DX: -255}, true},
		{"Y overflow up clamps to -255", [3]byte{0x88, 0x00, 0x34}, Packet{DY: -255}, true},
		{"Y overflow down clamps to 255", [3]byte{0xa8, 0x00, 0x00}, Packet{DY: 255}, true},
		{"both overflow with buttons", [3]byte{0xfb, 0x01, 0x01}, Packet{Buttons: Left | Right, DX: -255, DY: 255}, true},
		{"out of sync: zero byte", [3]byte{0x00, 0x00, 0x00}, Packet{}, false},
		{"out of sync: every bit but 3", [3]byte{0xf7, 0x10, 0x20}, Packet{}, false},
		{"out of sync: buttons without bit 3", [3]byte{0x01, 0x05, 0x05}, Packet{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Decode(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Decode(% x) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestDecodeReversesEncode(t *testing.T) {
	for d := -255; d <= 255; d++ {
		for _, want := range []Packet{{DX: d}, {DY: d}, {Buttons: Middle, DX: d, DY: -d}} {
			got, ok := Decode(encode(want))
			if got != want || !ok {
				t.Fatalf("Decode(encode(%+v)) = %+v, %v; want %+v, true", want, got, ok, want)
			}
		}
	}
}
