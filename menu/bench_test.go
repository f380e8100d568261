package menu

import (
	"testing"

	"github.com/gdamore/tcell/v2"
	qrcode "github.com/skip2/go-qrcode"

	"nvrmenu/internal/payload"
	"nvrmenu/internal/pwpolicy"
	"nvrmenu/texts"
)

// benchHarness is a menu whose every frame signals on the channel.
func benchHarness(b *testing.B) (*harness, chan struct{}) {
	frames := make(chan struct{}, 1)
	h := newHarness(b, harnessOptions{activated: true})
	h.m.app.QueueUpdate(func() {
		h.m.afterFrame = func() {
			select {
			case frames <- struct{}{}:
			default:
			}
		}
	})
	return h, frames
}

// BenchmarkKeyToFrame measures from a key written to the screen's event
// queue to the redrawn frame (a '*' more in the password field), as the
// owner sees it.
func BenchmarkKeyToFrame(b *testing.B) {
	h, frames := benchHarness(b)
	h.waitScreen("login")
	drain(frames)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%pwpolicy.MaxLengthLimit == pwpolicy.MaxLengthLimit-1 {
			h.sim.InjectKey(tcell.KeyCtrlU, 0, tcell.ModCtrl)
		} else {
			h.sim.InjectKey(tcell.KeyRune, 'x', tcell.ModNone)
		}
		<-frames
	}
}

// BenchmarkClickToFrame measures from a click (press and release) to the
// redrawn frame: on the Password Dimenticata list, alternating two items.
func BenchmarkClickToFrame(b *testing.B) {
	h, frames := benchHarness(b)
	h.waitScreen("login")
	h.clickButton(h.tr(texts.ForgotPassword))
	h.waitScreen("forgot")
	// Items that are disabled only show a dialog; "Indietro" leaves: click
	// between the list's free lines instead, which moves the selection.
	x, y, ok := h.find(h.tr(texts.MethodEmail), false)
	if !ok {
		b.Fatal("no list")
	}
	drain(frames)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.sim.InjectMouse(x, y, tcell.ButtonPrimary, tcell.ModNone)
		h.sim.InjectMouse(x, y, tcell.ButtonNone, tcell.ModNone)
		<-frames
		// The dialog that the click opened (method not set up) closes
		// with Enter: one more frame.
		h.sim.InjectKey(tcell.KeyEnter, 0, tcell.ModNone)
		<-frames
	}
}

// BenchmarkQRBuild measures making the QR modules of a challenge.
func BenchmarkQRBuild(b *testing.B) {
	h := newHarness(b, harnessOptions{activated: true})
	h.setEmail("owner@example.org")
	c, err := h.core.EmailChallenge()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := payload.QRBitmap(c.Payload); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQRDraw measures drawing the on-screen QR code at 160x48.
func BenchmarkQRDraw(b *testing.B) {
	for _, mode := range []string{qrHalf, qrFull} {
		b.Run(mode, func(b *testing.B) {
			modules := make([][]bool, 57)
			for y := range modules {
				modules[y] = make([]bool, 57)
				for x := range modules[y] {
					modules[y][x] = (x*7+y*13)%3 == 0
				}
			}
			sim := tcell.NewSimulationScreen("UTF-8")
			if err := sim.Init(); err != nil {
				b.Fatal(err)
			}
			w := 160
			if mode == qrFull {
				w = 240
			}
			sim.SetSize(w, 67)
			m := &Menu{opts: Options{QRBlocks: mode}, sub: func(s string) string { return s }}
			q := m.newQRView([]qrCode{{qrcode.Medium, modules}}, "too small")
			q.SetRect(0, 0, w, 67)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q.Draw(sim)
			}
		})
	}
}

func drain(c chan struct{}) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}
