package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"nvrmenu/apitype"
	"nvrmenu/internal/atomicfile"
	"nvrmenu/internal/termsafe"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// setup is `nvr-sadp setup DEVICE`: after a login, the security questions
// and the reserved e-mail; at the terminal, each is offered in turn, and
// a GUID export after them.
func (t *tool) setup(args []string, stdin io.Reader) int {
	fl := flag.NewFlagSet("setup", flag.ContinueOnError)
	t.flags(fl)
	questions := fl.String("questions", "", "set these three security questions, comma-separated `ids` (see -list-questions); the answers from -answers-file, -stdin or the terminal")
	email := fl.String("email", "", "set the reserved e-mail `address`")
	guidOut := fl.String("guid-out", "", "also export a new GUID file to this `file` or directory")
	force := fl.Bool("f", false, "replace the file -guid-out names if it exists")
	var answersFile string
	fl.StringVar(&t.passwordFile, "password-file", "", "read the admin password from the first line of `file`")
	fl.StringVar(&answersFile, "answers-file", "", "read the three answers from the first three lines of `file`, in the order of -questions")
	if code, ok := t.parse(fl, args, stdin, map[string]*string{valuePassword: &t.passwordFile, valueAnswers: &answersFile}); !ok {
		return code
	}
	var ids []string
	if *questions != "" {
		for _, id := range strings.Split(*questions, ",") {
			ids = append(ids, strings.TrimSpace(id))
		}
		if len(ids) != 3 {
			fmt.Fprintln(t.stderr, "nvr-sadp setup: -questions: want three ids, comma-separated")
			return exitUsage
		}
	}
	if !t.in.interactive() && ids == nil && *email == "" && *guidOut == "" {
		fmt.Fprintln(t.stderr, "nvr-sadp setup: nothing to set: give -questions, -email or -guid-out (or run it at a terminal)")
		return exitUsage
	}
	api, info, err := t.open()
	if err != nil {
		return t.report(err)
	}
	defer api.close()
	pw, err := t.login(api, info)
	if err != nil {
		return t.report(err)
	}
	defer api.logout(t.ctx)
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
		if err := t.withReauth(api, pw, func() error { return api.setQuestions(t.ctx, qa) }); err != nil {
			return t.report(err)
		}
		t.say("%s", c.T(texts.QuestionsSaved))
	}

	// The reserved e-mail, typed twice at the terminal.
	address := *email
	if address == "" && t.in.interactive() {
		t.say("%s: %s", c.T(texts.SetEmail), info.Journey.Method(journey.Email).SetUpWords(c))
		if m := info.Journey.Method(journey.Email).MaskedEmail; m != "" {
			t.say("%s", c.F(texts.EmailCurrent, clean(m)))
		}
		t.say("%s", c.T(texts.SetEmailIntro))
		for {
			a, err := t.in.ask("e-mail", c.T(texts.SadpEmailPrompt))
			if err != nil {
				return t.report(err)
			}
			if address = strings.TrimSpace(a); address == "" {
				break
			}
			b, err := t.in.ask("e-mail", c.T(texts.WebEmailConfirm)+":")
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
		if err := t.withReauth(api, pw, func() error { return api.setEmail(t.ctx, address) }); err != nil {
			return t.report(err)
		}
		t.say("%s", c.F(texts.EmailSaved, termsafe.String(address)))
	}

	// The GUID file.
	out := *guidOut
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
		if code := t.exportGUID(api, pw, out, *force); code != exitOK {
			return code
		}
	}
	return t.summary(api)
}

// summary prints each method's state after the changes.
func (t *tool) summary(api *recorderAPI) int {
	acc, err := api.account(t.ctx)
	if err != nil {
		return t.report(err)
	}
	t.say("%s", t.cat.T(texts.AccountIntro))
	for _, st := range acc.Journey.Methods {
		t.say("  %s: %s", st.Method.Setting(t.cat), st.SetUpWords(t.cat))
	}
	return exitOK
}

// login asks for the admin password and logs in; it returns the password,
// kept for a reauthentication the recorder may ask for.
func (t *tool) login(api *recorderAPI, info *apitype.Device) (string, error) {
	if !info.Activated {
		return "", &problemError{Status: 409, Problem: texts.Problem{Code: texts.CodeNotActivated}}
	}
	if p := info.Journey.LoginRefused; p != nil {
		return "", &problemError{Status: 423, Problem: *p}
	}
	pw, err := t.in.secret(valuePassword, t.cat.F(texts.SadpLoginPrompt, "admin"))
	if err != nil {
		return "", err
	}
	if err := api.login(t.ctx, pw); err != nil {
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
		a, err := t.in.ask("questions", t.cat.T(texts.SadpPickQuestions))
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

// exportGUIDCmd is `nvr-sadp export-guid DEVICE -o FILE`.
func (t *tool) exportGUIDCmd(args []string, stdin io.Reader) int {
	fl := flag.NewFlagSet("export-guid", flag.ContinueOnError)
	t.flags(fl)
	out := fl.String("o", "", "write the GUID file to this `file`, or into this directory under the recorder's name for it")
	force := fl.Bool("f", false, "replace the file if it exists")
	fl.StringVar(&t.passwordFile, "password-file", "", "read the admin password from the first line of `file`")
	if code, ok := t.parse(fl, args, stdin, map[string]*string{valuePassword: &t.passwordFile}); !ok {
		return code
	}
	if *out == "" {
		fmt.Fprintln(t.stderr, "nvr-sadp export-guid: -o FILE is needed: where to write the GUID file")
		return exitUsage
	}
	api, info, err := t.open()
	if err != nil {
		return t.report(err)
	}
	defer api.close()
	pw, err := t.login(api, info)
	if err != nil {
		return t.report(err)
	}
	defer api.logout(t.ctx)
	return t.exportGUID(api, pw, *out, *force)
}

// exportGUID makes a new GUID file on the recorder, writes it to out (a
// file, or a directory for the recorder's file name; asked at the
// terminal when empty) safely, and only once it is on disk and synced
// confirms it on the recorder: until then the old GUID file stays valid.
func (t *tool) exportGUID(api *recorderAPI, password, out string, force bool) int {
	c := t.cat
	var e *apitype.GUIDExport
	err := t.withReauth(api, password, func() (err error) {
		e, err = api.newGUIDExport(t.ctx)
		return err
	})
	if err != nil {
		return t.report(err)
	}
	name := filepath.Base(filepath.Clean("/" + e.FileName))
	if !plainFileName(name) {
		name = "recorder.nvrguid" // a name from the LAN that is not a plain file name
	}
	if out == "" {
		a, err := t.in.ask("file", c.F(texts.SadpGUIDOutPrompt, name))
		if err != nil {
			return t.report(err)
		}
		if out = strings.TrimSpace(a); out == "" {
			out = name
		}
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		out = filepath.Join(out, name)
	}
	data, err := api.guidFile(t.ctx)
	if err != nil {
		return t.report(err)
	}
	if err := atomicfile.Write(out, data, atomicfile.Options{Replace: force}); err != nil {
		t.report(&fileError{err})
		t.say("%s", c.T(texts.SadpGUIDNotConfirmed))
		return exitFile
	}
	if err := api.confirmGUID(t.ctx); err != nil {
		code := t.report(err)
		t.say("%s", c.F(texts.SadpGUIDWrittenNotConfirmed, termsafe.String(out)))
		return code
	}
	t.say("%s", c.F(texts.SadpGUIDSaved, termsafe.String(out)))
	t.say("%s", c.T(texts.WebGUIDConfirmed))
	return exitOK
}

// plainFileName reports whether name, from the recorder, is a GUID file's
// plain name (SERIAL_DATE_TIME.nvrguid): 1 to 128 of A-Z a-z 0-9 . _ -,
// not starting with a dot, ending in .nvrguid.
func plainFileName(name string) bool {
	if len(name) > 128 || !strings.HasSuffix(name, ".nvrguid") || strings.HasPrefix(name, ".") {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// forget is `nvr-sadp forget SERIAL`: remove a recorder's pinned
// certificate, deliberately, so that the next use pins the one it then
// presents (after comparing it with the recorder's screen).
func forget(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("forget", flag.ContinueOnError)
	fl.SetOutput(stderr)
	knownFile := fl.String("known-recorders", "", "the pinned certificates' `file` (default: the user's config directory, nvr-sadp/known_recorders)")
	lang := fl.String("lang", "", "`language`: it or en")
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	cat, err := texts.New(sessionLanguage(*lang))
	if err != nil || fl.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: nvr-sadp forget [-known-recorders FILE] SERIAL")
		return exitUsage
	}
	serial, ok := canonicalSerial(fl.Arg(0))
	if !ok {
		fmt.Fprintf(stderr, "nvr-sadp forget: %s\n", cat.F(texts.SadpBadSerial, termsafe.String(fl.Arg(0))))
		return exitUsage
	}
	path := *knownFile
	if path == "" {
		if path, err = knownPath(); err != nil {
			fmt.Fprintf(stderr, "nvr-sadp forget: %s\n", cat.F(texts.SadpFileError, err))
			return exitFile
		}
	}
	k, err := loadKnown(path)
	if err == nil {
		var old string
		if old, err = k.forget(serial); err == nil {
			if old == "" {
				fmt.Fprintln(stdout, cat.F(texts.SadpNotPinned, serial, termsafe.String(path)))
				return exitOK
			}
			fmt.Fprintln(stdout, cat.F(texts.SadpForgotten, serial, shownFingerprint(old)))
			return exitOK
		}
	}
	fmt.Fprintf(stderr, "nvr-sadp forget: %s\n", cat.F(texts.SadpFileError, termsafe.String(err.Error())))
	return exitFile
}
