package recovery

import (
	"nvrmenu/internal/mailaddr"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// Journey is where the owner stands, as this door's class sees it: the
// recovery methods in the order every door lists them, each offered, set
// up, usable now or not and why, in the catalogue's codes. Every door
// shows this and decides nothing itself. It never waits, so it is safe to
// call from a UI goroutine.
func (d *Door) Journey() journey.Journey {
	j := d.c.JourneyOf(d.caller.Class)
	if !j.Activated {
		if err := d.activationRefused(); err != nil {
			p := Explain(err)
			j.ActivationRefused = &p
		} else {
			j.ActivationAllowed = true
		}
	}
	return j
}

// JourneyOf is the journey as the doors of class see it, for a part of the
// daemon that is not a door itself (the SADP responder answers what the
// network doors would say). ActivationAllowed is left false. It never
// waits.
func (c *Core) JourneyOf(class Class) journey.Journey {
	st := c.snap.Load()
	now := c.tick()
	ds := st.doorOf(class)
	j := journey.Journey{Activated: st.Admin != nil}
	if le := ds.lockedFor(MethodLogin, now, c.opts.Lockout); le != nil && j.Activated {
		p := Explain(le)
		j.LoginRefused = &p
	}
	for _, m := range journey.Recovery {
		s := journey.Status{Method: m, Offered: c.offered(m)}
		switch m {
		case MethodGUID:
			s.SetUp = st.GUID != nil
			s.Expired = st.GUID == nil && len(st.OldGUIDs) > 0
		case MethodQuestions:
			s.SetUp = st.Questions != nil
		case MethodEmail:
			s.SetUp = st.Email != nil
			if s.SetUp {
				s.MaskedEmail = mailaddr.Mask(st.Email.Address)
			}
			if ch := st.Challenges[class]; ch != nil {
				s.ChallengePending = !c.challengeDead(ch)
			}
			s.QROpens = c.opts.AppURL != ""
		}
		why := texts.Problem{}
		switch {
		case !j.Activated:
			why.Code = texts.CodeNotActivated
		case !s.Offered:
			why.Code = texts.CodeUnavailable
		case s.Expired:
			why.Code = texts.CodeGUIDExpired
		case !s.SetUp:
			why.Code = texts.CodeNotSetUp
		default:
			if le := ds.lockedFor(m, now, c.opts.Lockout); le != nil {
				why = Explain(le)
			}
		}
		if why.Code != "" {
			s.Why = &why
		}
		s.Usable = s.Why == nil
		j.Methods = append(j.Methods, s)
	}
	return j
}

// offered reports whether the device offers method m: it is not turned off
// in the configuration, and the e-mail method has a vendor key.
func (c *Core) offered(m Method) bool {
	return !c.opts.Disabled[m] && (m != MethodEmail || c.opts.VendorKey != nil)
}

// afterChange is what setting a new password now changes, by the proof m
// (empty for a change of the password in a session): every password change
// expires the GUID file, and a fresh one is offered when there was one.
// The caller holds c.mu.
func (c *Core) afterChange(m Method) journey.AfterReset {
	a := journey.AfterReset{Method: m, GUIDExpired: c.st.GUID != nil}
	a.OfferGUIDExport = c.offered(MethodGUID) && (a.GUIDExpired || len(c.st.OldGUIDs) > 0)
	return a
}
