// Command hello is the smallest Go program that writes to a terminal: the
// harness's floor for a Go binary's size, start-up and memory. It waits for
// a line on its input before it exits, so that its memory can be read.
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	fmt.Println("hello")
	bufio.NewReader(os.Stdin).ReadString('\n')
}
