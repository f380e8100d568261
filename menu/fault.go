package menu

import (
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
	body := m.rows().auto(m.text(m.tr.T(texts.FaultState)))
	if m.opts.FaultDetail != "" {
		body.gap(1).auto(m.text(m.tr.F(texts.FaultDetail, m.opts.FaultDetail)))
	}
	m.show("fault", m.frame(texts.TitleFault, body), nil)
}
