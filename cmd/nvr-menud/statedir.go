package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// stateDirProblem says what is wrong with the state directory for the
// daemon to start, and the one command that fixes it, or "" when it is a
// directory the daemon can use. A missing directory is never made here:
// it may be storage that failed to mount, and a fresh directory would make
// a recorder that was set up look new (the core refuses it for the same
// reason).
func stateDirProblem(dir string) (problem, fix string) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("the state directory %s does not exist (or the storage holding it is not mounted)", dir),
			fmt.Sprintf("mkdir -p -m 0700 %s", dir)
	case err != nil:
		return fmt.Sprintf("the state directory %s cannot be read: %v", dir, err),
			fmt.Sprintf("ls -ld %s", dir)
	case !fi.IsDir():
		return fmt.Sprintf("the state directory %s is not a directory", dir),
			fmt.Sprintf("mv %s %s.not-a-directory && mkdir -m 0700 %s", dir, dir, dir)
	}
	return "", ""
}
