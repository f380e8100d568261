package usb

import (
	"fmt"
	"log/slog"
	"time"
)

// Source says how the watcher finds sticks.
type Source string

const (
	// SourceMounts takes every filesystem mounted under the media root from
	// the mount table (the recorder, where a hotplug helper mounts sticks).
	SourceMounts Source = "mounts"
	// SourceDirs takes every directory directly under the media root as a
	// stick (the demo and tests: no root needed).
	SourceDirs Source = "dirs"
)

// Defaults of Options.
const (
	DefaultMountinfoPath = "/proc/self/mountinfo"
	DefaultLabelDir      = "/dev/disk/by-label"
	DefaultSysfsDir      = "/sys"
	DefaultListTimeout   = 3 * time.Second
	DefaultMaxEntries    = 10000
	DefaultContentSettle = 200 * time.Millisecond
)

// MaxFileSize is the most a listing reads of a candidate file.
const MaxFileSize = 4096

// MaxCandidates is the most candidate files one listing returns, so that a
// stick full of files named like GUID files holds at most 1 MiB in memory.
const MaxCandidates = 256

// maxWatchedDirs caps the folders of one stick under inotify watch; the
// listing visits the root first, so the root is always among them.
const maxWatchedDirs = 256

// maxRootEntries caps the entries of the media root the "dirs" source reads.
const maxRootEntries = 1024

// Options configure a Watcher. MediaRoot and Match are required.
type Options struct {
	// Source is SourceMounts (the default) or SourceDirs.
	Source Source
	// MediaRoot is the absolute directory sticks appear under, e.g. /media.
	MediaRoot string
	// Match reports whether a file name (no directory) is a candidate to
	// list, e.g. recovery.IsGUIDFileName. It gets raw, untrusted names, and
	// concurrent listings call it from their own goroutines.
	Match func(name string) bool

	// MountinfoPath is the mount table to watch; default
	// DefaultMountinfoPath.
	MountinfoPath string
	// LabelDir holds the udev-style symbolic links from filesystem labels
	// to block devices; default DefaultLabelDir. A missing directory (no
	// udev: busybox's mdev) means the label is read from the device itself.
	LabelDir string
	// SysfsDir is where sysfs is mounted, for a stick's vendor, model and
	// size; default DefaultSysfsDir.
	SysfsDir string
	// ListTimeout caps the time one listing spends on a stick; default
	// DefaultListTimeout.
	ListTimeout time.Duration
	// MaxEntries caps the directory entries one listing visits; default
	// DefaultMaxEntries.
	MaxEntries int
	// ContentSettle is how long the watcher waits after a change on a
	// stick for more changes before it tells subscribers once; default
	// DefaultContentSettle.
	ContentSettle time.Duration
	// Logger gets one line per stick added or removed and per problem;
	// default discards.
	Logger *slog.Logger
}

func (o *Options) setDefaults() error {
	if o.Source == "" {
		o.Source = SourceMounts
	}
	if o.Source != SourceMounts && o.Source != SourceDirs {
		return fmt.Errorf("usb: source %q: want %q or %q", o.Source, SourceMounts, SourceDirs)
	}
	if o.MediaRoot == "" || o.MediaRoot[0] != '/' {
		return fmt.Errorf("usb: media root %q: want an absolute path", o.MediaRoot)
	}
	if o.Match == nil {
		return fmt.Errorf("usb: no file name matcher (Options.Match)")
	}
	if o.MountinfoPath == "" {
		o.MountinfoPath = DefaultMountinfoPath
	}
	if o.LabelDir == "" {
		o.LabelDir = DefaultLabelDir
	}
	if o.SysfsDir == "" {
		o.SysfsDir = DefaultSysfsDir
	}
	if o.ListTimeout <= 0 {
		o.ListTimeout = DefaultListTimeout
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.ContentSettle <= 0 {
		o.ContentSettle = DefaultContentSettle
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Stick is one stick as the watcher sees it. Stick values are snapshots:
// the watcher never changes one after handing it out.
type Stick struct {
	// ID names the stick for List and Write: its mount point relative to
	// the media root, e.g. "sda1". Raw: draw Name instead.
	ID string
	// Seq grows with every stick added, so a stick pulled and plugged
	// back under the same ID gets a new Seq.
	Seq uint64
	// Name is the label or, without one, the vendor and model, else the
	// ID, made safe for display.
	Name string
	// MountPoint is the stick's absolute directory.
	MountPoint string
	// Label is the filesystem label made safe for display; empty when
	// unknown.
	Label string
	// FSType is the filesystem type, e.g. "vfat"; empty when unknown (the
	// "dirs" source).
	FSType string
	// Device is the mounted device, e.g. "/dev/sda1"; empty when unknown.
	Device string
	// Vendor and Model are what the stick says it is (e.g. "SanDisk",
	// "Cruzer Blade"), made safe for display; Size is its partition's
	// size in bytes. Empty and 0 when unknown (the "dirs" source).
	Vendor, Model string
	Size          uint64
	// ReadOnly is set when the stick is mounted read-only.
	ReadOnly bool
}

// EventKind says what happened to a stick.
type EventKind uint8

// The kinds of events.
const (
	// StickAdded: a stick appeared. Subscribe also reports the sticks
	// present at the time with StickAdded.
	StickAdded EventKind = iota + 1
	// StickRemoved: a stick went away (unmounted or pulled).
	StickRemoved
	// ContentChanged: files changed in a folder that was listed, or the
	// stick's mount flags changed (Event.Stick has the new ones). List the
	// stick again.
	ContentChanged
)

// String names the kind in words, e.g. "added".
func (k EventKind) String() string {
	switch k {
	case StickAdded:
		return "added"
	case StickRemoved:
		return "removed"
	case ContentChanged:
		return "content changed"
	}
	return fmt.Sprintf("EventKind(%d)", uint8(k))
}

// Event is one change of the set of sticks.
type Event struct {
	Kind  EventKind
	Stick Stick
}

// String describes the event for a log line.
func (e Event) String() string {
	return fmt.Sprintf("stick %s (%q #%d) %s", e.Stick.Name, e.Stick.ID, e.Stick.Seq, e.Kind)
}
