package menu

import (
	"errors"

	"github.com/rivo/tview"

	"nvrmenu/internal/pwpolicy"
	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// showAccount is the logged-in admin's screen: change the password and set
// up each recovery method, with the state of each at a glance. During
// activation (setup true) it is the recovery setup step, with "Fine" instead
// of "Esci" and a plain warning when no method is set up.
func (m *Menu) showAccount(notice string) { m.showAccountMode(notice, false) }

func (m *Menu) showAccountMode(notice string, setup bool) {
	if m.session == nil || !m.session.Active() {
		m.showStart()
		return
	}
	st := m.core.Status()
	again := func() { m.showAccountMode("", setup) }
	list := m.list()
	item := func(label texts.ID, method recovery.Method, open func()) {
		state := ""
		if method != "" {
			state = m.methodState(st, method)
		}
		list.AddItem(m.tr.T(label), state, 0, open)
	}
	item(texts.SetGUID, recovery.MethodGUID, func() { m.showGUIDExport(again) })
	item(texts.SetQuestions, recovery.MethodQuestions, func() { m.showSetQuestions(again) })
	item(texts.SetEmail, recovery.MethodEmail, func() { m.showSetEmail(again) })
	if setup {
		list.AddItem(m.tr.T(texts.Finish), "", 0, func() { m.finishSetup() })
	} else {
		list.AddItem(m.tr.T(texts.ChangePassword), "", 0, func() { m.showChangePassword(again) })
		list.AddItem(m.tr.T(texts.Logout), "", 0, func() { m.showStart() })
	}
	intro := m.tr.T(texts.AccountIntro)
	title := texts.TitleAccount
	if setup {
		intro = m.tr.T(texts.SetupIntro)
		title = texts.TitleSetup
	}
	if notice != "" {
		intro = notice + "\n" + intro
	}
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(intro), 4, 0, false).
		AddItem(list, 0, 1, true)
	name := "account"
	if setup {
		name = "setup"
	}
	m.show(name, m.frame(title, body), list)
}

// methodState is a method's state in words, for the account screen.
func (m *Menu) methodState(st recovery.Status, method recovery.Method) string {
	switch st.Methods[method] {
	case recovery.MethodReady:
		if method == recovery.MethodEmail && st.MaskedEmail != "" {
			return m.tr.F(texts.StateSetUpEmail, st.MaskedEmail)
		}
		return m.tr.T(texts.StateSetUp)
	case recovery.MethodExpired:
		return m.tr.T(texts.StateExpired)
	case recovery.MethodUnavailable:
		return m.tr.T(texts.MethodUnavailable)
	}
	return m.tr.T(texts.StateNotSetUp)
}

// finishSetup ends activation, warning plainly when no method is set up.
func (m *Menu) finishSetup() {
	st := m.core.Status()
	for _, method := range []recovery.Method{recovery.MethodGUID, recovery.MethodQuestions, recovery.MethodEmail} {
		if st.Methods[method] == recovery.MethodReady {
			m.logout()
			m.showLogin(m.tr.T(texts.Activated))
			return
		}
	}
	m.dialog(m.tr.T(texts.NoMethodWarning), []texts.ID{texts.SetUpNow, texts.ContinueAnyway}, func(i int) {
		if i == 1 {
			m.log.Warn("activation finished with no recovery method")
			m.logout()
			m.showLogin(m.tr.T(texts.Activated))
			return
		}
		m.showAccountMode("", true)
	})
}

// withReauth runs op with the session off the UI goroutine; when the core
// wants the password typed again first, it asks for it, checks it and runs
// op once more. done gets op's final error on the UI goroutine.
func (m *Menu) withReauth(op func(*recovery.Session) error, done func(error)) {
	sess := m.session
	if sess == nil {
		done(recovery.ErrSessionEnded)
		return
	}
	m.do(func() func() {
		err := op(sess)
		return func() {
			if !errors.Is(err, recovery.ErrReauthRequired) {
				done(err)
				return
			}
			m.askPassword(func(pw string) {
				m.do(func() func() {
					err := sess.Reauthenticate(pw)
					if err == nil {
						err = op(sess)
					}
					return func() { done(err) }
				})
			}, func() { done(errCancelled) })
		}
	})
}

// errCancelled is an operation the owner called off; it shows nothing.
var errCancelled = errors.New("cancelled by the owner")

// askPassword asks for the admin password again, over the screen.
func (m *Menu) askPassword(ok func(string), cancel func()) {
	prev := m.app.GetFocus()
	pw := m.newField(m.tr.T(texts.Password), 20, pwpolicy.MaxLengthLimit, true)
	closeDialog := func() {
		m.pages.RemovePage(pageDialog)
		if prev != nil {
			m.app.SetFocus(prev)
		}
	}
	submit := func() { p := pw.GetText(); closeDialog(); ok(p) }
	form := m.form(func() { closeDialog(); cancel() })
	pw.SetDoneFunc(doneOnEnter(submit))
	form.AddFormItem(pw).AddButton(m.tr.T(texts.Ok), submit).AddButton(m.tr.T(texts.Cancel), func() { closeDialog(); cancel() })
	intro := m.text(m.tr.T(texts.Reauth))
	box := tview.NewFlex().SetDirection(tview.FlexRow).AddItem(intro, 3, 0, false).AddItem(form, 0, 1, true)
	box.SetBorder(true).SetBackgroundColor(colourDialog)
	box.SetBorderColor(colourDialogText)
	intro.SetBackgroundColor(colourDialog)
	intro.SetTextColor(colourDialogText)
	form.SetBackgroundColor(colourDialog)
	form.SetLabelColor(colourDialogText)
	m.gen++
	m.pages.AddPage(pageDialog, centred(box, 60, 8), true, true)
	m.app.SetFocus(pw)
}

// showChangePassword asks for the current password and the new one twice.
func (m *Menu) showChangePassword(done func()) {
	status := m.text("")
	form := m.form(done)
	current := m.newField(m.tr.T(texts.CurrentPassword), 20, pwpolicy.MaxLengthLimit, true)
	form.AddFormItem(current)
	pair := m.newPasswordPair(form)
	ok := func() {
		cur := current.GetText()
		next, problem := pair.check(m)
		if problem != "" {
			status.SetText(problem).SetTextColor(colourError)
			return
		}
		sess := m.session
		m.do(func() func() {
			err := sess.ChangePassword(cur, next)
			return func() {
				if err != nil {
					current.SetText("")
					pair.clear()
					status.SetText(m.errText(err)).SetTextColor(colourError)
					if errors.Is(err, recovery.ErrSessionEnded) {
						m.alert(m.errText(err), m.showStart)
					}
					return
				}
				m.log.Info("password changed")
				if m.core.Status().Methods[recovery.MethodGUID] != recovery.MethodExpired {
					m.alert(m.tr.T(texts.PasswordChanged), done)
					return
				}
				m.dialog(m.tr.T(texts.PasswordChanged)+"\n\n"+m.tr.T(texts.GUIDExpiredOffer), []texts.ID{texts.ExportNow, texts.Later}, func(i int) {
					if i == 0 {
						m.showGUIDExport(done)
						return
					}
					done()
				})
			}
		})
	}
	pair.confirm.SetDoneFunc(doneOnEnter(ok))
	form.AddButton(m.tr.T(texts.Ok), ok).AddButton(m.tr.T(texts.Cancel), done)
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(form, 5, 0, true).
		AddItem(pair.meter, 3, 0, false).
		AddItem(status, 0, 1, false)
	m.show("change-password", m.frame(texts.ChangePassword, body), current)
}

// showSetQuestions picks three questions from the catalogue and answers them.
func (m *Menu) showSetQuestions(done func()) {
	status := m.text("")
	form := m.form(done)
	catalogue := recovery.QuestionCatalogue()
	options := make([]string, len(catalogue))
	for i, id := range catalogue {
		options[i] = m.tr.Question(string(id))
	}
	var picks [3]*tview.DropDown
	var answers [3]*field
	for i := range picks {
		picks[i] = tview.NewDropDown().SetLabel(m.tr.F(texts.QuestionN, i+1)+" ").
			SetOptions(options, nil).SetCurrentOption(i).SetFieldWidth(50)
		picks[i].SetListStyles(styleOf(colourText, colourField), styleOf(colourButtonText, colourButton))
		answers[i] = m.newField(m.tr.F(texts.AnswerN, i+1), 40, recovery.AnswerMaxLength, false)
		form.AddFormItem(picks[i]).AddFormItem(answers[i])
	}
	save := func() {
		var qa [3]recovery.QuestionAnswer
		for i := range qa {
			opt, _ := picks[i].GetCurrentOption()
			if opt < 0 {
				opt = 0
			}
			qa[i] = recovery.QuestionAnswer{ID: catalogue[opt], Answer: answers[i].GetText()}
		}
		m.withReauth(func(s *recovery.Session) error { return s.SetSecurityQuestions(qa) }, func(err error) {
			if err != nil {
				status.SetText(m.errText(err)).SetTextColor(colourError)
				return
			}
			m.alert(m.tr.T(texts.QuestionsSaved), done)
		})
	}
	form.AddButton(m.tr.T(texts.Ok), save).AddButton(m.tr.T(texts.Cancel), done)
	if m.core.Status().Methods[recovery.MethodQuestions] == recovery.MethodReady {
		form.AddButton(m.tr.T(texts.Remove), func() {
			m.withReauth(func(s *recovery.Session) error { return s.ClearSecurityQuestions() }, func(err error) {
				if err != nil {
					status.SetText(m.errText(err)).SetTextColor(colourError)
					return
				}
				done()
			})
		})
	}
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(m.tr.T(texts.SetQuestionsIntro)), 2, 0, false).
		AddItem(form, 8, 0, true).
		AddItem(status, 0, 1, false)
	m.show("set-questions", m.frame(texts.SetQuestions, body), form)
}

// showSetEmail sets (or removes) the reserved email address.
func (m *Menu) showSetEmail(done func()) {
	st := m.core.Status()
	status := m.text("")
	if st.Methods[recovery.MethodEmail] == recovery.MethodUnavailable {
		m.alert(m.tr.T(texts.MethodUnavailable), done)
		return
	}
	form := m.form(done)
	addr := m.newField(m.tr.T(texts.EmailAddress), 40, 254, false)
	form.AddFormItem(addr)
	save := func() {
		a := addr.GetText()
		m.withReauth(func(s *recovery.Session) error { return s.SetRecoveryEmail(a) }, func(err error) {
			if err != nil {
				status.SetText(m.errText(err)).SetTextColor(colourError)
				return
			}
			m.alert(m.tr.F(texts.EmailSaved, a), done)
		})
	}
	addr.SetDoneFunc(doneOnEnter(save))
	form.AddButton(m.tr.T(texts.Ok), save).AddButton(m.tr.T(texts.Cancel), done)
	if st.Methods[recovery.MethodEmail] == recovery.MethodReady {
		form.AddButton(m.tr.T(texts.Remove), func() {
			m.withReauth(func(s *recovery.Session) error { return s.ClearRecoveryEmail() }, func(err error) {
				if err != nil {
					status.SetText(m.errText(err)).SetTextColor(colourError)
					return
				}
				done()
			})
		})
	}
	intro := m.tr.T(texts.SetEmailIntro)
	if st.MaskedEmail != "" {
		intro += "\n" + m.tr.F(texts.EmailCurrent, st.MaskedEmail)
	}
	body := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(m.text(intro), 3, 0, false).
		AddItem(form, 3, 0, true).
		AddItem(status, 0, 1, false)
	m.show("set-email", m.frame(texts.SetEmail, body), addr)
}
