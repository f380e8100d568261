package menu

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/recovery"
	"nvrmenu/texts"
	"nvrmenu/usb"
)

// guidFile is one GUID file found on a stick, as the import list shows it.
type guidFile struct {
	stick usb.Stick
	cand  usb.Candidate
	ours  bool                   // named after this device
	state recovery.GUIDFileState // what the core says of it
}

// listTimeout bounds one refresh of the GUID list across all sticks; the
// watcher bounds each stick at 3 s.
const listTimeout = 10 * time.Second

// showGUIDImport is "Verifica mediante GUID": the GUID files on the plugged
// sticks, this device's first, updated as sticks come and go; select one and
// "Importa". Tab goes from the list to the buttons and back; with no file
// listed the focus is on the buttons, so it is always somewhere visible.
func (m *Menu) showGUIDImport() {
	list := m.list()
	status := m.text("")
	var files []guidFile
	var shown []guidFile // what the list shows, item by item
	var problems []string
	generation := 0 // drops listings that a newer refresh overtook

	var form *form
	listed := false // files were listed once: the focus went to them
	say := func() {
		switch {
		case len(m.sticks) == 0:
			status.set(roleNotice, m.tr.T(texts.NoStick))
		case len(shown) == 0:
			status.set(roleNotice, m.tr.T(texts.GUIDNoFiles))
		default:
			status.set(roleText, m.tr.T(texts.GUIDChoose))
		}
		for _, p := range problems {
			status.add(roleError, p)
		}
	}
	importSel := func() {
		i := list.GetCurrentItem()
		if i < 0 || i >= len(shown) {
			// Nothing to import: say again why (no stick, no file).
			say()
			if len(m.sticks) > 0 && len(shown) > 0 {
				status.set(roleError, m.tr.T(texts.GUIDPickFile))
			}
			return
		}
		f := shown[i]
		if f.cand.TooLarge {
			status.set(roleError, m.tr.T(texts.GUIDNotAGUIDFile))
			return
		}
		data := f.cand.Data()
		say() // the last refusal is not left under the busy sign
		m.do(func() func() {
			ticket, err := m.core.VerifyGUIDFile(data)
			return func() {
				if err != nil {
					status.set(roleError, m.errText(err))
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
		if len(m.sticks) == 0 {
			shown = nil
		}
		list.clear()
		for _, f := range shown {
			label := m.sub(f.cand.DisplayName)
			mainRole, secondRole := roleItem, roleSecondary
			switch {
			case !f.ours:
				label += "  " + m.tr.T(texts.GUIDOtherDevice)
			case f.state.Current:
				label += "  " + m.tr.T(texts.GUIDCurrent)
				secondRole = roleStateReady
			case !f.state.Expired.IsZero():
				label += "  " + m.tr.F(texts.GUIDExpiredOn, m.tr.c.Date(f.state.Expired))
				mainRole = roleDisabled
			}
			list.add(label, m.tr.F(texts.OnStick, stickName(f.stick)), mainRole, secondRole, nil)
		}
		for i, f := range shown {
			if chosen != nil && f.stick.ID == chosen.stick.ID && f.cand.RelPath == chosen.cand.RelPath {
				list.SetCurrentItem(i)
			}
		}
		say()
		switch {
		case len(shown) == 0 && list.HasFocus():
			form.SetFocus(0)
			m.app.SetFocus(form)
		case len(shown) > 0 && !listed:
			// The first files listed: the focus goes to them, unless the
			// owner has moved it from "Importa" meanwhile.
			listed = true
			if form.GetButton(0).HasFocus() {
				m.app.SetFocus(list)
			}
		}
	}
	refresh := func() {
		generation++
		gen := generation
		sticks := append([]usb.Stick(nil), m.sticks...)
		if len(sticks) == 0 {
			files, problems = nil, nil
			draw()
			return
		}
		status.set(roleNotice, m.tr.T(texts.ReadingSticks))
		// Not behind the busy overlay: the owner may go back meanwhile,
		// and a stick yanked during the listing only ends this listing.
		m.goSafe(func() {
			found, trouble := m.listGUIDFiles(sticks)
			m.post(func() {
				if gen != generation {
					return
				}
				files, problems = found, trouble
				draw()
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
	form = m.buttonBar(back).
		AddButton(m.tr.T(texts.Import), importSel).
		AddButton(m.tr.T(texts.Back), back)
	m.chain(list, form)
	body := m.rows().auto(m.text(m.tr.T(texts.GUIDIntro))).gap(1).
		fill(list, true).gap(1).auto(status).sized(form, false)
	// The focus starts on the buttons, where it shows; the first files
	// listed take it (draw).
	m.show("guid", m.frame(texts.MethodGUID, body), form)
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
			m.log.Info("stick listing failed", "stick", s.Name, "err", err, "found", len(l.Candidates))
			switch {
			case errors.Is(err, usb.ErrStickGone):
				continue
			case len(l.Candidates) > 0:
				// A listing cut short (too many files, too slow) still
				// shows what it found: a GUID file at the root comes
				// first and must not be hidden by the files after it.
				problems = append(problems, m.tr.F(texts.StickPartial, stickName(s), m.errText(err)))
			default:
				problems = append(problems, stickName(s)+": "+m.errText(err))
				continue
			}
		}
		for _, c := range l.Candidates {
			name := c.RelPath
			if i := strings.LastIndexByte(name, '/'); i >= 0 {
				name = name[i+1:]
			}
			fileSerial, _ := recovery.GUIDFileSerial(name)
			f := guidFile{stick: s, cand: c, ours: strings.EqualFold(fileSerial, serial)}
			if f.ours && !c.TooLarge {
				f.state = m.core.GUIDFileState(c.Data())
			}
			files = append(files, f)
		}
	}
	// This device's first, the current file at the top, the expired ones
	// last of them; newest first within each.
	rank := func(f guidFile) int {
		switch {
		case !f.ours:
			return 3
		case f.state.Current:
			return 0
		case !f.state.Expired.IsZero():
			return 2
		}
		return 1
	}
	sort.SliceStable(files, func(i, j int) bool {
		if ri, rj := rank(files[i]), rank(files[j]); ri != rj {
			return ri < rj
		}
		return files[i].cand.ModTime.After(files[j].cand.ModTime)
	})
	return files, problems
}

// stickName is how a stick is named on screen: its label, else its vendor
// and model, else its device's name (the watcher's Name).
func stickName(s usb.Stick) string {
	if s.Label != "" {
		return usb.DisplaySafe(s.Label)
	}
	return usb.DisplaySafe(s.Name)
}

// stickDetails tells two sticks apart beside their names: the vendor and
// model when the name is the label, and the size.
func (m *Menu) stickDetails(s usb.Stick) string {
	var parts []string
	if s.Label != "" {
		if vm := strings.TrimSpace(s.Vendor + " " + s.Model); vm != "" {
			parts = append(parts, usb.DisplaySafe(vm))
		}
	}
	if s.Size > 0 {
		parts = append(parts, m.size(s.Size))
	}
	return m.sub(strings.Join(parts, " · "))
}

// size is a stick's size as its box says it: decimal gigabytes (one
// decimal below ten), or megabytes.
func (m *Menu) size(n uint64) string {
	var num string
	id := texts.SizeGB
	switch {
	case n >= 10e9:
		num = strconv.FormatFloat(float64(n)/1e9, 'f', 0, 64)
	case n >= 1e9:
		num = strconv.FormatFloat(float64(n)/1e9, 'f', 1, 64)
	default:
		id = texts.SizeMB
		num = strconv.FormatFloat(float64(n)/1e6, 'f', 0, 64)
	}
	if m.tr.Lang() == "it" {
		num = strings.ReplaceAll(num, ".", ",")
	}
	return m.tr.F(id, num)
}
