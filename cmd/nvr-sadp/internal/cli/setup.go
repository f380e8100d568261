package cli

import (
	"io"
	"strconv"
	"strings"

	"nvrmenu/apitype"
	"nvrmenu/cmd/nvr-sadp/internal/recorder"
	"nvrmenu/internal/termsafe"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// setup is `nvr-sadp setup DEVICE`: after a login, the security questions
// and the reserved e-mail; at the terminal, each is offered in turn, and
// a GUID export after them.
func (t *tool) setup(args []string, stdin io.Reader) int {
	fl := t.flags()
	questions := fl.String("questions", "", t.cat.F(texts.SadpFlagQuestions, strings.Join(journey.QuestionIDs, ", ")))
	email := fl.String("email", "", fl.text(texts.SadpFlagEmail))
	guidOut := fl.String("guid-out", "", fl.text(texts.SadpFlagGUIDOutSetup))
	force := fl.Bool("f", false, fl.text(texts.SadpFlagForceSetup))
	var answersFile string
	fl.StringVar(&t.passwordFile, "password-file", "", fl.text(texts.SadpFlagAdminPasswordFile))
	fl.StringVar(&answersFile, "answers-file", "", fl.text(texts.SadpFlagAnswersFileSetup))
	if code, ok := t.parse(fl, args, stdin, map[string]*string{valuePassword: &t.passwordFile, valueAnswers: &answersFile}); !ok {
		return code
	}
	var ids []string
	if *questions != "" {
		for _, id := range strings.Split(*questions, ",") {
			ids = append(ids, strings.TrimSpace(id))
		}
		if len(ids) != 3 {
			fl.fail(t.stderr, t.cat.T(texts.SadpBadQuestions))
			return exitUsage
		}
	}
	if !t.in.interactive() && ids == nil && *email == "" && *guidOut == "" {
		fl.fail(t.stderr, t.cat.T(texts.SadpNothingToSet))
		return exitUsage
	}
	return t.asAdmin(func(api *recorder.Client, info *apitype.Device, pw string) int {
		return t.setUp(api, info, pw, ids, *email, *guidOut, answersFile, *force)
	})
}

// setUp is setup's work once logged in.
func (t *tool) setUp(api *recorder.Client, info *apitype.Device, pw string, ids []string, email, guidOut, answersFile string, force bool) int {
	c := t.cat
	t.say("%s", c.T(texts.SetupIntro))

	// The security questions.
	if ids == nil && t.in.interactive() {
		t.say("%s: %s", c.T(texts.SetQuestions), info.Journey.Method(journey.Questions).SetUpWords(c))
		if yes, err := t.in.yes(c, c.T(texts.SadpSetQuestionsNow)); err != nil {
			return t.report(err)
		} else if yes {
			if ids, err = t.pickQuestions(); err != nil {
				return t.report(err)
			}
		}
	}
	if ids != nil {
		var qa [3]apitype.QuestionAnswer
		t.say("%s", c.T(texts.SetQuestionsIntro))
		for i, id := range ids {
			t.say("%s: %s", c.F(texts.QuestionN, i+1), c.Question(id))
			a, err := t.confirmedSecret(valueAnswers, c.F(texts.AnswerN, i+1)+":")
			if err != nil {
				return t.report(err)
			}
			qa[i] = apitype.QuestionAnswer{ID: id, Answer: a}
		}
		if err := t.withReauth(api, pw, func() error { return api.SetQuestions(t.ctx, qa) }); err != nil {
			return t.report(err)
		}
		t.say("%s", c.T(texts.QuestionsSaved))
	}

	// The reserved e-mail, typed twice at the terminal.
	address := email
	if address == "" && t.in.interactive() {
		t.say("%s: %s", c.T(texts.SetEmail), info.Journey.Method(journey.Email).SetUpWords(c))
		if m := info.Journey.Method(journey.Email).MaskedEmail; m != "" {
			t.say("%s", c.F(texts.EmailCurrent, clean(m)))
		}
		t.say("%s", c.T(texts.SetEmailIntro))
		for {
			a, err := t.in.ask(valueEmail, c.T(texts.SadpEmailPrompt))
			if err != nil {
				return t.report(err)
			}
			if address = strings.TrimSpace(a); address == "" {
				break
			}
			b, err := t.in.ask(valueEmail, c.T(texts.WebEmailConfirm)+":")
			if err != nil {
				return t.report(err)
			}
			if strings.TrimSpace(b) == address {
				break
			}
			t.say("%s", c.T(texts.WebEmailMismatch))
		}
	}
	if address != "" {
		if err := t.withReauth(api, pw, func() error { return api.SetEmail(t.ctx, address) }); err != nil {
			return t.report(err)
		}
		t.say("%s", c.F(texts.EmailSaved, termsafe.String(address)))
	}

	// The GUID file.
	out := guidOut
	if out == "" && t.in.interactive() {
		t.say("%s: %s", c.T(texts.SetGUID), info.Journey.Method(journey.GUID).SetUpWords(c))
		yes, err := t.in.yes(c, c.T(texts.ExportNow)+"?")
		if err != nil {
			return t.report(err)
		}
		if !yes {
			return t.summary(api)
		}
	}
	if out != "" || t.in.interactive() {
		if code := t.exportGUID(api, pw, out, force); code != exitOK {
			return code
		}
	}
	return t.summary(api)
}

// summary prints each method's state after the changes.
func (t *tool) summary(api *recorder.Client) int {
	acc, err := api.Account(t.ctx)
	if err != nil {
		return t.report(err)
	}
	t.say("%s", t.cat.T(texts.AccountIntro))
	for _, st := range acc.Journey.Methods {
		t.say("  %s: %s", st.Method.Setting(t.cat), st.SetUpWords(t.cat))
	}
	return exitOK
}

// asAdmin opens the recorder DEVICE names, logs in as its admin, and runs
// do with the session; it logs out and closes after, whatever do returns.
func (t *tool) asAdmin(do func(api *recorder.Client, info *apitype.Device, password string) int) int {
	api, info, err := t.open()
	if err != nil {
		return t.report(err)
	}
	defer api.Close()
	pw, err := t.login(api, info)
	if err != nil {
		return t.report(err)
	}
	defer api.Logout(t.ctx)
	return do(api, info, pw)
}

// login asks for the admin password and logs in; it returns the password,
// kept for a reauthentication the recorder may ask for.
func (t *tool) login(api *recorder.Client, info *apitype.Device) (string, error) {
	if !info.Activated {
		return "", &recorder.ProblemError{Status: 409, Problem: texts.Problem{Code: texts.CodeNotActivated}}
	}
	if p := info.Journey.LoginRefused; p != nil {
		return "", &recorder.ProblemError{Status: 423, Problem: *p}
	}
	// At the terminal a wrong password is asked again while the recorder
	// says tries remain.
	var pw string
	ask := func() (err error) {
		pw, err = t.in.secret(valuePassword, t.cat.F(texts.SadpLoginPrompt, "admin"))
		return err
	}
	prove := func() (string, error) { return "", api.Login(t.ctx, pw) }
	if _, err := t.retryProof(valuePassword, ask, prove, texts.CodeWrongPassword); err != nil {
		return "", err
	}
	return pw, nil
}

// confirmedSecret reads a secret, and at the terminal reads it again until
// both agree.
func (t *tool) confirmedSecret(kind, prompt string) (string, error) {
	for {
		a, err := t.in.secret(kind, prompt)
		if err != nil || !t.in.interactive() {
			return a, err
		}
		b, err := t.in.secret(kind, t.cat.T(texts.SadpTypeAgain))
		if err != nil {
			return "", err
		}
		if a == b {
			return a, nil
		}
		t.say("%s", t.cat.T(texts.SadpAnswersDiffer))
	}
}

// pickQuestions asks for three different questions of the catalogue.
func (t *tool) pickQuestions() ([]string, error) {
	for i, id := range journey.QuestionIDs {
		t.say("  %2d. %s", i+1, t.cat.Question(id))
	}
	for {
		a, err := t.in.ask(valueQuestions, t.cat.T(texts.SadpPickQuestions))
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, f := range strings.FieldsFunc(a, func(r rune) bool { return r == ',' || r == ' ' }) {
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 || n > len(journey.QuestionIDs) {
				ids = nil
				break
			}
			ids = append(ids, journey.QuestionIDs[n-1])
		}
		if len(ids) != 3 {
			t.say("%s", t.cat.T(texts.ErrQuestionChoice))
			continue
		}
		// The recorder's own rule, before the answers are typed.
		p := journey.CheckQuestions([3]string(ids))
		if p == nil {
			return ids, nil
		}
		t.say("%s", t.cat.Problem(*p))
	}
}
