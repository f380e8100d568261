//go:build !unix

package regfile

import "os"

// open on systems without FIFOs in the way of open(2): the type is still
// checked.
func open(path string, flag int, perm os.FileMode, _ bool) (*os.File, error) {
	f, err := os.OpenFile(path, flag, perm)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(f, path); err != nil {
		return nil, err
	}
	return f, nil
}
