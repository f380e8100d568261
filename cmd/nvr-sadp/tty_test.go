//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"nvrmenu/bench/perf"
	"nvrmenu/recovery"
)

// TestInteractiveSession runs `nvr-sadp forgot` at a real terminal (a
// pty): the first use's fingerprint question, the method chosen from the
// list, the three answers and the new password twice typed without echo,
// the strength meter. What the terminal shows must hold no secret.
func TestInteractiveSession(t *testing.T) {
	d := startDoor(t, true)
	s, err := d.core.Console().Login("admin", doorPassword)
	if err != nil {
		t.Fatal(err)
	}
	var qa [3]recovery.QuestionAnswer
	for i := range qa {
		qa[i] = recovery.QuestionAnswer{ID: perf.DeviceQuestions[i], Answer: perf.DeviceAnswers[i]}
	}
	if err := s.SetSecurityQuestions(qa); err != nil {
		t.Fatal(err)
	}
	s.Logout()
	discoverFound(t, d.found)

	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	defer master.Close()
	pty.Setsize(master, &pty.Winsize{Rows: 40, Cols: 100})
	var mu sync.Mutex
	var screen strings.Builder
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	shown := func() string { mu.Lock(); defer mu.Unlock(); return screen.String() }
	// expect waits until the terminal shows want n times, then types line.
	expect := func(want string, n int, line string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for strings.Count(shown(), want) < n {
			if time.Now().After(deadline) {
				t.Fatalf("the terminal never showed %q (%d times):\n%s", want, n, shown())
			}
			time.Sleep(10 * time.Millisecond)
		}
		master.Write([]byte(line + "\r"))
	}

	known := filepath.Join(t.TempDir(), "known_recorders")
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"forgot", doorSerial, "-lang", "en", "-known-recorders", known}, tty, tty, tty)
	}()
	expect("Is it the same? [y/n]", 1, "y")
	expect("Choose the mode (1-1):", 1, "1")
	expect("Answer 1:", 1, "ravenna")
	expect("Answer 2:", 1, perf.DeviceAnswers[1])
	expect("Answer 3:", 1, perf.DeviceAnswers[2])
	expect("New password:", 1, "password")
	expect("New password:", 2, newPassword)
	expect("Confirm password:", 1, newPassword)
	var code int
	select {
	case code = <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("nvr-sadp did not end:\n%s", shown())
	}
	// The last lines may still be on their way through the pty.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(shown(), "Log in with the new password") && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	tty.Close()
	out := strings.ReplaceAll(shown(), "\r\n", "\n")
	t.Logf("the terminal:\n%s", out)
	if code != exitOK || !d.login(t, newPassword) {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, secret := range []string{"ravenna", perf.DeviceAnswers[1], perf.DeviceAnswers[2], newPassword} {
		if strings.Contains(out, secret) {
			t.Errorf("the terminal echoed %q", secret)
		}
	}
	for _, want := range []string{"SHA-256 " + shownFingerprint(d.sha), "1. Verify security questions", "In which city was your first job?", "it is a very common password", "Strength: Strong", "Password reset"} {
		if !strings.Contains(out, want) {
			t.Errorf("the terminal lacks %q", want)
		}
	}
	if os.Getenv("NVRSADP_TRANSCRIPT") != "" {
		os.WriteFile(os.Getenv("NVRSADP_TRANSCRIPT"), []byte(out), 0o644)
	}
}

// TestInteractiveEmail resets by the e-mail code at a real terminal: the
// QR code drawn there in half blocks (black on white) is read off the
// terminal's text, decoded, answered by the vendor's key, and the code
// typed back.
func TestInteractiveEmail(t *testing.T) {
	d := startDoor(t, true)
	s, err := d.core.Console().Login("admin", doorPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRecoveryEmail("mario.rossi@example.com"); err != nil {
		t.Fatal(err)
	}
	s.Logout()
	discoverFound(t, d.found)
	known := filepath.Join(t.TempDir(), "known_recorders")
	k, _ := loadKnown(known)
	if err := k.pin(doorSerial, d.sha, time.Now()); err != nil {
		t.Fatal(err)
	}

	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	defer master.Close()
	var mu sync.Mutex
	var screen strings.Builder
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	shown := func() string { mu.Lock(); defer mu.Unlock(); return strings.ReplaceAll(screen.String(), "\r\n", "\n") }
	waitShown := func(want string) string {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); !strings.Contains(shown(), want); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the terminal never showed %q:\n%s", want, shown())
			}
		}
		return shown()
	}
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"forgot", doorSerial, "-method", "email", "-lang", "en", "-known-recorders", known}, tty, tty, tty)
	}()
	out := waitShown("Verification code:")
	var qr []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "\x1b[30;107m") {
			qr = append(qr, l)
		}
	}
	if len(qr) < 10 {
		t.Fatalf("no QR code drawn in colour on the terminal:\n%s", out)
	}
	c, err := d.vendor.OpenChallengePayload(decodeQRImageText(t, renderCells(strings.Join(qr, "\n"))))
	if err != nil {
		t.Fatal(err)
	}
	master.Write([]byte(recovery.FormatVerificationCode(c.Code) + "\r"))
	waitShown("New password:")
	master.Write([]byte(newPassword + "\r"))
	waitShown("Confirm password:")
	master.Write([]byte(newPassword + "\r"))
	select {
	case code := <-done:
		if code != exitOK || !d.login(t, newPassword) {
			t.Fatalf("exit %d:\n%s", code, shown())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("nvr-sadp did not end:\n%s", shown())
	}
	tty.Close()
}
