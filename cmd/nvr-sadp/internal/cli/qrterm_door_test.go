package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nvrmenu/internal/payload"
	"nvrmenu/internal/qrread"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// TestEmailQRInTheTerminal: `forgot -method email` without -export-qr, on
// a recorder without and with the vendor's recovery page. The words before
// the QR code are the journey's for what the code holds (photograph it and
// mail the picture, or scan it with the phone), word for word as the other
// doors say them; the code drawn in the terminal scans to a challenge the
// vendor answers, in the form the recorder gives (text, or the page's
// address); the code typed back resets the password.
func TestEmailQRInTheTerminal(t *testing.T) {
	cat, err := texts.New("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, appURL, prefix string }{
		{"no recovery page", "", payload.Prefix},
		{"the vendor's recovery page", "https://recovery.example.com/r/", "HTTPS://RECOVERY.EXAMPLE.COM/R/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := startDoorWith(t, true, tc.appURL)
			a := appFinding(d.found)
			dir := t.TempDir()
			common := []string{"-known-recorders", filepath.Join(dir, "known_recorders"), "-lang", "en"}
			pw := secretFile(t, dir, "pw", doorPassword)
			r := runCmd(t, a, nil, append([]string{"setup", doorSerial, "-password-file", pw, "-email", "mario.rossi@example.com", "-expect-fingerprint", d.pin.String()}, common...)...)
			if r.code != exitOK {
				t.Fatalf("setup -email:\n%s", r)
			}

			in, feed := io.Pipe()
			defer feed.Close()
			outR, outW := io.Pipe()
			var errb bytes.Buffer
			done := make(chan int, 1)
			go func() {
				code := a.run(context.Background(), append([]string{"forgot", doorSerial, "-method", "email", "-stdin"}, common...), in, outW, &errb)
				outW.Close()
				in.Close() // a write of the code after the tool ended fails, never blocks
				done <- code
			}()
			// Whatever goes wrong, the tool's pipes close after 20 s: the
			// reads and writes below fail instead of waiting for the
			// test's timeout.
			stuck := errors.New("the tool said nothing more for 20 s")
			defer time.AfterFunc(20*time.Second, func() { outW.CloseWithError(stuck); in.CloseWithError(stuck) }).Stop()
			// The tries left are said after the code is drawn.
			after := cat.F(texts.WebCodeTriesLeft, 5)
			var out strings.Builder
			lines := bufio.NewReader(outR)
			for !strings.Contains(out.String(), after) {
				line, err := lines.ReadString('\n')
				out.WriteString(line)
				if err != nil {
					t.Fatalf("no %q: %v\n%s", after, err, out.String())
				}
			}
			go io.Copy(io.Discard, lines)
			shown := out.String()
			words := cat.F(journey.WordsForQR(tc.appURL != "").Send, "pw_recovery@example.com")
			other := cat.F(journey.WordsForQR(tc.appURL == "").Send, "pw_recovery@example.com")
			if !strings.Contains(shown, words) || strings.Contains(shown, other) {
				t.Fatalf("want the words %q (not %q) before the QR code:\n%s", words, other, shown)
			}
			start := strings.Index(shown, words) + len(words)
			end := strings.Index(shown, after)
			text, err := qrread.Image(renderCells(shown[start:end]))
			if err != nil {
				t.Fatalf("the QR code drawn in the terminal does not scan: %v\n%s", err, shown)
			}
			if !strings.HasPrefix(text, tc.prefix) {
				t.Errorf("the QR code holds %.40q…, want it to start with %q", text, tc.prefix)
			}
			c, err := d.vendor.Open(text)
			if err != nil {
				t.Fatalf("the vendor cannot open the scanned challenge: %v", err)
			}
			if _, err := feed.Write([]byte(payload.FormatCode(c.Code) + "\n" + newPassword + "\n")); err != nil {
				t.Errorf("typing the code: %v", err)
			}
			if code := <-done; code != exitOK || !d.login(t, newPassword) {
				t.Fatalf("forgot -method email: exit %d\n%s\n%s", code, shown, errb.String())
			}
		})
	}
}
