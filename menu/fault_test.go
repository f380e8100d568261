package menu

import (
	"fmt"
	"strings"
	"testing"

	"nvrmenu/internal/dirlock"
	"nvrmenu/texts"

	"github.com/gdamore/tcell/v2"
)

// TestFaultScreen: with its state unreadable the recorder shows why, in both
// languages and at both sizes, and no key takes it anywhere.
func TestFaultScreen(t *testing.T) {
	const path = "/var/lib/nvr-menu/state.json"
	for _, lang := range []string{"it", "en"} {
		for _, size := range [][2]int{{80, 25}, {240, 67}} {
			t.Run(fmt.Sprintf("%s-%dx%d", lang, size[0], size[1]), func(t *testing.T) {
				m, err := New(Options{Fault: FaultState, FaultDetail: path, Language: lang})
				if err != nil {
					t.Fatal(err)
				}
				h := &harness{t: t, m: m, sim: tcell.NewSimulationScreen("UTF-8"), done: make(chan error, 1)}
				if err := h.sim.Init(); err != nil {
					t.Fatal(err)
				}
				go func() { h.done <- m.Run(h.sim) }()
				t.Cleanup(h.stop)
				h.waitScreen("fault")
				h.resize(size[0], size[1])
				h.waitText(h.tr(texts.TitleFault), h.tr(texts.FaultState), h.m.tr.F(texts.FaultDetail, path))
				for _, k := range []tcell.Key{tcell.KeyEnter, tcell.KeyEscape, tcell.KeyTab, tcell.KeyCtrlC} {
					h.key(k)
				}
				h.click(size[0]/2, size[1]/2)
				h.typeText("x")
				// A resize is an event too, queued after the input: once
				// its frame is drawn, all of the input has been handled.
				w := size[0] + 2
				h.sim.SetSize(w, size[1])
				h.sim.PostEvent(tcell.NewEventResize(w, size[1]))
				title := []rune(h.tr(texts.TitleFault))
				h.waitFor(func(s string) bool {
					top := []rune(strings.SplitN(s, "\n", 2)[0])
					return len(top) >= w && top[w-2] == title[len(title)-1]
				}, "the title bar redrawn at the new width")
				if !h.onUI(func() bool { return h.m.screenName == "fault" }) {
					t.Fatal("the input took the fault screen away")
				}
				h.waitText(h.tr(texts.TitleFault))
				if _, err := New(Options{Language: lang}); err == nil {
					t.Fatal("a menu without a core and without a fault was made")
				}
			})
		}
	}
}

// TestFaultScreenLockedAndPrev: the other two things a fault screen says —
// who holds the state directory, and how to go back to the previous state
// file.
func TestFaultScreenLockedAndPrev(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want func(c *catalogue) []string
	}{
		// A fresh recorder: the folder (not "File:") and the command, under
		// the title bar's recorder.
		{Options{Fault: FaultStateDir, FaultDetail: "/var/lib/nvr-menu", FaultFix: "mkdir -p -m 0700 /var/lib/nvr-menu", Model: "NVR-8", Serial: "NVRX0000001"}, func(c *catalogue) []string {
			return []string{c.F(texts.TitleBarDevice, "NVR-8", "NVRX0000001"), c.F(texts.FaultFolder, "/var/lib/nvr-menu"), c.F(texts.FaultFix, "mkdir -p -m 0700 /var/lib/nvr-menu")}
		}},
		{Options{Fault: FaultLocked, FaultHolder: dirlock.Holder{PID: 4321, TTY: "/dev/tty1"}}, func(c *catalogue) []string {
			return []string{c.T(texts.TitleFault), c.F(texts.FaultHolder, 4321, "/dev/tty1")}
		}},
		{Options{Fault: FaultState, FaultDetail: "/s/state.json", FaultPrev: "/s/state.json.prev"}, func(c *catalogue) []string {
			return []string{c.F(texts.FaultDetail, "/s/state.json"), "/s/state.json.prev"}
		}},
	} {
		tc.opts.Language = "en"
		m, err := New(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		h := &harness{t: t, m: m, sim: tcell.NewSimulationScreen("UTF-8"), done: make(chan error, 1)}
		if err := h.sim.Init(); err != nil {
			t.Fatal(err)
		}
		go func() { h.done <- m.Run(h.sim) }()
		h.resize(120, 40)
		h.waitScreen("fault")
		screen := h.waitText(tc.want(m.tr)...)
		// It takes no input, so its footer offers no key.
		for _, id := range []texts.ID{texts.KeyTab, texts.KeyEnter, texts.KeyF2, texts.DoConfirm} {
			if strings.Contains(screen, m.tr.T(id)) {
				t.Errorf("the fault screen offers %q:\n%s", m.tr.T(id), screen)
			}
		}
		h.stop()
	}
}
