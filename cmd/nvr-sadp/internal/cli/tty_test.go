//go:build linux

package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"nvrmenu/bench/perf"
	"nvrmenu/cmd/nvr-sadp/internal/known"
	"nvrmenu/internal/payload"
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
	a := appFinding(d.found)

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
	// wait waits until the terminal shows want n times.
	wait := func(want string, n int) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for strings.Count(shown(), want) < n {
			if time.Now().After(deadline) {
				t.Fatalf("the terminal never showed %q (%d times):\n%s", want, n, shown())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	// expect waits until the terminal shows want n times, then types line.
	expect := func(want string, n int, line string) {
		t.Helper()
		wait(want, n)
		master.Write([]byte(line + "\r"))
	}
	// expectSecret is expect for a prompt read without echo: the line is
	// typed once the terminal's echo is off (a slow machine, qemu-user,
	// shows the prompt a moment before).
	expectSecret := func(want string, n int, line string) {
		t.Helper()
		wait(want, n)
		waitNoEcho(t, master)
		master.Write([]byte(line + "\r"))
	}

	knownFile := filepath.Join(t.TempDir(), "known_recorders")
	done := make(chan int, 1)
	go func() {
		done <- a.run(context.Background(), []string{"forgot", doorSerial, "-lang", "en", "-known-recorders", knownFile}, tty, tty, tty)
	}()
	expect("Is it the same? [y/n]", 1, "y")
	expect("Choose the recovery method (1-1):", 1, "1")
	expectSecret("Answer 1:", 1, "ravenna")
	expectSecret("Answer 2:", 1, perf.DeviceAnswers[1])
	expectSecret("Answer 3:", 1, perf.DeviceAnswers[2])
	expectSecret("New password:", 1, "password")
	expectSecret("New password:", 2, newPassword)
	expectSecret("Confirm password:", 1, newPassword)
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
	for _, want := range []string{"SHA-256 " + d.pin.String(), "1. Verify by security questions", "In which city was your first job?", "it is a very common password", "Strength: Strong", "Password reset"} {
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
	a := appFinding(d.found)
	knownFile := filepath.Join(t.TempDir(), "known_recorders")
	k, _ := known.Load(knownFile)
	if err := k.Pin(doorSerial, d.pin, time.Now()); err != nil {
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
		done <- a.run(context.Background(), []string{"forgot", doorSerial, "-method", "email", "-lang", "en", "-known-recorders", knownFile}, tty, tty, tty)
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
	c, err := d.vendor.Open(decodeQRImageText(t, renderCells(strings.Join(qr, "\n"))))
	if err != nil {
		t.Fatal(err)
	}
	master.Write([]byte(payload.FormatCode(c.Code) + "\r"))
	waitShown("New password:")
	waitNoEcho(t, master)
	master.Write([]byte(newPassword + "\r"))
	waitShown("Confirm password:")
	waitNoEcho(t, master)
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

// ptySession runs nvr-sadp args at a real terminal; expect waits until the
// terminal shows want (n times) and types line.
type ptySession struct {
	t      *testing.T
	master *os.File
	mu     sync.Mutex
	screen strings.Builder
	done   chan int
}

func startPTY(t *testing.T, a *app, args ...string) *ptySession {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	p := &ptySession{t: t, master: master, done: make(chan int, 1)}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			p.mu.Lock()
			p.screen.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { p.done <- a.run(context.Background(), args, tty, tty, tty) }()
	t.Cleanup(func() { tty.Close(); master.Close() })
	return p
}

func (p *ptySession) shown() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.ReplaceAll(p.screen.String(), "\r\n", "\n")
}

func (p *ptySession) expect(want string, n int, line string) {
	p.t.Helper()
	p.wait(want, n)
	p.master.Write([]byte(line + "\r"))
}

// expectSecret is expect for a prompt read without echo: the line is typed
// once the terminal's echo is off.
func (p *ptySession) expectSecret(want string, n int, line string) {
	p.t.Helper()
	p.wait(want, n)
	waitNoEcho(p.t, p.master)
	p.master.Write([]byte(line + "\r"))
}

func (p *ptySession) wait(want string, n int) {
	p.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); strings.Count(p.shown(), want) < n; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			p.t.Fatalf("the terminal never showed %q (%d times):\n%s", want, n, p.shown())
		}
	}
}

// waitNoEcho waits until the terminal behind master has its echo off
// (termios ioctls on a pty's master act on its terminal).
func waitNoEcho(t *testing.T, master *os.File) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		tio, err := unix.IoctlGetTermios(int(master.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatalf("reading the terminal's mode: %v", err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the terminal's echo never went off")
		}
	}
}

func (p *ptySession) exit(last string) int {
	p.t.Helper()
	select {
	case code := <-p.done:
		for deadline := time.Now().Add(5 * time.Second); !strings.Contains(p.shown(), last) && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		return code
	case <-time.After(30 * time.Second):
		p.t.Fatalf("nvr-sadp did not end:\n%s", p.shown())
	}
	return -1
}

// TestInteractiveSetup sets every method up at a real terminal: the
// login, three questions picked by number with each answer typed twice
// (a mismatch asked again), the e-mail typed twice, and the GUID export
// to a path typed at the prompt.
func TestInteractiveSetup(t *testing.T) {
	d := startDoor(t, true)
	a := appFinding(d.found)
	dir := t.TempDir()
	knownFile := filepath.Join(dir, "known_recorders")
	k, _ := known.Load(knownFile)
	if err := k.Pin(doorSerial, d.pin, time.Now()); err != nil {
		t.Fatal(err)
	}
	p := startPTY(t, a, "setup", doorSerial, "-lang", "en", "-known-recorders", knownFile)
	p.expectSecret("Password of user admin:", 1, doorPassword)
	p.expect("Set the security questions? [y/n]", 1, "y")
	p.expect("Numbers of three different questions", 1, "9 10 9")
	p.expect("Numbers of three different questions", 2, "9 10 14")
	p.expectSecret("Answer 1:", 1, perf.DeviceAnswers[0])
	p.expectSecret("Again, to confirm:", 1, perf.DeviceAnswers[0])
	p.expectSecret("Answer 2:", 1, perf.DeviceAnswers[1])
	p.expectSecret("Again, to confirm:", 2, "Via Milano")
	p.expectSecret("Answer 2:", 2, perf.DeviceAnswers[1])
	p.expectSecret("Again, to confirm:", 3, perf.DeviceAnswers[1])
	p.expectSecret("Answer 3:", 1, perf.DeviceAnswers[2])
	p.expectSecret("Again, to confirm:", 4, perf.DeviceAnswers[2])
	p.expect("Recovery e-mail (empty", 1, "mario.rossi@example.com")
	p.expect("Confirm e-mail address:", 1, "mario.rossi@example.com")
	p.expect("Export now? [y/n]", 1, "y")
	p.expect("Where to save the GUID file?", 1, dir)
	code := p.exit("Security questions: Set up")
	out := p.shown()
	t.Logf("the terminal:\n%s", out)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for m, ready := range d.ready(t) {
		if !ready {
			t.Errorf("%s not ready after the set-up", m)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, doorSerial+"_*.nvrguid")); len(files) != 1 {
		t.Errorf("GUID files in %s: %q", dir, files)
	}
	for _, secret := range append(perf.DeviceAnswers[:], doorPassword) {
		if strings.Contains(out, secret) {
			t.Errorf("the terminal echoed %q", secret)
		}
	}
	for _, want := range []string{"Question 3: pick three different questions", "The two answers differ", "Security questions saved.", "Recovery e-mail address saved: ", "New GUID file registered", "Security questions: Set up"} {
		if !strings.Contains(out, want) {
			t.Errorf("the terminal lacks %q", want)
		}
	}
}

// TestInteractiveRetries: at a terminal an existing file is replaced
// after a yes, a wrong or malformed e-mail code is asked again while the
// recorder says tries remain, and the code is shown as it is typed (it is
// spent once used; -h says so), unlike passwords and answers.
func TestInteractiveRetries(t *testing.T) {
	d := startDoor(t, true)
	s, err := d.core.Console().Login("admin", doorPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRecoveryEmail("mario.rossi@example.com"); err != nil {
		t.Fatal(err)
	}
	s.Logout()
	a := appFinding(d.found)
	dir := t.TempDir()
	knownFile := filepath.Join(dir, "known_recorders")
	k, _ := known.Load(knownFile)
	if err := k.Pin(doorSerial, d.pin, time.Now()); err != nil {
		t.Fatal(err)
	}
	qr := filepath.Join(dir, "qr.png")
	os.WriteFile(qr, []byte("an older QR code"), 0o600)

	p := startPTY(t, a, "forgot", doorSerial, "-export-qr", qr, "-lang", "en", "-known-recorders", knownFile)
	p.expect(qr+" already exists. Replace it? [y/n]", 1, "y")
	p.wait("Verification code:", 1)
	png, _ := os.ReadFile(qr)
	code := d.issue(t, png)
	wrong := "2345-6789"
	if code == wrong {
		wrong = "9876-5432"
	}
	p.master.Write([]byte(wrong + "\r"))
	p.expect("Verification code:", 2, "12")
	p.expect("Verification code:", 3, code)
	p.expectSecret("New password:", 1, newPassword)
	p.expectSecret("Confirm password:", 1, newPassword)
	exit := p.exit("Log in with the new password")
	out := p.shown()
	t.Logf("the terminal:\n%s", out)
	if exit != exitOK || !d.login(t, newPassword) {
		t.Fatalf("exit %d", exit)
	}
	for _, want := range []string{"Wrong verification code. Tries left: 4.", "The verification code has 8 letters and digits.",
		"Verification code: " + wrong, "Verification code: " + code} {
		if !strings.Contains(out, want) {
			t.Errorf("the terminal lacks %q", want)
		}
	}
	if strings.Contains(out, newPassword) {
		t.Error("the terminal echoed the password")
	}

	// A wrong admin password is asked again; an existing GUID file is
	// kept when the answer to replacing it is no, and the old GUID file
	// stays the valid one.
	guid := filepath.Join(dir, "rec.nvrguid")
	os.WriteFile(guid, []byte("an older GUID file"), 0o600)
	p = startPTY(t, a, "export-guid", doorSerial, "-o", guid, "-lang", "en", "-known-recorders", knownFile)
	p.expectSecret("Password of user admin:", 1, "Sbagliata!9x")
	p.expectSecret("Password of user admin:", 2, newPassword)
	p.expect(guid+" already exists. Replace it? [y/n]", 1, "n")
	exit = p.exit("the previous file still works")
	out = p.shown()
	t.Logf("the terminal:\n%s", out)
	if exit != exitAborted || !strings.Contains(out, "Tries left: 4") || !strings.Contains(out, guid+" was not replaced") {
		t.Errorf("exit %d; want %d, the tries left and the file kept", exit, exitAborted)
	}
	if b, _ := os.ReadFile(guid); string(b) != "an older GUID file" {
		t.Error("the GUID file was replaced after a no")
	}
	if d.ready(t)[recovery.MethodGUID] {
		t.Error("a GUID export was confirmed though its file was not written")
	}
}
