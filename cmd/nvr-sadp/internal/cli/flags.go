package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"nvrmenu/internal/termsafe"
	"nvrmenu/texts"
)

// flags is a command's flag set whose help (-h, on standard output) and
// errors (one line on standard error) are in the session's language: the
// flag package's own English is never printed.
type flags struct {
	*flag.FlagSet
	cat      *texts.Catalogue
	synopsis string // "forgot DEVICE", in the session's words
}

// newFlags is the flag set of the command cmd; synopsis is the command
// and its arguments as the help's first line shows them.
func newFlags(cat *texts.Catalogue, cmd, synopsis string) *flags {
	fl := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	fl.Usage = func() {}
	return &flags{FlagSet: fl, cat: cat, synopsis: synopsis}
}

// text is a flag's description, from the catalogue. A name in backquotes
// in it is the flag's value in the help (flag.UnquoteUsage), so that the
// help never shows the flag package's English "string" or "duration".
func (f *flags) text(id texts.ID) string { return f.cat.T(id) }

// lang registers -lang, whose value the session's catalogue was chosen
// by already (app.catalogue); parse checks it.
func (f *flags) lang(p *string) {
	f.StringVar(p, "lang", "", f.text(texts.SadpFlagLang))
}

// interfaces registers -i, repeated or comma-separated, into p.
func (f *flags) interfaces(p *[]string) {
	f.Func("i", f.text(texts.SadpFlagInterface), func(s string) error {
		for _, name := range strings.Split(s, ",") {
			if name = strings.TrimSpace(name); name != "" {
				*p = append(*p, name)
			}
		}
		return nil
	})
}

// parse parses args. With -h it prints the help on stdout and the run
// ends with exitOK; on an error it prints one line on stderr and the run
// ends with exitUsage. ok is false when the run ends here.
func (f *flags) parse(args []string, stdout, stderr io.Writer) (code int, ok bool) {
	err := f.Parse(args)
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, flag.ErrHelp):
		f.help(stdout)
		return exitOK, false
	}
	f.fail(stderr, flagErrorWords(f.cat, err))
	return exitUsage, false
}

// fail prints a usage error of the command, and where its flags are.
func (f *flags) fail(stderr io.Writer, words string) {
	fmt.Fprintf(stderr, "nvr-sadp %s: %s %s\n", f.Name(), words, f.cat.F(texts.SadpSeeHelp, f.Name()))
}

// help prints the synopsis and every flag with its description, in the
// session's language.
func (f *flags) help(w io.Writer) {
	fmt.Fprintln(w, f.cat.F(texts.SadpCmdUsage, f.synopsis))
	f.VisitAll(func(fl *flag.Flag) {
		name, usage := flag.UnquoteUsage(fl) // no name for a bool flag
		fmt.Fprintf(w, "  -%s", fl.Name)
		if name != "" {
			fmt.Fprintf(w, " %s", name)
		}
		fmt.Fprintf(w, "\n      %s\n", strings.ReplaceAll(usage, "\n", "\n      "))
	})
}

// The flag package's errors, which it words in English only.
var (
	flagUnknown  = regexp.MustCompile(`^flag provided but not defined: -(.*)$`)
	flagNoValue  = regexp.MustCompile(`^flag needs an argument: -(.*)$`)
	flagBadValue = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-([^:]*): `)
	flagSyntax   = regexp.MustCompile(`^bad flag syntax: (.*)$`)
)

// flagErrorWords says a flag package's parse error in the session's
// language. The arguments it quotes are the user's own, made safe for the
// terminal all the same.
func flagErrorWords(c *texts.Catalogue, err error) string {
	msg := err.Error()
	if m := flagUnknown.FindStringSubmatch(msg); m != nil {
		return c.F(texts.SadpFlagUnknown, "-"+termsafe.String(m[1]))
	}
	if m := flagNoValue.FindStringSubmatch(msg); m != nil {
		return c.F(texts.SadpFlagNoValue, "-"+termsafe.String(m[1]))
	}
	if m := flagBadValue.FindStringSubmatch(msg); m != nil {
		return c.F(texts.SadpFlagBadValue, "-"+termsafe.String(m[2]), termsafe.String(m[1]))
	}
	if m := flagSyntax.FindStringSubmatch(msg); m != nil {
		return c.F(texts.SadpFlagSyntax, termsafe.String(m[1]))
	}
	return c.F(texts.SadpFlagOther, termsafe.String(msg))
}

// checkWait is the usage error of a -t outside 100ms to 60s, or "".
func checkWait(c *texts.Catalogue, d time.Duration) string {
	if d < 100*time.Millisecond || d > time.Minute {
		return c.F(texts.SadpBadWait, d.String())
	}
	return ""
}

// checkLang is the usage error of a -lang that is neither it nor en, or
// "".
func checkLang(c *texts.Catalogue, lang string) string {
	if lang != "" && lang != "it" && lang != "en" {
		return c.F(texts.SadpBadLang, termsafe.String(lang))
	}
	return ""
}
