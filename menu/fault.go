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
)

// showFault is the one screen of a menu that cannot run: what happened,
// that nothing was changed, and who can fix it. It takes no input.
func (m *Menu) showFault() {
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(m.tr.T(texts.FaultState)), 0, 1, false)
	if m.opts.FaultDetail != "" {
		body.AddItem(m.text(m.tr.F(texts.FaultDetail, m.opts.FaultDetail)), 0, 1, false)
	}
	m.show("fault", m.frame(texts.TitleFault, body), nil)
}
