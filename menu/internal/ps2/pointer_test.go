package ps2

import (
	"math"
	"testing"
)

func TestNewPointerIsCentred(t *testing.T) {
	tests := []struct {
		name         string
		w, h         int
		wantX, wantY int
	}{
		{"80x25 console", 80, 25, 40, 12},
		{"odd width", 81, 24, 40, 12},
		{"1x1", 1, 1, 0, 0},
		{"2x2", 2, 2, 1, 1},
		{"zero size is 1x1", 0, 0, 0, 0},
		{"negative size is 1x1", -3, -7, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, y, b := NewPointer(tt.w, tt.h, 0, 0).Position()
			if x != tt.wantX || y != tt.wantY || b != 0 {
				t.Errorf("NewPointer(%d, %d).Position() = %d, %d, %d; want %d, %d, 0", tt.w, tt.h, x, y, b, tt.wantX, tt.wantY)
			}
		})
	}
}

// step is one packet applied to a pointer and what should follow.
type step struct {
	pk           Packet
	wantX, wantY int
	wantChanged  bool
}

func TestPointerApply(t *testing.T) {
	tests := []struct {
		name       string
		w, h       int
		mickeysX   int
		mickeysY   int
		steps      []step
		wantButton Buttons
	}{
		{
			name: "7 counts then 1 make one cell right", w: 80, h: 25, mickeysX: 8, mickeysY: 16,
			steps: []step{{Packet{DX: 7}, 40, 12, false}, {Packet{DX: 1}, 41, 12, true}},
		},
		{
			name: "-7 counts then -1 make one cell left", w: 80, h: 25, mickeysX: 8, mickeysY: 16,
			steps: []step{{Packet{DX: -7}, 40, 12, false}, {Packet{DX: -1}, 39, 12, true}},
		},
		{
			name: "slow moves add up over many packets", w: 80, h: 25, mickeysX: 8, mickeysY: 16,
			steps: []step{
				{Packet{DX: 1}, 40, 12, false}, {Packet{DX: 1}, 40, 12, false}, {Packet{DX: 1}, 40, 12, false},
				{Packet{DX: 1}, 40, 12, false}, {Packet{DX: 1}, 40, 12, false}, {Packet{DX: 1}, 40, 12, false},
				{Packet{DX: 1}, 40, 12, false}, {Packet{DX: 1}, 41, 12, true},
			},
		},
		{
			name: "back and forth does not drift", w: 80, h: 25, mickeysX: 8, mickeysY: 16,
			steps: []step{
				{Packet{DX: 7}, 40, 12, false}, {Packet{DX: -7}, 40, 12, false},
				{Packet{DX: -7}, 40, 12, false}, {Packet{DX: -1}, 39, 12, true},
				{Packet{DX: 1}, 39, 12, false}, {Packet{DX: 7}, 40, 12, true},
			},
		},
		{
			name: "big move keeps its remainder", w: 80, h: 25, mickeysX: 8, mickeysY: 16,
			steps: []step{{Packet{DX: 20}, 42, 12, true}, {Packet{DX: 4}, 43, 12, true}},
		},
		{
			name: "big move left keeps its remainder", w: 80, h: 25, mickeysX: 8, mickeysY: 16,
			steps: []step{{Packet{DX: -20}, 38, 12, true}, {Packet{DX: -4}, 37, 12, true}},
		},
		{
			name: "vertical counts per cell", w: 80, h: 25, mickeysX: 8, mickeysY: 16,
			steps: []step{
				{Packet{DY: 15}, 40, 12, false}, {Packet{DY: 1}, 40, 13, true},
				{Packet{DY: -15}, 40, 13, false}, {Packet{DY: -1}, 40, 12, true},
				{Packet{DY: -16}, 40, 11, true},
			},
		},
		{
			name: "defaults are 8 across and 16 down", w: 80, h: 25,
			steps: []step{
				{Packet{DX: 7, DY: 15}, 40, 12, false}, {Packet{DX: 1}, 41, 12, true},
				{Packet{DY: 1}, 41, 13, true},
			},
		},
		{
			name: "diagonal", w: 80, h: 25, mickeysX: 1, mickeysY: 1,
			steps: []step{{Packet{DX: -3, DY: 4}, 37, 16, true}},
		},
		{
			name: "left edge responds at once on the way back", w: 10, h: 5, mickeysX: 8, mickeysY: 8,
			steps: []step{
				{Packet{DX: -1003}, 0, 2, true}, {Packet{DX: -7}, 0, 2, false},
				{Packet{DX: 8}, 1, 2, true},
			},
		},
		{
			name: "right edge responds at once on the way back", w: 10, h: 5, mickeysX: 8, mickeysY: 8,
			steps: []step{
				{Packet{DX: 1003}, 9, 2, true}, {Packet{DX: 7}, 9, 2, false},
				{Packet{DX: -8}, 8, 2, true},
			},
		},
		{
			name: "top edge responds at once on the way back", w: 10, h: 5, mickeysX: 8, mickeysY: 8,
			steps: []step{
				{Packet{DY: -1003}, 5, 0, true}, {Packet{DY: -7}, 5, 0, false},
				{Packet{DY: 8}, 5, 1, true},
			},
		},
		{
			name: "bottom edge responds at once on the way back", w: 10, h: 5, mickeysX: 8, mickeysY: 8,
			steps: []step{
				{Packet{DY: 1003}, 5, 4, true}, {Packet{DY: 7}, 5, 4, false},
				{Packet{DY: -8}, 5, 3, true},
			},
		},
		{
			name: "slow push into an edge is forgotten", w: 10, h: 5, mickeysX: 8, mickeysY: 8,
			steps: []step{
				{Packet{DX: -40}, 0, 2, true},
				{Packet{DX: -1}, 0, 2, false}, {Packet{DX: -1}, 0, 2, false}, {Packet{DX: -1}, 0, 2, false},
				{Packet{DX: 8}, 1, 2, true},
			},
		},
		{
			name: "corner", w: 10, h: 5, mickeysX: 1, mickeysY: 1,
			steps: []step{
				{Packet{DX: 100, DY: 100}, 9, 4, true}, {Packet{DX: 1, DY: 1}, 9, 4, false},
				{Packet{DX: -1, DY: -1}, 8, 3, true},
			},
		},
		{
			name: "1x1 grid never moves", w: 1, h: 1, mickeysX: 1, mickeysY: 1,
			steps: []step{{Packet{DX: 5, DY: -5}, 0, 0, false}, {Packet{DX: -5, DY: 5}, 0, 0, false}},
		},
		{
			name: "huge deltas do not overflow", w: 80, h: 25, mickeysX: 1, mickeysY: 1,
			steps: []step{
				{Packet{DX: math.MaxInt, DY: math.MaxInt}, 79, 24, true},
				{Packet{DX: math.MaxInt, DY: math.MaxInt}, 79, 24, false},
				{Packet{DX: math.MinInt, DY: math.MinInt}, 0, 0, true},
				{Packet{DX: math.MinInt, DY: math.MinInt}, 0, 0, false},
			},
		},
		{
			name: "huge deltas with several counts per cell", w: 80, h: 25, mickeysX: 7, mickeysY: 13,
			steps: []step{
				{Packet{DX: math.MaxInt, DY: math.MinInt}, 79, 0, true},
				{Packet{DX: -7, DY: 13}, 78, 1, true},
			},
		},
		{
			name: "button press without motion is a change", w: 80, h: 25,
			steps: []step{
				{Packet{Buttons: Left}, 40, 12, true}, {Packet{Buttons: Left}, 40, 12, false},
				{Packet{Buttons: Left | Right}, 40, 12, true}, {Packet{}, 40, 12, true},
				{Packet{Buttons: Middle}, 40, 12, true},
			},
			wantButton: Middle,
		},
		{
			name: "sub-cell move while holding a button is no change", w: 80, h: 25,
			steps:      []step{{Packet{Buttons: Right}, 40, 12, true}, {Packet{Buttons: Right, DX: 3}, 40, 12, false}},
			wantButton: Right,
		},
		{
			name: "nothing is no change", w: 80, h: 25,
			steps: []step{{Packet{}, 40, 12, false}, {Packet{}, 40, 12, false}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPointer(tt.w, tt.h, tt.mickeysX, tt.mickeysY)
			for i, s := range tt.steps {
				changed := p.Apply(s.pk)
				x, y, _ := p.Position()
				if x != s.wantX || y != s.wantY || changed != s.wantChanged {
					t.Fatalf("step %d: Apply(%+v) = %v at %d, %d; want %v at %d, %d",
						i, s.pk, changed, x, y, s.wantChanged, s.wantX, s.wantY)
				}
			}
			if _, _, b := p.Position(); b != tt.wantButton {
				t.Errorf("buttons = %03b, want %03b", b, tt.wantButton)
			}
		})
	}
}

func TestPointerResize(t *testing.T) {
	tests := []struct {
		name         string
		move         Packet // applied on an 80x25 grid, 1 count a cell
		w, h         int
		wantX, wantY int
	}{
		{"smaller clamps bottom right", Packet{DX: 100, DY: 100}, 40, 10, 39, 9},
		{"smaller keeps a position inside", Packet{DX: -40, DY: -12}, 40, 10, 0, 0},
		{"larger keeps the position", Packet{DX: 5, DY: 5}, 200, 60, 45, 17},
		{"zero is 1x1", Packet{DX: 5, DY: 5}, 0, 0, 0, 0},
		{"negative is 1x1", Packet{}, -1, -1, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPointer(80, 25, 1, 1)
			p.Apply(tt.move)
			p.Resize(tt.w, tt.h)
			if x, y, _ := p.Position(); x != tt.wantX || y != tt.wantY {
				t.Errorf("after Resize(%d, %d) Position() = %d, %d; want %d, %d", tt.w, tt.h, x, y, tt.wantX, tt.wantY)
			}
		})
	}
}

func TestPointerResizeThenMove(t *testing.T) {
	p := NewPointer(80, 25, 8, 16)
	p.Apply(Packet{DX: 8 * 39, DY: 16 * 12}) // to the bottom right corner
	p.Resize(20, 5)
	if !p.Apply(Packet{DX: -8, DY: -16}) {
		t.Fatalf("Apply after Resize = false, want true")
	}
	if x, y, _ := p.Position(); x != 18 || y != 3 {
		t.Errorf("Position() = %d, %d; want 18, 3", x, y)
	}
	p.Resize(1, 1)
	if p.Apply(Packet{DX: 255, DY: -255}) {
		t.Errorf("Apply on a 1x1 grid = true, want false")
	}
	p.Resize(3, 3)
	if !p.Apply(Packet{DX: 8}) {
		t.Errorf("Apply after growing = false, want true")
	}
	if x, y, _ := p.Position(); x != 1 || y != 0 {
		t.Errorf("Position() = %d, %d; want 1, 0", x, y)
	}
}
