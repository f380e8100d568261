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

	"nvrmenu/internal/atomicfile"
	"nvrmenu/internal/termsafe"
	"nvrmenu/texts"
)

// methods are the recovery methods in the order they are offered.
var methods = []string{"guid", "questions", "email"}

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
	if *method != "" && !slices.Contains(methods, *method) {
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
	guidBefore := info.Methods["guid"].State
	m, err := t.chooseMethod(info, *method)
	if err != nil {
		return t.report(err)
	}
	var ticket string
	switch m {
	case "guid":
		ticket, err = t.proveGUID(api, *guidFile)
	case "questions":
		ticket, err = t.proveAnswers(api)
	case "email":
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
	t.say("%s %s", t.cat.T(texts.TitleResetDone)+":", t.cat.T(texts.ResetDone))
	// Every reset retires the GUID file; after a GUID reset, or when one
	// was set up, offer a new one at once, as the other doors do.
	if m == "guid" || guidBefore == "ready" || *guidOut != "" {
		out := *guidOut
		if out == "" {
			t.say("%s", t.cat.T(texts.GUIDExpiredOffer))
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
// only one set up, else the one picked at the terminal. A method not set
// up, not offered or locked is refused before anything is sent.
func (t *tool) chooseMethod(info *deviceInfo, asked string) (string, error) {
	c := t.cat
	var ready []string
	for _, m := range methods {
		if info.Methods[m].State == "ready" {
			ready = append(ready, m)
		}
	}
	if asked == "" {
		switch {
		case len(ready) == 0:
			t.listMethods(info, nil)
			return "", &notOfferedError{state: "none"}
		case len(ready) == 1 && !t.in.interactive():
			asked = ready[0]
		case !t.in.interactive():
			return "", &noInputError{"method"}
		default:
			t.say("%s", c.T(texts.WebVerifyMode)+":")
			t.listMethods(info, ready)
			for asked == "" {
				a, err := t.in.ask("method", c.F(texts.SadpPickMethod, len(ready)))
				if err != nil {
					return "", err
				}
				if n, err := strconv.Atoi(strings.TrimSpace(a)); err == nil && n >= 1 && n <= len(ready) {
					asked = ready[n-1]
				}
			}
		}
	}
	st := info.Methods[asked]
	if st.State != "ready" {
		return "", &notOfferedError{method: asked, state: st.State}
	}
	if st.LockedSeconds > 0 {
		return "", &problemError{Status: 423, Problem: texts.Problem{Code: texts.CodeLocked, LockSeconds: st.LockedSeconds}}
	}
	t.say("%s", methodName(c, asked))
	return asked, nil
}

// listMethods prints every method with its state, numbering the ready
// ones.
func (t *tool) listMethods(info *deviceInfo, ready []string) {
	for _, m := range methods {
		n := "  "
		for i, r := range ready {
			if r == m {
				n = strconv.Itoa(i+1) + "."
			}
		}
		t.say("  %s %s: %s", n, methodName(t.cat, m), stateWords(t.cat, info.Methods[m]))
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
