package ps2

// Default mouse counts per cell: a console cell is 8×16 pixels, and the
// kernel's mouse counts are meant as pixels.
const (
	defaultMickeysX = 8
	defaultMickeysY = 16
)

// Pointer is a pointer position on a grid of w×h character cells, moved by
// packets. It keeps the counts that do not yet add up to a whole cell, so
// slow moves are not lost.
//
// A Pointer is not safe for concurrent use: the caller serialises calls, for
// example by applying packets only on the goroutine that reads them.
type Pointer struct {
	w, h       int     // grid size in cells, at least 1×1
	perX, perY int     // mouse counts per cell, at least 1
	x, y       int     // cell, inside the grid
	remX, remY int     // counts towards the next cell, |remX| < perX, |remY| < perY
	buttons    Buttons // buttons held
}

// NewPointer returns a pointer at the centre of a w×h grid, with no buttons
// held. Sizes below 1 are treated as 1. mickeysX and mickeysY are how many
// mouse counts move the pointer by one cell horizontally and vertically; a
// value of 0 or less picks the default, 8 horizontally and 16 vertically, the
// pixel size of a console cell.
func NewPointer(w, h, mickeysX, mickeysY int) *Pointer {
	if mickeysX <= 0 {
		mickeysX = defaultMickeysX
	}
	if mickeysY <= 0 {
		mickeysY = defaultMickeysY
	}
	w, h = max(w, 1), max(h, 1)
	return &Pointer{w: w, h: h, perX: mickeysX, perY: mickeysY, x: w / 2, y: h / 2}
}

// Resize changes the grid to w×h cells and moves the pointer inside it if
// it now falls outside. Sizes below 1 are treated as 1.
func (p *Pointer) Resize(w, h int) {
	p.w, p.h = max(w, 1), max(h, 1)
	p.x, p.remX = clampCell(p.x, p.remX, p.w)
	p.y, p.remY = clampCell(p.y, p.remY, p.h)
}

// Apply moves the pointer by pk's deltas and takes pk's buttons as the ones
// held. It reports whether the cell or the buttons changed, so that the
// caller sends an event only when something did.
//
// Counts that do not make a whole cell are kept for the next packet, the
// same way in both directions. The pointer stops at the grid's edges; there
// the counts pushing beyond the edge are dropped, so moving back responds at
// once.
func (p *Pointer) Apply(pk Packet) (changed bool) {
	x, y, b := p.x, p.y, p.buttons
	p.x, p.remX = move(p.x, p.remX, pk.DX, p.perX, p.w)
	p.y, p.remY = move(p.y, p.remY, pk.DY, p.perY, p.h)
	p.buttons = pk.Buttons
	return p.x != x || p.y != y || p.buttons != b
}

// Position returns the pointer's cell, x from the left and y from the top,
// both counted from 0, and the buttons held.
func (p *Pointer) Position() (x, y int, b Buttons) {
	return p.x, p.y, p.buttons
}

// move moves cell pos, with rem counts towards the next cell, by d counts at
// per counts a cell on an axis of size cells. It returns the new cell and
// remainder. Division truncates towards zero, so moves are symmetric, and no
// step can overflow whatever d is.
func move(pos, rem, d, per, size int) (int, int) {
	cells := d / per
	rem += d % per // |rem| < 2*per
	cells += rem / per
	rem %= per
	switch {
	case cells < -pos:
		pos = 0
	case cells > size-1-pos:
		pos = size - 1
	default:
		pos += cells
	}
	return clampCell(pos, rem, size)
}

// clampCell puts pos inside [0, size-1] and drops a remainder that pushes
// beyond the edge the cell is at.
func clampCell(pos, rem, size int) (int, int) {
	if pos >= size-1 {
		pos = size - 1
		rem = min(rem, 0)
	}
	if pos <= 0 {
		pos = 0
		rem = max(rem, 0)
	}
	return pos, rem
}
