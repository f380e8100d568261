//go:build linux

package cli

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"nvrmenu/recovery"
	"nvrmenu/sadp"
)

// TestOutputFiles: the files nvr-sadp writes go into a folder made when
// it is missing (0700, and said so), or are refused in one line naming
// the real file, never a temporary one; an existing file is refused
// without a terminal with the -f hint, and -f replaces it, so that a run
// done again works.
func TestOutputFiles(t *testing.T) {
	d := startDoor(t, true)
	a := appFinding(d.found)
	dir := t.TempDir()
	pins := filepath.Join(dir, "known_recorders")
	common := []string{"-known-recorders", pins, "-lang", "en", "-expect-fingerprint", d.pin.String(), "-stdin"}
	export := func(out string, extra ...string) result {
		return runCmd(t, a, strings.NewReader(doorPassword+"\n"), append(append([]string{"export-guid", doorSerial, "-o", out}, common...), extra...)...)
	}

	// A folder named with a trailing slash, missing: made, the file in it
	// under the recorder's name.
	r := export(filepath.Join(dir, "guid") + "/")
	files, _ := filepath.Glob(filepath.Join(dir, "guid", doorSerial+"_*.nvrguid"))
	if r.code != exitOK || len(files) != 1 || !strings.Contains(r.stdout, "Folder "+filepath.Join(dir, "guid")+" made.") {
		t.Fatalf("export-guid -o a missing folder/: got\n%s\nfiles %q; want the folder made and one GUID file in it", r, files)
	}
	if st, err := os.Stat(filepath.Join(dir, "guid")); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("the folder made: %v, mode %v; want 0700", err, st.Mode().Perm())
	}
	// A file in a missing folder: the folder made too.
	deep := filepath.Join(dir, "site", "rack1", "rec.nvrguid")
	if r := export(deep); r.code != exitOK || !fileThere(deep) || !strings.Contains(r.stdout, "Folder "+filepath.Dir(deep)+" made.") {
		t.Errorf("export-guid -o a file in a missing folder:\n%s", r)
	}
	// A folder that cannot be made (a file is in the way): one line
	// naming the real path, the previous GUID file still valid.
	blocker := filepath.Join(dir, "blocker")
	os.WriteFile(blocker, []byte("x"), 0o600)
	r = export(filepath.Join(blocker, "sub") + "/")
	if r.code != exitFile || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, blocker) ||
		!strings.Contains(r.stderr, "not a folder") || strings.Contains(r.stderr, ".tmp-") || !strings.Contains(r.stdout, "previous file still works") {
		t.Errorf("export-guid -o under a file:\n%s\nwant exit %d, one line naming %s", r, exitFile, blocker)
	}

	// An existing file, without a terminal: refused with the -f hint, and
	// nothing confirmed; -f replaces it, and the new one works.
	before, _ := os.ReadFile(deep)
	r = export(deep)
	if r.code != exitFile || !strings.Contains(r.stderr, deep+" already exists: -f replaces it") || !strings.Contains(r.stdout, "previous file still works") {
		t.Errorf("export-guid over an existing file without -f:\n%s", r)
	}
	if now, _ := os.ReadFile(deep); string(now) != string(before) {
		t.Error("the existing file changed without -f")
	}
	if r := export(deep, "-f"); r.code != exitOK {
		t.Fatalf("export-guid -f over an existing file:\n%s", r)
	}
	if now, _ := os.ReadFile(deep); string(now) == string(before) {
		t.Error("-f did not replace the file")
	}
	if !d.ready(t)[recovery.MethodGUID] {
		t.Error("the GUID file written with -f is not the recorder's")
	}

	// The e-mail method: one wrong code from a script ends the run; the
	// run done again finds the QR code's file there, is refused without
	// -f, and with -f goes through (the same challenge, the same code).
	s, err := d.core.Console().Login("admin", doorPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRecoveryEmail("mario.rossi@example.com"); err != nil {
		t.Fatal(err)
	}
	s.Logout()
	qr := filepath.Join(dir, "mail", "qr.png")
	forgot := func(stdin string, extra ...string) result {
		return runCmd(t, a, strings.NewReader(stdin), append(append([]string{"forgot", doorSerial, "-export-qr", qr}, common...), extra...)...)
	}
	r = forgot("2345-6789\n" + newPassword + "\n")
	if r.code != exitWrongProof || !strings.Contains(r.stderr, "Tries left: 4") || !strings.Contains(r.stdout, "Folder "+filepath.Dir(qr)+" made.") {
		t.Fatalf("a wrong code from a script:\n%s\nwant exit %d with the tries left", r, exitWrongProof)
	}
	code := d.issue(t, waitFile(t, qr))
	if r := forgot(code + "\n" + newPassword + "\n"); r.code != exitFile || !strings.Contains(r.stderr, qr+" already exists: -f replaces it") {
		t.Errorf("the run again, without -f:\n%s", r)
	}
	if r := forgot(code+"\n"+newPassword+"\n", "-f"); r.code != exitOK || !d.login(t, newPassword) {
		t.Errorf("the run again with -f:\n%s", r)
	}
}

func fileThere(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && st.Size() > 0
}

// TestItalianRun: an Italian run says everything in Italian: the session,
// the refusals, the files' and the flags' errors. Each line is checked
// against English words that Italian never uses.
func TestItalianRun(t *testing.T) {
	d := startDoor(t, false)
	a := appFinding(d.found)
	dir := t.TempDir()
	pins := filepath.Join(dir, "known_recorders")
	common := []string{"-known-recorders", pins, "-lang", "it"}
	pw := secretFile(t, dir, "pw", doorPassword)
	answers := secretFile(t, dir, "answers", "Ravenna", "Via Roma", "Giulia")
	wrong := secretFile(t, dir, "wrong", "Milano", "Via Roma", "Giulia")
	blocker := filepath.Join(dir, "blocker")
	os.WriteFile(blocker, []byte("x"), 0o600)
	var said strings.Builder
	run := func(wantCode int, stdin io.Reader, args ...string) {
		t.Helper()
		r := runCmd(t, a, stdin, append(args, common...)...)
		if r.code != wantCode {
			t.Errorf("%q: got\n%s\nwant exit %d", args, r, wantCode)
		}
		said.WriteString(r.stdout + r.stderr)
	}
	run(exitOK, nil, "activate", doorSerial, "-password-file", pw, "-expect-fingerprint", d.pin.String())
	run(exitOK, nil, "setup", doorSerial, "-password-file", pw, "-questions", "first-job-city,childhood-street,grandmother-first-name",
		"-answers-file", answers, "-email", "mario.rossi@example.com", "-guid-out", filepath.Join(dir, "guid")+"/")
	run(exitFile, nil, "export-guid", doorSerial, "-password-file", pw, "-o", filepath.Join(blocker, "x.nvrguid"))
	run(exitFile, nil, "export-guid", doorSerial, "-password-file", filepath.Join(dir, "missing"), "-o", dir)
	run(exitFile, nil, "forgot", doorSerial, "-method", "questions", "-answers-file", pw, "-password-file", pw)
	run(exitWrongProof, nil, "forgot", doorSerial, "-method", "questions", "-answers-file", wrong, "-password-file", pw)
	run(exitNotFound, nil, "forgot", "NVRNOBODY", "-method", "questions")
	run(exitUsage, nil, "forgot", doorSerial, "-method", "questions")
	run(exitUsage, nil, "forgot", doorSerial, "-bogus")
	run(exitUsage, nil, "export-guid", doorSerial, "-t", "1h", "-o", dir)
	var q sync.WaitGroup
	in, feed := io.Pipe()
	q.Go(func() { run(exitOK, in, "forgot", doorSerial, "-export-qr", filepath.Join(dir, "qr")+"/", "-stdin") })
	png := waitGlob(t, filepath.Join(dir, "qr", "QR-"+doorSerial+"-*.png"))
	feed.Write([]byte(d.issue(t, png) + "\n" + newPassword + "\n"))
	q.Wait()
	feed.Close()
	run(exitAborted, strings.NewReader(""), "forgot", doorSerial, "-method", "questions", "-stdin")
	// The recorder's answer announces a web door where nothing listens.
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone, m := d.found, *d.found.ProbeMatch
	gone.ProbeMatch = &m
	gone.WebDoor = &sadp.WebDoor{URL: "https://" + closed.Addr().String() + "/", CertSHA256: d.pin.Hex()}
	closed.Close()
	a = appFinding(gone)
	run(exitNetwork, nil, "forgot", doorSerial, "-method", "questions")

	text := said.String()
	t.Logf("an Italian run:\n%s", text)
	for _, line := range strings.Split(text, "\n") {
		for _, english := range []string{" the ", " is ", " and ", " not ", "already", "cannot", "no such", "denied", "directory", "warning", "unknown", "Recorder ", "exists", "flag", "want "} {
			if strings.Contains(" "+line+" ", english) {
				t.Errorf("English (%q) in an Italian run: %q", english, line)
			}
		}
	}
	for _, want := range []string{"Registratore " + doorSerial, "Cartella ", "una parte del percorso non è una cartella", "non esiste",
		"ha troppe poche righe per risposte", "Tentativi rimasti", "nessun dispositivo ha risposto come NVRNOBODY", "opzione sconosciuta -bogus",
		"-t 1h0m0s: da 100ms a 60s", "manca il valore risposte", "interrotto",
		"registratore non raggiungibile: https://", "connessione rifiutata"} {
		if !strings.Contains(text, want) {
			t.Errorf("an Italian run lacks %q", want)
		}
	}
}

// waitGlob waits for one file matching pattern to be there, whole, and
// returns its contents.
func waitGlob(t *testing.T, pattern string) []byte {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m, _ := filepath.Glob(pattern); len(m) == 1 {
			if b, err := os.ReadFile(m[0]); err == nil && len(b) > 0 {
				return b
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing like %s appeared", pattern)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
