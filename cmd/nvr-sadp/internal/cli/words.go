package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"strings"
	"syscall"

	"nvrmenu/cmd/nvr-sadp/internal/known"
	"nvrmenu/cmd/nvr-sadp/internal/recorder"
	"nvrmenu/internal/atomicfile"
	"nvrmenu/internal/termsafe"
	"nvrmenu/sadp"
	"nvrmenu/texts"
)

// What went wrong with the network, a file or the system, in the
// session's words. The system's own text (English, whatever the session)
// is printed only for a cause none of these name.

// networkWords says what went wrong talking to the web door at url.
func networkWords(c *texts.Catalogue, url string, ne *recorder.NetworkError) string {
	url = termsafe.String(url)
	switch ne.Kind {
	case recorder.FailTooLarge:
		return c.F(texts.SadpNetTooLarge, url, ne.Op)
	case recorder.FailAnswer:
		if ne.Status != 0 {
			return c.F(texts.SadpNetHTTPStatus, url, ne.Status, ne.Op)
		}
		return c.F(texts.SadpNetBadAnswer, url, ne.Op)
	}
	return url + ": " + causeWords(c, ne.Err)
}

// discoveryWords says why a discovery could not probe, or what went wrong
// on one interface.
func discoveryWords(c *texts.Catalogue, err error) string {
	var ie *sadp.InterfaceError
	if !errors.As(err, &ie) {
		return c.F(texts.SadpDiscoveryFailed, causeWords(c, err))
	}
	names := termsafe.String(strings.Join(ie.Interfaces, ", "))
	switch {
	case errors.Is(ie.Err, sadp.ErrNoInterface):
		return c.T(texts.SadpNoInterface)
	case errors.Is(ie.Err, sadp.ErrUnknownInterface):
		return c.F(texts.SadpUnknownInterface, names, termsafe.String(strings.Join(ie.Have, ", ")))
	case errors.Is(ie.Err, sadp.ErrNoIPv4):
		return c.F(texts.SadpNoIPv4, names)
	case errors.Is(ie.Err, sadp.ErrNoProbeSent):
		why := make([]string, 0, len(ie.Problems))
		for _, p := range ie.Problems {
			why = append(why, discoveryWords(c, p))
		}
		return c.F(texts.SadpNoProbeSent, strings.Join(why, "; "))
	case ie.Op == sadp.OpProbe:
		return c.F(texts.SadpProbeFailed, names, ie.Addr.String(), causeWords(c, ie.Err))
	case ie.Op == sadp.OpSocket:
		return c.F(texts.SadpSocketFailed, names, ie.Addr.String(), causeWords(c, ie.Err))
	}
	return c.F(texts.SadpAddressesFailed, names, causeWords(c, ie.Err))
}

// fileWords says what went wrong with a local file or folder.
func fileWords(c *texts.Catalogue, fe *fileError) string {
	path := termsafe.String(fe.path)
	var (
		ce *known.CorruptError
		ue *known.UnsafeError
	)
	switch {
	case errors.Is(fe.err, atomicfile.ErrExists):
		return c.F(texts.SadpFileExists, path)
	case errors.As(fe.err, &ce):
		switch {
		case ce.TooLarge:
			return c.F(texts.SadpKnownTooLarge, termsafe.String(ce.Path), known.MaxFileSize)
		case ce.Twice != "":
			return c.F(texts.SadpKnownTwice, termsafe.String(ce.Path), ce.Line, ce.Twice)
		}
		return c.F(texts.SadpKnownCorrupt, termsafe.String(ce.Path), ce.Line)
	case errors.As(fe.err, &ue):
		if ue.Owner >= 0 {
			return c.F(texts.SadpKnownOtherOwner, termsafe.String(ue.Path), ue.Owner, ue.User, termsafe.String(ue.Fix()))
		}
		return c.F(texts.SadpKnownWritable, termsafe.String(ue.Path), termsafe.String(ue.Fix()))
	case errors.Is(fe.err, errTooFewLines):
		return c.F(texts.SadpTooFewLines, path, c.T(valueWords[fe.kind]))
	case errors.Is(fe.err, errLineTooLong):
		return c.F(texts.SadpFileLineTooLong, path, maxLine)
	case errors.Is(fe.err, errNoConfigDir):
		return c.T(texts.SadpNoConfigDir)
	}
	return c.F(texts.SadpFileError, path+": "+causeWords(c, fe.err))
}

// errNoConfigDir: the system names no config directory for the known
// recorders (no HOME, no XDG_CONFIG_HOME, no AppData).
var errNoConfigDir = errors.New("no config directory")

// causeWords words the system's reason for a failure: a file, a socket,
// a connection.
func causeWords(c *texts.Catalogue, err error) string {
	var (
		ne  net.Error
		ae  tls.AlertError
		rhe tls.RecordHeaderError
		en  syscall.Errno
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return c.T(texts.SadpErrTimeout)
	case errors.As(err, &ae), errors.As(err, &rhe):
		return c.T(texts.SadpErrTLS)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return c.T(texts.SadpErrBroken)
	case errors.Is(err, known.ErrNotRegular):
		return c.T(texts.SadpErrNotRegular)
	case errors.As(err, &en):
		if id, ok := errnoWords[en]; ok {
			return c.T(id)
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return c.T(texts.SadpErrNotExist)
	case errors.Is(err, fs.ErrPermission):
		return c.T(texts.SadpErrPermission)
	case errors.Is(err, fs.ErrExist):
		return c.T(texts.SadpErrExist)
	}
	// A cause none of the above names: the system's own words.
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return termsafe.String(err.Error())
}
