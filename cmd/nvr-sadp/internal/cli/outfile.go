package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"nvrmenu/internal/atomicfile"
	"nvrmenu/internal/termsafe"
	"nvrmenu/texts"
)

// The files nvr-sadp writes (a GUID file, a QR code): where the user
// says, in a folder made when it is missing (0700, and said so), safely
// (atomicfile: a temporary file beside it, synced, then linked or renamed;
// 0600), and over an existing file only with -f or after a yes at the
// terminal.

// errNotReplaced: the user said no to replacing an existing file.
var errNotReplaced = errors.New("not replaced")

// outputPath is where a file named name goes for out, the path the user
// gave: out is a folder when it is one already or ends in a path
// separator (or is . or ..), and the file goes in it under name;
// otherwise out is the file. The folder the file goes in is made when it
// is missing.
func (t *tool) outputPath(out, name string) (string, error) {
	path := out
	if isFolderName(out) {
		path = filepath.Join(out, name)
	}
	dir := filepath.Dir(path)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", &fileError{path: dir, err: err}
		}
		t.say("%s", t.cat.F(texts.SadpFolderMade, termsafe.String(dir)))
	}
	return path, nil
}

// isFolderName reports whether out names a folder: an existing one, or a
// name ending in a path separator, or . or ..
func isFolderName(out string) bool {
	if out == "" {
		return false
	}
	if os.IsPathSeparator(out[len(out)-1]) {
		return true
	}
	if base := filepath.Base(out); base == "." || base == ".." {
		return true
	}
	st, err := os.Stat(out)
	return err == nil && st.IsDir()
}

// writeOutput writes data to path as a new file. An existing file is
// replaced with force, or after a yes at the terminal; without a
// terminal it is refused (its error says -f replaces it), and a no is
// errNotReplaced.
func (t *tool) writeOutput(path string, data []byte, force bool) error {
	err := atomicfile.Write(path, data, atomicfile.Options{Replace: force})
	if errors.Is(err, atomicfile.ErrExists) && t.in.interactive() {
		yes, qerr := t.in.yes(t.cat, t.cat.F(texts.SadpReplaceFile, termsafe.String(path)))
		switch {
		case qerr != nil:
			return qerr
		case !yes:
			return &fileError{path: path, err: errNotReplaced}
		}
		err = atomicfile.Write(path, data, atomicfile.Options{Replace: true})
	}
	if err != nil {
		return &fileError{path: path, err: err}
	}
	return nil
}

// plainFileName reports whether name, from the recorder, is a plain file
// name ending in ext (SERIAL_DATE_TIME.nvrguid, QR-….png): 1 to 128 of
// A-Z a-z 0-9 . _ -, not starting with a dot.
func plainFileName(name, ext string) bool {
	if len(name) > 128 || len(name) <= len(ext) || !strings.HasSuffix(name, ext) || strings.HasPrefix(name, ".") {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
