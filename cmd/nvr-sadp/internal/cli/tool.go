package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"nvrmenu/apitype"
	"nvrmenu/cmd/nvr-sadp/internal/known"
	"nvrmenu/cmd/nvr-sadp/internal/recorder"
	"nvrmenu/internal/certfp"
	"nvrmenu/internal/pwpolicy"
	"nvrmenu/internal/termsafe"
	"nvrmenu/sadp"
	"nvrmenu/texts"
)

// tool is one run of a command that acts on a recorder.
type tool struct {
	*app
	cmd            string // "forgot", "activate", …
	device         string // DEVICE as given
	ctx            context.Context
	stdout, stderr io.Writer
	cat            *texts.Catalogue
	in             *inputs
	doorURL        string // the web door acted on, once chosen

	// The flags every such command takes.
	wait          time.Duration
	ifaces        []string
	lang          string
	acceptNew     bool
	expectText    string             // -expect-fingerprint, as typed
	expect        certfp.Fingerprint // -expect-fingerprint, parsed
	trustFirstUse bool               // -trust-first-use
	useStdin      bool
	passwordFile  string
	knownFile     string // "": known.DefaultPath()
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

// flags is the command's flag set with the flags every acting command
// takes.
func (t *tool) flags() *flags {
	fl := newFlags(t.cat, t.cmd, t.cmd+" "+t.cat.T(texts.SadpDeviceArg))
	fl.DurationVar(&t.wait, "t", 2*time.Second, fl.text(texts.SadpFlagWait))
	fl.interfaces(&t.ifaces)
	fl.lang(&t.lang)
	fl.BoolVar(&t.acceptNew, "accept-new-fingerprint", false, fl.text(texts.SadpFlagAcceptNew))
	fl.StringVar(&t.expectText, "expect-fingerprint", "", fl.text(texts.SadpFlagExpect))
	fl.BoolVar(&t.trustFirstUse, "trust-first-use", false, fl.text(texts.SadpFlagTrustFirstUse))
	fl.BoolVar(&t.useStdin, "stdin", false, fl.text(texts.SadpFlagStdin))
	fl.StringVar(&t.knownFile, "known-recorders", "", fl.text(texts.SadpFlagKnownRecorders))
	return fl
}

// parse parses args for a command taking DEVICE; ok is false when the run
// ends there, with code.
//
// files are the flags naming the files of each kind of value, read once
// the flags are parsed.
func (t *tool) parse(fl *flags, args []string, stdin io.Reader, files map[string]*string) (code int, ok bool) {
	if code, ok := fl.parse(args, t.stdout, t.stderr); !ok {
		return code, false
	}
	// DEVICE may come before the flags too.
	rest := fl.Args()
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		t.device = rest[0]
		if code, ok := fl.parse(rest[1:], t.stdout, t.stderr); !ok {
			return code, false
		}
		rest = fl.Args()
	}
	problem := ""
	switch {
	case checkLang(t.cat, t.lang) != "":
		problem = checkLang(t.cat, t.lang)
	case len(rest) > 0:
		problem = t.cat.F(texts.SadpUnexpectedArg, termsafe.String(rest[0]))
	case t.device == "":
		problem = t.cat.T(texts.SadpNeedDevice)
	case checkWait(t.cat, t.wait) != "":
		problem = checkWait(t.cat, t.wait)
	}
	if t.expectText != "" && problem == "" {
		fp, err := certfp.Parse(t.expectText)
		if err != nil {
			problem = t.cat.T(texts.SadpBadFingerprint)
		}
		t.expect = fp
	}
	if problem != "" {
		fl.fail(t.stderr, problem)
		return exitUsage, false
	}
	paths := map[string]string{}
	for kind, p := range files {
		paths[kind] = *p
	}
	t.in = newInputs(t.ctx, stdin, t.stderr, paths, t.useStdin)
	return 0, true
}

// knownPath is the known-recorders file: -known-recorders, else the
// user's config directory's.
func (t *tool) knownPath() (string, error) {
	if t.knownFile != "" {
		return t.knownFile, nil
	}
	p, err := known.DefaultPath()
	if err != nil {
		return "", &fileError{path: "known_recorders", err: errNoConfigDir}
	}
	return p, nil
}

// open finds the recorder DEVICE names, checks its certificate against
// the pin (pinning it at first use), and returns its API client and what
// the recorder says of itself. Nothing but GET /api/v1/device is sent
// before the certificate is known to be the pinned one, and nothing at
// all when the answer announces another.
func (t *tool) open() (*recorder.Client, *apitype.Device, error) {
	path, err := t.knownPath()
	if err != nil {
		return nil, nil, err
	}
	pins, err := known.Load(path)
	if err != nil {
		return nil, nil, &fileError{path: path, err: err}
	}
	d, err := t.discover(t.ctx, sadp.DiscoverOptions{Interfaces: t.ifaces, Wait: t.wait})
	if err != nil {
		return nil, nil, err
	}
	c, matches, err := choose(d.Devices, parseSelector(t.device), pins, t.expect, t.acceptNew)
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
		defer writeTable(t.stderr, t.cat, shown)
	}
	if err != nil {
		return nil, nil, err
	}
	want := announced(c.found)
	if c.pinned.IsZero() && t.expect.IsZero() && !t.trustFirstUse && !t.in.interactive() {
		// First use from a script: nobody can compare the certificate
		// with the recorder's screen, and pinning whatever answered would
		// let a rogue on the LAN today be trusted for good.
		return nil, nil, &firstUseError{serial: c.serial, announced: want}
	}
	for _, o := range c.others {
		t.warnf("%s", t.cat.F(texts.SadpOtherAnswer, o.From.Addr().String(), c.serial, announced(o)))
	}
	t.doorURL = c.found.WebDoor.URL
	api, err := recorder.New(recorder.Config{
		URL: c.found.WebDoor.URL, Serial: c.serial, Pin: want, Lang: t.cat.Lang(),
		Waiting: func(d time.Duration) { t.say("%s", t.cat.F(texts.SadpWaiting, t.cat.Duration(d))) },
	})
	if err != nil {
		return nil, nil, err
	}
	info, err := api.Device(t.ctx)
	if err != nil {
		var fe *recorder.FingerprintError
		if errors.As(err, &fe) {
			fe.FirstUse = c.pinned.IsZero()
		}
		api.Close()
		return nil, nil, err
	}
	if known.Fold(info.Serial) != c.serial {
		api.Close()
		return nil, nil, &notDeviceError{serial: info.Serial, want: c.serial}
	}
	info.Serial = c.serial
	t.say("%s", t.cat.F(texts.SadpRecorder, c.serial, clean(info.Model), termsafe.String(c.found.WebDoor.URL)))
	if !c.pinned.Equal(want) {
		// The connection presented the certificate the answer announced
		// (the client checks it in the handshake): pin it, at first use
		// or deliberately.
		if c.pinned.IsZero() {
			t.say("%s", t.cat.F(texts.SadpFirstUse, c.serial))
		} else {
			t.say("%s", t.cat.F(texts.SadpReplacingPin, c.serial, c.pinned))
		}
		t.say("  SHA-256 %s", want)
		t.say("%s", t.cat.T(texts.SadpCompareFingerprint))
		if t.in.interactive() && t.expect.IsZero() {
			ok, err := t.in.yes(t.cat, t.cat.T(texts.SadpSameFingerprint))
			if err != nil {
				api.Close()
				return nil, nil, err
			}
			if !ok {
				api.Close()
				return nil, nil, errInterrupted
			}
		}
		if err := pins.Pin(c.serial, want, t.now()); err != nil {
			api.Close()
			return nil, nil, &fileError{path: path, err: err}
		}
		t.say("%s", t.cat.F(texts.SadpPinned, termsafe.String(path)))
	}
	return api, info, nil
}

// firstUseError: a recorder met for the first time, no terminal to
// confirm its certificate, and neither -expect-fingerprint nor
// -trust-first-use given. Nothing was connected.
type firstUseError struct {
	serial    string             // canonical
	announced certfp.Fingerprint // what its answer announced
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
			perr := &recorder.ProblemError{Status: 422, Problem: texts.Problem{Code: texts.CodePasswordRefused, Reasons: reasons}}
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
		var pe *recorder.ProblemError
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
func (t *tool) withReauth(api *recorder.Client, password string, change func() error) error {
	err := change()
	var pe *recorder.ProblemError
	if !errors.As(err, &pe) || pe.Problem.Code != texts.CodeReauthRequired {
		return err
	}
	if password == "" {
		if password, err = t.in.secret(valuePassword, t.cat.T(texts.Reauth)); err != nil {
			return err
		}
	}
	if err := api.Reauth(t.ctx, password); err != nil {
		return err
	}
	return change()
}

// retryProof sends a proof of kind, and when it is typed at the terminal
// asks for it again while the recorder says it was wrong and tries remain
// (or it was malformed, which counts nothing): ask reads it, prove sends
// it. Read from a file or -stdin, a wrong proof ends the command.
func (t *tool) retryProof(kind string, ask func() error, prove func() (string, error), again ...texts.Code) (string, error) {
	for {
		if err := ask(); err != nil {
			return "", err
		}
		ticket, err := prove()
		var pe *recorder.ProblemError
		if err == nil || !t.in.typed(kind) || !errors.As(err, &pe) || !retryable(pe.Problem, again) {
			return ticket, err
		}
		t.say("%s", t.cat.Problem(pe.Problem))
	}
}

// retryable reports whether a refusal of a proof leaves it to be typed
// again: one of codes, and either not counted or counted with tries left
// and no lock.
func retryable(p texts.Problem, codes []texts.Code) bool {
	for _, c := range codes {
		if p.Code == c {
			return !p.Counted || p.TriesLeft > 0 && p.LockSeconds == 0
		}
	}
	return false
}
