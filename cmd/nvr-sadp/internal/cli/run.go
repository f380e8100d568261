// Package cli is nvr-sadp's commands: list, activate, forgot, setup,
// export-guid and forget, their flags, their questions at the terminal,
// and every line they print, in the session's language (the catalogue's
// words, Italian or English). Run is the whole program; cmd/nvr-sadp's
// main only calls it.
//
// The recorder decides, and nvr-sadp shows: which methods may be used and
// why not come from the owner's journey in GET /api/v1/device, refusals
// from the API's problem, both worded by the catalogue. Nothing that came
// over the LAN is printed before termsafe has made it safe for a terminal.
// It builds for Linux, macOS and Windows and imports no door.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"nvrmenu/internal/buildinfo"
	"nvrmenu/internal/termsafe"
	"nvrmenu/sadp"
	"nvrmenu/texts"
)

// Run runs nvr-sadp with args (the command and its flags, without the
// program's name) and returns its exit code. ctx ending (Ctrl-C) stops a
// question or a wait, and the command ends as interrupted.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return (&app{discover: sadp.Discover, now: time.Now, getenv: os.Getenv}).run(ctx, args, stdin, stdout, stderr)
}

// app is what a run takes from the world: tests give their own.
type app struct {
	discover func(context.Context, sadp.DiscoverOptions) (*sadp.Discovery, error)
	now      func() time.Time
	getenv   func(string) string
}

func (a *app) run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cat := a.catalogue(args)
	if len(args) == 0 {
		fmt.Fprintln(stderr, cat.T(texts.SadpUsage))
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, cat.T(texts.SadpUsage))
		return exitOK
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, cat.F(texts.SadpVersion, buildinfo.Version, buildinfo.Commit, buildinfo.Date))
		return exitOK
	case "list":
		return a.list(ctx, cat, args[1:], stdout, stderr)
	case "forget":
		return forget(cat, args[1:], stdout, stderr)
	case "forgot", "activate", "setup", "export-guid":
		t := &tool{app: a, cmd: args[0], ctx: ctx, stdout: stdout, stderr: stderr, cat: cat}
		switch args[0] {
		case "forgot":
			return t.forgot(args[1:], stdin)
		case "activate":
			return t.activate(args[1:], stdin)
		case "setup":
			return t.setup(args[1:], stdin)
		default:
			return t.exportGUIDCmd(args[1:], stdin)
		}
	}
	fmt.Fprintf(stderr, "nvr-sadp: %s\n", cat.F(texts.SadpUnknownCommand, termsafe.String(args[0])))
	return exitUsage
}

// catalogue is the session's language: -lang among args when it names
// one, else the environment's (LC_ALL, LC_MESSAGES, LANG: English when it
// says en), else Italian. It is chosen before the flags are parsed, so
// that their help and errors are in it too.
func (a *app) catalogue(args []string) *texts.Catalogue {
	lang := ""
	for i, arg := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if arg == "--" || !strings.HasPrefix(arg, "-") || name != "lang" {
			continue
		}
		if !hasValue && i+1 < len(args) {
			value = args[i+1]
		}
		if value == "it" || value == "en" {
			lang = value
		}
	}
	if lang == "" {
		lang = a.envLanguage()
	}
	c, _ := texts.New(lang)
	return c
}

// envLanguage is the environment's language: en or it.
func (a *app) envLanguage() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := a.getenv(v); s != "" {
			if strings.HasPrefix(strings.ToLower(s), "en") {
				return "en"
			}
			return "it"
		}
	}
	return "it"
}
