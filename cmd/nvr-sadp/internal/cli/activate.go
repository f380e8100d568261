package cli

import (
	"io"

	"nvrmenu/cmd/nvr-sadp/internal/recorder"
	"nvrmenu/texts"
)

// activate is `nvr-sadp activate DEVICE`: the new recorder's admin
// password, typed twice with the strength meter.
func (t *tool) activate(args []string, stdin io.Reader) int {
	fl := t.flags()
	fl.StringVar(&t.passwordFile, "password-file", "", fl.text(texts.SadpFlagNewPasswordFile))
	if code, ok := t.parse(fl, args, stdin, map[string]*string{valuePassword: &t.passwordFile}); !ok {
		return code
	}
	api, info, err := t.open()
	if err != nil {
		return t.report(err)
	}
	defer api.Close()
	switch {
	case info.Activated:
		return t.report(&recorder.ProblemError{Status: 409, Problem: texts.Problem{Code: texts.CodeAlreadyActivated}})
	case !info.ActivationAllowed:
		// Why not, as the recorder says it (turned off, or its window
		// after power-on is over); a recorder from before it said so is
		// read as turned off.
		p := texts.Problem{Code: texts.CodeActivationClosed}
		if r := info.Journey.ActivationRefused; r != nil {
			p = *r
		}
		return t.report(&recorder.ProblemError{Status: 403, Problem: p})
	}
	t.say("%s", t.cat.F(texts.ActivationIntro, info.Serial))
	if _, err := t.newPassword(info, func(pw string) error { return api.Activate(t.ctx, pw) }); err != nil {
		return t.report(err)
	}
	defer api.Logout(t.ctx)
	t.say("%s", t.cat.T(texts.Activated))
	t.say("%s", t.cat.T(texts.NoMethodWarning))
	t.say("%s", t.cat.F(texts.SadpSetupNext, info.Serial))
	return exitOK
}
