package ps2

import "io"

// readChunk is how many bytes ReadPackets asks for at most in one read.
const readChunk = packetSize * 64

// ReadPackets reads packets from r until a read fails, and calls fn with
// each one in order, on the calling goroutine. It returns the read error:
// io.EOF when r ends, or whatever r reported (a closed or unplugged device);
// callers treat any error as "mouse gone". Bytes that r returns together
// with an error are decoded first; a packet cut short by the error is
// dropped.
//
// Reads may end anywhere, even inside a packet: the bytes left over wait for
// the next read. When a packet's first byte lacks the always-set bit 3, the
// stream is out of step (mousedev starts every reader on a packet boundary,
// so this takes a reader that joined a stream midway or lost bytes);
// ReadPackets then drops one byte at a time until a byte with bit 3 set can
// start a packet. Because a delta byte may have bit 3 set too, a resync can
// misread a packet before it falls into step; that is a small wrong move or
// click, which is harmless.
//
// ReadPackets allocates nothing per packet: it reads into one buffer of a
// few hundred bytes and hands fn packets by value.
func ReadPackets(r io.Reader, fn func(Packet)) error {
	var buf [readChunk]byte
	held := 0 // bytes at the start of buf not yet decoded; always < packetSize after decoding
	for {
		n, err := r.Read(buf[held:])
		held += n
		start := 0
		for start < held {
			if buf[start]&bitAlways == 0 {
				start++ // out of step: drop one byte and try the next
				continue
			}
			if held-start < packetSize {
				break // the rest of this packet comes with the next read
			}
			p, _ := Decode([packetSize]byte(buf[start : start+packetSize]))
			fn(p)
			start += packetSize
		}
		held = copy(buf[:], buf[start:held])
		if err != nil {
			return err
		}
	}
}
