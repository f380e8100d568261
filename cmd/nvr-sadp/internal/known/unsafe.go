package known

import (
	"fmt"
	"io/fs"
)

// UnsafeError refuses a known-recorders file, or its directory (Dir), that
// someone else could have written, and so planted a pin in: it belongs to
// another user (Owner, not User and not root), or its group or others may
// write it (Mode). Fix is the command that makes it private again, when
// one does.
type UnsafeError struct {
	Path  string
	Dir   bool
	Owner int // the other user's uid, or -1 when the owner is not the problem
	User  int // the current user's uid
	Mode  fs.FileMode
}

func (e *UnsafeError) Error() string {
	what := "the file"
	if e.Dir {
		what = "the directory"
	}
	if e.Owner >= 0 {
		return fmt.Sprintf("%s: %s belongs to another user (uid %d; you are %d), who could have planted pins", e.Path, what, e.Owner, e.User)
	}
	return fmt.Sprintf("%s: others may write %s (mode %04o), and plant pins: %s", e.Path, what, e.Mode.Perm(), e.Fix())
}

// Fix is the command that takes the others' write permission away.
func (e *UnsafeError) Fix() string {
	if e.Dir {
		return "chmod 700 " + e.Path
	}
	return "chmod 600 " + e.Path
}
