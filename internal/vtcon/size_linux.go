package vtcon

import (
	"fmt"
	"os"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/unix"
)

// screenPixels finds the pixel size of the screen the console vt is on,
// and says where it read it:
//
//  1. FBIOGET_VSCREENINFO on the framebuffer fbcon maps the console to
//     (FBIOGET_CON2FBMAP on /dev/fb0): the visible resolution;
//  2. sysfs's fbN/virtual_size (fb0 when the map is unknown), which is the
//     visible size on the DRM framebuffers measured (virtio-gpu, bochs);
//  3. the console's cells (TIOCGWINSZ) times the font's cell size.
func screenPixels(fd, vt int, opts Options, cell FontSize) (w, h int, how string) {
	dev, graphics := opts.Dev, opts.Graphics
	if dev == "" {
		dev = "/dev"
	}
	if graphics == "" {
		graphics = "/sys/class/graphics"
	}
	fb := 0
	if f, err := os.Open(filepath.Join(dev, "fb0")); err == nil {
		m := fbCon2FBMap{Console: uint32(vt)}
		if ioctl(int(f.Fd()), fbioGetCon2FBMap, unsafe.Pointer(&m)) == nil {
			fb = int(m.Framebuffer)
		}
		f.Close()
	}
	path := filepath.Join(dev, fmt.Sprintf("fb%d", fb))
	if f, err := os.Open(path); err == nil {
		var info fbVarScreenInfo
		err := ioctl(int(f.Fd()), fbioGetVScreenInfo, unsafe.Pointer(&info))
		f.Close()
		if err == nil && info.XRes > 0 && info.YRes > 0 {
			return int(info.XRes), int(info.YRes), fmt.Sprintf("%dx%d (%s)", info.XRes, info.YRes, path)
		}
	}
	path = filepath.Join(graphics, fmt.Sprintf("fb%d", fb), "virtual_size")
	if data, err := os.ReadFile(path); err == nil {
		if w, h, err := parseVirtualSize(string(data)); err == nil {
			return w, h, fmt.Sprintf("%dx%d (%s)", w, h, path)
		}
	}
	if ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ); err == nil && cell.Width > 0 {
		w, h = int(ws.Col)*cell.Width, int(ws.Row)*cell.Height
		return w, h, fmt.Sprintf("%dx%d (%dx%d cells of %v)", w, h, ws.Col, ws.Row, cell)
	}
	return 0, 0, "an unknown size"
}
