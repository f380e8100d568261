package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"nvrmenu/internal/termsafe"
	"nvrmenu/sadp"
	"nvrmenu/texts"
)

// list is `nvr-sadp list`: every device that answers a SADP discovery, as
// a table in the session's language, or as JSON or CSV (field names and
// values that do not depend on the language).
func (a *app) list(ctx context.Context, cat *texts.Catalogue, args []string, stdout, stderr io.Writer) int {
	fl := newFlags(cat, "list", "list")
	wait := fl.Duration("t", sadp.DefaultWait, fl.text(texts.SadpFlagListWait))
	asJSON := fl.Bool("json", false, fl.text(texts.SadpFlagJSON))
	asCSV := fl.Bool("csv", false, fl.text(texts.SadpFlagCSV))
	var ifaces []string
	fl.interfaces(&ifaces)
	var lang string
	fl.lang(&lang)
	if code, ok := fl.parse(args, stdout, stderr); !ok {
		return code
	}
	problem := ""
	switch {
	case fl.NArg() > 0:
		problem = cat.F(texts.SadpUnexpectedArg, termsafe.String(fl.Arg(0)))
	case checkLang(cat, lang) != "":
		problem = checkLang(cat, lang)
	case *asJSON && *asCSV:
		problem = cat.T(texts.SadpJSONOrCSV)
	case checkWait(cat, *wait) != "":
		problem = checkWait(cat, *wait)
	}
	if problem != "" {
		fl.fail(stderr, problem)
		return exitUsage
	}
	d, err := a.discover(ctx, sadp.DiscoverOptions{Interfaces: ifaces, Wait: *wait})
	if err != nil {
		fmt.Fprintf(stderr, "nvr-sadp list: %s\n", discoveryWords(cat, err))
		return exitNetwork
	}
	for _, p := range d.Problems {
		fmt.Fprintf(stderr, "nvr-sadp list: %s %s\n", cat.T(texts.SadpWarning), discoveryWords(cat, p))
	}
	devices := make([]device, len(d.Devices))
	for i, f := range d.Devices {
		devices[i] = deviceOf(f)
	}
	switch {
	case *asJSON:
		err = writeJSON(stdout, devices)
	case *asCSV:
		err = writeCSV(stdout, devices)
	default:
		err = writeTable(stdout, cat, devices)
	}
	if err != nil {
		fmt.Fprintf(stderr, "nvr-sadp list: %s\n", cat.F(texts.SadpWriteFailed, causeWords(cat, err)))
		return exitFile
	}
	fmt.Fprintf(stderr, "nvr-sadp list: %s\n", cat.F(texts.SadpListed, len(devices), termsafe.String(strings.Join(d.Interfaces, ", ")), wait.String()))
	return exitOK
}
