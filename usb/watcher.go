package usb

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
	"golang.org/x/sys/unix"
)

// Watcher keeps the live set of sticks and tells subscribers about changes.
// Its methods are safe for concurrent use. Sticks, Subscribe and the
// Subscription methods never wait on I/O; List and Write do I/O on a stick.
type Watcher struct {
	opts Options
	root string // cleaned, symbolic links resolved when it exists
	log  *slog.Logger
	fsw  *fsnotify.Watcher

	// The "mounts" source: the mount table, polled for changes, and an
	// eventfd that Close writes to wake the poll.
	mountinfoFD int
	wakeFD      int
	miBuf       []byte

	quit      chan struct{}
	done      sync.WaitGroup
	closeOnce sync.Once

	snapshot atomic.Pointer[[]Stick]

	// watchMu serialises changes to the inotify watches of sticks; never
	// taken by the methods the UI goroutine calls.
	watchMu sync.Mutex

	// writing holds the temporary file names of the writes in progress:
	// any other temporary file on a stick is a leftover of a write cut
	// short (a power cut, a yank), which the next write removes.
	writing sync.Map

	// mu guards the fields below; it is never held across I/O.
	mu     sync.Mutex
	closed bool
	sticks map[string]*stickState
	subs   map[*Subscription]struct{}
	seq    uint64
}

// stickState is what the watcher keeps about a present stick.
type stickState struct {
	stick Stick
	ident identity
	// rootDev and rootIno identify the stick's root directory when it was
	// added; List and Write refuse a mount point that no longer leads to it.
	rootDev, rootIno uint64
	watched          []string // folders under inotify watch
}

// identity tells two sticks at the same mount point apart: mount id and
// device for the "mounts" source, device and inode for "dirs".
type identity struct {
	mountID      int
	major, minor uint32
	dev, ino     uint64
}

// observed is a stick found by one scan of the source.
type observed struct {
	stick            Stick // without Seq, Name and Label
	ident            identity
	rootDev, rootIno uint64
	label            string
}

// NewWatcher starts watching the sticks under opts.MediaRoot. When it
// returns, Sticks already holds the sticks present. Close stops it.
func NewWatcher(opts Options) (*Watcher, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	root := filepath.Clean(opts.MediaRoot)
	if resolved, err := filepath.EvalSymlinks(root); err == nil {
		// The mount table names mount points by their real path.
		root = resolved
	}
	w := &Watcher{
		opts:        opts,
		root:        root,
		log:         opts.Logger,
		mountinfoFD: -1,
		wakeFD:      -1,
		quit:        make(chan struct{}),
		sticks:      map[string]*stickState{},
		subs:        map[*Subscription]struct{}{},
	}
	w.snapshot.Store(&[]Stick{})
	var err error
	if w.fsw, err = fsnotify.NewWatcher(); err != nil {
		return nil, fmt.Errorf("usb: inotify: %w", err)
	}
	switch opts.Source {
	case SourceMounts:
		err = w.startMounts()
	case SourceDirs:
		err = w.startDirs()
	}
	if err != nil {
		w.fsw.Close()
		w.closeMountFiles()
		return nil, err
	}
	w.done.Add(1)
	go w.run()
	return w, nil
}

// Close stops the watcher, waits for its goroutines and ends every
// subscription. A listing still running on a stuck stick finishes on its
// own. Close is idempotent.
func (w *Watcher) Close() error {
	var err error
	w.closeOnce.Do(func() {
		w.mu.Lock()
		w.closed = true
		subs := w.subs
		w.subs = nil
		w.mu.Unlock()

		close(w.quit)
		w.wakePoll()
		err = w.fsw.Close()
		w.done.Wait()
		w.closeMountFiles()
		for s := range subs {
			s.end()
		}
	})
	return err
}

// Sticks returns the sticks present, sorted by ID. It never blocks.
func (w *Watcher) Sticks() []Stick {
	return slices.Clone(*w.snapshot.Load())
}

// Subscribe returns a new subscription. Its first events are StickAdded
// for every stick present. After Close it returns an ended subscription.
func (w *Watcher) Subscribe() *Subscription {
	s := newSubscription(w)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		s.end()
		return s
	}
	var added []Event
	for _, st := range w.sortedLocked() {
		added = append(added, Event{Kind: StickAdded, Stick: st})
	}
	s.push(added...)
	w.subs[s] = struct{}{}
	return s
}

// lookup returns the state of a present stick, copied.
func (w *Watcher) lookup(id string) (stickState, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return stickState{}, ErrClosed
	}
	st, ok := w.sticks[id]
	if !ok {
		return stickState{}, fmt.Errorf("stick %q: %w: not present", id, ErrStickGone)
	}
	return *st, nil
}

// present reports whether the stick id with seq is still present.
func (w *Watcher) present(id string, seq uint64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	st, ok := w.sticks[id]
	return ok && !w.closed && st.stick.Seq == seq
}

func (w *Watcher) sortedLocked() []Stick {
	list := make([]Stick, 0, len(w.sticks))
	for _, st := range w.sticks {
		list = append(list, st.stick)
	}
	slices.SortFunc(list, func(a, b Stick) int { return cmp.Compare(a.ID, b.ID) })
	return list
}

func (w *Watcher) publishLocked(events []Event) {
	if len(events) == 0 {
		return
	}
	for s := range w.subs {
		s.push(events...)
	}
}

// stickID returns the ID of the stick mounted at mountPoint, if it lies
// under the media root.
func (w *Watcher) stickID(mountPoint string) (string, bool) {
	prefix := w.root + "/"
	if w.root == "/" {
		prefix = "/"
	}
	id, ok := strings.CutPrefix(mountPoint, prefix)
	return id, ok && id != ""
}

// apply makes the set of sticks what one scan of the source found, and
// tells subscribers. Only one goroutine calls it (the source's).
func (w *Watcher) apply(found map[string]observed) {
	// Learn what is needed about new sticks without holding the lock.
	w.mu.Lock()
	var fresh []string
	for id, o := range found {
		if st, ok := w.sticks[id]; !ok || st.ident != o.ident {
			fresh = append(fresh, id)
		}
	}
	w.mu.Unlock()
	for _, id := range fresh {
		o := found[id]
		if err := w.describe(&o); err != nil {
			// Gone again already, or unreadable: the next change of the
			// source brings it back if it is really there.
			w.log.Warn("usb stick not usable", "stick", DisplaySafe(id), "err", err)
			delete(found, id)
			continue
		}
		found[id] = o
	}

	var events []Event
	var unwatch []string
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	for id, st := range w.sticks {
		if o, ok := found[id]; ok && o.ident == st.ident {
			if o.stick.ReadOnly != st.stick.ReadOnly {
				st.stick.ReadOnly = o.stick.ReadOnly
				events = append(events, Event{Kind: ContentChanged, Stick: st.stick})
			}
			continue
		}
		delete(w.sticks, id)
		unwatch = append(unwatch, st.watched...)
		events = append(events, Event{Kind: StickRemoved, Stick: st.stick})
		w.log.Info("usb stick removed", "stick", st.stick.Name, "id", DisplaySafe(id))
	}
	ids := make([]string, 0, len(found))
	for id := range found {
		if _, ok := w.sticks[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		o := found[id]
		w.seq++
		st := &stickState{stick: o.stick, ident: o.ident, rootDev: o.rootDev, rootIno: o.rootIno}
		st.stick.ID, st.stick.Seq, st.stick.Label = id, w.seq, o.label
		st.stick.Name = o.label
		if st.stick.Name == "" {
			st.stick.Name = strings.TrimSpace(st.stick.Vendor + " " + st.stick.Model)
		}
		if st.stick.Name == "" {
			st.stick.Name = DisplaySafe(id)
		}
		w.sticks[id] = st
		events = append(events, Event{Kind: StickAdded, Stick: st.stick})
		w.log.Info("usb stick added", "stick", st.stick.Name, "id", DisplaySafe(id),
			"fstype", st.stick.FSType, "read_only", st.stick.ReadOnly)
	}
	if len(events) > 0 {
		list := w.sortedLocked()
		w.snapshot.Store(&list)
		w.publishLocked(events)
	}
	w.mu.Unlock()

	if len(unwatch) > 0 {
		w.watchMu.Lock()
		for _, dir := range unwatch {
			// The kernel drops the watches of an unmounted filesystem by
			// itself, so an error here is the normal case after a pull.
			_ = w.fsw.Remove(dir)
		}
		w.watchMu.Unlock()
	}
}

// describe completes an observed stick: the identity of its root
// directory, and for a block device its label.
func (w *Watcher) describe(o *observed) error {
	var st unix.Stat_t
	if err := unix.Lstat(o.stick.MountPoint, &st); err != nil {
		return fmt.Errorf("stat %q: %w", o.stick.MountPoint, err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return fmt.Errorf("%q: not a directory", o.stick.MountPoint)
	}
	o.rootDev, o.rootIno = uint64(st.Dev), uint64(st.Ino)
	if w.opts.Source == SourceDirs {
		var fs unix.Statfs_t
		if err := unix.Statfs(o.stick.MountPoint, &fs); err == nil {
			o.stick.ReadOnly = fs.Flags&unix.ST_RDONLY != 0
		}
		return nil
	}
	if o.ident.major != 0 {
		o.label = findLabel(w.opts.LabelDir, o.ident.major, o.ident.minor)
		if o.label == "" {
			o.label = DisplaySafe(deviceLabel(o.stick.Device))
		}
		hw := diskHardware(w.opts.SysfsDir, o.ident.major, o.ident.minor)
		o.stick.Vendor, o.stick.Model, o.stick.Size = DisplaySafe(hw.vendor), DisplaySafe(hw.model), hw.size
	}
	return nil
}

// run is the watcher's goroutine: inotify events, for the "dirs" source's
// root and for the folders that were listed, coalesced into one
// ContentChanged per stick once changes settle.
func (w *Watcher) run() {
	defer w.done.Done()
	dirty := map[string]uint64{} // stick ID -> Seq
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	armed := false
	defer settle.Stop()
	for {
		select {
		case <-w.quit:
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.handleFSEvent(ev, dirty)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				w.log.Warn("usb inotify error", "err", err)
				continue
			}
			// Events were lost: look again at everything.
			if w.opts.Source == SourceDirs {
				w.rescanDirs()
			}
			w.mu.Lock()
			for id, st := range w.sticks {
				dirty[id] = st.stick.Seq
			}
			w.mu.Unlock()
		case <-settle.C:
			armed = false
			w.publishContent(dirty)
			clear(dirty)
		}
		if len(dirty) > 0 && !armed {
			settle.Reset(w.opts.ContentSettle)
			armed = true
		}
	}
}

func (w *Watcher) handleFSEvent(ev fsnotify.Event, dirty map[string]uint64) {
	if w.opts.Source == SourceDirs && (filepath.Dir(ev.Name) == w.root || ev.Name == w.root) {
		w.rescanDirs()
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for id, st := range w.sticks {
		mp := st.stick.MountPoint
		if ev.Name == mp || strings.HasPrefix(ev.Name, mp+"/") {
			dirty[id] = st.stick.Seq
		}
	}
}

func (w *Watcher) publishContent(dirty map[string]uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var events []Event
	for id, seq := range dirty {
		if st, ok := w.sticks[id]; ok && st.stick.Seq == seq {
			events = append(events, Event{Kind: ContentChanged, Stick: st.stick})
		}
	}
	slices.SortFunc(events, func(a, b Event) int { return cmp.Compare(a.Stick.ID, b.Stick.ID) })
	w.publishLocked(events)
}

// watchDirs puts the folders a listing visited under inotify watch, and
// drops the watches of folders it no longer found.
func (w *Watcher) watchDirs(id string, seq uint64, dirs []string) {
	if len(dirs) > maxWatchedDirs {
		dirs = dirs[:maxWatchedDirs]
	}
	w.watchMu.Lock()
	defer w.watchMu.Unlock()
	w.mu.Lock()
	st, ok := w.sticks[id]
	if !ok || w.closed || st.stick.Seq != seq {
		w.mu.Unlock()
		return
	}
	old := st.watched
	st.watched = slices.Clone(dirs)
	w.mu.Unlock()

	for _, dir := range dirs {
		// inotify resolves the path again; the listing opened it without
		// following links, and a folder swapped for a link since then can
		// only cause a spurious ContentChanged.
		if err := w.fsw.Add(dir); err != nil {
			w.log.Debug("usb watch failed", "stick", DisplaySafe(id), "err", err)
		}
	}
	for _, dir := range old {
		if !slices.Contains(dirs, dir) {
			_ = w.fsw.Remove(dir)
		}
	}
	if !w.present(id, seq) {
		// Removed meanwhile, after apply dropped the watches it knew of.
		for _, dir := range dirs {
			_ = w.fsw.Remove(dir)
		}
	}
}
