package menu

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/recovery"
	"nvrmenu/texts"
	"nvrmenu/usb"
)

// guidFile is one GUID file found on a stick, as the import list shows it.
type guidFile struct {
	stick usb.Stick
	cand  usb.Candidate
	ours  bool // named after this device
}

// listTimeout bounds one refresh of the GUID list across all sticks; the
// watcher bounds each stick at 3 s.
const listTimeout = 10 * time.Second

// showGUIDImport is "Verifica mediante GUID": the GUID files on the plugged
// sticks, this device's first, updated as sticks come and go; select one and
// "Importa".
func (m *Menu) showGUIDImport() {
	list := m.list()
	status := m.text("")
	var files []guidFile
	var shown []guidFile // what the list shows, item by item
	generation := 0      // drops listings that a newer refresh overtook

	importSel := func() {
		i := list.GetCurrentItem()
		if i < 0 || i >= len(shown) {
			status.SetText(m.tr.T(texts.GUIDPickFile)).SetTextColor(colourError)
			return
		}
		f := shown[i]
		if f.cand.TooLarge {
			status.SetText(m.tr.T(texts.GUIDNotAGUIDFile)).SetTextColor(colourError)
			return
		}
		data := f.cand.Data()
		m.do(func() func() {
			ticket, err := m.core.VerifyGUIDFile(data)
			return func() {
				if err != nil {
					status.SetText(m.errText(err)).SetTextColor(colourError)
					m.log.Info("guid import refused", "file", f.cand.RelPath, "stick", f.stick.Name, "err", err)
					return
				}
				m.showNewPassword(ticket)
			}
		})
	}
	draw := func() {
		// Keep the owner's selection across refreshes: "Importa" must
		// import the file they chose, not whatever moved under it.
		var chosen *guidFile
		if i := list.GetCurrentItem(); i >= 0 && i < len(shown) {
			chosen = &shown[i]
		}
		shown = files
		list.Clear()
		if len(m.sticks) == 0 {
			status.SetText(m.tr.T(texts.NoStick)).SetTextColor(colourTitle)
			return
		}
		for _, f := range files {
			label := f.cand.DisplayName
			if !f.ours {
				label += "  " + m.tr.T(texts.GUIDOtherDevice)
			}
			list.AddItem(label, m.tr.F(texts.OnStick, stickName(f.stick)), 0, nil)
		}
		for i, f := range files {
			if chosen != nil && f.stick.ID == chosen.stick.ID && f.cand.RelPath == chosen.cand.RelPath {
				list.SetCurrentItem(i)
			}
		}
		if len(files) == 0 {
			status.SetText(m.tr.T(texts.GUIDNoFiles)).SetTextColor(colourTitle)
		} else {
			status.SetText(m.tr.T(texts.GUIDChoose)).SetTextColor(colourText)
		}
	}
	refresh := func() {
		generation++
		gen := generation
		sticks := append([]usb.Stick(nil), m.sticks...)
		if len(sticks) == 0 {
			files = nil
			draw()
			return
		}
		status.SetText(m.tr.T(texts.ReadingSticks)).SetTextColor(colourTitle)
		// Not behind the busy overlay: the owner may go back meanwhile,
		// and a stick yanked during the listing only ends this listing.
		m.goSafe(func() {
			found, problems := m.listGUIDFiles(sticks)
			m.post(func() {
				if gen != generation {
					return
				}
				files = found
				draw()
				if len(problems) > 0 {
					status.SetText(status.GetText(false) + "\n" + strings.Join(problems, "\n"))
				}
			})
		})
	}

	back := func() { m.showForgot() }
	list.SetDoneFunc(back)
	// A click selects a file (tview's list would run the item's function
	// before even selecting it); Enter or "Importa" imports it.
	list.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
		if ev.Key() == tcell.KeyEnter {
			importSel()
			return nil
		}
		return ev
	})
	form := m.buttonBar(back).
		AddButton(m.tr.T(texts.Import), importSel).
		AddButton(m.tr.T(texts.Back), back)
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(m.tr.T(texts.GUIDIntro)), 2, 0, false).
		AddItem(list, 0, 1, true).
		AddItem(status, 3, 0, false).
		AddItem(form, 1, 0, false)
	m.show("guid", m.frame(texts.MethodGUID, body), list)
	m.onSticks = refresh
	refresh()
}

// listGUIDFiles lists every stick (off the UI goroutine). It returns this
// device's files first, newest first, then the others, and a translated line
// for every stick that could not be listed.
func (m *Menu) listGUIDFiles(sticks []usb.Stick) ([]guidFile, []string) {
	ctx, cancel := context.WithTimeout(m.ctx, listTimeout)
	defer cancel()
	serial := m.core.Serial()
	var files []guidFile
	var problems []string
	for _, s := range sticks {
		l, err := m.opts.Sticks.List(ctx, s.ID)
		if err != nil {
			if !errors.Is(err, usb.ErrStickGone) {
				problems = append(problems, stickName(s)+": "+m.errText(err))
			}
			m.log.Info("stick listing failed", "stick", s.Name, "err", err)
			continue
		}
		for _, c := range l.Candidates {
			name := c.RelPath
			if i := strings.LastIndexByte(name, '/'); i >= 0 {
				name = name[i+1:]
			}
			fileSerial, _ := recovery.GUIDFileSerial(name)
			files = append(files, guidFile{stick: s, cand: c, ours: strings.EqualFold(fileSerial, serial)})
		}
	}
	sort.SliceStable(files, func(i, j int) bool {
		if files[i].ours != files[j].ours {
			return files[i].ours
		}
		return files[i].cand.ModTime.After(files[j].cand.ModTime)
	})
	return files, problems
}

// stickName is how a stick is named on screen: its label, else its name.
func stickName(s usb.Stick) string {
	if s.Label != "" {
		return usb.DisplaySafe(s.Label)
	}
	return usb.DisplaySafe(s.Name)
}
