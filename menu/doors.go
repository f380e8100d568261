package menu

import (
	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// watchCore turns the core's events into the screen's reaction, on the UI
// goroutine: a change made through another door (the web page, the
// installer's tool) is never left unseen at the recorder.
func (m *Menu) watchCore(sub *recovery.Subscription) {
	defer sub.Close()
	for {
		select {
		case _, ok := <-sub.Ready():
			if !ok {
				return
			}
			evs, dropped := sub.Events()
			m.post(func() { m.onCoreEvents(evs, dropped) })
		case <-m.ctx.Done():
			return
		}
	}
}

// onCoreEvents reacts to what the core says changed. The console's own
// changes are already on screen: only another door's count here.
func (m *Menu) onCoreEvents(evs []recovery.Event, dropped bool) {
	elsewhere := dropped
	for _, e := range evs {
		if e.Caller.Class == recovery.ClassConsole {
			continue
		}
		elsewhere = true
		switch e.Kind {
		case recovery.EventPasswordChanged:
			// Every session has ended; whatever the owner was doing here
			// (an account screen, a reset half done) is over. Say why.
			m.log.Info("password changed through another door: back to the login screen", "door", e.Caller.Door)
			m.logout()
			m.showLogin(m.byDoor(texts.PasswordChangedByWeb, texts.PasswordChangedByAPI, e.Caller))
			return
		case recovery.EventActivated:
			m.log.Info("device activated through another door", "door", e.Caller.Door)
			m.showLogin(m.byDoor(texts.ActivatedByWeb, texts.ActivatedByAPI, e.Caller))
			return
		}
	}
	if !elsewhere {
		return
	}
	// A method set up, cleared or expired elsewhere: the screens that show
	// the methods' states show them again, unless the owner is in the
	// middle of something there (a dialog, the keyboard, work running).
	for _, overlay := range []string{pageDialog, pageKeyboard, pageBusy} {
		if m.pages.HasPage(overlay) {
			return
		}
	}
	switch m.screenName {
	case "account":
		m.showAccount("")
	case "setup":
		m.showAccountMode("", true)
	case "forgot":
		m.showForgot()
	}
}

// setBy says who set the password when it was not the console: a web
// activation or reset happens in the open, and the recorder's screen says
// so until the password is set again here.
func (m *Menu) setBy(st recovery.Status) string {
	var web, api texts.ID = texts.PasswordSetByWeb, texts.PasswordSetByAPI
	switch st.PasswordBy {
	case "web", "api":
		addr := st.PasswordFrom
		if addr == "" {
			addr = "?"
		}
		id := web
		if st.PasswordBy == "api" {
			id = api
		}
		return m.tr.F(id, addr)
	}
	return ""
}

// byDoor words a change made through the web page (web) or the installer's
// tool (api), with the client's address.
func (m *Menu) byDoor(web, api texts.ID, c recovery.Caller) string {
	id := web
	if c.Door == "api" {
		id = api
	}
	addr := "?"
	if c.Addr.IsValid() {
		addr = c.Addr.String()
	}
	return m.tr.F(id, addr)
}
