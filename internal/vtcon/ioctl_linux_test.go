package vtcon

import (
	"testing"
	"unsafe"
)

// TestIoctlStructLayouts holds the hand-written structs to the kernel's
// (linux/kd.h, linux/vt.h, linux/fb.h) on the architecture under test: a
// pointer is 8 bytes on arm64 and amd64, 4 on armv7 (and aligned as much).
// build.sh runs this package under qemu-user for arm and arm64 too.
func TestIoctlStructLayouts(t *testing.T) {
	ptr := unsafe.Sizeof(uintptr(0))
	for _, tc := range []struct {
		name            string
		size, wantSize  uintptr
		field, wantOffs uintptr
	}{
		// struct console_font_op: 5 unsigned ints, then the data pointer,
		// aligned to its size.
		{"console_font_op", unsafe.Sizeof(consoleFontOp{}), map[uintptr]uintptr{8: 32, 4: 24}[ptr], unsafe.Offsetof(consoleFontOp{}.Data), map[uintptr]uintptr{8: 24, 4: 20}[ptr]},
		// struct unimapdesc: an unsigned short, then the entries pointer.
		{"unimapdesc", unsafe.Sizeof(unimapdesc{}), 2 * ptr, unsafe.Offsetof(unimapdesc{}.Entries), ptr},
		{"unipair", unsafe.Sizeof(unipair{}), 4, unsafe.Offsetof(unipair{}.FontPos), 2},
		{"unimapinit", unsafe.Sizeof(unimapinit{}), 6, unsafe.Offsetof(unimapinit{}.AdvisedHashLevel), 4},
		{"kbentry", unsafe.Sizeof(kbentry{}), 4, unsafe.Offsetof(kbentry{}.Value), 2},
		{"vt_stat", unsafe.Sizeof(vtStat{}), 6, unsafe.Offsetof(vtStat{}.State), 4},
		{"vt_event", unsafe.Sizeof(vtEvent{}), 28, unsafe.Offsetof(vtEvent{}.NewEv), 8},
		{"fb_var_screeninfo", unsafe.Sizeof(fbVarScreenInfo{}), 160, unsafe.Offsetof(fbVarScreenInfo{}.YRes), 4},
		{"fb_con2fbmap", unsafe.Sizeof(fbCon2FBMap{}), 8, unsafe.Offsetof(fbCon2FBMap{}.Framebuffer), 4},
	} {
		if tc.size != tc.wantSize || tc.field != tc.wantOffs {
			t.Errorf("%s: size %d, offset %d; want %d, %d (pointer size %d)", tc.name, tc.size, tc.field, tc.wantSize, tc.wantOffs, ptr)
		}
	}
	if ptr != 4 && ptr != 8 {
		t.Fatalf("pointer size %d", ptr)
	}
}

func TestResizeDispatch(t *testing.T) {
	calls := map[int]int{}
	resizeWatch.mu.Lock()
	resizeWatch.subs = map[int]func(){1: func() { calls[1]++ }, 3: func() { calls[3]++ }}
	resizeWatch.mu.Unlock()
	t.Cleanup(func() {
		resizeWatch.mu.Lock()
		resizeWatch.subs = nil
		resizeWatch.mu.Unlock()
	})
	for _, vt := range []int{1, 2, 1, 3, 0} {
		dispatchResize(vt)
	}
	stopResize(1)
	dispatchResize(1)
	if calls[1] != 2 || calls[3] != 1 || len(calls) != 2 {
		t.Errorf("calls %v, want VT 1 twice (not after stopResize), VT 3 once", calls)
	}
}

func TestSetupOnATerminalThatIsNotAVT(t *testing.T) {
	// /dev/null is no terminal at all; a pty (the demo) answers like it:
	// KDGETMODE fails, nothing is changed, and the menu is told nothing.
	c, err := Setup("/dev/null", Options{Font: "auto", Keymap: "it"})
	if err != nil {
		t.Fatal(err)
	}
	if c.IsVT() || c.PaletteSet() || c.HasGlyph() != nil || c.CellSize() != (FontSize{}) {
		t.Errorf("not a VT: got IsVT %v, palette %v, glyphs %v, cell %v", c.IsVT(), c.PaletteSet(), c.HasGlyph() != nil, c.CellSize())
	}
	if err := c.OnResize(func() {}); err != nil {
		t.Error(err)
	}
	if err := c.Restore(); err != nil {
		t.Error(err)
	}
	if _, err := Setup("/nonexistent/tty", Options{}); err == nil {
		t.Error("a missing terminal: no error")
	}
}
