package ps2_test

import (
	"bytes"
	"fmt"

	"nvrmenu/menu/internal/ps2"
)

// The menu reads the opened /dev/input/mice like this, on a goroutine of
// its own, and queues a mouse event whenever Apply reports a change.
func ExampleReadPackets() {
	mice := bytes.NewReader([]byte{
		0x08, 0x10, 0x00, // 16 counts right
		0x28, 0x00, 0xe0, // 32 counts down
		0x09, 0x00, 0x00, // left button pressed
		0x09, 0x02, 0x00, // 2 counts right: less than a cell
		0x08, 0x00, 0x00, // left button released
	})
	ptr := ps2.NewPointer(80, 25, 0, 0)
	err := ps2.ReadPackets(mice, func(pk ps2.Packet) {
		if ptr.Apply(pk) {
			x, y, b := ptr.Position()
			fmt.Printf("cell %d,%d buttons %03b\n", x, y, b)
		}
	})
	fmt.Println("mouse gone:", err)
	// Output:
	// cell 42,12 buttons 000
	// cell 42,14 buttons 000
	// cell 42,14 buttons 001
	// cell 42,14 buttons 000
	// mouse gone: EOF
}
