package softkbd

import (
	"testing"

	"github.com/gdamore/tcell/v2"
)

func BenchmarkDraw(b *testing.B) {
	sim := tcell.NewSimulationScreen("UTF-8")
	if err := sim.Init(); err != nil {
		b.Fatalf("sim.Init: %v", err)
	}
	defer sim.Fini()
	sim.SetSize(80, 25)
	k := New("Password", "s3cr3t[x]", false, 0, italian, nil)
	w, h := k.Size()
	k.SetRect((80-w)/2, (25-h)/2, w, h)
	b.ReportAllocs()
	for b.Loop() {
		k.Draw(sim)
	}
}
