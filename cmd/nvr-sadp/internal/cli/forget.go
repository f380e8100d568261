package cli

import (
	"fmt"
	"io"

	"nvrmenu/cmd/nvr-sadp/internal/known"
	"nvrmenu/internal/termsafe"
	"nvrmenu/texts"
)

// forget is `nvr-sadp forget SERIAL`: remove a recorder's pinned
// certificate, deliberately, so that the next use pins the one it then
// presents (after comparing it with the recorder's screen).
func forget(cat *texts.Catalogue, args []string, stdout, stderr io.Writer) int {
	fl := newFlags(cat, "forget", "forget "+cat.T(texts.SadpSerialArg))
	knownFile := fl.String("known-recorders", "", fl.text(texts.SadpFlagKnownRecorders))
	var lang string
	fl.lang(&lang)
	if code, ok := fl.parse(args, stdout, stderr); !ok {
		return code
	}
	problem := checkLang(cat, lang)
	switch {
	case problem != "":
	case fl.NArg() == 0:
		problem = cat.T(texts.SadpNeedSerial)
	case fl.NArg() > 1:
		problem = cat.F(texts.SadpUnexpectedArg, termsafe.String(fl.Arg(1)))
	}
	if problem != "" {
		fl.fail(stderr, problem)
		return exitUsage
	}
	serial, ok := known.Canonical(fl.Arg(0))
	if !ok {
		fmt.Fprintf(stderr, "nvr-sadp forget: %s\n", cat.F(texts.SadpBadSerial, termsafe.String(fl.Arg(0))))
		return exitUsage
	}
	t := &tool{cmd: "forget", stdout: stdout, stderr: stderr, cat: cat, knownFile: *knownFile}
	path, err := t.knownPath()
	if err != nil {
		return t.report(err)
	}
	pins, err := known.Load(path)
	if err != nil {
		return t.report(&fileError{path: path, err: err})
	}
	old, err := pins.Forget(serial)
	switch {
	case err != nil:
		return t.report(&fileError{path: path, err: err})
	case old.IsZero():
		fmt.Fprintln(stdout, cat.F(texts.SadpNotPinned, serial, termsafe.String(path)))
	default:
		fmt.Fprintln(stdout, cat.F(texts.SadpForgotten, serial, old))
	}
	return exitOK
}
