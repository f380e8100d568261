package main

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"nvrmenu/recovery/journey"
	"nvrmenu/sadp"
	"nvrmenu/texts"
)

var (
	shaA = strings.Repeat("a1", 32)
	shaB = strings.Repeat("b2", 32)
)

func TestKnownRecordersFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "known_recorders")
	k, err := loadKnown(path)
	if err != nil || k.lookup("X") != "" {
		t.Fatalf("a missing file: %v, want no pins", err)
	}
	now := time.Date(2027, 3, 14, 9, 30, 0, 0, time.UTC)
	if err := k.pin("NVRLAN00000001", shaA, now); err != nil {
		t.Fatal(err)
	}
	if err := k.pin("NVRLAN00000002", shaB, now); err != nil {
		t.Fatal(err)
	}
	if err := k.pin("NVRLAN00000001", shaB, now); err != nil { // replaced in place
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		st, _ := os.Stat(path)
		dst, _ := os.Stat(filepath.Dir(path))
		if st.Mode().Perm() != 0o600 || dst.Mode().Perm() != 0o700 {
			t.Errorf("modes: file %04o, directory %04o; want 0600 and 0700", st.Mode().Perm(), dst.Mode().Perm())
		}
	}
	again, err := loadKnown(path)
	if err != nil || again.lookup("NVRLAN00000001") != shaB || again.lookup("NVRLAN00000002") != shaB {
		t.Fatalf("read back: %v, %+v", err, again)
	}
	data, _ := os.ReadFile(path)
	if strings.Count(string(data), "NVRLAN00000001") != 1 || !strings.HasPrefix(string(data), "#") {
		t.Errorf("file:\n%s", data)
	}
	if old, err := again.forget("NVRLAN00000001"); err != nil || old != shaB {
		t.Errorf("forget: %q, %v", old, err)
	}
	if old, _ := again.forget("NVRLAN00000001"); old != "" {
		t.Errorf("forget twice: %q", old)
	}
	if k, _ := loadKnown(path); k.lookup("NVRLAN00000001") != "" || k.lookup("NVRLAN00000002") != shaB {
		t.Errorf("after forget: %+v", k)
	}

	for name, content := range map[string]string{
		"a short hash":                 "S1 abcd\n",
		"upper-case hex":               "S1 " + strings.ToUpper(shaA) + "\n",
		"one field":                    "S1\n",
		"a bad serial":                 "S\x1b[2J " + shaA + "\n",
		"a serial twice":               "S1 " + shaA + "\nS1 " + shaB + "\n",
		"a serial twice, in two cases": "ABC123 " + shaA + "\nabc123 " + shaB + "\n",
		"a dot in a serial":            "S.1 " + shaA + "\n",
		"a non-ASCII letter":           "S\u017f1 " + shaA + "\n", // ſ, which strings.ToUpper makes an S
		"binary":                       "\x00\x01\x02",
	} {
		p := filepath.Join(dir, "corrupt")
		os.WriteFile(p, []byte(content), 0o600)
		if _, err := loadKnown(p); !errors.Is(err, errKnownCorrupt) {
			t.Errorf("%s: got %v, want corrupt", name, err)
		}
	}
	// A pin written by hand in lower case is the upper-case serial's.
	lower := filepath.Join(dir, "lower")
	os.WriteFile(lower, []byte("abc-123 "+shaA+"\n"), 0o600)
	if k, err := loadKnown(lower); err != nil || k.lookup("ABC-123") != shaA || k.lookup("Abc-123") != shaA {
		t.Errorf("a lower-case pin: %v, %+v; want it found as ABC-123", err, k)
	}
	if err := again.pin("nvrlan00000002", shaA, now); err != nil { // the same recorder as NVRLAN00000002
		t.Fatal(err)
	}
	if k, _ := loadKnown(path); k.lookup("NVRLAN00000002") != shaA || k.pins() != 1 {
		t.Errorf("a pin in lower case did not replace the upper-case one: %+v", k)
	}
	if old, err := again.forget("nvrlan00000002"); err != nil || old != shaA {
		t.Errorf("forget in lower case: %q, %v", old, err)
	}
	if data, _ := os.ReadFile(path); strings.Contains(string(data), "nvrlan") {
		t.Errorf("a serial written in lower case:\n%s", data)
	}
	if err := k.pin("NVR.1", shaA, now); err == nil {
		t.Error("pinned a serial with a dot")
	}
	p := filepath.Join(dir, "ok")
	os.WriteFile(p, []byte("# comment\n\n  S1 "+shaA+" # pinned by hand\r\n"), 0o600)
	if k, err := loadKnown(p); err != nil || k.lookup("S1") != shaA {
		t.Errorf("comments, blank lines, CRLF: %v", err)
	}
	if runtime.GOOS != "windows" {
		os.Chmod(p, 0o666)
		if _, err := loadKnown(p); err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("a world-writable file: got %v, want refused", err)
		}
	}
}

// pins counts the serials pinned.
func (k *knownRecorders) pins() int {
	n := 0
	for _, l := range k.lines {
		if l.serial != "" {
			n++
		}
	}
	return n
}

func TestFingerprintForms(t *testing.T) {
	shown := shownFingerprint(shaA)
	if !strings.HasPrefix(shown, "A1:A1:") || len(shown) != 95 {
		t.Errorf("shown %q", shown)
	}
	for _, typed := range []string{shown, strings.ToLower(shown), shaA, " " + strings.ReplaceAll(shown, ":", " ") + " "} {
		if got, ok := parseFingerprint(typed); !ok || got != shaA {
			t.Errorf("parseFingerprint(%q) = %q, %v", typed, got, ok)
		}
	}
	if _, ok := parseFingerprint("A1:B2"); ok {
		t.Error("a short fingerprint parsed")
	}
}

func found(serial, ip, from, mac, sha string) sadp.Found {
	m := &sadp.ProbeMatch{DeviceSN: serial, IPv4Address: ip, MAC: mac}
	if sha != "" {
		m.WebDoor = &sadp.WebDoor{URL: "https://" + from + ":8443/", CertSHA256: sha}
	}
	return sadp.Found{ProbeMatch: m, From: netip.AddrPortFrom(netip.MustParseAddr(from), 37020), Interface: "eth0"}
}

func TestChooseDevice(t *testing.T) {
	rec1 := found("NVR1", "198.51.100.11", "198.51.100.11", "02-00-00-00-00-11", shaA)
	rec2 := found("NVR2", "198.51.100.12", "198.51.100.12", "02-00-00-00-00-12", shaB)
	other := found("CAM9", "198.51.100.20", "198.51.100.20", "02-00-00-00-00-20", "")
	rogue := found("NVR1", "198.51.100.11", "198.51.100.66", "02-66-66-66-66-66", shaB)
	bad := found("NVR\x1b[2J", "198.51.100.30", "198.51.100.30", "02-00-00-00-00-30", shaA)
	// Answers claiming NVR1 in lower case: the same serial, held to its pin.
	lowerRogue := found("nvr1", "198.51.100.11", "198.51.100.66", "02-66-66-66-66-66", shaB)
	lowerReal := found("nvr1", "198.51.100.11", "198.51.100.11", "02-00-00-00-00-11", shaA)
	pins := &knownRecorders{lines: []knownLine{{serial: "NVR1", sha256: shaA}}}
	none := &knownRecorders{}
	all := []sadp.Found{rec1, rec2, other}
	for _, tc := range []struct {
		name      string
		found     []sadp.Found
		device    string
		known     *knownRecorders
		expect    string
		acceptNew bool
		want      string // the From address chosen
		err       error
		fp        *fingerprintError
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
		{name: "a dot in the serial", found: []sadp.Found{found("NVR.1", "198.51.100.30", "198.51.100.30", "", shaA)}, device: "NVR.1", known: none, err: errBadSerial},
		{name: "an underscore in the serial", found: []sadp.Found{found("NVR_1", "198.51.100.30", "198.51.100.30", "", shaA)}, device: "198.51.100.30", known: none, err: errBadSerial},
		// ſ is not s: strings.EqualFold and strings.ToUpper would make it NVRS.
		{name: "a non-ASCII letter in the serial", found: []sadp.Found{found("NVR\u017f", "198.51.100.30", "198.51.100.30", "", shaA)}, device: "198.51.100.30", known: none, err: errBadSerial},
		{name: "a non-ASCII letter is not its ASCII fold", found: []sadp.Found{found("NVR\u017f", "198.51.100.30", "198.51.100.30", "", shaA)}, device: "NVRS", known: none, err: errNotFound},
		{name: "a lower-case variant of the pinned serial, its own certificate", found: []sadp.Found{lowerRogue}, device: "198.51.100.66", known: pins, fp: &fingerprintError{Serial: "NVR1", Pinned: shaA, Presented: shaB, Announced: true}},
		{name: "a lower-case variant of the pinned serial, by serial", found: []sadp.Found{lowerRogue}, device: "NVR1", known: pins, fp: &fingerprintError{Serial: "NVR1", Pinned: shaA, Presented: shaB, Announced: true}},
		{name: "the pinned one among case variants", found: []sadp.Found{lowerRogue, rec1}, device: "nvr1", known: pins, want: "198.51.100.11", others: 1},
		{name: "the pin holds for a lower-case answer", found: []sadp.Found{lowerReal}, device: "NVR1", known: pins, want: "198.51.100.11"},
		{name: "first use, case variants disagree", found: []sadp.Found{rec1, lowerRogue}, device: "NVR1", known: none, fp: &fingerprintError{Serial: "NVR1", Pinned: shaA, Presented: shaB, Announced: true, FirstUse: true}},
		// The rogue claims rec2's address: two serials match.
		{name: "ambiguous address", found: []sadp.Found{rec1, rec2, found("NVR3", "198.51.100.12", "198.51.100.13", "", shaA)}, device: "198.51.100.12", known: none, err: errAmbiguous},
		{name: "pinned one among two answers", found: []sadp.Found{rogue, rec1}, device: "NVR1", known: pins, want: "198.51.100.11", others: 1},
		{name: "pin differs from the announced", found: []sadp.Found{rogue}, device: "198.51.100.66", known: pins, fp: &fingerprintError{Serial: "NVR1", Pinned: shaA, Presented: shaB, Announced: true}},
		{name: "first use, two answers disagree", found: []sadp.Found{rec1, rogue}, device: "NVR1", known: none, fp: &fingerprintError{Serial: "NVR1", Pinned: shaA, Presented: shaB, Announced: true, FirstUse: true}},
		{name: "first use, expected one chosen", found: []sadp.Found{rogue, rec1}, device: "NVR1", known: none, expect: shaA, want: "198.51.100.11", others: 1},
		{name: "first use, expected not announced", found: []sadp.Found{rogue}, device: "NVR1", known: none, expect: shaA, fp: &fingerprintError{Serial: "NVR1", Pinned: shaA, Presented: shaB, Announced: true, FirstUse: true}},
		{name: "accept a new one", found: []sadp.Found{rogue}, device: "NVR1", known: pins, acceptNew: true, want: "198.51.100.66"},
		{name: "accept a new one, but two", found: []sadp.Found{rogue, rec1}, device: "NVR1", known: pins, acceptNew: true, fp: &fingerprintError{Serial: "NVR1", Pinned: shaB, Presented: shaA, Announced: true}},
		{name: "expected differs from the pin", found: []sadp.Found{rec1}, device: "NVR1", known: pins, expect: shaB, fp: &fingerprintError{Serial: "NVR1", Pinned: shaA, Presented: shaB, Announced: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _, err := choose(tc.found, parseSelector(tc.device), tc.known, tc.expect, tc.acceptNew)
			var fe *fingerprintError
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
			case !validSerial(c.serial):
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
		texts.CodeNotSetUp: exitNotOffered, texts.CodeUnavailable: exitNotOffered, texts.CodeActivationClosed: exitNotOffered,
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

	// Each error is one line (a certificate's, four) with what is left.
	tl := &tool{cmd: "forgot", device: "NVR1"}
	tl.cat, _ = texts.New("en")
	for _, tc := range []struct {
		err  error
		code int
		says string
	}{
		{&problemError{423, texts.Problem{Code: texts.CodeLocked, LockSeconds: 1700}}, exitLocked, "locked for 29 min"},
		{&problemError{403, texts.Problem{Code: texts.CodeWrongAnswers, Counted: true, TriesLeft: 3}}, exitWrongProof, "Tries left: 3"},
		{&notOfferedError{journey.Status{Method: journey.Email, Why: &texts.Problem{Code: texts.CodeUnavailable}}}, exitNotOffered, "Not offered on this recorder"},
		{&notOfferedError{journey.Status{Method: journey.GUID, Why: &texts.Problem{Code: texts.CodeLocked, LockSeconds: 60}}}, exitLocked, "locked for 1 min"},
		{&fingerprintError{Serial: "NVR1", Pinned: shaA, Presented: shaB}, exitFingerprint, "presented:"},
		{&networkError{errors.New("dial tcp 198.51.100.11:8443: connect: connection refused")}, exitNetwork, "connection refused"},
		{errNotFound, exitNotFound, "no device answered as NVR1"},
		{errReadOnly, exitReadOnly, "read-only"},
		{&noInputError{valueAnswers}, exitUsage, "-answers-file or -stdin"},
		{errInterrupted, exitAborted, "interrupted"},
		{&fileError{os.ErrPermission}, exitFile, "local file"},
	} {
		var errb bytes.Buffer
		tl.stderr = &errb
		if got := tl.report(tc.err); got != tc.code || !strings.Contains(errb.String(), tc.says) {
			t.Errorf("%v: exit %d, said %q; want %d and %q", tc.err, got, errb.String(), tc.code, tc.says)
		}
		if n := strings.Count(errb.String(), "\n"); n != 1 && tc.code != exitFingerprint || tc.code == exitFingerprint && n != 4 {
			t.Errorf("%v: %d lines:\n%s", tc.err, n, errb.String())
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
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("the drawn QR code does not decode: %v", err)
	}
	return res.GetText()
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
	for _, tc := range []struct{ flag, lcAll, lang, want string }{
		{"en", "", "it_IT.UTF-8", "en"},
		{"", "", "en_GB.UTF-8", "en"},
		{"", "", "it_IT.UTF-8", "it"},
		{"", "", "C.UTF-8", "it"},
		{"", "en_US.UTF-8", "it_IT.UTF-8", "en"},
		{"", "", "", "it"},
	} {
		t.Setenv("LC_ALL", tc.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", tc.lang)
		if got := sessionLanguage(tc.flag); got != tc.want {
			t.Errorf("-lang %q LC_ALL %q LANG %q: %q, want %q", tc.flag, tc.lcAll, tc.lang, got, tc.want)
		}
	}
}
