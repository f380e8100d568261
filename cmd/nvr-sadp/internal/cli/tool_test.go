package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"nvrmenu/cmd/nvr-sadp/internal/known"
	"nvrmenu/cmd/nvr-sadp/internal/recorder"
	"nvrmenu/internal/atomicfile"
	"nvrmenu/internal/certfp"
	"nvrmenu/internal/qrread"
	"nvrmenu/recovery/journey"
	"nvrmenu/sadp"
	"nvrmenu/texts"
)

var (
	pinA = certfp.Of([]byte("certificate A"))
	pinB = certfp.Of([]byte("certificate B"))
)

func found(serial, ip, from, mac string, pin certfp.Fingerprint) sadp.Found {
	m := &sadp.ProbeMatch{DeviceSN: serial, IPv4Address: ip, MAC: mac}
	if !pin.IsZero() {
		m.WebDoor = &sadp.WebDoor{URL: "https://" + from + ":8443/", CertSHA256: pin.Hex()}
	}
	return sadp.Found{ProbeMatch: m, From: netip.AddrPortFrom(netip.MustParseAddr(from), 37020), Interface: "eth0"}
}

func TestChooseDevice(t *testing.T) {
	rec1 := found("NVR1", "198.51.100.11", "198.51.100.11", "02-00-00-00-00-11", pinA)
	rec2 := found("NVR2", "198.51.100.12", "198.51.100.12", "02-00-00-00-00-12", pinB)
	other := found("CAM9", "198.51.100.20", "198.51.100.20", "02-00-00-00-00-20", certfp.Fingerprint{})
	rogue := found("NVR1", "198.51.100.11", "198.51.100.66", "02-66-66-66-66-66", pinB)
	bad := found("NVR\x1b[2J", "198.51.100.30", "198.51.100.30", "02-00-00-00-00-30", pinA)
	// Answers claiming NVR1 in lower case: the same serial, held to its pin.
	lowerRogue := found("nvr1", "198.51.100.11", "198.51.100.66", "02-66-66-66-66-66", pinB)
	lowerReal := found("nvr1", "198.51.100.11", "198.51.100.11", "02-00-00-00-00-11", pinA)
	dir := t.TempDir()
	pins, _ := known.Load(filepath.Join(dir, "pins"))
	if err := pins.Pin("NVR1", pinA, time.Now()); err != nil {
		t.Fatal(err)
	}
	none, _ := known.Load(filepath.Join(dir, "none"))
	all := []sadp.Found{rec1, rec2, other}
	for _, tc := range []struct {
		name      string
		found     []sadp.Found
		device    string
		known     *known.File
		expect    certfp.Fingerprint
		acceptNew bool
		want      string // the From address chosen
		err       error
		fp        *recorder.FingerprintError
		others    int
	}{
		{name: "serial", found: all, device: "NVR2", known: none, want: "198.51.100.12"},
		{name: "serial in lower case", found: all, device: "nvr2", known: none, want: "198.51.100.12"},
		{name: "IP", found: all, device: "198.51.100.11", known: pins, want: "198.51.100.11"},
		{name: "MAC with dashes", found: all, device: "02-00-00-00-00-12", known: none, want: "198.51.100.12"},
		{name: "MAC with colons, upper case", found: all, device: "02:00:00:00:00:12", known: none, want: "198.51.100.12"},
		{name: "nothing matches", found: all, device: "NVR7", known: none, err: errNotFound},
		{name: "nobody answered", device: "NVR1", known: none, err: errNotFound},
		{name: "read-only", found: all, device: "CAM9", known: none, err: errReadOnly},
		{name: "a serial nvr-sadp cannot pin", found: []sadp.Found{bad}, device: "198.51.100.30", known: none, err: errBadSerial},
		{name: "a dot in the serial", found: []sadp.Found{found("NVR.1", "198.51.100.30", "198.51.100.30", "", pinA)}, device: "NVR.1", known: none, err: errBadSerial},
		{name: "an underscore in the serial", found: []sadp.Found{found("NVR_1", "198.51.100.30", "198.51.100.30", "", pinA)}, device: "198.51.100.30", known: none, err: errBadSerial},
		// ſ is not s: strings.EqualFold and strings.ToUpper would make it NVRS.
		{name: "a non-ASCII letter in the serial", found: []sadp.Found{found("NVR\u017f", "198.51.100.30", "198.51.100.30", "", pinA)}, device: "198.51.100.30", known: none, err: errBadSerial},
		{name: "a non-ASCII letter is not its ASCII fold", found: []sadp.Found{found("NVR\u017f", "198.51.100.30", "198.51.100.30", "", pinA)}, device: "NVRS", known: none, err: errNotFound},
		{name: "a lower-case variant of the pinned serial, its own certificate", found: []sadp.Found{lowerRogue}, device: "198.51.100.66", known: pins, fp: &recorder.FingerprintError{Serial: "NVR1", Pinned: pinA, Presented: pinB, Announced: true}},
		{name: "a lower-case variant of the pinned serial, by serial", found: []sadp.Found{lowerRogue}, device: "NVR1", known: pins, fp: &recorder.FingerprintError{Serial: "NVR1", Pinned: pinA, Presented: pinB, Announced: true}},
		{name: "the pinned one among case variants", found: []sadp.Found{lowerRogue, rec1}, device: "nvr1", known: pins, want: "198.51.100.11", others: 1},
		{name: "the pin holds for a lower-case answer", found: []sadp.Found{lowerReal}, device: "NVR1", known: pins, want: "198.51.100.11"},
		{name: "first use, case variants disagree", found: []sadp.Found{rec1, lowerRogue}, device: "NVR1", known: none, fp: &recorder.FingerprintError{Serial: "NVR1", Pinned: pinA, Presented: pinB, Announced: true, FirstUse: true}},
		// The rogue claims rec2's address: two serials match.
		{name: "ambiguous address", found: []sadp.Found{rec1, rec2, found("NVR3", "198.51.100.12", "198.51.100.13", "", pinA)}, device: "198.51.100.12", known: none, err: errAmbiguous},
		{name: "pinned one among two answers", found: []sadp.Found{rogue, rec1}, device: "NVR1", known: pins, want: "198.51.100.11", others: 1},
		{name: "pin differs from the announced", found: []sadp.Found{rogue}, device: "198.51.100.66", known: pins, fp: &recorder.FingerprintError{Serial: "NVR1", Pinned: pinA, Presented: pinB, Announced: true}},
		{name: "first use, two answers disagree", found: []sadp.Found{rec1, rogue}, device: "NVR1", known: none, fp: &recorder.FingerprintError{Serial: "NVR1", Pinned: pinA, Presented: pinB, Announced: true, FirstUse: true}},
		{name: "first use, expected one chosen", found: []sadp.Found{rogue, rec1}, device: "NVR1", known: none, expect: pinA, want: "198.51.100.11", others: 1},
		{name: "first use, expected not announced", found: []sadp.Found{rogue}, device: "NVR1", known: none, expect: pinA, fp: &recorder.FingerprintError{Serial: "NVR1", Pinned: pinA, Presented: pinB, Announced: true, FirstUse: true}},
		{name: "accept a new one", found: []sadp.Found{rogue}, device: "NVR1", known: pins, acceptNew: true, want: "198.51.100.66"},
		{name: "accept a new one, but two", found: []sadp.Found{rogue, rec1}, device: "NVR1", known: pins, acceptNew: true, fp: &recorder.FingerprintError{Serial: "NVR1", Pinned: pinB, Presented: pinA, Announced: true}},
		{name: "expected differs from the pin", found: []sadp.Found{rec1}, device: "NVR1", known: pins, expect: pinB, fp: &recorder.FingerprintError{Serial: "NVR1", Pinned: pinA, Presented: pinB, Announced: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _, err := choose(tc.found, parseSelector(tc.device), tc.known, tc.expect, tc.acceptNew)
			var fe *recorder.FingerprintError
			switch {
			case tc.fp != nil:
				if !errors.As(err, &fe) || *fe != *tc.fp {
					t.Fatalf("got %v (%+v), want %+v", err, fe, tc.fp)
				}
			case tc.err != nil:
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %v, want %v", err, tc.err)
				}
			case err != nil:
				t.Fatalf("got %v", err)
			case c.found.From.Addr().String() != tc.want || len(c.others) != tc.others:
				t.Fatalf("chose %s with %d others, want %s with %d", c.found.From, len(c.others), tc.want, tc.others)
			case !known.ValidSerial(c.serial):
				t.Fatalf("chose the serial %q, want it canonical", c.serial)
			}
		})
	}
}

// TestExitCodes maps every problem code of the API to its exit code, and
// keeps the codes distinct.
func TestExitCodes(t *testing.T) {
	want := map[texts.Code]int{
		texts.CodeLocked: exitLocked, texts.CodeThrottled: exitLocked, texts.CodeBusy: exitLocked,
		texts.CodeNotSetUp: exitNotOffered, texts.CodeUnavailable: exitNotOffered, texts.CodeActivationClosed: exitNotOffered, texts.CodeActivationWindowOver: exitNotOffered,
		texts.CodeAnswerTooShort: exitWrongProof, texts.CodePasswordTooShort: exitWrongProof,
		texts.CodeWrongPassword: exitWrongProof, texts.CodeWrongAnswers: exitWrongProof, texts.CodeWrongCode: exitWrongProof,
		texts.CodeGUIDWrong: exitWrongProof, texts.CodeGUIDExpired: exitWrongProof, texts.CodeGUIDOtherDevice: exitWrongProof,
		texts.CodeGUIDMalformed: exitWrongProof, texts.CodeNoValidGUID: exitWrongProof, texts.CodeAnswersIncomplete: exitWrongProof,
		texts.CodeCodeMalformed: exitWrongProof, texts.CodeCodeExpired: exitWrongProof, texts.CodeNoChallenge: exitWrongProof,
		texts.CodeTicketInvalid:   exitWrongProof,
		texts.CodePasswordRefused: exitRefused, texts.CodeAlreadyActivated: exitRefused, texts.CodeNotActivated: exitRefused,
		texts.CodeReauthRequired: exitRefused, texts.CodeSessionEnded: exitRefused, texts.CodeUnexpected: exitRefused,
		texts.CodeInvalidEmail: exitRefused, texts.CodeQuestionChoice: exitRefused, "from-a-newer-recorder": exitRefused,
	}
	for code, exit := range want {
		if got := exitForCode(code); got != exit {
			t.Errorf("%s: exit %d, want %d", code, got, exit)
		}
	}
	codes := []int{exitOK, exitNetwork, exitUsage, exitNotFound, exitReadOnly, exitNotOffered, exitLocked, exitWrongProof, exitFingerprint, exitRefused, exitAborted, exitFile}
	seen := map[int]bool{}
	for _, c := range codes {
		if seen[c] {
			t.Errorf("exit code %d used twice", c)
		}
		seen[c] = true
	}

}

// TestReport: each error is one line (a certificate's, four) with what is
// left, in the session's language: every line of an Italian run is
// Italian, the system's errors included.
func TestReport(t *testing.T) {
	refused := &recorder.NetworkError{Op: "GET /api/v1/device", Kind: recorder.FailConnect,
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}}
	timeout := &recorder.NetworkError{Op: "POST /api/v1/login", Kind: recorder.FailConnect, Err: context.DeadlineExceeded}
	for _, tc := range []struct {
		err    error
		code   int
		it, en string
	}{
		{&recorder.ProblemError{Status: 423, Problem: texts.Problem{Code: texts.CodeLocked, LockSeconds: 1700}}, exitLocked, "29 min", "locked for 29 min"},
		{&recorder.ProblemError{Status: 403, Problem: texts.Problem{Code: texts.CodeWrongAnswers, Counted: true, TriesLeft: 3}}, exitWrongProof, "3", "Tries left: 3"},
		{&notOfferedError{journey.Status{Method: journey.Email, Why: &texts.Problem{Code: texts.CodeUnavailable}}}, exitNotOffered, "e-mail", "Not offered on this recorder"},
		{&notOfferedError{journey.Status{Method: journey.GUID, Why: &texts.Problem{Code: texts.CodeLocked, LockSeconds: 60}}}, exitLocked, "1 min", "locked for 1 min"},
		{&recorder.FingerprintError{Serial: "NVR1", Pinned: pinA, Presented: pinB}, exitFingerprint, "presentato:", "presented:"},
		{refused, exitNetwork, "registratore non raggiungibile: https://198.51.100.11:8443/: connessione rifiutata", "cannot talk to the recorder: https://198.51.100.11:8443/: connection refused"},
		{timeout, exitNetwork, "nessuna risposta in tempo", "no answer in time"},
		{&recorder.NetworkError{Op: "GET /api/v1/device", Kind: recorder.FailAnswer, Status: 502, Err: errors.New("HTTP 502")}, exitNetwork, "risposta HTTP 502 senza l'errore dell'API", "HTTP 502 without the API's error"},
		{&recorder.NetworkError{Op: "GET /api/v1/device", Kind: recorder.FailAnswer, Err: errors.New("no token")}, exitNetwork, "non è una di quelle dell'API", "is not one the API gives"},
		{&recorder.NetworkError{Op: "GET /api/v1/recovery/email/qr.png", Kind: recorder.FailTooLarge, Err: errors.New("big")}, exitNetwork, "troppo grande", "too large"},
		{&notDeviceError{serial: "OTHER\x1b[2J", want: "NVR1"}, exitNetwork, "dice di essere", "says it is"},
		{&sadp.InterfaceError{Err: sadp.ErrNoInterface}, exitNetwork, "nessuna interfaccia", "no interface to probe"},
		{errNotFound, exitNotFound, "nessun dispositivo ha risposto come NVR1", "no device answered as NVR1"},
		{errReadOnly, exitReadOnly, "sola lettura", "read-only"},
		{&noInputError{valueAnswers}, exitUsage, "manca il valore risposte e non c'è un terminale per chiederlo: usare -answers-file o -stdin", "no answers given and no terminal to ask for it: use -answers-file or -stdin"},
		{&noInputError{valueGUIDFile}, exitUsage, "usare -guid o -stdin", "use -guid or -stdin"},
		{errInterrupted, exitAborted, "interrotto", "interrupted"},
		{context.Canceled, exitAborted, "interrotto", "interrupted"},
		{&fileError{path: "pw", err: &fs.PathError{Op: "open", Path: "pw", Err: syscall.ENOENT}}, exitFile, "file locale: pw: non esiste", "local file: pw: does not exist"},
		{&fileError{path: "out/x.nvrguid", err: fmt.Errorf("writing out/x.nvrguid: %w", syscall.EACCES)}, exitFile, "out/x.nvrguid: permesso negato", "out/x.nvrguid: permission denied"},
		{&fileError{path: "usb/x.nvrguid", err: fmt.Errorf("writing usb/x.nvrguid: %w", syscall.ENOSPC)}, exitFile, "disco pieno", "disk full"},
		{&fileError{path: "qr.png", err: fmt.Errorf("qr.png: %w", atomicfile.ErrExists)}, exitFile, "qr.png esiste già: -f lo sostituisce", "qr.png already exists: -f replaces it"},
		{&fileError{path: "qr.png", err: errNotReplaced}, exitAborted, "qr.png non è stato sostituito", "qr.png was not replaced"},
		{&fileError{path: "answers", kind: valueAnswers, err: errTooFewLines}, exitFile, "answers ha troppe poche righe per risposte", "answers has too few lines for the answers"},
		{&fileError{path: "k", err: &known.CorruptError{Path: "k", Line: 3}}, exitFile, "la riga 3 non è «SERIE SHA256»", "line 3 is not \"SERIAL SHA256\""},
		{&fileError{path: "k", err: &known.UnsafeError{Path: "k", Owner: -1, Mode: 0o666}}, exitFile, "scrivibile da altri", "chmod 600 k"},
		{&fileError{path: "known_recorders", err: errNoConfigDir}, exitFile, "-known-recorders", "-known-recorders"},
		{&lineTooLongError{stdin: true}, exitUsage, "lo standard input ha una riga di oltre 4096 byte", "standard input has a line over 4096 bytes"},
	} {
		var said [2]string
		for i, lang := range []string{"it", "en"} {
			var errb bytes.Buffer
			tl := &tool{cmd: "forgot", device: "NVR1", doorURL: "https://198.51.100.11:8443/", stderr: &errb, stdout: io.Discard}
			tl.cat, _ = texts.New(lang)
			want := []string{tc.it, tc.en}[i]
			if got := tl.report(tc.err); got != tc.code || !strings.Contains(errb.String(), want) {
				t.Errorf("%s: %v: exit %d, said %q; want %d and %q", lang, tc.err, got, errb.String(), tc.code, want)
			}
			if n := strings.Count(errb.String(), "\n"); n != 1 && tc.code != exitFingerprint || tc.code == exitFingerprint && n != 4 {
				t.Errorf("%s: %v: %d lines:\n%s", lang, tc.err, n, errb.String())
			}
			assertClean(t, "stderr", errb.String())
			said[i] = errb.String()
		}
		if said[0] == said[1] {
			t.Errorf("%v: the same words in Italian and English: %q", tc.err, said[0])
		}
	}
}

// TestQRInTheTerminal draws a payload with half blocks and with full
// blocks, renders the characters back into pixels as a terminal would
// (dark glyph halves black), and decodes them.
func TestQRInTheTerminal(t *testing.T) {
	payload := "NVRR1:" + strings.Repeat("6BFOXN%TS3DH", 12)
	for _, full := range []bool{false, true} {
		for _, colour := range []bool{false, true} {
			var b bytes.Buffer
			if err := drawQR(&b, payload, full, colour); err != nil {
				t.Fatal(err)
			}
			if got := decodeQRImageText(t, renderCells(b.String())); got != payload {
				t.Errorf("full %v, colour %v: decoded %q", full, colour, got)
			}
			if !colour && strings.Contains(b.String(), "\x1b") {
				t.Errorf("an escape sequence without colour")
			}
		}
	}
}

// renderCells paints text in 4x8-pixel cells: █ dark, ▀ its top half, ▄
// its bottom half; escape sequences are skipped.
func renderCells(text string) image.Image {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	width := 0
	var rows [][]rune
	for _, l := range lines {
		var r []rune
		for i := 0; i < len(l); {
			if l[i] == 0x1b {
				j := strings.IndexByte(l[i:], 'm')
				i += j + 1
				continue
			}
			c := []rune(l[i:])[0]
			r = append(r, c)
			i += len(string(c))
		}
		rows = append(rows, r)
		width = max(width, len(r))
	}
	const cw, ch = 4, 8
	img := image.NewGray(image.Rect(0, 0, width*cw, len(rows)*ch))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y, r := range rows {
		for x, c := range r {
			top, bottom := c == '█' || c == '▀', c == '█' || c == '▄'
			for py := 0; py < ch; py++ {
				if py < ch/2 && top || py >= ch/2 && bottom {
					for px := 0; px < cw; px++ {
						img.SetGray(x*cw+px, y*ch+py, color.Gray{0})
					}
				}
			}
		}
	}
	return img
}

func decodeQRImageText(t *testing.T, img image.Image) string {
	t.Helper()
	text, err := qrread.Image(img)
	if err != nil {
		t.Fatalf("the drawn QR code does not decode: %v", err)
	}
	return text
}

// TestInputsFromFiles reads values from their files, in order, then from
// standard input with -stdin; nothing read is echoed, and without a file,
// -stdin or a terminal a value is an error naming its flag.
func TestInputsFromFiles(t *testing.T) {
	dir := t.TempDir()
	answers := secretFileAt(t, dir, "answers", "uno\r\ndue\r\n tre \r\n")
	pw := secretFileAt(t, dir, "pw", "S3greta!x")
	var prompts bytes.Buffer
	in := newInputs(context.Background(), strings.NewReader("codice\n"), &prompts, map[string]string{valueAnswers: answers, valuePassword: pw, valueCode: ""}, true)
	for _, want := range []string{"uno", "due", " tre "} {
		if got, err := in.secret(valueAnswers, "Answer:"); err != nil || got != want {
			t.Errorf("answer: %q, %v; want %q", got, err, want)
		}
	}
	if _, err := in.secret(valueAnswers, "Answer:"); err == nil {
		t.Error("a fourth answer from a file of three")
	}
	if got, _ := in.secret(valuePassword, "Password:"); got != "S3greta!x" {
		t.Errorf("password %q", got)
	}
	if got, _ := in.visible(valueCode, "Code:"); got != "codice" {
		t.Errorf("code from standard input %q", got)
	}
	if _, err := in.visible(valueCode, "Code:"); !errors.Is(err, errInterrupted) {
		t.Errorf("standard input ended: %v", err)
	}
	if prompts.Len() != 0 || in.interactive() {
		t.Errorf("prompts without a terminal: %q", prompts.String())
	}
	none := newInputs(context.Background(), strings.NewReader(""), &prompts, nil, false)
	var ni *noInputError
	if _, err := none.secret(valuePassword, "Password:"); !errors.As(err, &ni) || ni.kind != valuePassword {
		t.Errorf("no source: %v", err)
	}
	if yes, err := none.yes(nil, "Export?"); yes || err != nil {
		t.Errorf("a yes/no question without a terminal: %v, %v; want no", yes, err)
	}
	empty := secretFileAt(t, dir, "empty", "")
	e := newInputs(context.Background(), nil, &prompts, map[string]string{valuePassword: empty}, false)
	if _, err := e.secret(valuePassword, "Password:"); err == nil {
		t.Error("a password from an empty file")
	}
}

func secretFileAt(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSessionLanguage(t *testing.T) {
	for _, tc := range []struct {
		args              []string
		lcAll, lang, want string
	}{
		{[]string{"forgot", "X", "-lang", "en"}, "", "it_IT.UTF-8", "en"},
		{[]string{"forgot", "-lang=en", "X"}, "", "it_IT.UTF-8", "en"},
		{[]string{"list", "--lang", "it"}, "", "en_GB.UTF-8", "it"},
		{[]string{"list", "-lang", "fr"}, "", "en_GB.UTF-8", "en"}, // refused later, in the environment's language
		{[]string{"list"}, "", "en_GB.UTF-8", "en"},
		{[]string{"list"}, "", "it_IT.UTF-8", "it"},
		{[]string{"list"}, "", "C.UTF-8", "it"},
		{[]string{"list"}, "en_US.UTF-8", "it_IT.UTF-8", "en"},
		{[]string{"list"}, "", "", "it"},
		{nil, "", "", "it"},
	} {
		env := map[string]string{"LC_ALL": tc.lcAll, "LANG": tc.lang}
		a := &app{getenv: func(k string) string { return env[k] }}
		if got := a.catalogue(tc.args).Lang(); got != tc.want {
			t.Errorf("%q, LC_ALL %q, LANG %q: %q, want %q", tc.args, tc.lcAll, tc.lang, got, tc.want)
		}
	}
}
