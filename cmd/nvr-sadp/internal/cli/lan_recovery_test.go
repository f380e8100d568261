//go:build linux

package cli

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"nvrmenu/bench/perf"
	"nvrmenu/cmd/nvr-sadp/internal/known"
	"nvrmenu/internal/netnstest"
	"nvrmenu/internal/selfcert"
	"nvrmenu/sadp"
)

// TestLANRecovery acts on two real recorders (nvr-menud -demo with their
// web door on their LAN address) from a laptop running the real nvr-sadp,
// every secret from files or standard input: rec1 is activated, set up
// (questions, e-mail, GUID file) and reset by each method; rec2, activated
// beforehand, is reset by its questions, then its certificate is replaced
// and refused until the installer deliberately accepts the new one. A
// rogue responder that announces rec1's serial is refused on the
// certificate, and its web server gets no request at all.
func TestLANRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: namespaces, two daemons and the built binaries take a minute; the full run (./build.sh test, CI) has it")
	}
	netnstest.Require(t)
	binaries(t)
	issuer := buildIssuer(t)
	sw := netnstest.NewSwitch(t)
	rec1NS, rec2NS, laptop := netnstest.New(t, "rec1"), netnstest.New(t, "rec2"), netnstest.New(t, "laptop")
	sw.Plug(t, rec1NS, "eth0", rec1Addr+"/24")
	sw.Plug(t, rec2NS, "eth0", rec2Addr+"/24")
	sw.Plug(t, laptop, "eth0", laptopAddr+"/24")
	// The owner's own checks (a login through the API) come from another
	// host, so that they spend nothing of the laptop's throttle.
	checker := netnstest.New(t, "check")
	sw.Plug(t, checker, "eth0", checkerAddr+"/24")

	dir1, dir2 := filepath.Join(t.TempDir(), "rec1"), filepath.Join(t.TempDir(), "rec2")
	activateDemo(t, dir2, rec2Serial)
	startLive(t, rec1NS, dir1, "-serial", rec1Serial, "-web", rec1Addr+":8443")
	rec2 := startLive(t, rec2NS, dir2, "-serial", rec2Serial, "-web", rec2Addr+":8443")
	home := filepath.Join(t.TempDir(), "laptop")
	lt := &laptopTool{t: t, ns: laptop, checker: checker, config: filepath.Join(home, "config"), work: filepath.Join(home, "work")}
	for _, d := range []string{lt.config, lt.work} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	knownFile := filepath.Join(lt.config, "nvr-sadp", "known_recorders")
	pw := lt.file("pw", password)
	pw2 := lt.file("pw2", "Nuova!Pass9x")
	answers := lt.file("answers", perf.DeviceAnswers[:]...)
	questions := "first-job-city,childhood-street,grandmother-first-name"

	var rec1SHA string
	t.Run("list shows both web doors", func(t *testing.T) {
		ds := listOn(t, laptop)
		for _, c := range []struct {
			serial, addr, dir string
		}{{rec1Serial, rec1Addr, dir1}, {rec2Serial, rec2Addr, dir2}} {
			d := bySerial(ds, c.serial)
			want := fingerprintOf(t, c.dir)
			if d == nil || d.ReadOnly || d.WebURL != "https://"+c.addr+":8443/" || d.CertSHA256 != want || d.HTTPPort != 8443 {
				t.Fatalf("%s: got %+v; want its web door https://%s:8443/ with SHA-256 %s", c.serial, d, c.addr, want)
			}
		}
		rec1SHA = bySerial(ds, rec1Serial).CertSHA256
	})
	if rec1SHA == "" {
		t.FailNow()
	}

	t.Run("activate", func(t *testing.T) {
		// A script meets rec1 for the first time: refused, nothing pinned,
		// nothing sent, until the installer gives the fingerprint read off
		// the recorder's monitor (here, its state directory).
		r := lt.run(nil, "activate", rec1Serial, "-password-file", pw)
		if r.code != exitUsage || !strings.Contains(r.stderr, shownFingerprint(rec1SHA)) || !strings.Contains(r.stderr, "-expect-fingerprint") {
			t.Fatalf("a scripted first use: got\n%s\nwant exit %d with the announced fingerprint", r, exitUsage)
		}
		if k, err := known.Load(knownFile); err != nil || k.Lookup(rec1Serial).Hex() != "" {
			t.Fatalf("a refused first use pinned rec1: %v", err)
		}
		assertMethods(t, laptop, rec1Serial, false, nil)
		r = lt.run(nil, "activate", rec1Serial, "-password-file", pw, "-expect-fingerprint", shownFingerprint(fingerprintOf(t, dir1)))
		t.Logf("activate:\n%s", r)
		if r.code != exitOK || !strings.Contains(r.stdout, shownFingerprint(rec1SHA)) || !strings.Contains(r.stdout, "Recorder activated") {
			t.Fatalf("activate:\n%s", r)
		}
		if k, err := known.Load(knownFile); err != nil || k.Lookup(rec1Serial).Hex() != rec1SHA {
			t.Fatalf("not pinned in %s: %v", knownFile, err)
		}
		assertMethods(t, laptop, rec1Serial, true, nil)
		if r := lt.run(nil, "activate", rec1Addr, "-password-file", pw); r.code != exitRefused || !strings.Contains(r.stderr, "already activated") {
			t.Errorf("activating it again:\n%s", r)
		}
	})

	t.Run("setup and export-guid", func(t *testing.T) {
		r := lt.run(nil, "setup", rec1Serial, "-password-file", pw, "-questions", questions, "-answers-file", answers, "-email", "mario.rossi@example.com")
		t.Logf("setup:\n%s", r)
		if r.code != exitOK {
			t.Fatalf("setup:\n%s", r)
		}
		assertMethods(t, laptop, rec1Serial, true, []string{"questions", "email"})
		mac := macOf(t, rec1NS, "eth0")
		r = lt.run(strings.NewReader(password+"\n"), "export-guid", mac, "-o", lt.work, "-stdin")
		t.Logf("export-guid:\n%s", r)
		if r.code != exitOK {
			t.Fatalf("export-guid by MAC:\n%s", r)
		}
		assertMethods(t, laptop, rec1Serial, true, []string{"guid", "questions", "email"})
		if files, _ := filepath.Glob(filepath.Join(lt.work, rec1Serial+"_*.nvrguid")); len(files) != 1 {
			t.Fatalf("GUID files in %s: %q, want one", lt.work, files)
		}
	})

	guidFile := func(t *testing.T) string {
		files, _ := filepath.Glob(filepath.Join(lt.work, rec1Serial+"_*.nvrguid"))
		sort.Strings(files)
		if len(files) == 0 {
			t.Fatal("no GUID file")
		}
		return files[len(files)-1]
	}

	t.Run("forgot by GUID file", func(t *testing.T) {
		fresh := filepath.Join(lt.work, "fresh")
		os.Mkdir(fresh, 0o700)
		r := lt.run(nil, "forgot", rec1Addr, "-guid", guidFile(t), "-password-file", pw2, "-guid-out", fresh)
		t.Logf("forgot by GUID:\n%s", r)
		if r.code != exitOK {
			t.Fatalf("forgot -guid:\n%s", r)
		}
		lt.login(rec1Addr, "Nuova!Pass9x", true)
		assertMethods(t, laptop, rec1Serial, true, []string{"guid", "questions", "email"})
		files, _ := filepath.Glob(filepath.Join(fresh, "*.nvrguid"))
		if len(files) != 1 {
			t.Fatalf("no fresh GUID file after the reset: %q", files)
		}
		// The file used is spent: the proof is refused as expired, uncounted
		// (the recorder authenticates it by its retired secret's hash).
		if r := lt.run(nil, "forgot", rec1Serial, "-guid", guidFile(t), "-password-file", pw); r.code != exitWrongProof || !strings.Contains(r.stderr, "expired on") || strings.Contains(r.stderr, "Tries left") {
			t.Errorf("a spent GUID file:\n%s", r)
		}
		os.Rename(files[0], filepath.Join(lt.work, filepath.Base(files[0])))
	})

	t.Run("forgot by e-mail code", func(t *testing.T) {
		qr := filepath.Join(lt.work, "qr.png")
		cmd := lt.command("forgot", rec1Serial, "-export-qr", qr, "-stdin")
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitFile(t, qr)
		// The vendor reads the mailed PNG (gozxing, as a person's phone
		// would, must read it too), and mails the code back.
		png, _ := os.ReadFile(qr)
		// The demo recorder's QR code opens the demo recovery service.
		if text := decodeQRPNG(t, png); !strings.HasPrefix(text, "HTTPS://127.0.0.1:8444/R/") {
			t.Errorf("the QR code holds %q", text)
		}
		issued, err := exec.Command(issuer, "issue", "-key", filepath.Join(dir1, "vendor.key"), "-png", qr).Output()
		if err != nil {
			t.Fatalf("recovery-issuer issue: %v", err)
		}
		code := regexp.MustCompile(`verification code: (\S+)`).FindStringSubmatch(string(issued))
		if code == nil {
			t.Fatalf("recovery-issuer said %q", issued)
		}
		io.WriteString(stdin, code[1]+"\n"+password+"\n")
		stdin.Close()
		err = cmd.Wait()
		r := toolResult{exitCode(err), out.String(), errb.String()}
		t.Logf("forgot by e-mail:\n%s", r)
		if r.code != exitOK || !strings.Contains(r.stdout, "pw_recovery@example.com") {
			t.Fatalf("forgot -export-qr:\n%s", r)
		}
		lt.login(rec1Addr, password, true)
	})

	var rogueHits *rogueCounts
	t.Run("a rogue answering with rec1's serial", func(t *testing.T) {
		rogue := netnstest.New(t, "rogue")
		sw.Plug(t, rogue, "eth0", rogueAddr+"/24")
		// Its own certificate announced: refused before any connection.
		stop, lines := helper(t, rogue, "rogue-door", "NVRSADP_ROGUE_SERIAL="+rec1Serial)
		expectLine(t, lines, "the rogue's readiness")
		r := lt.run(strings.NewReader("Ravenna\nVia Roma\nGiulia\n"+password+"\n"), "forgot", rogueAddr, "-method", "questions", "-stdin")
		t.Logf("through the rogue:\n%s", r)
		if r.code != exitFingerprint || !strings.Contains(r.stderr, shownFingerprint(rec1SHA)) || !strings.Contains(r.stderr, "nvr-sadp forget "+rec1Serial) {
			t.Errorf("forgot through the rogue (its own certificate announced):\n%s", r)
		}
		// Both answer for rec1's serial: the pinned certificate picks the
		// real recorder, the rogue is named and ignored, and the reset
		// by the questions goes through.
		r = lt.run(strings.NewReader("ravenna\nvia  roma\nGIULIA\n"+password+"\n"), "forgot", rec1Serial, "-method", "questions", "-stdin")
		t.Logf("with the rogue on the LAN:\n%s", r)
		if r.code != exitOK || !strings.Contains(r.stderr, rogueAddr+" answers as "+rec1Serial+" too") {
			t.Errorf("forgot by questions with the rogue on the LAN:\n%s", r)
		}
		lt.login(rec1Addr, password, true)
		// A laptop that never met rec1: two answers disagree, none wins.
		other := &laptopTool{t: t, ns: laptop, checker: checker, config: t.TempDir(), work: lt.work}
		if r := other.run(nil, "forgot", rec1Serial, "-method", "questions", "-answers-file", answers, "-password-file", pw); r.code != exitFingerprint || !strings.Contains(r.stderr, "-expect-fingerprint") {
			t.Errorf("first use with a rogue on the LAN:\n%s", r)
		}
		rogueHits = stopRogue(t, stop, lines)

		// The rogue answers with rec1's serial in lower case: the same
		// serial, held to rec1's pin, not a recorder met for the first time.
		stop, lines = helper(t, rogue, "rogue-door", "NVRSADP_ROGUE_SERIAL="+strings.ToLower(rec1Serial))
		expectLine(t, lines, "the rogue's readiness")
		for _, extra := range [][]string{nil, {"-trust-first-use"}} {
			r = lt.run(nil, append([]string{"forgot", rogueAddr, "-method", "questions", "-answers-file", answers, "-password-file", pw}, extra...)...)
			t.Logf("through the rogue, rec1's serial in lower case %q:\n%s", extra, r)
			if r.code != exitFingerprint || !strings.Contains(r.stderr, shownFingerprint(rec1SHA)) || !strings.Contains(r.stderr, "nvr-sadp forget "+rec1Serial) {
				t.Errorf("forgot through the rogue (rec1's serial in lower case, %q): got\n%s\nwant exit %d against rec1's pin", extra, r, exitFingerprint)
			}
		}
		lower := stopRogue(t, stop, lines)
		rogueHits.Handshakes += lower.Handshakes
		rogueHits.Requests += lower.Requests
		rogueHits.Bodies += lower.Bodies
		if k, _ := known.Load(knownFile); k == nil || k.Lookup(rec1Serial).Hex() != rec1SHA || k.Len() != 1 {
			t.Errorf("the lower-case rogue changed the pins: %+v", k)
		}

		// The rogue copies rec1's announced certificate: the TLS
		// connection presents its own and is refused in the handshake.
		stop, lines = helper(t, rogue, "rogue-door", "NVRSADP_ROGUE_SERIAL="+rec1Serial, "NVRSADP_ROGUE_SHA="+rec1SHA)
		expectLine(t, lines, "the rogue's readiness")
		r = lt.run(nil, "forgot", rogueAddr, "-method", "questions", "-answers-file", answers, "-password-file", pw)
		if r.code != exitFingerprint || !strings.Contains(r.stderr, "presented") {
			t.Errorf("forgot through the rogue (rec1's certificate announced):\n%s", r)
		}
		copied := stopRogue(t, stop, lines)
		rogueHits.Requests += copied.Requests
		rogueHits.Bodies += copied.Bodies
		if copied.Handshakes == 0 {
			t.Errorf("the rogue saw no TLS handshake: nvr-sadp never tried it, so the test proves nothing")
		}
		if rogueHits.Requests != 0 || rogueHits.Bodies != 0 {
			t.Errorf("the rogue's web server got %d requests, %d with a body: want none", rogueHits.Requests, rogueHits.Bodies)
		}
	})

	t.Run("a replaced certificate is refused until accepted", func(t *testing.T) {
		// The first use of rec2, trusted: only the two recorders are on
		// this LAN.
		r := lt.run(nil, "forgot", rec2Serial, "-method", "questions", "-answers-file", answers, "-password-file", pw2, "-trust-first-use")
		if r.code != exitOK {
			t.Fatalf("forgot on rec2 by questions:\n%s", r)
		}
		lt.login(rec2Addr, "Nuova!Pass9x", true)
		old := fingerprintOf(t, dir2)
		rec2.stop(t)
		for _, f := range []string{selfcert.CertFile, selfcert.KeyFile} {
			if err := os.Remove(filepath.Join(dir2, "state", f)); err != nil {
				t.Fatal(err)
			}
		}
		rec2 = startLive(t, rec2NS, dir2, "-serial", rec2Serial, "-web", rec2Addr+":8443")
		replaced := fingerprintOf(t, dir2)
		if replaced == old {
			t.Fatal("the certificate was not replaced")
		}
		r = lt.run(nil, "forgot", rec2Serial, "-method", "questions", "-answers-file", answers, "-password-file", pw)
		if r.code != exitFingerprint || !strings.Contains(r.stderr, shownFingerprint(old)) || !strings.Contains(r.stderr, shownFingerprint(replaced)) {
			t.Fatalf("the replaced certificate:\n%s", r)
		}
		t.Logf("the replaced certificate refused:\n%s", r)
		lt.login(rec2Addr, "Nuova!Pass9x", true) // nothing changed
		r = lt.run(nil, "forgot", rec2Serial, "-method", "questions", "-answers-file", answers, "-password-file", pw, "-accept-new-fingerprint")
		if r.code != exitOK || !strings.Contains(r.stdout, shownFingerprint(replaced)) {
			t.Fatalf("-accept-new-fingerprint:\n%s", r)
		}
		lt.login(rec2Addr, password, true)
		if k, _ := known.Load(knownFile); k == nil || k.Lookup(rec2Serial).Hex() != replaced {
			t.Errorf("the new certificate is not pinned")
		}
		// And nvr-sadp forget SERIAL, the other way.
		if r := lt.run(nil, "forget", rec2Serial); r.code != exitOK || !strings.Contains(r.stdout, shownFingerprint(replaced)) {
			t.Errorf("forget:\n%s", r)
		}
		if k, _ := known.Load(knownFile); k == nil || k.Lookup(rec2Serial).Hex() != "" || k.Lookup(rec1Serial).Hex() != rec1SHA {
			t.Errorf("forget removed the wrong pins")
		}
	})
}

// liveRecorder is a recorder that a test may stop and start again.
type liveRecorder struct {
	*demo
	once sync.Once
}

// startLive runs nvr-menud -demo in ns, as startRecorder does, and waits
// for its web door and its SADP responder.
func startLive(t *testing.T, ns *netnstest.NS, dir string, args ...string) *liveRecorder {
	t.Helper()
	menud, _ := binaries(t)
	before := 0
	if b, err := os.ReadFile(filepath.Join(dir, "nvr-menud.log")); err == nil {
		before = strings.Count(string(b), "menu started")
	}
	cmd := ns.Command(menud, append([]string{"-demo", dir}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TERM=xterm-256color", "LANG=C.UTF-8"}
	term, err := perf.StartTerm(cmd)
	if err != nil {
		t.Fatal(err)
	}
	r := &liveRecorder{demo: &demo{ns: ns, dir: dir, term: term}}
	t.Cleanup(func() { r.stop(t) })
	r.waitLog(t, "menu started", before+1)
	r.waitLog(t, "web door listening", before+1)
	r.waitLog(t, `msg="sadp: answering on interface" interface=eth0`, before+1)
	return r
}

func (r *liveRecorder) stop(t *testing.T) {
	r.once.Do(func() {
		if err := r.term.Stop(10 * time.Second); err != nil {
			t.Errorf("%s: nvr-menud did not exit cleanly: %v\n%s", r.ns.Name, err, r.log())
		}
	})
}

// fingerprintOf is the demo's web certificate's SHA-256, read from its
// state directory, in the form SADP answers carry it.
func fingerprintOf(t *testing.T, dir string) string {
	t.Helper()
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "state", selfcert.CertFile), filepath.Join(dir, "state", selfcert.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	return selfcert.Fingerprint(cert).Hex()
}

// buildIssuer builds recovery-issuer beside the other binaries.
func buildIssuer(t *testing.T) string {
	t.Helper()
	binaries(t)
	out := filepath.Join(binDir, "recovery-issuer")
	if _, err := os.Stat(out); err == nil {
		return out
	}
	cmd := exec.Command("go", "build", "-o", out, "../../../recovery-issuer")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build recovery-issuer: %v: %s", err, b)
	}
	return out
}

// laptopTool runs the real nvr-sadp in the laptop's namespace, its config
// directory (the known recorders) config, in English.
type laptopTool struct {
	t            *testing.T
	ns, checker  *netnstest.NS
	config, work string
}

// checkerAddr is the host that checks logins.
const checkerAddr = "198.51.100.60"

func (l *laptopTool) file(name string, lines ...string) string {
	return secretFile(l.t, l.work, name, lines...)
}

func (l *laptopTool) command(args ...string) *exec.Cmd {
	_, tool := binaries(l.t)
	cmd := l.ns.Command(tool, append(args[:1:1], append([]string{"-t", "1s", "-lang", "en"}, args[1:]...)...)...)
	if args[0] == "forget" {
		cmd = l.ns.Command(tool, args...)
	}
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + l.work, "XDG_CONFIG_HOME=" + l.config, "LANG=en_GB.UTF-8"}
	cmd.Dir = l.work
	return cmd
}

// toolResult is one run of the real nvr-sadp.
type toolResult = result

func (l *laptopTool) run(stdin io.Reader, args ...string) toolResult {
	l.t.Helper()
	cmd := l.command(args...)
	var out, errb strings.Builder
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &out, &errb
	err := cmd.Run()
	r := toolResult{exitCode(err), out.String(), errb.String()}
	assertClean(l.t, "nvr-sadp stdout", r.stdout)
	assertClean(l.t, "nvr-sadp stderr", r.stderr)
	for _, secret := range []string{password, "Nuova!Pass9x", "Ravenna", "Giulia"} {
		if strings.Contains(r.stdout+r.stderr, secret) {
			l.t.Errorf("nvr-sadp %s printed a secret (%q):\n%s", args[0], secret, r)
		}
	}
	return r
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// login checks whether password logs in to the recorder at addr, through
// its API from the laptop (POST /api/v1/login), as the owner would.
func (l *laptopTool) login(addr, password string, want bool) {
	l.t.Helper()
	_, lines := helper(l.t, l.checker, "login", "NVRSADP_LOGIN_URL=https://"+addr+":8443/api/v1/login", "NVRSADP_LOGIN_PASSWORD="+password)
	status := expectLine(l.t, lines, "the login's status")
	if got := status == "200"; got != want {
		l.t.Errorf("login to %s: HTTP %s, want success %v", addr, status, want)
	}
}

// apiLogin is the "login" helper: one login, its HTTP status printed.
func apiLogin(w io.Writer, url, password string) error {
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the test checks the state, not the certificate
	}}
	body, _ := json.Marshal(map[string]string{"user": "admin", "password": password})
	resp, err := client.Post(url, "application/json", strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	resp.Body.Close()
	fmt.Fprintf(w, "HELPER:%d\n", resp.StatusCode)
	return nil
}

// assertMethods checks what list says of a recorder: activated, and the
// methods set up.
func assertMethods(t *testing.T, ns *netnstest.NS, serial string, activated bool, methods []string) {
	t.Helper()
	d := bySerial(listOn(t, ns, "-t", "1s"), serial)
	if d == nil {
		t.Fatalf("%s is not listed", serial)
	}
	got := strings.Join(d.Methods, ",")
	if d.Activated == nil || *d.Activated != activated || got != strings.Join(methods, ",") {
		t.Errorf("%s: activated %s, methods %q; want %v, %q", serial, flagShown(d.Activated), got, activated, methods)
	}
}

// rogueCounts is what the rogue's web server saw.
type rogueCounts struct {
	Handshakes int64 `json:"handshakes"` // TLS handshakes begun
	Requests   int64 `json:"requests"`   // HTTP requests read
	Bodies     int64 `json:"bodies"`     // requests with a body
}

func stopRogue(t *testing.T, stop io.WriteCloser, lines <-chan string) *rogueCounts {
	t.Helper()
	stop.Close()
	var c rogueCounts
	if err := json.Unmarshal([]byte(expectLine(t, lines, "the rogue's counts")), &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// rogueDoor answers every inquiry as the recorder NVRSADP_ROGUE_SERIAL,
// announcing a web door at its own address with the certificate
// NVRSADP_ROGUE_SHA (default: its own), and serves HTTPS there with a
// certificate of its own that counts what reaches it. It says "ready",
// then, when its input closes, the counts.
func rogueDoor(w io.Writer) error {
	certPEM, keyPEM, err := selfcert.Generate([]net.IP{net.ParseIP(rogueAddr)}, nil)
	if err != nil {
		return err
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return err
	}
	sha := os.Getenv("NVRSADP_ROGUE_SHA")
	if sha == "" {
		sha = selfcert.Fingerprint(cert).Hex()
	}
	var counts rogueCounts
	tlsConf := &tls.Config{Certificates: []tls.Certificate{cert}, GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		atomic.AddInt64(&counts.Handshakes, 1)
		return nil, nil
	}}
	ln, err := tls.Listen("tcp", rogueAddr+":8443", tlsConf)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		atomic.AddInt64(&counts.Requests, 1)
		if b, _ := io.ReadAll(r.Body); len(b) > 0 {
			atomic.AddInt64(&counts.Bodies, 1)
		}
		rw.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(rw, `{"serial":%q,"activated":true,"methods":{"questions":{"state":"ready"}},"password_policy":{"min_length":8,"max_length":16}}`, os.Getenv("NVRSADP_ROGUE_SERIAL"))
	}), ErrorLog: log.New(io.Discard, "", 0)} // the refused handshakes are expected
	go srv.Serve(ln)
	defer srv.Close()

	c, err := net.ListenUDP("udp4", &net.UDPAddr{Port: sadp.Port})
	if err != nil {
		return err
	}
	defer c.Close()
	iface, _ := net.InterfaceByName("eth0")
	if err := joinGroup(c, iface); err != nil {
		return err
	}
	go func() {
		buf := make([]byte, 64<<10)
		for n := 0; n < 1000; n++ { // bounded: the test ends it long before
			size, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			p, err := sadp.ParseProbe(buf[:size])
			if err != nil || !p.IsInquiry() {
				continue
			}
			m := &sadp.ProbeMatch{UUID: p.UUID, Types: p.Types, DeviceType: "0", DeviceDescription: "NVR-DEMO",
				DeviceSN: os.Getenv("NVRSADP_ROGUE_SERIAL"), MAC: "02-66-66-66-66-66", IPv4Address: rogueAddr,
				Activated: sadp.FlagTrue, SupportSecurityQuestion: sadp.FlagTrue, DeviceLock: sadp.FlagFalse,
				WebDoor: &sadp.WebDoor{URL: "https://" + rogueAddr + ":8443/", CertSHA256: sha}}
			c.WriteToUDPAddrPort(m.Marshal(), from)
		}
	}()
	fmt.Fprintln(w, "HELPER:ready")
	io.Copy(io.Discard, os.Stdin)
	b, _ := json.Marshal(map[string]int64{
		"handshakes": atomic.LoadInt64(&counts.Handshakes), "requests": atomic.LoadInt64(&counts.Requests), "bodies": atomic.LoadInt64(&counts.Bodies),
	})
	fmt.Fprintf(w, "HELPER:%s\n", b)
	return nil
}

// TestLANResetFigures times what BENCHMARKS.md reports for nvr-sadp: a
// reset by the security questions, end to end, from the laptop's command
// to its exit (discovery with -t 1s included), over the namespace LAN,
// against the real daemon. It asserts nothing, so it runs only when asked:
//
//	NVRSADP_FIGURES=1 go test -run TestLANResetFigures -v ./cmd/nvr-sadp/internal/cli
func TestLANResetFigures(t *testing.T) {
	if os.Getenv("NVRSADP_FIGURES") == "" {
		t.Skip("figures for BENCHMARKS.md: set NVRSADP_FIGURES=1")
	}
	netnstest.Require(t)
	binaries(t)
	sw := netnstest.NewSwitch(t)
	recNS, laptop := netnstest.New(t, "rec"), netnstest.New(t, "laptop")
	sw.Plug(t, recNS, "eth0", rec1Addr+"/24")
	sw.Plug(t, laptop, "eth0", laptopAddr+"/24")
	dir := filepath.Join(t.TempDir(), "rec")
	activateDemo(t, dir, rec1Serial)
	startLive(t, recNS, dir, "-serial", rec1Serial, "-web", rec1Addr+":8443")
	home := t.TempDir()
	lt := &laptopTool{t: t, ns: laptop, config: filepath.Join(home, "config"), work: home}
	answers := lt.file("answers", perf.DeviceAnswers[:]...)
	pws := []string{lt.file("pw", password), lt.file("pw2", "Nuova!Pass9x")}
	// The first run pins the certificate. A reset costs one token of the
	// laptop's throttle (the answers; the new password is not counted):
	// 5 at once, then one every 6 s. A run that had to wait for one says
	// so, and is left out.
	var times []time.Duration
	first := []string{"-expect-fingerprint", fingerprintOf(t, dir)} // no terminal to confirm it
	for i := 0; i < 7; i++ {
		start := time.Now()
		r := lt.run(nil, append([]string{"forgot", rec1Serial, "-method", "questions", "-answers-file", answers, "-password-file", pws[(i+1)%2]}, first...)...)
		first = nil
		took := time.Since(start)
		if r.code != exitOK {
			t.Fatalf("run %d:\n%s", i, r)
		}
		if strings.Contains(r.stdout, "asks to wait") {
			t.Logf("run %d waited for the throttle: not counted", i)
			continue
		}
		times = append(times, took)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	t.Logf("questions reset end to end: %d runs, median %v, min %v, max %v (all: %v)", len(times), times[len(times)/2], times[0], times[len(times)-1], times)
}
