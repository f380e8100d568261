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
	// FaultLocked: another daemon holds the state directory; this one
	// waits for it to exit and changes nothing meanwhile.
	FaultLocked
	// FaultStateDir: the state directory is missing or unusable (storage
	// not mounted, a recorder set up for the first time): FaultDetail is
	// what is wrong, FaultFix the command that fixes it. The daemon waits
	// for it to be fixed.
	FaultStateDir
)

// showFault is the one screen of a menu that cannot run: what happened,
// that nothing was changed, and who can fix it. It takes no input.
func (m *Menu) showFault() {
	var body *stack
	switch m.opts.Fault {
	case FaultStateDir:
		body = m.rows().auto(m.text(m.tr.T(texts.FaultStateDir)))
		body.gap(1).auto(m.text(m.tr.F(texts.FaultFolder, m.opts.FaultDetail)))
		if m.opts.FaultFix != "" {
			body.gap(1).auto(m.text(m.tr.F(texts.FaultFix, m.opts.FaultFix)))
		}
	case FaultLocked:
		body = m.rows().auto(m.text(m.tr.T(texts.FaultLocked)))
		if h := m.opts.FaultHolder; h.PID > 0 {
			tty := h.TTY
			if tty == "" {
				tty = "?"
			}
			body.gap(1).auto(m.text(m.tr.F(texts.FaultHolder, h.PID, tty)))
		}
	default:
		body = m.rows().auto(m.text(m.tr.T(texts.FaultState)))
		if m.opts.FaultDetail != "" {
			body.gap(1).auto(m.text(m.tr.F(texts.FaultDetail, m.opts.FaultDetail)))
		}
		if m.opts.FaultPrev != "" {
			body.gap(1).auto(m.text(m.tr.F(texts.FaultPrev, m.opts.FaultPrev)))
		}
	}
	m.show("fault", m.frame(texts.TitleFault, body), nil)
}
