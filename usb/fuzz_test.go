package usb

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzParseMountinfo checks that any input parses or fails without a panic,
// and that whatever parses writes back to the same mounts.
func FuzzParseMountinfo(f *testing.F) {
	f.Add([]byte("34 20 8:1 / /media/sda1 rw,relatime shared:12 - vfat /dev/sda1 rw,fmask=0022\n"))
	f.Add([]byte(`42 27 0:39 / /media/my\040stick rw - tmpfs tmpfs rw` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		mounts, err := ParseMountinfo(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		for _, m := range mounts {
			if m.ID < 0 || m.ParentID < 0 {
				t.Fatalf("negative id in %+v", m)
			}
			for _, o := range m.Optional {
				if o == "-" || strings.Contains(o, " ") {
					t.Fatalf("optional field %q", o)
				}
			}
		}
		again, err := ParseMountinfo(strings.NewReader(formatMountinfo(mounts)))
		if err != nil {
			t.Fatalf("written back: got error %v, want none", err)
		}
		if len(mounts) == 0 && len(again) == 0 {
			return
		}
		if !reflect.DeepEqual(again, mounts) {
			t.Fatalf("round trip: got %+v, want %+v", again, mounts)
		}
	})
}
