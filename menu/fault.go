package menu

import (
	"github.com/rivo/tview"

	"nvrmenu/texts"
)

// Fault is a reason the menu cannot be offered at all.
type Fault int

const (
	NoFault Fault = iota
	// FaultState: the recovery state (password hash, recovery methods)
	// cannot be read. Nothing can be checked, so nothing is offered; the
	// file is left as it is for the installer.
	FaultState
	// FaultLocked: another daemon holds the state directory; this one
	// waits for it to exit and changes nothing meanwhile.
	FaultLocked
)

// showFault is the one screen of a menu that cannot run: what happened,
// that nothing was changed, and who can fix it. It takes no input.
func (m *Menu) showFault() {
	body := tview.NewFlex().SetDirection(tview.FlexRow)
	switch m.opts.Fault {
	case FaultLocked:
		body.AddItem(m.text(m.tr.T(texts.FaultLocked)), 0, 1, false)
		if h := m.opts.FaultHolder; h.PID > 0 {
			tty := h.TTY
			if tty == "" {
				tty = "?"
			}
			body.AddItem(m.text(m.tr.F(texts.FaultHolder, h.PID, tty)), 0, 1, false)
		}
	default:
		body.AddItem(m.text(m.tr.T(texts.FaultState)), 0, 1, false)
		if m.opts.FaultDetail != "" {
			body.AddItem(m.text(m.tr.F(texts.FaultDetail, m.opts.FaultDetail)), 0, 1, false)
		}
		if m.opts.FaultPrev != "" {
			body.AddItem(m.text(m.tr.F(texts.FaultPrev, m.opts.FaultPrev)), 0, 1, false)
		}
	}
	m.show("fault", m.frame(texts.TitleFault, body), nil)
}
