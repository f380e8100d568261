package ps2

// Buttons is a set of mouse buttons held down.
type Buttons uint8

// The buttons, as bits 0, 1 and 2 of a packet's first byte.
const (
	Left Buttons = 1 << iota
	Right
	Middle
)

// Bits of a packet's first byte besides the buttons.
const (
	bitsButtons = byte(Left | Right | Middle)
	bitAlways   = 1 << 3 // always set: the only way to find a packet's start
	bitSignX    = 1 << 4
	bitSignY    = 1 << 5
	bitOverX    = 1 << 6
	bitOverY    = 1 << 7
)

// packetSize is the length of a packet in the default PS/2 protocol.
const packetSize = 3

// maxDelta is the magnitude an overflowing delta is clamped to.
const maxDelta = 255

// Packet is one decoded mouse report: the buttons held and the move since
// the previous report, in mouse counts.
type Packet struct {
	Buttons Buttons
	// DX is positive to the right. DY is positive downwards, the screen's
	// direction: the PS/2 protocol counts upwards, and Decode flips it.
	DX, DY int
}

// Decode decodes one 3-byte packet. It reports ok false, and a zero Packet,
// when the first byte lacks the always-set bit 3, which means the stream is
// out of step with the packet boundaries.
//
// Each delta is the 9-bit two's-complement number made of the sign bit in the
// first byte (bit 4 for X, bit 5 for Y) and the delta byte, so it lies in
// [-256, 255]. When the overflow bit (6 for X, 7 for Y) is set the delta byte
// is meaningless, and the delta is clamped to 255 in the sign's direction.
func Decode(b [3]byte) (p Packet, ok bool) {
	if b[0]&bitAlways == 0 {
		return Packet{}, false
	}
	p.Buttons = Buttons(b[0] & bitsButtons)
	p.DX = delta(b[1], b[0]&bitSignX != 0, b[0]&bitOverX != 0)
	p.DY = -delta(b[2], b[0]&bitSignY != 0, b[0]&bitOverY != 0)
	return p, true
}

// delta returns the 9-bit two's-complement value of a delta byte and its
// sign bit, clamped to ±maxDelta when the overflow bit is set.
func delta(v byte, negative, overflow bool) int {
	switch {
	case overflow && negative:
		return -maxDelta
	case overflow:
		return maxDelta
	case negative:
		return int(v) - 256
	default:
		return int(v)
	}
}
