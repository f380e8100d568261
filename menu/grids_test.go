package menu

import (
	"slices"

	"nvrmenu/internal/vtcon"
)

// monitor is a display mode a recorder's HDMI or VGA output may drive.
type monitor struct{ w, h int }

// monitors are the common display modes from 640x480 to 4K (VESA's and
// CEA's, televisions' and computer monitors').
var monitors = []monitor{
	{640, 480}, {720, 480}, {720, 576}, {800, 480}, {800, 600}, {1024, 600}, {1024, 768},
	{1152, 864}, {1280, 720}, {1280, 768}, {1280, 800}, {1280, 960}, {1280, 1024},
	{1360, 768}, {1366, 768}, {1400, 1050}, {1440, 900}, {1600, 900}, {1600, 1200},
	{1680, 1050}, {1920, 1080}, {1920, 1200}, {2048, 1152}, {2560, 1080}, {2560, 1440},
	{2560, 1600}, {3440, 1440}, {3840, 2160}, {4096, 2160},
}

// grid is the console a monitor gets: the font the daemon picks there
// (vtcon.ChooseFontSize) and the cells it leaves.
type grid struct {
	w, h       int // the monitor's pixels
	font       vtcon.FontSize
	cols, rows int
}

// grids are every distinct console of monitors, as the daemon sets it up.
var grids = func() []grid {
	var out []grid
	for _, m := range monitors {
		f := vtcon.ChooseFontSize(m.w, m.h)
		g := grid{m.w, m.h, f, m.w / f.Width, m.h / f.Height}
		if !slices.ContainsFunc(out, func(o grid) bool { return o.font == g.font && o.cols == g.cols && o.rows == g.rows }) {
			out = append(out, g)
		}
	}
	return out
}()
