package cli

import (
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"nvrmenu/apitype"
	"nvrmenu/cmd/nvr-sadp/internal/recorder"
	"nvrmenu/internal/termsafe"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// forgot is `nvr-sadp forgot DEVICE`: prove ownership by one of the
// methods the recorder has set up, then set a new password.
func (t *tool) forgot(args []string, stdin io.Reader) int {
	fl := t.flags()
	method := fl.String("method", "", fl.text(texts.SadpFlagMethod))
	guidFile := fl.String("guid", "", fl.text(texts.SadpFlagGUID))
	exportQR := fl.String("export-qr", "", fl.text(texts.SadpFlagExportQR))
	qrFull := fl.Bool("qr-full-blocks", false, fl.text(texts.SadpFlagQRFullBlocks))
	guidOut := fl.String("guid-out", "", fl.text(texts.SadpFlagGUIDOutForgot))
	force := fl.Bool("f", false, fl.text(texts.SadpFlagForceForgot))
	var answersFile, codeFile string
	fl.StringVar(&t.passwordFile, "password-file", "", fl.text(texts.SadpFlagNewPasswordFile))
	fl.StringVar(&answersFile, "answers-file", "", fl.text(texts.SadpFlagAnswersFile))
	fl.StringVar(&codeFile, "code-file", "", fl.text(texts.SadpFlagCodeFile))
	if code, ok := t.parse(fl, args, stdin, map[string]*string{valuePassword: &t.passwordFile, valueAnswers: &answersFile, valueCode: &codeFile}); !ok {
		return code
	}
	switch {
	case *guidFile != "" && *method == "":
		*method = "guid"
	case *exportQR != "" && *method == "":
		*method = "email"
	}
	if *method != "" && !slices.Contains(journey.Recovery, journey.Method(*method)) {
		fl.fail(t.stderr, t.cat.F(texts.SadpBadMethod, termsafe.String(*method)))
		return exitUsage
	}
	if *method == "guid" && *guidFile == "" && !t.in.interactive() {
		fl.fail(t.stderr, t.cat.T(texts.SadpNeedGUIDFile))
		return exitUsage
	}

	api, info, err := t.open()
	if err != nil {
		return t.report(err)
	}
	defer api.Close()
	if !info.Activated {
		return t.report(&recorder.ProblemError{Status: 409, Problem: texts.Problem{Code: texts.CodeNotActivated}})
	}
	m, err := t.chooseMethod(info, journey.Method(*method))
	if err != nil {
		return t.report(err)
	}
	var ticket string
	switch m {
	case journey.GUID:
		ticket, err = t.proveGUID(api, *guidFile)
	case journey.Questions:
		ticket, err = t.proveAnswers(api)
	case journey.Email:
		ticket, err = t.proveCode(api, info.Serial, *exportQR, *qrFull, *force)
	}
	if err != nil {
		return t.report(err)
	}
	t.say("%s", t.cat.T(texts.NewPasswordIntro))
	pw, err := t.newPassword(info, func(pw string) error { return api.Reset(t.ctx, ticket, pw) })
	if err != nil {
		return t.report(err)
	}
	defer api.Logout(t.ctx)
	// What the reset changed, as the recorder says it: with the GUID file
	// expired, a new one is offered at once, as the other doors do.
	var after journey.AfterReset
	if a := api.AfterReset(); a != nil {
		after = *a
	}
	t.say("%s %s", t.cat.T(texts.TitleResetDone)+":", after.Words(t.cat))
	if after.OfferGUIDExport || *guidOut != "" {
		out := *guidOut
		if out == "" {
			yes, err := t.in.yes(t.cat, t.cat.T(texts.ExportNow)+"?")
			if err != nil {
				return t.report(err)
			}
			if !yes {
				t.say("%s", t.cat.F(texts.SadpExportLater, info.Serial))
				out = "-" // no export
			}
		}
		if out != "-" {
			if code := t.exportGUID(api, pw, out, *force); code != exitOK {
				return code
			}
		}
	}
	t.say("%s", t.cat.T(texts.LoginWithNew))
	return exitOK
}

// chooseMethod is the method to prove with: the one asked for, else the
// only one usable, else the one picked at the terminal. A method the
// recorder says cannot be used now (not set up, not offered, expired,
// locked) is refused before anything is sent, in the recorder's words.
func (t *tool) chooseMethod(info *apitype.Device, asked journey.Method) (journey.Method, error) {
	c := t.cat
	var usable []journey.Method
	for _, st := range info.Journey.Methods {
		if st.Usable {
			usable = append(usable, st.Method)
		}
	}
	if asked == "" {
		switch {
		case len(usable) == 0:
			t.listMethods(info, nil)
			return "", &notOfferedError{}
		case len(usable) == 1 && !t.in.interactive():
			asked = usable[0]
		case !t.in.interactive():
			return "", &noInputError{valueMethod}
		default:
			t.say("%s", c.T(texts.WebVerifyMode)+":")
			t.listMethods(info, usable)
			for asked == "" {
				a, err := t.in.ask(valueMethod, c.F(texts.SadpPickMethod, len(usable)))
				if err != nil {
					return "", err
				}
				if n, err := strconv.Atoi(strings.TrimSpace(a)); err == nil && n >= 1 && n <= len(usable) {
					asked = usable[n-1]
				}
			}
		}
	}
	if st := info.Journey.Method(asked); !st.Usable {
		return "", &notOfferedError{status: st}
	}
	t.say("%s", asked.Label(c))
	return asked, nil
}

// listMethods prints every method with its state, as the recorder says
// it, numbering the usable ones.
func (t *tool) listMethods(info *apitype.Device, usable []journey.Method) {
	for _, st := range info.Journey.Methods {
		n := "  "
		if i := slices.Index(usable, st.Method); i >= 0 {
			n = strconv.Itoa(i+1) + "."
		}
		t.say("  %s %s: %s", n, st.Method.Label(t.cat), st.Words(t.cat))
	}
}

// maxGUIDFile is the most of a GUID file sent: the recorder's limit is
// 4 KiB, and one byte more says "not a GUID file" there.
const maxGUIDFile = 4096

func (t *tool) proveGUID(api *recorder.Client, path string) (string, error) {
	if path == "" {
		p, err := t.in.ask(valueGUIDFile, t.cat.T(texts.SadpGUIDFilePrompt))
		if err != nil {
			return "", err
		}
		path = strings.TrimSpace(p)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", &fileError{path: path, err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxGUIDFile+1))
	if err != nil {
		return "", &fileError{path: path, err: err}
	}
	if len(data) > maxGUIDFile {
		return "", &recorder.ProblemError{Status: 422, Problem: texts.Problem{Code: texts.CodeGUIDMalformed}}
	}
	return api.VerifyGUID(t.ctx, data)
}

// proveAnswers asks the three questions; at the terminal, wrong answers
// are asked again while the recorder says tries remain.
func (t *tool) proveAnswers(api *recorder.Client) (string, error) {
	qs, err := api.Questions(t.ctx)
	if err != nil {
		return "", err
	}
	t.say("%s", t.cat.T(texts.QuestionsIntro))
	var answers [3]string
	ask := func() error {
		for i, q := range qs {
			text := t.cat.Question(q.ID)
			if text == string(texts.QuestionID(q.ID)) {
				// A question this build does not know (a newer recorder):
				// the recorder's own words, made safe.
				text = clean(q.Text)
			}
			t.say("%s: %s", t.cat.F(texts.QuestionN, i+1), text)
			a, err := t.in.secret(valueAnswers, t.cat.F(texts.AnswerN, i+1)+":")
			if err != nil {
				return err
			}
			answers[i] = a
		}
		return nil
	}
	prove := func() (string, error) { return api.VerifyAnswers(t.ctx, answers) }
	return t.retryProof(valueAnswers, ask, prove, texts.CodeWrongAnswers, texts.CodeAnswersIncomplete)
}

// proveCode shows the e-mail challenge's QR code (drawn here, or written
// to exportQR), and reads the code it brings back; at the terminal, a
// wrong code is asked again while the recorder says tries remain.
func (t *tool) proveCode(api *recorder.Client, serial, exportQR string, full, force bool) (string, error) {
	ch, err := api.Challenge(t.ctx)
	if err != nil {
		return "", err
	}
	c := t.cat
	t.say("%s", c.F(texts.EmailCodeGoesTo, clean(ch.MaskedEmail)))
	if exportQR != "" {
		png, err := api.QRPNG(t.ctx)
		if err != nil {
			return "", err
		}
		name := ch.QRFileName
		if !plainFileName(name, ".png") {
			name = serial + "_qr.png" // a name from the LAN that is not a plain file name
		}
		path, err := t.outputPath(exportQR, name)
		if err != nil {
			return "", err
		}
		if err := t.writeOutput(path, png, force); err != nil {
			return "", err
		}
		t.say("%s", c.F(texts.SadpQRSaved, termsafe.String(path), clean(ch.RecoveryAddress)))
	} else {
		t.say("%s", c.F(journey.WordsForQR(ch.URL != "").Send, clean(ch.RecoveryAddress)))
		if err := drawQR(t.stdout, termsafe.String(ch.Payload), full, isTerminal(t.stdout)); err != nil {
			return "", err
		}
	}
	if ch.Expires != nil {
		t.say("%s", c.F(texts.SadpCodeExpires, ch.Expires.Local().Format(time.DateTime)))
	}
	t.say("%s", c.F(texts.WebCodeTriesLeft, ch.TriesLeft))
	var code string
	ask := func() (err error) {
		code, err = t.in.visible(valueCode, c.T(texts.WebVerificationCode)+":")
		return err
	}
	prove := func() (string, error) { return api.VerifyCode(t.ctx, code) }
	return t.retryProof(valueCode, ask, prove, texts.CodeWrongCode, texts.CodeCodeMalformed)
}

// isTerminal reports whether w is a terminal (colours are for terminals).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
