package usb

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Mount is one line of /proc/<pid>/mountinfo (proc(5)), with its octal
// escapes (\040 for a space, \011, \012, \134) decoded.
type Mount struct {
	// ID and ParentID are the mount's id and its parent's, unique while
	// mounted (the kernel reuses them after).
	ID, ParentID int
	// Major and Minor are the device number the filesystem reports
	// (st_dev); 0:N for filesystems without a block device, like tmpfs.
	Major, Minor uint32
	// Root is the directory of the filesystem mounted at MountPoint.
	Root       string
	MountPoint string
	// Options are the per-mount options, e.g. "rw,nosuid,relatime".
	Options string
	// Optional holds the optional fields, e.g. "shared:1" or "master:2".
	Optional []string
	FSType   string
	// Source is the mounted device, e.g. "/dev/sda1", or a placeholder
	// such as "none" or "tmpfs".
	Source string
	// SuperOptions are the filesystem's own options, e.g. "rw,fmask=0022".
	SuperOptions string
}

// ReadOnly reports whether the mount or its filesystem is read-only.
func (m Mount) ReadOnly() bool {
	return hasOption(m.Options, "ro") || hasOption(m.SuperOptions, "ro")
}

func hasOption(list, opt string) bool {
	for o := range strings.SplitSeq(list, ",") {
		if o == opt {
			return true
		}
	}
	return false
}

// maxMountinfoLine bounds one line; overlay mounts with many layers make the
// longest real ones, a few KiB.
const maxMountinfoLine = 1 << 20

// ParseMountinfo parses the mount table in the format of
// /proc/self/mountinfo. A malformed line is an error naming its line number:
// the kernel never writes one, so it means the input is not a mount table.
func ParseMountinfo(r io.Reader) ([]Mount, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxMountinfoLine)
	var mounts []Mount
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" {
			continue
		}
		m, err := parseMountLine(line)
		if err != nil {
			return nil, fmt.Errorf("mountinfo line %d: %w", n, err)
		}
		mounts = append(mounts, m)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("mountinfo: %w", err)
	}
	return mounts, nil
}

func parseMountLine(line string) (Mount, error) {
	var m Mount
	// Fields are separated by single spaces; an empty field (an empty
	// source) shows as two spaces in a row, so strings.Fields would not do.
	f := strings.Split(line, " ")
	sep := -1
	for i := 6; i < len(f); i++ {
		if f[i] == "-" {
			sep = i
			break
		}
	}
	if len(f) < 10 || sep < 0 {
		return m, errors.New("want 10 or more fields with a \"-\" separator")
	}
	if len(f)-sep != 4 {
		return m, fmt.Errorf("want 3 fields after the separator, got %d", len(f)-sep-1)
	}
	var err error
	if m.ID, err = parseCount(f[0]); err != nil {
		return m, fmt.Errorf("mount id: %w", err)
	}
	if m.ParentID, err = parseCount(f[1]); err != nil {
		return m, fmt.Errorf("parent id: %w", err)
	}
	maj, min, ok := strings.Cut(f[2], ":")
	if !ok {
		return m, fmt.Errorf("device %q: want major:minor", f[2])
	}
	major, err1 := strconv.ParseUint(maj, 10, 32)
	minor, err2 := strconv.ParseUint(min, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return m, fmt.Errorf("device %q: %w", f[2], err)
	}
	m.Major, m.Minor = uint32(major), uint32(minor)
	m.Root = unescapeOctal(f[3])
	m.MountPoint = unescapeOctal(f[4])
	m.Options = f[5]
	if sep > 6 {
		m.Optional = f[6:sep]
	}
	m.FSType = unescapeOctal(f[sep+1])
	m.Source = unescapeOctal(f[sep+2])
	m.SuperOptions = unescapeOctal(f[sep+3])
	return m, nil
}

func parseCount(s string) (int, error) {
	n, err := strconv.ParseUint(s, 10, 31)
	if err != nil {
		return 0, fmt.Errorf("%q: want a number", s)
	}
	return int(n), nil
}

// unescapeOctal decodes the kernel's \ooo escapes. A backslash that does not
// start three octal digits of a byte value is kept as it is.
func unescapeOctal(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) && s[i+1] <= '3' {
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
