package usb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// maxMountinfoSize bounds one read of the mount table.
const maxMountinfoSize = 16 << 20

// startMounts opens the mount table, reads it once and starts the goroutine
// that re-reads it whenever the kernel says it changed.
//
// The kernel marks /proc/self/mountinfo with POLLPRI|POLLERR on every change
// of the mount table (proc(5)); fsnotify sees no mount or unmount at all
// (FIELD-NOTES.md). So the goroutine sleeps in poll(2) on the mount table and
// on an eventfd that Close writes: no timer, no CPU while nothing happens,
// and nothing left blocked after Close.
//
// The mount table is held as a raw descriptor, never an *os.File: os.Open
// registers a file that supports poll with Go's netpoller, whose epoll_wait
// then takes the kernel's one-shot "changed" state before poll(2) here can
// see it, and changes are missed (measured: about half of them).
func (w *Watcher) startMounts() error {
	fd, err := unix.Open(w.opts.MountinfoPath, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("usb: mount table: %w", err)
	}
	w.mountinfoFD = fd
	if w.wakeFD, err = unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK); err != nil {
		w.wakeFD = -1
		return fmt.Errorf("usb: eventfd: %w", err)
	}
	if err := w.reloadMounts(); err != nil {
		return fmt.Errorf("usb: %w", err)
	}
	w.done.Add(1)
	go w.pollMounts(w.mountinfoFD)
	return nil
}

func (w *Watcher) pollMounts(mountinfoFD int) {
	defer w.done.Done()
	fds := []unix.PollFd{
		{Fd: int32(mountinfoFD), Events: unix.POLLPRI | unix.POLLERR},
		{Fd: int32(w.wakeFD), Events: unix.POLLIN},
	}
	for {
		fds[0].Revents, fds[1].Revents = 0, 0
		_, err := unix.Poll(fds, -1)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			w.log.Error("usb: polling the mount table failed: sticks are no longer tracked", "err", err)
			return
		}
		if fds[1].Revents != 0 || fds[0].Revents&unix.POLLNVAL != 0 {
			return
		}
		if fds[0].Revents&(unix.POLLPRI|unix.POLLERR) != 0 {
			if err := w.reloadMounts(); err != nil {
				// The previous set stays; the next change reads again.
				w.log.Warn("usb: reading the mount table failed", "err", err)
			}
		}
	}
}

// wakePoll makes the poll goroutine return.
func (w *Watcher) wakePoll() {
	if w.wakeFD < 0 {
		return
	}
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1)
	_, _ = unix.Write(w.wakeFD, one[:])
}

func (w *Watcher) closeMountFiles() {
	if w.mountinfoFD >= 0 {
		unix.Close(w.mountinfoFD)
		w.mountinfoFD = -1
	}
	if w.wakeFD >= 0 {
		unix.Close(w.wakeFD)
		w.wakeFD = -1
	}
}

// reloadMounts reads the whole mount table again and applies it.
func (w *Watcher) reloadMounts() error {
	data, err := w.readMountinfo()
	if err != nil {
		return err
	}
	mounts, err := ParseMountinfo(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: %w", w.opts.MountinfoPath, err)
	}
	w.apply(w.sticksFromMounts(mounts))
	return nil
}

// sticksFromMounts picks the mounts under the media root. A later line for
// the same mount point is a mount stacked on top, which hides the earlier.
func (w *Watcher) sticksFromMounts(mounts []Mount) map[string]observed {
	found := map[string]observed{}
	for _, m := range mounts {
		id, ok := w.stickID(m.MountPoint)
		if !ok {
			continue
		}
		found[id] = observed{
			stick: Stick{
				MountPoint: m.MountPoint,
				FSType:     m.FSType,
				Device:     m.Source,
				ReadOnly:   m.ReadOnly(),
			},
			ident: identity{mountID: m.ID, major: m.Major, minor: m.Minor},
		}
	}
	return found
}

func (w *Watcher) readMountinfo() ([]byte, error) {
	if _, err := unix.Seek(w.mountinfoFD, 0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %w", w.opts.MountinfoPath, err)
	}
	buf := w.miBuf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, make([]byte, max(64<<10, cap(buf)))...)[:len(buf)]
		}
		n, err := unix.Read(w.mountinfoFD, buf[len(buf):cap(buf)])
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", w.opts.MountinfoPath, err)
		}
		if n == 0 {
			break
		}
		buf = buf[:len(buf)+n]
		if len(buf) > maxMountinfoSize {
			return nil, fmt.Errorf("%s: larger than %d bytes", w.opts.MountinfoPath, maxMountinfoSize)
		}
	}
	w.miBuf = buf
	return buf, nil
}

// findLabel returns the label of the block device major:minor, made safe for
// display, from a udev-style by-label directory: one symbolic link per label,
// named by the label with unsafe bytes written \xHH. Empty when unknown.
func findLabel(dir string, major, minor uint32) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "" // no udev (busybox mdev): labels are unknown
	}
	want := unix.Mkdev(major, minor)
	for _, e := range entries {
		var st unix.Stat_t
		if unix.Stat(filepath.Join(dir, e.Name()), &st) != nil {
			continue
		}
		if st.Mode&unix.S_IFMT == unix.S_IFBLK && uint64(st.Rdev) == want {
			return DisplaySafe(decodeUdevName(e.Name()))
		}
	}
	return ""
}

// decodeUdevName decodes udev's \xHH escapes.
func decodeUdevName(s string) string {
	if !strings.Contains(s, `\x`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
