package cli

import (
	"context"
	"errors"
	"fmt"

	"nvrmenu/cmd/nvr-sadp/internal/recorder"
	"nvrmenu/internal/atomicfile"
	"nvrmenu/internal/termsafe"
	"nvrmenu/recovery/journey"
	"nvrmenu/sadp"
	"nvrmenu/texts"
)

// Exit codes: one for each way a command ends, so that a script can tell
// them apart. `nvr-sadp -h` and the README list them.
const (
	exitOK          = 0
	exitNetwork     = 1  // no probe could be sent, the recorder could not be reached, or its answer made no sense
	exitUsage       = 2  // bad flags or arguments, or a value needed and nothing to give it (a first use's confirmation included)
	exitNotFound    = 3  // no device matches DEVICE, or several do
	exitReadOnly    = 4  // the device announces no nvrmenu web door, or a serial nvr-sadp cannot pin: nvr-sadp can only list it
	exitNotOffered  = 5  // the method (or activation over the network) is not offered or not set up
	exitLocked      = 6  // the method or the device is locked, or asks to wait (the time left is said)
	exitWrongProof  = 7  // a wrong or unusable password, GUID file, answers or code (the tries left are said)
	exitFingerprint = 8  // the certificate is not the pinned one, or the LAN announces two for one serial
	exitRefused     = 9  // the recorder refused anything else (a weak password, already activated, …)
	exitAborted     = 10 // Ctrl-C, the input ended, or the user said no
	exitFile        = 11 // a local file could not be read or written (or exists, without -f)
)

// exitForCode is the exit code of a refusal with the API's code.
func exitForCode(c texts.Code) int {
	switch c {
	case texts.CodeLocked, texts.CodeThrottled, texts.CodeBusy:
		return exitLocked
	case texts.CodeNotSetUp, texts.CodeUnavailable, texts.CodeActivationClosed, texts.CodeActivationWindowOver:
		return exitNotOffered
	case texts.CodeWrongPassword, texts.CodeWrongAnswers, texts.CodeWrongCode,
		texts.CodeGUIDWrong, texts.CodeGUIDExpired, texts.CodeGUIDOtherDevice, texts.CodeGUIDMalformed,
		texts.CodeNoValidGUID, texts.CodeAnswersIncomplete, texts.CodeAnswerTooShort, texts.CodePasswordTooShort,
		texts.CodeCodeMalformed, texts.CodeCodeExpired,
		texts.CodeNoChallenge, texts.CodeTicketInvalid:
		return exitWrongProof
	}
	return exitRefused
}

// report prints err as the one line (a few for a certificate) that says
// what went wrong, in the session's language, and returns its exit code.
// Every part that came from the LAN is made safe for the terminal.
func (t *tool) report(err error) int {
	var (
		pe  *recorder.ProblemError
		fe  *recorder.FingerprintError
		ne  *recorder.NetworkError
		ie  *sadp.InterfaceError
		ni  *noInputError
		fle *fileError
		no  *notOfferedError
		bse *badSerialError
		fue *firstUseError
		lte *lineTooLongError
		nd  *notDeviceError
	)
	c := t.cat
	switch {
	case errors.As(err, &fe):
		t.errorf("%s", c.F(texts.SadpFingerprintMismatch, fe.Serial))
		first, second, hint := texts.SadpFingerprintPinned, texts.SadpFingerprintAnnounced, c.F(texts.SadpFingerprintHowToAccept, fe.Serial)
		switch {
		case !fe.Announced:
			// The answer announced one certificate, the web door
			// presented another: whoever answered is not the recorder.
			second, hint = texts.SadpFingerprintPresented, c.T(texts.SadpFingerprintRogue)
			if fe.FirstUse {
				first = texts.SadpFingerprintAnnounced
			}
		case fe.FirstUse:
			first, hint = texts.SadpFingerprintAnnounced, c.T(texts.SadpFingerprintTwoAnswers)
		}
		fmt.Fprintf(t.stderr, "  %-12s %s\n", c.T(first), fe.Pinned)
		fmt.Fprintf(t.stderr, "  %-12s %s\n", c.T(second), orDash(fe.Presented.String()))
		fmt.Fprintf(t.stderr, "  %s\n", hint)
		return exitFingerprint
	case errors.As(err, &pe):
		t.errorf("%s", c.Problem(pe.Problem))
		return exitForCode(pe.Problem.Code)
	case errors.As(err, &no):
		t.errorf("%s", no.words(c))
		return no.exit()
	case errors.As(err, &ne):
		t.errorf("%s", c.F(texts.SadpNetworkError, networkWords(c, t.doorURL, ne)))
		return exitNetwork
	case errors.As(err, &nd):
		t.errorf("%s", c.F(texts.SadpNetworkError, c.F(texts.SadpNotThatRecorder, termsafe.String(t.doorURL), clean(nd.serial), nd.want)))
		return exitNetwork
	case errors.As(err, &ie):
		t.errorf("%s", discoveryWords(c, ie))
		return exitNetwork
	case errors.As(err, &ni):
		t.errorf("%s", c.F(texts.SadpNoInput, c.T(valueWords[ni.kind]), valueFlags[ni.kind]))
		return exitUsage
	case errors.Is(err, errInterrupted), errors.Is(err, context.Canceled):
		t.errorf("%s", c.T(texts.SadpInterrupted))
		return exitAborted
	case errors.Is(err, errNotFound):
		t.errorf("%s", c.F(texts.SadpNotFound, termsafe.String(t.device)))
		return exitNotFound
	case errors.Is(err, errAmbiguous):
		t.errorf("%s", c.F(texts.SadpAmbiguous, termsafe.String(t.device)))
		return exitNotFound
	case errors.Is(err, errReadOnly):
		t.errorf("%s", c.F(texts.SadpReadOnly, termsafe.String(t.device)))
		return exitReadOnly
	case errors.As(err, &bse):
		t.errorf("%s", c.F(texts.SadpBadSerial, termsafe.String(bse.serial)))
		return exitReadOnly
	case errors.As(err, &fue):
		t.errorf("%s", c.F(texts.SadpFirstUseUnconfirmed, fue.serial))
		fmt.Fprintf(t.stderr, "  %-12s %s\n", c.T(texts.SadpFingerprintAnnounced), fue.announced)
		fmt.Fprintf(t.stderr, "  %s\n", c.T(texts.SadpFirstUseHowTo))
		return exitUsage
	case errors.As(err, &fle) && errors.Is(err, errNotReplaced):
		t.errorf("%s", c.F(texts.SadpNotReplaced, termsafe.String(fle.path)))
		return exitAborted
	case errors.As(err, &fle) && errors.Is(err, atomicfile.ErrExists):
		t.errorf("%s", c.F(texts.SadpFileExists, termsafe.String(fle.path)))
		return exitFile
	case errors.As(err, &fle):
		t.errorf("%s", fileWords(c, fle))
		return exitFile
	case errors.As(err, &lte):
		if lte.stdin {
			t.errorf("%s", c.F(texts.SadpStdinTooLong, maxLine))
		} else {
			t.errorf("%s", c.F(texts.SadpTypedTooLong, maxLine))
		}
		return exitUsage
	}
	t.errorf("%s", c.F(texts.SadpUnexpectedError, termsafe.String(err.Error())))
	return exitNetwork
}

// notOfferedError: the method chosen cannot be used now, as the
// recorder's journey says (not offered, not set up, expired, locked); with
// no status, no method at all can.
type notOfferedError struct {
	status journey.Status
}

func (e *notOfferedError) Error() string {
	if e.status.Method == "" {
		return "no recovery method usable"
	}
	return string(e.status.Method) + ": not usable now"
}

func (e *notOfferedError) words(c *texts.Catalogue) string {
	if e.status.Method == "" {
		return c.T(texts.SadpNoMethod)
	}
	return e.status.Method.Label(c) + ": " + e.status.Words(c)
}

// exit is the exit code: a lock is a lock, whatever refuses.
func (e *notOfferedError) exit() int {
	if e.status.Why != nil {
		return exitForCode(e.status.Why.Code)
	}
	return exitNotOffered
}

// notDeviceError: the web door an answer announced says it is another
// recorder than the one the answer named.
type notDeviceError struct {
	serial string // what the web door says, as it came over the LAN
	want   string // the serial chosen, canonical
}

func (e *notDeviceError) Error() string {
	return fmt.Sprintf("the web door says it is %q, not %s", e.serial, e.want)
}
