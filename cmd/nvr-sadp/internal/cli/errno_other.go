//go:build !unix && !windows

package cli

import (
	"syscall"

	"nvrmenu/texts"
)

// errnoWords: none named where nvr-sadp does not ship.
var errnoWords = map[syscall.Errno]texts.ID{}
