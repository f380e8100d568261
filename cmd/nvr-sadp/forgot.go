package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"nvrmenu/apitype"
	"nvrmenu/internal/atomicfile"
	"nvrmenu/internal/termsafe"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// forgot is `nvr-sadp forgot DEVICE`: prove ownership by one of the
// methods the recorder has set up, then set a new password.
func (t *tool) forgot(args []string, stdin io.Reader) int {
	fl := flag.NewFlagSet("forgot", flag.ContinueOnError)
	t.flags(fl)
	method := fl.String("method", "", "the `method`: guid, questions or email (default: asked, or implied by -guid or -export-qr, or the only one set up)")
	guidFile := fl.String("guid", "", "the GUID `file` (.nvrguid) exported from the recorder: the GUID method")
	exportQR := fl.String("export-qr", "", "write the e-mail method's QR code to this PNG `file` (to mail it) instead of drawing it here")
	qrFull := fl.Bool("qr-full-blocks", false, "draw the QR code with two full blocks a module, for fonts without half blocks")
	guidOut := fl.String("guid-out", "", "after the reset, export a new GUID file to this `file` or directory without asking")
	force := fl.Bool("f", false, "replace the files -export-qr and -guid-out name if they exist")
	var answersFile, codeFile string
	fl.StringVar(&t.passwordFile, "password-file", "", "read the new password from the first line of `file`")
	fl.StringVar(&answersFile, "answers-file", "", "read the three security answers from the first three lines of `file`")
	fl.StringVar(&codeFile, "code-file", "", "read the e-mail's verification code from the first line of `file`")
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
		fmt.Fprintf(t.stderr, "nvr-sadp forgot: -method %q: want guid, questions or email\n", termsafe.String(*method))
		return exitUsage
	}
	if *method == "guid" && *guidFile == "" && !t.in.interactive() {
		fmt.Fprintln(t.stderr, "nvr-sadp forgot: the GUID method needs -guid FILE")
		return exitUsage
	}

	api, info, err := t.open()
	if err != nil {
		return t.report(err)
	}
	defer api.close()
	if !info.Activated {
		return t.report(&problemError{Status: 409, Problem: texts.Problem{Code: texts.CodeNotActivated}})
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
		ticket, err = t.proveCode(api, *exportQR, *qrFull, *force)
	}
	if err != nil {
		return t.report(err)
	}
	t.say("%s", t.cat.T(texts.NewPasswordIntro))
	pw, err := t.newPassword(info, func(pw string) error { return api.reset(t.ctx, ticket, pw) })
	if err != nil {
		return t.report(err)
	}
	defer api.logout(t.ctx)
	// What the reset changed, as the recorder says it: with the GUID file
	// expired, a new one is offered at once, as the other doors do.
	var after journey.AfterReset
	if api.after != nil {
		after = *api.after
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
			return "", &noInputError{"method"}
		default:
			t.say("%s", c.T(texts.WebVerifyMode)+":")
			t.listMethods(info, usable)
			for asked == "" {
				a, err := t.in.ask("method", c.F(texts.SadpPickMethod, len(usable)))
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

func (t *tool) proveGUID(api *recorderAPI, path string) (string, error) {
	if path == "" {
		p, err := t.in.ask("GUID file", t.cat.T(texts.SadpGUIDFilePrompt))
		if err != nil {
			return "", err
		}
		path = strings.TrimSpace(p)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", &fileError{err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxGUIDFile+1))
	if err != nil {
		return "", &fileError{err}
	}
	if len(data) > maxGUIDFile {
		return "", &problemError{Status: 422, Problem: texts.Problem{Code: texts.CodeGUIDMalformed}}
	}
	return api.verifyGUID(t.ctx, data)
}

func (t *tool) proveAnswers(api *recorderAPI) (string, error) {
	qs, err := api.questions(t.ctx)
	if err != nil {
		return "", err
	}
	t.say("%s", t.cat.T(texts.QuestionsIntro))
	var answers [3]string
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
			return "", err
		}
		answers[i] = a
	}
	return api.verifyAnswers(t.ctx, answers)
}

func (t *tool) proveCode(api *recorderAPI, exportQR string, full, force bool) (string, error) {
	ch, err := api.challenge(t.ctx)
	if err != nil {
		return "", err
	}
	c := t.cat
	t.say("%s", c.F(texts.EmailCodeGoesTo, clean(ch.MaskedEmail)))
	if exportQR != "" {
		png, err := api.qrPNG(t.ctx)
		if err != nil {
			return "", err
		}
		if err := atomicfile.Write(exportQR, png, atomicfile.Options{Replace: force}); err != nil {
			return "", &fileError{err}
		}
		t.say("%s", c.F(texts.SadpQRSaved, termsafe.String(exportQR), clean(ch.RecoveryAddress)))
	} else {
		t.say("%s", c.F(texts.WebQRScanIntro, clean(ch.RecoveryAddress)))
		if err := drawQR(t.stdout, termsafe.String(ch.Payload), full, isTerminal(t.stdout)); err != nil {
			return "", err
		}
	}
	if ch.Expires != nil {
		t.say("%s", c.F(texts.SadpCodeExpires, ch.Expires.Local().Format(time.DateTime)))
	}
	t.say("%s", c.F(texts.WebCodeTriesLeft, ch.TriesLeft))
	code, err := t.in.visible(valueCode, c.T(texts.WebVerificationCode)+":")
	if err != nil {
		return "", err
	}
	return api.verifyCode(t.ctx, code)
}

// isTerminal reports whether w is a terminal (colours are for terminals).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
