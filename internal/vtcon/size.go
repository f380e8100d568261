package vtcon

import (
	"fmt"
	"strconv"
	"strings"
)

// parseVirtualSize reads a framebuffer's sysfs virtual_size ("1920,1080\n").
func parseVirtualSize(s string) (w, h int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ",")
	w, err1 := strconv.Atoi(a)
	h, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || w <= 0 || h <= 0 {
		return 0, 0, fmt.Errorf("virtual_size %q: want WIDTH,HEIGHT", s)
	}
	return w, h, nil
}
