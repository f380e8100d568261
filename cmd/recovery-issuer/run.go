package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"nvrmenu/internal/payload"
	"nvrmenu/issuer/mailin"
)

// Exit codes: 0 done, 1 input refused, 2 usage.
const (
	exitRefused = 1
	exitUsage   = 2
)

// codeTTL is the device's code lifetime; an older payload gets a warning
// (the device decides, on its own clock).
const codeTTL = 48 * time.Hour

const usage = `usage: recovery-issuer keygen -out FILE | issue -key FILE [-png FILE | -payload TEXT]
       | serve -config FILE [-check] | serve -demo DIR

  keygen  create the vendor's private key FILE (mode 0600, never overwritten)
          and print the vendor_public_key line for the recorders' config
  issue   open a recorder's recovery QR code with the private key FILE: from
          the PNG the owner mailed (-png), its text (-payload, or standard
          input), and print the verification code and the reserved address
          to mail it to
  serve   the vendor's recovery service: mail in over SMTP and LMTP, the
          page a phone's camera opens, the code mailed to the reserved
          address (-demo DIR: beside nvr-menud -demo DIR)`

// run is the whole command: it returns the exit code instead of exiting,
// so tests can drive it with their own streams.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, usage)
		return 0
	case "keygen":
		return keygen(args[1:], stdout, stderr)
	case "issue":
		return issue(args[1:], stdin, stdout, stderr, time.Now())
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "recovery-issuer: unknown command %q: want keygen, issue or serve\n", args[0])
	return exitUsage
}

// keygen creates a new private key file (mode 0600, never over an existing
// file) and prints the public key line for the recorders' config.
func keygen(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "private key file to create (mode 0600, never overwritten)")
	if err := fs.Parse(args); err != nil || *out == "" || fs.NArg() > 0 {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			return 0
		}
		fmt.Fprintln(stderr, "usage: recovery-issuer keygen -out FILE")
		return exitUsage
	}
	k, err := payload.GenerateKey(rand.Reader)
	if err != nil {
		fmt.Fprintln(stderr, "recovery-issuer:", err)
		return exitRefused
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		fmt.Fprintf(stderr, "recovery-issuer: creating %s: %v\n", *out, err)
		return exitRefused
	}
	_, err = f.Write(payload.MarshalPrivateKey(k))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		fmt.Fprintf(stderr, "recovery-issuer: writing %s: %v\n", *out, err)
		return exitRefused
	}
	fmt.Fprintf(stdout, "# key id %s; put this line in the recorders' config, section [recovery]:\nvendor_public_key = %q\n", k.Public().KeyID(), k.Public().String())
	return 0
}

// issue opens a recorder's payload (text, stdin or PNG) with the vendor key
// and prints the verification code and where to mail it. now is the clock
// for the age warning.
func issue(args []string, stdin io.Reader, stdout, stderr io.Writer, now time.Time) int {
	fs := flag.NewFlagSet("issue", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keyFile := fs.String("key", "", "vendor private key file")
	pngFile := fs.String("png", "", "QR code image exported by the recorder")
	payloadText := fs.String("payload", "", "QR code text (default: read from standard input)")
	if err := fs.Parse(args); err != nil || *keyFile == "" || fs.NArg() > 0 || (*pngFile != "" && *payloadText != "") {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, usage)
			return 0
		}
		fmt.Fprintln(stderr, "usage: recovery-issuer issue -key FILE [-png FILE | -payload TEXT]")
		return exitUsage
	}
	keyData, err := readCapped(*keyFile, 4096)
	if err != nil {
		fmt.Fprintln(stderr, "recovery-issuer:", err)
		return exitRefused
	}
	key, err := payload.ParsePrivateKey(keyData)
	if err != nil {
		fmt.Fprintf(stderr, "recovery-issuer: key file %s: %v\n", *keyFile, err)
		return exitRefused
	}
	text := *payloadText
	switch {
	case *pngFile != "":
		text, err = decodeQRImage(*pngFile)
	case text == "":
		var b []byte
		b, err = io.ReadAll(io.LimitReader(stdin, 4096))
		text = string(b)
	}
	if err != nil {
		fmt.Fprintln(stderr, "recovery-issuer:", err)
		return exitRefused
	}
	c, err := key.Open(text)
	if err != nil {
		fmt.Fprintln(stderr, "recovery-issuer: payload refused:", err)
		return exitRefused
	}
	if age := now.Sub(c.Created); age > codeTTL {
		fmt.Fprintf(stderr, "recovery-issuer: warning: challenge made %s ago; the recorder may have expired it (if its clock is right)\n", age.Round(time.Hour))
	}
	fmt.Fprintf(stdout, "verification code: %s\nmail to:           %s\ndevice serial:     %s\nchallenge:         %x\ncreated:           %s\n",
		payload.FormatCode(c.Code), c.Email, c.Serial, c.ID, c.Created.Format(time.RFC3339))
	return 0
}

// readCapped reads at most limit bytes of path, and fails on a longer file.
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return data, nil
}

// decodeQRImage reads a QR code from a PNG or JPEG file, with the mail
// door's limits on its size and pixels.
func decodeQRImage(path string) (string, error) {
	data, err := readCapped(path, 8<<20)
	if err != nil {
		return "", err
	}
	text, err := mailin.DecodeQR(data, mailin.DefaultImageLimits)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return text, nil
}
