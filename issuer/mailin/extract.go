// Package mailin is the recovery service's mail door: an SMTP and LMTP
// server (github.com/emersion/go-smtp, the protocol as maddy speaks it)
// whose every message is walked as MIME (github.com/emersion/go-message)
// for a recorder's payload — a QR code in an attached PNG or JPEG, or the
// payload's text in the body — and handed to the service.
//
// Everything in a message is bounded: its size (at the SMTP level, before
// it is read), its MIME parts and their nesting, the bytes read of each
// part, the images decoded (their pixels checked before decoding) and the
// candidates kept. Archives are never opened. A message is acknowledged
// only once the service has handled it (the code mailed and recorded); a
// refusal is a 5xx reply, a passing failure a 4xx one, so the sender's
// MTA tries again.
package mailin

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"regexp"
	"slices"
	"strings"

	"github.com/emersion/go-message"

	"nvrmenu/internal/payload"
)

// Limits bound what Extract reads of one message.
type Limits struct {
	MaxParts      int   // MIME parts in all
	MaxDepth      int   // nesting of multiparts and attached messages
	MaxCandidates int   // payload texts kept
	MaxImages     int   // images decoded
	MaxTextBytes  int64 // read of one text part
	MaxImageBytes int64 // read of one image part
	MaxHeader     int64 // bytes of one header block
	Image         ImageLimits
}

// DefaultLimits are generous for a real recovery mail (a phone's photo
// and a signature) and small against a crafted one.
var DefaultLimits = Limits{
	MaxParts: 100, MaxDepth: 5, MaxCandidates: 8, MaxImages: 4,
	MaxTextBytes: 256 << 10, MaxImageBytes: 8 << 20, MaxHeader: 64 << 10,
	Image: DefaultImageLimits,
}

// Errors of Extract.
var (
	ErrNoPayload    = errors.New("no recovery QR code or payload text in the message")
	ErrTooManyParts = errors.New("message has too many MIME parts")
	ErrTooDeep      = errors.New("message's MIME parts are nested too deep")
	ErrMalformed    = errors.New("message is not readable MIME")
)

// Extract walks a message and returns the payload texts it holds (each
// one passes payload.ParseHeader), in the order found. When it finds none
// the error is ErrNoPayload, wrapping what was wrong with the images if
// any were refused.
func Extract(r io.Reader, lim Limits) ([]string, error) {
	x := &extractor{lim: lim, seen: map[string]bool{}}
	e, err := message.ReadWithOptions(r, &message.ReadOptions{MaxHeaderBytes: lim.MaxHeader})
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := x.walk(e, 0); err != nil && !errors.Is(err, errEnough) {
		return x.found, err
	}
	if len(x.found) == 0 {
		if x.imageErr != nil {
			return nil, fmt.Errorf("%w (%w)", ErrNoPayload, x.imageErr)
		}
		return nil, ErrNoPayload
	}
	return x.found, nil
}

var errEnough = errors.New("enough candidates")

type extractor struct {
	lim      Limits
	parts    int
	images   int
	found    []string
	seen     map[string]bool
	imageErr error
}

func (x *extractor) walk(e *message.Entity, depth int) error {
	if depth > x.lim.MaxDepth {
		return ErrTooDeep
	}
	if mr := e.MultipartReader(); mr != nil {
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
				return fmt.Errorf("%w: %v", ErrMalformed, err)
			}
			if x.parts++; x.parts > x.lim.MaxParts {
				return fmt.Errorf("%w: more than %d", ErrTooManyParts, x.lim.MaxParts)
			}
			if p == nil {
				continue
			}
			if err := x.walk(p, depth+1); err != nil {
				return err
			}
		}
	}
	mediaType, params, _ := e.Header.ContentType()
	if mediaType == "" {
		mediaType = "text/plain"
	}
	name := strings.ToLower(params["name"])
	if _, dp, err := mime.ParseMediaType(e.Header.Get("Content-Disposition")); err == nil && dp["filename"] != "" {
		name = strings.ToLower(dp["filename"])
	}
	switch {
	case mediaType == "text/plain" || mediaType == "text/html":
		data, _ := io.ReadAll(io.LimitReader(e.Body, x.lim.MaxTextBytes))
		for _, c := range textCandidates(string(data)) {
			if err := x.add(c); err != nil {
				return err
			}
		}
	case mediaType == "image/png" || mediaType == "image/jpeg" || mediaType == "image/jpg" ||
		(mediaType == "application/octet-stream" && (strings.HasSuffix(name, ".png") || strings.HasSuffix(name, ".jpg") || strings.HasSuffix(name, ".jpeg"))):
		if x.images >= x.lim.MaxImages {
			return nil
		}
		x.images++
		data, err := io.ReadAll(io.LimitReader(e.Body, x.lim.MaxImageBytes+1))
		if err != nil {
			x.imageErr = fmt.Errorf("%w: %v", ErrImage, err)
			return nil
		}
		if int64(len(data)) > x.lim.MaxImageBytes {
			x.imageErr = fmt.Errorf("%w: larger than %d bytes", ErrImage, x.lim.MaxImageBytes)
			return nil
		}
		text, err := DecodeQR(data, x.lim.Image)
		if err != nil {
			x.imageErr = err
			return nil
		}
		if err := x.add(strings.TrimSpace(text)); err != nil {
			return err
		}
		if !x.seen[strings.TrimSpace(text)] {
			x.imageErr = fmt.Errorf("%w: its QR code is not a recovery payload", ErrImage)
		}
	case mediaType == "message/rfc822":
		inner, err := message.ReadWithOptions(e.Body, &message.ReadOptions{MaxHeaderBytes: x.lim.MaxHeader})
		if err != nil && inner == nil {
			return nil
		}
		return x.walk(inner, depth+1)
	}
	// Anything else (archives, documents) is not opened.
	return nil
}

// add keeps a candidate that parses as a payload header, once.
func (x *extractor) add(text string) error {
	if text == "" || x.seen[text] {
		return nil
	}
	if _, _, err := payload.ParseHeader(text); err != nil {
		return nil
	}
	x.seen[text] = true
	x.found = append(x.found, text)
	if len(x.found) >= x.lim.MaxCandidates {
		return errEnough
	}
	return nil
}

var (
	// urlRE finds https addresses (the payload is their last segment).
	urlRE = regexp.MustCompile(`(?i)https://[^\s<>"'()\[\]]+`)
	// nvrrRE finds the "NVRR1:" form; base45 has spaces, so a line is
	// taken whole and tried, then with the lines after it.
	nvrrRE = regexp.MustCompile(`NVRR1:[0-9A-Z $%*+\-./:]*`)
	// base45Line is a line made only of base45 characters.
	base45Line = regexp.MustCompile(`^[0-9A-Z $%*+\-./:]+$`)
)

// textCandidates returns the payload texts a body may hold: every https
// address, and every "NVRR1:" text, on its line or continued over the
// following lines (a mail client wraps long lines).
func textCandidates(body string) []string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	var out []string
	for _, u := range urlRE.FindAllString(body, 16) {
		out = append(out, strings.TrimRight(u, ".,;:!?"))
	}
	lines := strings.Split(body, "\n")
	for i, line := range lines {
		loc := nvrrRE.FindStringIndex(line)
		if loc == nil {
			continue
		}
		text := strings.TrimSpace(line[loc[0]:loc[1]])
		variants := []string{text}
		// Joined with up to 8 following lines of base45, with and without
		// the space a wrap may have eaten.
		joined, spaced := text, text
		for j := i + 1; j < len(lines) && j <= i+8; j++ {
			next := strings.TrimRight(lines[j], " ")
			if !base45Line.MatchString(next) {
				break
			}
			joined += next
			spaced += " " + next
			variants = append(variants, joined, spaced)
		}
		// Longest first: a wrapped payload's first line alone may parse
		// as a header too, and would not open.
		slices.Reverse(variants)
		out = append(out, variants...)
		if len(out) > 64 {
			break
		}
	}
	return out
}
