package vtcon

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The console ioctls (linux/kd.h, linux/vt.h, linux/fb.h). x/sys has
// neither their numbers nor their structs; the numbers are plain values,
// the same on every architecture. The structs below mirror the C ones;
// ioctl_test.go holds their sizes and offsets per GOARCH (a pointer is 4
// bytes on armv7, 8 on arm64 and amd64).
const (
	kdGetMode    = 0x4B3B // KDGETMODE: int
	kdGkbEnt     = 0x4B46 // KDGKBENT: struct kbentry
	kdSkbEnt     = 0x4B47 // KDSKBENT: struct kbentry
	gioUnimap    = 0x4B66 // GIO_UNIMAP: struct unimapdesc
	pioUnimap    = 0x4B67 // PIO_UNIMAP: struct unimapdesc
	pioUnimapClr = 0x4B68 // PIO_UNIMAPCLR: struct unimapinit
	kdFontOp     = 0x4B72 // KDFONTOP: struct console_font_op
	vtGetState   = 0x5603 // VT_GETSTATE: struct vt_stat
	vtWaitEvent  = 0x560E // VT_WAITEVENT: struct vt_event

	fbioGetVScreenInfo = 0x4600 // FBIOGET_VSCREENINFO: struct fb_var_screeninfo
	fbioGetCon2FBMap   = 0x460F // FBIOGET_CON2FBMAP: struct fb_con2fbmap

	kdText = 0x00 // KD_TEXT, the mode a font can be set in

	fontOpSet        = 0 // KD_FONT_OP_SET
	fontOpGet        = 1 // KD_FONT_OP_GET
	fontOpSetDefault = 2 // KD_FONT_OP_SET_DEFAULT

	vtEventResize = 0x0008 // VT_EVENT_RESIZE

	ttyMajor = 4 // the VTs' character device major: /dev/tty1..63 are minors 1..63

	// maxKernelFont is the largest font KD_FONT_OP_GET hands back: 512
	// glyphs of 32 rows of up to 32 pixels (4 bytes).
	maxKernelFont = 512 * 32 * 4
)

// consoleFontOp is struct console_font_op.
type consoleFontOp struct {
	Op        uint32
	Flags     uint32
	Width     uint32
	Height    uint32
	Charcount uint32
	Data      *byte
}

// unipair is struct unipair: one code point and the glyph that draws it.
type unipair struct {
	Unicode uint16
	FontPos uint16
}

// unimapdesc is struct unimapdesc.
type unimapdesc struct {
	EntryCt uint16
	Entries *unipair
}

// unimapinit is struct unimapinit (all zero: no advice on hashing).
type unimapinit struct {
	AdvisedHashSize  uint16
	AdvisedHashStep  uint16
	AdvisedHashLevel uint16
}

// kbentry is struct kbentry: one entry of a keymap table.
type kbentry struct {
	Table uint8
	Index uint8
	Value uint16
}

// vtStat is struct vt_stat.
type vtStat struct {
	Active uint16
	Signal uint16
	State  uint16
}

// vtEvent is struct vt_event.
type vtEvent struct {
	Event uint32
	OldEv uint32
	NewEv uint32
	Pad   [4]uint32
}

// fbVarScreenInfo is struct fb_var_screeninfo: 40 32-bit fields, of which
// only the first two (the visible resolution) are read here.
type fbVarScreenInfo struct {
	XRes, YRes uint32
	Rest       [38]uint32
}

// fbCon2FBMap is struct fb_con2fbmap.
type fbCon2FBMap struct {
	Console     uint32
	Framebuffer uint32
}

// ioctl calls ioctl(2) with a pointer argument, retrying on EINTR.
func ioctl(fd int, req uintptr, arg unsafe.Pointer) error {
	for {
		_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), req, uintptr(arg))
		if errno == unix.EINTR {
			continue
		}
		if errno != 0 {
			return errno
		}
		return nil
	}
}

// getMode is KDGETMODE: it fails on anything but a virtual console.
func getMode(fd int) (int32, error) {
	var mode int32
	err := ioctl(fd, kdGetMode, unsafe.Pointer(&mode))
	return mode, err
}

// activeVT is VT_GETSTATE's active console (1-based).
func activeVT(fd int) (int, error) {
	var st vtStat
	if err := ioctl(fd, vtGetState, unsafe.Pointer(&st)); err != nil {
		return 0, err
	}
	return int(st.Active), nil
}

// fontGet reads the font on the console: its size and, when data is not
// nil, its glyphs in the kernel's layout (32 rows a glyph).
func fontGet(fd int, data []byte) (width, height, count int, err error) {
	op := consoleFontOp{Op: fontOpGet, Width: 32, Height: 32, Charcount: 512}
	if data != nil {
		op.Data = &data[0]
	}
	err = ioctl(fd, kdFontOp, unsafe.Pointer(&op))
	runtime.KeepAlive(data)
	return int(op.Width), int(op.Height), int(op.Charcount), err
}

// fontSet loads a font given in the kernel's layout.
func fontSet(fd int, width, height, count int, data []byte) error {
	op := consoleFontOp{Op: fontOpSet, Width: uint32(width), Height: uint32(height), Charcount: uint32(count), Data: &data[0]}
	err := ioctl(fd, kdFontOp, unsafe.Pointer(&op))
	runtime.KeepAlive(data)
	return err
}

// fontSetDefault loads the kernel's built-in font for the screen.
func fontSetDefault(fd int) error {
	op := consoleFontOp{Op: fontOpSetDefault}
	return ioctl(fd, kdFontOp, unsafe.Pointer(&op))
}

// unimapGet reads the console's Unicode map.
func unimapGet(fd int) ([]unipair, error) {
	n := 1024
	for {
		entries := make([]unipair, n)
		desc := unimapdesc{EntryCt: uint16(n), Entries: &entries[0]}
		err := ioctl(fd, gioUnimap, unsafe.Pointer(&desc))
		runtime.KeepAlive(entries)
		if err == unix.ENOMEM && n < 1<<15 {
			n = int(desc.EntryCt) // the kernel says how many there are
			if n <= len(entries) {
				n = 2 * len(entries)
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		return entries[:desc.EntryCt], nil
	}
}

// unimapSet replaces the console's Unicode map.
func unimapSet(fd int, pairs []unipair) error {
	var init unimapinit
	if err := ioctl(fd, pioUnimapClr, unsafe.Pointer(&init)); err != nil {
		return err
	}
	// The kernel takes the map in one call of at most 65535 pairs.
	desc := unimapdesc{EntryCt: uint16(len(pairs))}
	if len(pairs) > 0 {
		desc.Entries = &pairs[0]
	}
	err := ioctl(fd, pioUnimap, unsafe.Pointer(&desc))
	runtime.KeepAlive(pairs)
	return err
}

// keyGet is KDGKBENT.
func keyGet(fd int, table, index uint8) (uint16, error) {
	e := kbentry{Table: table, Index: index}
	err := ioctl(fd, kdGkbEnt, unsafe.Pointer(&e))
	return e.Value, err
}

// keySet is KDSKBENT.
func keySet(fd int, table, index uint8, value uint16) error {
	e := kbentry{Table: table, Index: index, Value: value}
	return ioctl(fd, kdSkbEnt, unsafe.Pointer(&e))
}

// waitResize blocks until a VT is resized and returns its number (1-based).
func waitResize(fd int) (int, error) {
	for {
		ev := vtEvent{Event: vtEventResize}
		_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), vtWaitEvent, uintptr(unsafe.Pointer(&ev)))
		if errno == unix.EINTR {
			continue // a signal woke us: the kernel says EINTR, not restart
		}
		if errno != 0 {
			return 0, errno
		}
		return int(ev.NewEv), nil
	}
}
