package usb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// maxDepth is how many folder levels below a stick's root a listing goes.
const maxDepth = 2

// Candidate is a regular file whose name the matcher accepted. Printing it
// shows only its display name: its contents may hold a secret.
type Candidate struct {
	// Path is the raw absolute path. Never draw it: use DisplayName.
	Path string
	// RelPath is the raw path relative to the stick's root.
	RelPath string
	// DisplayName is RelPath made safe for display (DisplaySafe).
	DisplayName string
	Size        int64
	ModTime     time.Time
	// TooLarge is set when the file is longer than MaxFileSize; then its
	// contents were not read.
	TooLarge bool
	data     []byte
}

// Data returns the file's contents as read during the listing (at most
// MaxFileSize bytes; nil when TooLarge).
func (c Candidate) Data() []byte { return c.data }

// String names the candidate by its display name, never its contents.
func (c Candidate) String() string { return "file " + c.DisplayName }

// Format prints the candidate as String does, whatever the verb, so that
// its contents never reach a log line.
func (c Candidate) Format(f fmt.State, verb rune) { io.WriteString(f, c.String()) }

// Listing is what one listing found on a stick.
type Listing struct {
	Stick Stick
	// Candidates are sorted by RelPath.
	Candidates []Candidate
	// Visited counts the directory entries looked at.
	Visited int
	// Skipped counts the entries the matcher accepted that are not regular
	// files (links, FIFOs, devices, sockets) or vanished meanwhile.
	Skipped int
}

// List lists the candidate files on the stick id: files at its root and up
// to two folder levels below whose names opts.Match accepts. It never
// follows a symbolic link and opens only regular files.
//
// List stops after Options.MaxEntries entries or MaxCandidates candidates
// (ErrTooManyEntries), or when ctx or Options.ListTimeout runs out
// (ErrListTimeout), returning what it found so far with the error. A stick pulled or failing during the listing
// gives ErrStickGone. Even when the kernel keeps a read on a dying stick
// blocked, List returns at the deadline; the blocked work finishes on its
// own later. The folders visited are watched for ContentChanged events.
func (w *Watcher) List(ctx context.Context, id string) (Listing, error) {
	st, err := w.lookup(id)
	if err != nil {
		return Listing{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, w.opts.ListTimeout)
	defer cancel()
	wk := &walker{
		root:       st.stick.MountPoint,
		rootDev:    st.rootDev,
		rootIno:    st.rootIno,
		match:      w.opts.Match,
		maxEntries: w.opts.MaxEntries,
	}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		wk.run(ctx)
	}()
	select {
	case <-finished:
	case <-ctx.Done():
	}
	res, dirs, ended, err := wk.result()
	if !ended {
		err = ctx.Err()
	}
	res.Stick = st.stick
	if err == nil && !w.present(id, st.stick.Seq) {
		err = ErrStickGone
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w: %w", ErrListTimeout, err)
	}
	if ended && !errors.Is(err, ErrStickGone) {
		// A walker that is still stuck in the kernel is not given more of
		// the stick to look at.
		w.watchDirs(id, st.stick.Seq, dirs)
	}
	if err != nil {
		return res, fmt.Errorf("stick %q: list: %w", id, err)
	}
	return res, nil
}

// walker lists one stick. It runs on its own goroutine so that List can
// return at the deadline even when a system call is stuck on the stick;
// result may be read at any time.
type walker struct {
	root             string
	rootDev, rootIno uint64
	match            func(string) bool
	maxEntries       int

	mu      sync.Mutex
	listing Listing
	dirs    []string
	ended   bool
	err     error
}

// dirRef is a folder to list, as its path components below the root.
type dirRef struct {
	parts []string
}

func (wk *walker) result() (Listing, []string, bool, error) {
	wk.mu.Lock()
	defer wk.mu.Unlock()
	l := wk.listing
	l.Candidates = slices.Clone(l.Candidates)
	slices.SortFunc(l.Candidates, func(a, b Candidate) int { return cmp.Compare(a.RelPath, b.RelPath) })
	return l, slices.Clone(wk.dirs), wk.ended, wk.err
}

func (wk *walker) run(ctx context.Context) {
	err := wk.walk(ctx)
	wk.mu.Lock()
	wk.ended, wk.err = true, err
	wk.mu.Unlock()
}

func (wk *walker) walk(ctx context.Context) error {
	rootFD, err := unix.Open(wk.root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return stickError(err)
	}
	defer unix.Close(rootFD)
	if !sameDir(rootFD, wk.rootDev, wk.rootIno) {
		return fmt.Errorf("%w: mount point no longer leads to the stick", ErrStickGone)
	}
	// Breadth first, files of a folder before its subfolders: the root's
	// own files are found even when a deep folder exhausts the budget.
	queue := []dirRef{{}}
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		sub, err := wk.listDir(ctx, rootFD, d)
		if err != nil {
			return err
		}
		queue = append(queue, sub...)
	}
	// After a lazy unmount the open descriptors still read the detached
	// filesystem without error: check that the stick is still mounted.
	if !stillAt(rootFD, wk.root) {
		return fmt.Errorf("%w: unmounted during the listing", ErrStickGone)
	}
	return nil
}

// listDir lists one folder and returns its subfolders to list.
func (wk *walker) listDir(ctx context.Context, rootFD int, d dirRef) ([]dirRef, error) {
	fd, err := openDirBelow(rootFD, d.parts)
	if err != nil {
		if (len(d.parts) == 0 && gone(err)) || errors.Is(err, unix.EIO) || errors.Is(err, unix.ENODEV) {
			return nil, stickError(err)
		}
		return nil, nil // removed meanwhile, or swapped for a link: skip it
	}
	rel := filepath.Join(d.parts...)
	path := filepath.Join(wk.root, rel)
	// os.File closes fd. Its name is used for lstat on filesystems that
	// do not report entry types; the type is checked again after opening.
	dir := os.NewFile(uintptr(fd), path)
	defer dir.Close()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, stickError(err)
	}
	if uint64(st.Dev) != wk.rootDev {
		return nil, nil // another filesystem mounted inside the stick
	}
	wk.mu.Lock()
	wk.dirs = append(wk.dirs, path)
	wk.mu.Unlock()

	var sub []dirRef
	for {
		entries, err := dir.ReadDir(256)
		for _, e := range entries {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			wk.mu.Lock()
			over := wk.listing.Visited >= wk.maxEntries
			if !over {
				wk.listing.Visited++
			}
			wk.mu.Unlock()
			if over {
				return nil, fmt.Errorf("%w: stopped after %d", ErrTooManyEntries, wk.maxEntries)
			}
			name := e.Name()
			typ := e.Type()
			switch {
			case typ.IsDir():
				if len(d.parts) < maxDepth {
					sub = append(sub, dirRef{parts: append(slices.Clip(d.parts), name)})
				}
			case !wk.match(name):
			case typ.IsRegular():
				if err := wk.readCandidate(fd, rel, name); err != nil {
					return nil, err
				}
			default:
				wk.skip()
			}
		}
		if err == io.EOF || (err == nil && len(entries) == 0) {
			return sub, nil
		}
		if err != nil {
			return nil, stickError(err)
		}
	}
}

func (wk *walker) skip() {
	wk.mu.Lock()
	wk.listing.Skipped++
	wk.mu.Unlock()
}

// readCandidate opens a file the directory says is regular, checks that it
// really is (O_NOFOLLOW and fstat: it may have been swapped since) and reads
// it when it is not too large. O_NONBLOCK makes even a FIFO swapped in at
// the last moment open and read without waiting.
func (wk *walker) readCandidate(dirFD int, rel, name string) error {
	wk.mu.Lock()
	full := len(wk.listing.Candidates) >= MaxCandidates
	wk.mu.Unlock()
	if full {
		return fmt.Errorf("%w: stopped after %d candidate files", ErrTooManyEntries, MaxCandidates)
	}
	fd, err := unix.Openat(dirFD, name, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
	if err != nil {
		if errors.Is(err, unix.EIO) || errors.Is(err, unix.ENODEV) {
			return stickError(err)
		}
		wk.skip() // a link (ELOOP), vanished (ENOENT), refused
		return nil
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return stickError(err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		wk.skip()
		return nil
	}
	relPath := filepath.Join(rel, name)
	c := Candidate{
		Path:        filepath.Join(wk.root, relPath),
		RelPath:     relPath,
		DisplayName: DisplaySafe(relPath),
		Size:        st.Size,
		ModTime:     time.Unix(st.Mtim.Unix()),
		TooLarge:    st.Size > MaxFileSize,
	}
	if !c.TooLarge {
		if c.data, err = readAtMost(fd, int(st.Size)); err != nil {
			return stickError(fmt.Errorf("read %q: %w", c.DisplayName, err))
		}
	}
	wk.mu.Lock()
	wk.listing.Candidates = append(wk.listing.Candidates, c)
	wk.mu.Unlock()
	return nil
}

// readAtMost reads up to limit bytes of fd, the size fstat gave: a file
// that grew since is not read further.
func readAtMost(fd, limit int) ([]byte, error) {
	if limit == 0 {
		return nil, nil
	}
	buf := make([]byte, limit)
	n := 0
	for n < limit {
		m, err := unix.Read(fd, buf[n:])
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if m == 0 {
			break
		}
		n += m
	}
	return buf[:n:n], nil
}

// openDirBelow opens the folder parts below rootFD one component at a time,
// never following a symbolic link.
func openDirBelow(rootFD int, parts []string) (int, error) {
	const flags = unix.O_RDONLY | unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_CLOEXEC
	fd, err := unix.Openat(rootFD, ".", flags, 0)
	if err != nil {
		return -1, err
	}
	for _, p := range parts {
		next, err := unix.Openat(fd, p, flags, 0)
		unix.Close(fd)
		if err != nil {
			return -1, err
		}
		fd = next
	}
	return fd, nil
}

// stickError marks the errors of a pulled or failing stick with
// ErrStickGone.
func stickError(err error) error {
	if gone(err) {
		return fmt.Errorf("%w: %w", ErrStickGone, err)
	}
	return err
}

// sameDir reports whether fd is the directory dev:ino.
func sameDir(fd int, dev, ino uint64) bool {
	var st unix.Stat_t
	return unix.Fstat(fd, &st) == nil && uint64(st.Dev) == dev && uint64(st.Ino) == ino
}

// stillAt reports whether path still leads to the directory fd: false after
// the stick was unmounted (even lazily) or its folder removed.
func stillAt(fd int, path string) bool {
	var a, b unix.Stat_t
	if unix.Fstat(fd, &a) != nil || unix.Lstat(path, &b) != nil {
		return false
	}
	return a.Dev == b.Dev && a.Ino == b.Ino
}
