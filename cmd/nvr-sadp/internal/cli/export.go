package cli

import (
	"io"
	"path/filepath"
	"strings"

	"nvrmenu/apitype"
	"nvrmenu/cmd/nvr-sadp/internal/recorder"
	"nvrmenu/internal/termsafe"
	"nvrmenu/texts"
)

// exportGUIDCmd is `nvr-sadp export-guid DEVICE -o FILE`.
func (t *tool) exportGUIDCmd(args []string, stdin io.Reader) int {
	fl := t.flags()
	out := fl.String("o", "", fl.text(texts.SadpFlagOutput))
	force := fl.Bool("f", false, fl.text(texts.SadpFlagForce))
	fl.StringVar(&t.passwordFile, "password-file", "", fl.text(texts.SadpFlagAdminPasswordFile))
	if code, ok := t.parse(fl, args, stdin, map[string]*string{valuePassword: &t.passwordFile}); !ok {
		return code
	}
	if *out == "" {
		fl.fail(t.stderr, t.cat.T(texts.SadpNeedOutput))
		return exitUsage
	}
	return t.asAdmin(func(api *recorder.Client, _ *apitype.Device, pw string) int {
		return t.exportGUID(api, pw, *out, *force)
	})
}

// exportGUID makes a new GUID file on the recorder, writes it to out (a
// file, or a folder for the recorder's file name; asked at the terminal
// when empty; outputPath, writeOutput), and only once it is on disk and
// synced confirms it on the recorder: until then the old GUID file stays
// valid.
func (t *tool) exportGUID(api *recorder.Client, password, out string, force bool) int {
	c := t.cat
	var e *apitype.GUIDExport
	err := t.withReauth(api, password, func() (err error) {
		e, err = api.NewGUIDExport(t.ctx)
		return err
	})
	if err != nil {
		return t.report(err)
	}
	name := filepath.Base(filepath.Clean("/" + e.FileName))
	if !plainFileName(name, ".nvrguid") {
		name = "recorder.nvrguid" // a name from the LAN that is not a plain file name
	}
	if out == "" {
		a, err := t.in.ask(valueOutput, c.F(texts.SadpGUIDOutPrompt, name))
		if err != nil {
			return t.report(err)
		}
		if out = strings.TrimSpace(a); out == "" {
			out = name
		}
	}
	path, err := t.outputPath(out, name)
	if err != nil {
		code := t.report(err)
		t.say("%s", c.T(texts.SadpGUIDNotConfirmed))
		return code
	}
	data, err := api.GUIDFile(t.ctx)
	if err != nil {
		return t.report(err)
	}
	if err := t.writeOutput(path, data, force); err != nil {
		code := t.report(err)
		t.say("%s", c.T(texts.SadpGUIDNotConfirmed))
		return code
	}
	if err := api.ConfirmGUID(t.ctx); err != nil {
		code := t.report(err)
		t.say("%s", c.F(texts.SadpGUIDWrittenNotConfirmed, termsafe.String(path)))
		return code
	}
	t.say("%s", c.F(texts.SadpGUIDSaved, termsafe.String(path)))
	t.say("%s", c.T(texts.WebGUIDConfirmed))
	return exitOK
}
