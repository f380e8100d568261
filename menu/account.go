package menu

import (
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

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
	j := m.core.Journey()
	again := func() { m.showAccountMode("", setup) }
	list := m.list()
	for _, st := range j.Methods {
		// Set up or not, in words and in two colours apart.
		stateRole := roleStateMissing
		if st.SetUp {
			stateRole = roleStateReady
		}
		method := st.Method
		list.add(m.tr.Setting(method), m.tr.SetUpWords(st), roleItem, stateRole, func() { m.openSetting(method, again) })
	}
	if setup {
		list.item(m.tr.T(texts.Finish), "", func() { m.finishSetup() })
	} else {
		list.item(m.tr.T(texts.ChangePassword), "", func() { m.showChangePassword(again) })
		list.item(m.tr.T(texts.Logout), "", func() { m.showStart() })
	}
	intro := m.tr.T(texts.AccountIntro)
	title := texts.TitleAccount
	name := "account"
	if setup {
		intro = m.tr.T(texts.SetupIntro)
		title = texts.TitleSetup
		name = "setup"
	}
	head := m.text(intro)
	if notice != "" {
		head.set(roleOK, notice).add(roleText, intro)
	}
	if web := m.webDoorText(); web != "" && !setup {
		head.add(roleText, web)
	}
	// Back from a sub-step, the item the owner chose stays selected.
	m.keepSelection(name, list.List, 0)
	m.hub = []texts.ID{title}
	if setup {
		m.hub = m.trail(title)
	}
	body := m.rows().auto(head).gap(1).fill(list, true)
	f := m.frame(title, body)
	f.back = false // "Esci" and "Fine" are items of the list
	m.show(name, f, list)
}

// openSetting opens the screen that sets up a recovery method.
func (m *Menu) openSetting(method recovery.Method, done func()) {
	switch method {
	case recovery.MethodGUID:
		m.showGUIDExport(done)
	case recovery.MethodQuestions:
		m.showSetQuestions(done)
	case recovery.MethodEmail:
		m.showSetEmail(done)
	}
}

// finishSetup ends activation, warning plainly when no method is set up.
func (m *Menu) finishSetup() {
	if m.core.Journey().AnySetUp() {
		m.logout()
		m.showLogin(m.tr.T(texts.Activated))
		return
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
	form := onDialog(m.form(func() { closeDialog(); cancel() }))
	pw.SetDoneFunc(doneOnEnter(submit))
	form.AddFormItem(pw).AddButton(m.tr.T(texts.Ok), submit).AddButton(m.tr.T(texts.Cancel), func() { closeDialog(); cancel() })
	intro := m.note(roleDialog, m.tr.T(texts.Reauth)).onBackground(roleDialog)
	content := m.rows().auto(intro).gap(1).sized(form, true)
	m.gen++
	m.pages.AddPage(pageDialog, m.dialogBox("", content, 66), true, true)
	m.app.SetFocus(pw)
}

// passwordFocus is the field to correct after the core refused a password
// change: the current password when that is what was wrong, else the new
// one.
func passwordFocus(err error) bool {
	var refused *pwpolicy.RefusedError
	return errors.As(err, &refused)
}

// showChangePassword asks for the current password and the new one twice.
// After a refusal the cursor is back in the field to correct, emptied.
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
			pair.clear()
			status.set(roleError, problem)
			m.focusField(form, pair.pw)
			return
		}
		status.set(roleText, "") // not left under the busy sign
		sess := m.session
		m.do(func() func() {
			err := sess.ChangePassword(cur, next)
			return func() {
				if err != nil {
					if errors.Is(err, recovery.ErrSessionEnded) {
						m.alert(m.errText(err), m.showStart)
						return
					}
					if passwordFocus(err) {
						pair.clear()
						m.focusField(form, pair.pw)
					} else {
						current.SetText("")
						m.focusField(form, current)
					}
					status.set(roleError, m.errText(err))
					return
				}
				m.log.Info("password changed")
				after, _ := sess.AfterReset()
				if !after.OfferGUIDExport {
					m.alert(m.tr.AfterReset(after), done)
					return
				}
				m.dialog(m.tr.AfterReset(after), []texts.ID{texts.ExportNow, texts.Later}, func(i int) {
					if i == 0 {
						m.showGUIDExport(done)
						return
					}
					done()
				})
			}
		})
	}
	m.clearOnEdit(status, current, pair.pw, pair.confirm)
	pair.confirm.SetDoneFunc(doneOnEnter(ok))
	form.AddButton(m.tr.T(texts.Ok), ok).AddButton(m.tr.T(texts.Cancel), done)
	body := m.rows().sized(form, true).gap(1).auto(pair.meter).gap(1).auto(status)
	m.show("change-password", m.frame(texts.ChangePassword, body), current)
}

// focusField puts the focus on the form's item f, so that the form's own
// idea of its focused element follows (Tab goes on from there), and keeps
// it there when called from a field's Enter (see field.SetFinishedFunc).
func (m *Menu) focusField(form *form, f tview.FormItem) {
	m.focusMoved = true
	for i := 0; i < form.GetFormItemCount(); i++ {
		if form.GetFormItem(i) == f {
			form.SetFocus(i)
		}
	}
	m.app.SetFocus(f)
}

// showSetQuestions picks three questions from the catalogue and answers
// them: three pairs, a blank row apart, each a drop-down (▼) over its
// answer; the answers hidden behind '*' with a box to show them. When
// questions are set up, the ones chosen then are preselected (never their
// answers, which the recorder does not keep). A refused answer is cleared
// from its field.
func (m *Menu) showSetQuestions(done func()) {
	status := m.text("")
	form := m.form(done).compact()
	catalogue := recovery.QuestionCatalogue()
	options := make([]string, len(catalogue))
	for i, id := range catalogue {
		options[i] = m.tr.Question(string(id))
	}
	setUp := m.core.Journey().Method(recovery.MethodQuestions).SetUp
	chosen := [3]int{0, 1, 2}
	if setUp {
		for i, id := range m.core.Status().QuestionIDs {
			if j := slices.Index(catalogue, id); j >= 0 {
				chosen[i] = j
			}
		}
	}
	var picks [3]*dropDown
	var answers [3]*field
	for i := range picks {
		picks[i] = m.dropDown(m.tr.F(texts.QuestionN, i+1), options, chosen[i])
		picks[i].SetFieldWidth(min(52, maxQuestionWidth(options)+3))
		answers[i] = m.newField(m.tr.F(texts.AnswerN, i+1), 40, recovery.AnswerMaxLength, true)
		form.AddFormItem(picks[i]).AddFormItem(answers[i]).AddFormItem(spacer())
	}
	form.AddFormItem(m.showAnswers(answers[:]...))
	save := func() {
		var qa [3]recovery.QuestionAnswer
		for i := range qa {
			opt, _ := picks[i].GetCurrentOption()
			if opt < 0 {
				opt = 0
			}
			qa[i] = recovery.QuestionAnswer{ID: catalogue[opt], Answer: answers[i].GetText()}
		}
		status.set(roleText, "")
		m.withReauth(func(s *recovery.Session) error { return s.SetSecurityQuestions(qa) }, func(err error) {
			if err != nil {
				// The refusal names the field to correct; a refused
				// answer is cleared.
				p := recovery.Explain(err)
				switch {
				case p.Answer >= 1 && p.Answer <= 3:
					answers[p.Answer-1].SetText("")
					m.focusField(form, answers[p.Answer-1])
				case p.Question >= 1 && p.Question <= 3:
					m.focusField(form, picks[p.Question-1])
				}
				status.set(roleError, m.errText(err))
				return
			}
			m.alert(m.tr.T(texts.QuestionsSaved), done)
		})
	}
	m.clearOnEdit(status, answers[:]...)
	answers[2].SetDoneFunc(doneOnEnter(save))
	form.AddButton(m.tr.T(texts.Ok), save).AddButton(m.tr.T(texts.Cancel), done)
	if setUp {
		form.AddButton(m.tr.T(texts.Remove), func() {
			status.set(roleText, "")
			m.withReauth(func(s *recovery.Session) error { return s.ClearSecurityQuestions() }, func(err error) {
				if err != nil {
					status.set(roleError, m.errText(err))
					return
				}
				done()
			})
		})
	}
	body := m.rows().auto(m.text(m.tr.T(texts.SetQuestionsIntro))).gap(1).sized(form, true).auto(status)
	m.show("set-questions", m.frame(texts.SetQuestions, body), form)
}

// maxQuestionWidth is the longest question's width.
func maxQuestionWidth(options []string) int {
	n := 0
	for _, o := range options {
		n = max(n, utf8.RuneCountInString(o))
	}
	return n
}

// showSetEmail sets (or removes) the reserved email address, typed twice:
// the owner cannot check it later (it is shown masked), so a typo must be
// caught now. Once saved it is shown whole, once.
func (m *Menu) showSetEmail(done func()) {
	email := m.core.Journey().Method(recovery.MethodEmail)
	status := m.text("")
	if !email.Offered {
		m.alert(m.tr.SetUpWords(email), done)
		return
	}
	form := m.form(done)
	addr := m.newField(m.tr.T(texts.EmailAddress), 40, 254, false)
	again := m.newField(m.tr.T(texts.EmailConfirm), 40, 254, false)
	form.AddFormItem(addr).AddFormItem(again)
	save := func() {
		a := addr.GetText()
		// The address's form is checked here first (the core checks it
		// again): the owner learns at once which part is wrong.
		if err := recovery.ValidateEmail(a); err != nil {
			status.set(roleError, m.errText(err))
			m.focusField(form, addr)
			return
		}
		if again.GetText() != a {
			again.SetText("")
			status.set(roleError, m.tr.T(texts.EmailMismatch))
			m.focusField(form, again)
			return
		}
		status.set(roleText, "") // not left under the busy sign
		m.withReauth(func(s *recovery.Session) error { return s.SetRecoveryEmail(a) }, func(err error) {
			if err != nil {
				status.set(roleError, m.errText(err))
				m.focusField(form, addr)
				return
			}
			m.alert(m.tr.F(texts.EmailSaved, a), done)
		})
	}
	m.clearOnEdit(status, addr, again)
	again.SetDoneFunc(doneOnEnter(save))
	form.AddButton(m.tr.T(texts.Ok), save).AddButton(m.tr.T(texts.Cancel), done)
	if email.SetUp {
		form.AddButton(m.tr.T(texts.Remove), func() {
			status.set(roleText, "")
			m.withReauth(func(s *recovery.Session) error { return s.ClearRecoveryEmail() }, func(err error) {
				if err != nil {
					status.set(roleError, m.errText(err))
					return
				}
				done()
			})
		})
	}
	intro := m.text(m.tr.T(texts.SetEmailIntro))
	if email.MaskedEmail != "" {
		intro.add(roleText, m.tr.F(texts.EmailCurrent, email.MaskedEmail))
	}
	body := m.rows().auto(intro).gap(1).sized(form, true).gap(1).auto(status)
	m.show("set-email", m.frame(texts.SetEmail, body), addr)
}

// webDoorText is what the console says of the web page while its door is
// on: the recorder's addresses and the SHA-256 fingerprint of the door's
// certificate, which the installer's tool and the browser show too, to be
// compared before anything is sent; "" with the door off.
func (m *Menu) webDoorText() string {
	fp := m.opts.CertFingerprint
	if fp.IsZero() {
		return ""
	}
	var lines []string
	if len(m.opts.Addresses) > 0 {
		lines = append(lines, m.tr.F(texts.WebDoorAddresses, strings.Join(m.opts.Addresses, ", ")))
	}
	// 95 characters: two lines of 16 pairs fit an 80-column console.
	a, b := fp.Halves()
	lines = append(lines, m.tr.F(texts.WebCertFingerprint, "\n"+a+"\n"+b))
	return strings.Join(lines, "\n")
}
