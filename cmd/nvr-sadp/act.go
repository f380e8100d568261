package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"nvrmenu/apitype"
	"nvrmenu/internal/pwpolicy"
	"nvrmenu/internal/termsafe"
	"nvrmenu/sadp"
	"nvrmenu/texts"
)

// tool is one run of a command that acts on a recorder.
type tool struct {
	cmd            string // "forgot", "activate", …
	device         string // DEVICE as given
	ctx            context.Context
	stdout, stderr io.Writer
	cat            *texts.Catalogue
	in             *inputs
	now            func() time.Time

	// The flags every such command takes.
	wait          time.Duration
	ifaces        []string
	lang          string
	acceptNew     bool
	expect        string // -expect-fingerprint, as typed
	trustFirstUse bool   // -trust-first-use
	useStdin      bool
	passwordFile  string
	knownFile     string // "": knownPath()
}

// say prints a line of the session on standard output.
func (t *tool) say(format string, args ...any) {
	fmt.Fprintf(t.stdout, format+"\n", args...)
}

// errorf prints the command's error line on standard error.
func (t *tool) errorf(format string, args ...any) {
	fmt.Fprintf(t.stderr, "nvr-sadp %s: %s\n", t.cmd, fmt.Sprintf(format, args...))
}

// warnf prints a warning on standard error.
func (t *tool) warnf(format string, args ...any) {
	fmt.Fprintf(t.stderr, "nvr-sadp %s: %s %s\n", t.cmd, t.cat.T(texts.SadpWarning), fmt.Sprintf(format, args...))
}

// flags registers the flags every acting command takes.
func (t *tool) flags(fl *flag.FlagSet) {
	fl.DurationVar(&t.wait, "t", 2*time.Second, "how long discovery waits for answers (100ms to 60s)")
	fl.Func("i", "probe only this `interface` (repeat, or comma-separate, for more)", func(s string) error {
		for _, name := range strings.Split(s, ",") {
			if name = strings.TrimSpace(name); name != "" {
				t.ifaces = append(t.ifaces, name)
			}
		}
		return nil
	})
	fl.StringVar(&t.lang, "lang", "", "`language` of the session: it or en (default: from LANG, else it)")
	fl.BoolVar(&t.acceptNew, "accept-new-fingerprint", false, "accept a certificate other than the pinned one, and pin it (after comparing it with the recorder's screen)")
	fl.StringVar(&t.expect, "expect-fingerprint", "", "the certificate's `SHA-256` as the recorder's screen shows it: anything else is refused")
	fl.BoolVar(&t.trustFirstUse, "trust-first-use", false, "without a terminal, pin the certificate a recorder met for the first time announces, unconfirmed (at a terminal the question is asked all the same; -expect-fingerprint is safer)")
	fl.BoolVar(&t.useStdin, "stdin", false, "read the passwords, answers and code from standard input, one a line, instead of the terminal")
	fl.StringVar(&t.knownFile, "known-recorders", "", "the pinned certificates' `file` (default: the user's config directory, nvr-sadp/known_recorders)")
}

// parse parses args for a command taking DEVICE; it returns an exit code
// when the run ends there.
//
// files are the flags naming the files of each kind of value, read once
// the flags are parsed.
func (t *tool) parse(fl *flag.FlagSet, args []string, stdin io.Reader, files map[string]*string) (int, bool) {
	fl.SetOutput(t.stderr)
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	// DEVICE may come before the flags too.
	rest := fl.Args()
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		t.device = rest[0]
		if err := fl.Parse(rest[1:]); err != nil {
			return exitUsage, false
		}
		rest = fl.Args()
	} else if len(rest) > 0 {
		fmt.Fprintf(t.stderr, "nvr-sadp %s: DEVICE before %q\n", t.cmd, termsafe.String(rest[0]))
		return exitUsage, false
	}
	cat, err := texts.New(sessionLanguage(t.lang))
	if err != nil {
		fmt.Fprintf(t.stderr, "nvr-sadp %s: -lang %q: want it or en\n", t.cmd, termsafe.String(t.lang))
		return exitUsage, false
	}
	t.cat = cat
	switch {
	case t.device == "":
		t.errorf("%s", cat.T(texts.SadpNeedDevice))
		return exitUsage, false
	case len(rest) > 0:
		fmt.Fprintf(t.stderr, "nvr-sadp %s: unexpected argument %q\n", t.cmd, termsafe.String(rest[0]))
		return exitUsage, false
	case t.wait < 100*time.Millisecond || t.wait > time.Minute:
		fmt.Fprintf(t.stderr, "nvr-sadp %s: -t %v: want 100ms to 60s\n", t.cmd, t.wait)
		return exitUsage, false
	}
	if t.expect != "" {
		fp, ok := parseFingerprint(t.expect)
		if !ok {
			fmt.Fprintf(t.stderr, "nvr-sadp %s: -expect-fingerprint: want 64 hex digits (colons allowed)\n", t.cmd)
			return exitUsage, false
		}
		t.expect = fp
	}
	paths := map[string]string{}
	for kind, p := range files {
		paths[kind] = *p
	}
	t.in = newInputs(t.ctx, stdin, t.stderr, paths, t.useStdin)
	return 0, true
}

// sessionLanguage is -lang, else the environment's (LC_ALL, LC_MESSAGES,
// LANG: English when it says en), else Italian.
func sessionLanguage(flagLang string) string {
	if flagLang != "" {
		return flagLang
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			if strings.HasPrefix(strings.ToLower(s), "en") {
				return "en"
			}
			return "it"
		}
	}
	return "it"
}

// open finds the recorder DEVICE names, checks its certificate against
// the pin (pinning it at first use), and returns its API client and what
// the recorder says of itself. Nothing but GET /api/v1/device is sent
// before the certificate is known to be the pinned one, and nothing at
// all when the answer announces another.
func (t *tool) open() (*recorderAPI, *apitype.Device, error) {
	path := t.knownFile
	if path == "" {
		p, err := knownPath()
		if err != nil {
			return nil, nil, &fileError{err}
		}
		path = p
	}
	known, err := loadKnown(path)
	if err != nil {
		return nil, nil, &fileError{err}
	}
	d, err := discover(t.ctx, sadp.DiscoverOptions{Interfaces: t.ifaces, Wait: t.wait})
	if err != nil {
		return nil, nil, &networkError{err}
	}
	c, matches, err := choose(d.Devices, parseSelector(t.device), known, t.expect, t.acceptNew)
	if errors.Is(err, errAmbiguous) || errors.Is(err, errNotFound) && len(d.Devices) > 0 {
		// Show what did answer, safe for the terminal, to pick from.
		list := matches
		if list == nil {
			list = d.Devices
		}
		shown := make([]device, len(list))
		for i, f := range list {
			shown[i] = deviceOf(f)
		}
		defer writeTable(t.stderr, shown)
	}
	if err != nil {
		return nil, nil, err
	}
	if c.pinned == "" && t.expect == "" && !t.trustFirstUse && !t.in.interactive() {
		// First use from a script: nobody can compare the certificate
		// with the recorder's screen, and pinning whatever answered would
		// let a rogue on the LAN today be trusted for good.
		return nil, nil, &firstUseError{serial: c.serial, announced: c.found.WebDoor.CertSHA256}
	}
	for _, o := range c.others {
		t.warnf("%s", t.cat.F(texts.SadpOtherAnswer, o.From.Addr().String(), c.serial, shownFingerprint(o.WebDoor.CertSHA256)))
	}
	want := c.found.WebDoor.CertSHA256
	api, err := newRecorderAPI(c.found.WebDoor.URL, c.serial, want, t.cat.Lang())
	if err != nil {
		return nil, nil, &networkError{err}
	}
	api.waiting = func(d time.Duration) { t.say("%s", t.cat.F(texts.SadpWaiting, t.cat.Duration(d))) }
	info, err := api.device(t.ctx)
	if err != nil {
		var fe *fingerprintError
		if errors.As(err, &fe) {
			fe.FirstUse = c.pinned == ""
		}
		api.close()
		return nil, nil, err
	}
	if foldSerial(info.Serial) != c.serial {
		api.close()
		return nil, nil, &networkError{fmt.Errorf("the web door %s says it is %q, not %s", termsafe.String(c.found.WebDoor.URL), clean(info.Serial), c.serial)}
	}
	info.Serial = c.serial
	t.say("%s", t.cat.F(texts.SadpRecorder, c.serial, clean(info.Model), termsafe.String(c.found.WebDoor.URL)))
	if c.pinned != want {
		// The connection presented the certificate the answer announced
		// (VerifyConnection): pin it, at first use or deliberately.
		if c.pinned == "" {
			t.say("%s", t.cat.F(texts.SadpFirstUse, c.serial))
		} else {
			t.say("%s", t.cat.F(texts.SadpReplacingPin, c.serial, shownFingerprint(c.pinned)))
		}
		t.say("  SHA-256 %s", shownFingerprint(want))
		t.say("%s", t.cat.T(texts.SadpCompareFingerprint))
		if t.in.interactive() && t.expect == "" {
			ok, err := t.in.yes(t.cat, t.cat.T(texts.SadpSameFingerprint))
			if err != nil {
				api.close()
				return nil, nil, err
			}
			if !ok {
				api.close()
				return nil, nil, errInterrupted
			}
		}
		if err := known.pin(c.serial, want, t.now()); err != nil {
			api.close()
			return nil, nil, &fileError{err}
		}
		t.say("%s", t.cat.F(texts.SadpPinned, termsafe.String(path)))
	}
	return api, info, nil
}

// firstUseError: a recorder met for the first time, no terminal to
// confirm its certificate, and neither -expect-fingerprint nor
// -trust-first-use given. Nothing was connected.
type firstUseError struct {
	serial    string // canonical
	announced string // the SHA-256 its answer announced
}

func (e *firstUseError) Error() string {
	return "first use of " + e.serial + " without a terminal to confirm its certificate"
}

// policyOf is the recorder's password rule, as its API says (the
// defaults when it says nothing sensible).
func policyOf(info *apitype.Device) pwpolicy.Policy {
	p := pwpolicy.Policy{MinLength: info.PasswordPolicy.MinLength, MaxLength: info.PasswordPolicy.MaxLength}
	if p.Validate() != nil {
		return pwpolicy.Default()
	}
	return p
}

// passwordRefusedError: the new password breaks the rule (checked here
// before it is sent, as the recorder would).
type passwordRefusedError struct{ reasons []pwpolicy.Reason }

func (e *passwordRefusedError) Error() string { return "password refused" }

// newPassword asks for a new admin password and its confirmation, shows
// the strength meter, and offers it to set (an activation or a reset),
// asking again at the terminal while the rule or the recorder refuses it.
// From a file or -stdin it is read once, and a refusal ends the command.
func (t *tool) newPassword(info *apitype.Device, set func(string) error) (string, error) {
	policy := policyOf(info)
	c := t.cat
	if t.in.interactive() {
		t.say("%s", c.F(texts.SadpPasswordRule, policy.MinLength, policy.MaxLength))
	}
	for {
		pw, err := t.in.secret(valuePassword, c.T(texts.NewPassword)+":")
		if err != nil {
			return "", err
		}
		strength, reasons := policy.Evaluate("admin", pw)
		if len(reasons) > 0 {
			perr := &problemError{Status: 422, Problem: texts.Problem{Code: texts.CodePasswordRefused, Reasons: reasons}}
			if !t.in.interactive() {
				return "", perr
			}
			t.say("%s", c.Problem(perr.Problem))
			continue
		}
		t.say("%s %s", c.T(texts.Strength), c.Strength(strength))
		if t.in.interactive() {
			again, err := t.in.secret(valuePassword, c.T(texts.ConfirmPassword)+":")
			if err != nil {
				return "", err
			}
			if again != pw {
				t.say("%s", c.T(texts.PasswordMismatch))
				continue
			}
		}
		err = set(pw)
		var pe *problemError
		if errors.As(err, &pe) && pe.Problem.Code == texts.CodePasswordRefused && t.in.interactive() {
			t.say("%s", c.Problem(pe.Problem))
			continue
		}
		if err != nil {
			return "", err
		}
		return pw, nil
	}
}

// withReauth runs change, and again after typing the password anew when
// the recorder wants it (a change more than 10 minutes after the password
// was last typed).
func (t *tool) withReauth(api *recorderAPI, password string, change func() error) error {
	err := change()
	var pe *problemError
	if !errors.As(err, &pe) || pe.Problem.Code != texts.CodeReauthRequired {
		return err
	}
	if password == "" {
		if password, err = t.in.secret(valuePassword, t.cat.T(texts.Reauth)); err != nil {
			return err
		}
	}
	if err := api.reauth(t.ctx, password); err != nil {
		return err
	}
	return change()
}
