//go:build linux

package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	_ "image/png"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"nvrmenu/cmd/nvr-sadp/internal/known"
	"nvrmenu/internal/certfp"
	"nvrmenu/internal/payload"
	"nvrmenu/internal/selfcert"
	"nvrmenu/issuer/mailin"
	"nvrmenu/recovery"
	"nvrmenu/sadp"
	"nvrmenu/web"
)

// The commands against the real web door on a real core, in this process,
// on the loopback: the whole API conversation, fast, with the discovery
// faked (TestLANRecovery does it over real namespaces).

const (
	doorSerial   = "NVRDOOR0000001"
	doorPassword = "Qv7#tNw2pLx9"
	newPassword  = "Nuova!Pass9x"
)

// door is a recorder's web door on the loopback.
type door struct {
	core   *recovery.Core
	vendor payload.PrivateKey
	url    string
	pin    certfp.Fingerprint
	found  sadp.Found
}

func startDoor(t *testing.T, activated bool) *door {
	t.Helper()
	return startDoorWith(t, activated, "")
}

// startDoorWith is startDoor with the vendor's recovery page address
// (config's app_url): the e-mail QR code then holds a web address.
func startDoorWith(t *testing.T, activated bool, appURL string) *door {
	t.Helper()
	vendor, err := payload.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub := vendor.Public()
	core, err := recovery.Open(recovery.Options{
		StateDir:          t.TempDir(),
		Serial:            doorSerial,
		KDF:               recovery.KDFParams{MemoryKiB: 8, Time: 1, Threads: 1},
		VendorKey:         &pub,
		RecoveryAddress:   "pw_recovery@example.com",
		NetworkActivation: true,
		AppURL:            appURL,
		Throttle:          recovery.ThrottlePolicy{Burst: 10000, Every: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { core.Close() })
	if activated {
		s, err := core.Console().Activate(doorPassword)
		if err != nil {
			t.Fatal(err)
		}
		s.Logout()
	}
	certPEM, keyPEM, err := selfcert.Generate([]net.IP{net.IPv4(127, 0, 0, 1)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Options{
		Doors: func(c recovery.Caller) web.Door { return core.Door(c) },
		Model: "NVR-DEMO", Firmware: "v-test", CertFingerprint: selfcert.Fingerprint(cert), SelfSigned: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := web.Listen("127.0.0.1:0", &cert, 16)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ctx, ln, &cert) }()
	t.Cleanup(func() { cancel(); <-done })
	d := &door{core: core, vendor: vendor, url: "https://" + ln.Addr().String() + "/", pin: selfcert.Fingerprint(cert)}
	d.found = sadp.Found{
		ProbeMatch: &sadp.ProbeMatch{
			UUID: "U", Types: "inquiry", DeviceType: "0", DeviceDescription: "NVR-DEMO", DeviceSN: doorSerial,
			MAC: "02-00-5e-10-00-01", IPv4Address: "127.0.0.1", Activated: sadp.FlagOf(activated),
			WebDoor: &sadp.WebDoor{URL: d.url, CertSHA256: d.pin.Hex()},
		},
		From: netip.MustParseAddrPort("127.0.0.1:37020"), Interface: "lo",
	}
	return d
}

// appFinding is a run whose discovery finds these answers.
func appFinding(found ...sadp.Found) *app {
	return testApp(func(context.Context, sadp.DiscoverOptions) (*sadp.Discovery, error) {
		return &sadp.Discovery{Devices: found, Interfaces: []string{"lo"}}, nil
	})
}

// result is one run of the tool.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\n--- stdout\n" + r.stdout + "--- stderr\n" + r.stderr
}

// runCmd runs nvr-sadp with args, its standard input stdin.
func runCmd(t *testing.T, a *app, stdin io.Reader, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := a.run(context.Background(), args, stdin, &out, &errb)
	r := result{code, out.String(), errb.String()}
	assertClean(t, "stdout", r.stdout)
	assertClean(t, "stderr", r.stderr)
	return r
}

// secretFile writes lines to a file in dir.
func secretFile(t *testing.T, dir, name string, lines ...string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// login proves password is the admin's, through the core's console door.
func (d *door) login(t *testing.T, password string) bool {
	t.Helper()
	s, err := d.core.Console().Login("admin", password)
	if err != nil {
		return false
	}
	s.Logout()
	return true
}

// ready says, for each recovery method, whether the network doors may use
// it now (set up, offered, not locked).
func (d *door) ready(t *testing.T) map[recovery.Method]bool {
	out := map[recovery.Method]bool{}
	for _, st := range d.core.JourneyOf(recovery.ClassNetwork).Methods {
		out[st.Method] = st.Usable
	}
	return out
}

// TestDoorFlows drives every command on one recorder, from files and
// standard input: activation, set-up of the three methods, and a reset by
// each method, with the device's state checked after each.
func TestDoorFlows(t *testing.T) {
	d := startDoor(t, false)
	a := appFinding(d.found)
	dir := t.TempDir()
	knownFile := filepath.Join(dir, "known_recorders")
	common := []string{"-known-recorders", knownFile, "-lang", "en"}
	pwFile := secretFile(t, dir, "pw", doorPassword)

	r := runCmd(t, a, nil, append([]string{"activate", doorSerial, "-password-file", pwFile, "-expect-fingerprint", d.pin.String()}, common...)...)
	t.Logf("activate:\n%s", r)
	if r.code != exitOK || !strings.Contains(r.stdout, "Recorder activated") || !strings.Contains(r.stdout, d.pin.String()) {
		t.Fatalf("activate:\n%s", r)
	}
	if !d.login(t, doorPassword) {
		t.Fatal("activate: the password does not log in")
	}
	if k, err := known.Load(knownFile); err != nil || k.Lookup(doorSerial) != d.pin {
		t.Fatalf("activate did not pin the certificate: %v", err)
	}
	if st, _ := os.Stat(knownFile); st.Mode().Perm() != 0o600 {
		t.Errorf("known recorders mode %04o, want 0600", st.Mode().Perm())
	}

	answers := secretFile(t, dir, "answers", "Ravenna", "Via Roma", "Giulia")
	r = runCmd(t, a, nil, append([]string{"setup", doorSerial, "-password-file", pwFile, "-questions", "first-job-city,childhood-street,grandmother-first-name",
		"-answers-file", answers, "-email", "mario.rossi@example.com"}, common...)...)
	if r.code != exitOK || strings.Contains(r.stdout, "First contact") {
		t.Fatalf("setup:\n%s", r)
	}
	m := d.ready(t)
	if !m[recovery.MethodQuestions] || !m[recovery.MethodEmail] {
		t.Fatalf("after setup: methods %v", m)
	}

	guid := filepath.Join(dir, "rec.nvrguid")
	r = runCmd(t, a, strings.NewReader(doorPassword+"\n"), append([]string{"export-guid", doorSerial, "-o", guid, "-stdin"}, common...)...)
	if r.code != exitOK || !d.ready(t)[recovery.MethodGUID] {
		t.Fatalf("export-guid:\n%s\nmethods %v", r, d.ready(t))
	}
	if st, err := os.Stat(guid); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("GUID file: %v", err)
	}
	r = runCmd(t, a, strings.NewReader(doorPassword+"\n"), append([]string{"export-guid", doorSerial, "-o", guid, "-stdin"}, common...)...)
	if r.code != exitFile || !strings.Contains(r.stdout, "previous file still works") {
		t.Errorf("export-guid over an existing file without -f:\n%s", r)
	}

	// The GUID reset, with a new GUID file exported at once.
	pw2 := secretFile(t, dir, "pw2", newPassword)
	fresh := filepath.Join(dir, "fresh.nvrguid")
	r = runCmd(t, a, nil, append([]string{"forgot", doorSerial, "-guid", guid, "-password-file", pw2, "-guid-out", fresh}, common...)...)
	if r.code != exitOK || !d.login(t, newPassword) || !d.ready(t)[recovery.MethodGUID] {
		t.Fatalf("forgot -guid:\n%s", r)
	}
	// The old file is spent: refused as expired, uncounted (the recorder
	// authenticates it by its retired secret's hash).
	r = runCmd(t, a, nil, append([]string{"forgot", doorSerial, "-guid", guid, "-password-file", pwFile}, common...)...)
	if r.code != exitWrongProof || !strings.Contains(r.stderr, "expired on") || strings.Contains(r.stderr, "Tries left") {
		t.Errorf("forgot with a spent GUID file:\n%s", r)
	}

	// The questions, from standard input: three answers, then the password.
	r = runCmd(t, a, strings.NewReader("Ravenna\nvia roma\nGIULIA\n"+doorPassword+"\n"), append([]string{"forgot", doorSerial, "-method", "questions", "-stdin"}, common...)...)
	t.Logf("forgot -method questions -stdin:\n%s", r)
	if r.code != exitOK || !d.login(t, doorPassword) {
		t.Fatalf("forgot -method questions:\n%s", r)
	}
	for _, q := range []string{"In which city was your first job?", "On which street did you live as a child?"} {
		if !strings.Contains(r.stdout, q) {
			t.Errorf("forgot -method questions does not show %q:\n%s", q, r.stdout)
		}
	}
	if strings.Contains(r.stdout+r.stderr, "Ravenna") || strings.Contains(r.stdout+r.stderr, doorPassword) {
		t.Errorf("an answer or the password was echoed:\n%s", r)
	}
	r = runCmd(t, a, strings.NewReader("Milano\nVia Roma\nGiulia\n"+doorPassword+"\n"), append([]string{"forgot", doorSerial, "-method", "questions", "-stdin"}, common...)...)
	if r.code != exitWrongProof || !strings.Contains(r.stderr, "Tries left: 4") {
		t.Errorf("wrong answers:\n%s", r)
	}

	// The e-mail: the QR code written with -export-qr, opened by the
	// vendor, the code given back on standard input.
	qr := filepath.Join(dir, "qr.png")
	in, feed := io.Pipe()
	var wg sync.WaitGroup
	wg.Add(1)
	var got result
	go func() {
		defer wg.Done()
		got = runCmd(t, a, in, append([]string{"forgot", doorSerial, "-export-qr", qr, "-stdin"}, common...)...)
	}()
	code := d.issue(t, waitFile(t, qr))
	feed.Write([]byte(code + "\n" + newPassword + "\n"))
	wg.Wait()
	feed.Close()
	if got.code != exitOK || !d.login(t, newPassword) || !strings.Contains(got.stdout, "pw_recovery@example.com") {
		t.Fatalf("forgot -export-qr:\n%s", got)
	}

	// The questions once more, from a file, then a refused password.
	weak := secretFile(t, dir, "weak", "password")
	r = runCmd(t, a, nil, append([]string{"forgot", doorSerial, "-method", "questions", "-answers-file", answers, "-password-file", weak}, common...)...)
	if r.code != exitRefused || !strings.Contains(r.stderr, "very common password") {
		t.Errorf("a common password:\n%s", r)
	}
}

// TestScriptedFirstUse: without a terminal, a recorder met for the first
// time is refused, with nothing connected and nothing pinned, unless the
// certificate is given (-expect-fingerprint) or trusted (-trust-first-use).
func TestScriptedFirstUse(t *testing.T) {
	d := startDoor(t, false)
	a := appFinding(d.found)
	dir := t.TempDir()
	knownFile := filepath.Join(dir, "known_recorders")
	pwFile := secretFile(t, dir, "pw", doorPassword)
	activate := func(extra ...string) result {
		return runCmd(t, a, nil, append([]string{"activate", doorSerial, "-password-file", pwFile, "-known-recorders", knownFile, "-lang", "en"}, extra...)...)
	}
	r := activate()
	t.Logf("scripted first use:\n%s", r)
	if r.code != exitUsage || !strings.Contains(r.stderr, "no terminal to confirm") || !strings.Contains(r.stderr, d.pin.String()) ||
		!strings.Contains(r.stderr, "-expect-fingerprint") || !strings.Contains(r.stderr, "-trust-first-use") {
		t.Fatalf("a scripted first use: got\n%s\nwant exit %d, the announced fingerprint and the two flags", r, exitUsage)
	}
	if _, err := os.Stat(knownFile); !os.IsNotExist(err) {
		t.Errorf("a refused first use wrote %s: %v", knownFile, err)
	}
	if d.core.JourneyOf(recovery.ClassNetwork).Activated {
		t.Fatal("a refused first use activated the recorder")
	}
	// -accept-new-fingerprint replaces a pin; it does not stand in for
	// the first comparison.
	if r := activate("-accept-new-fingerprint"); r.code != exitUsage {
		t.Errorf("-accept-new-fingerprint at first use: got\n%s\nwant exit %d", r, exitUsage)
	}
	if r := activate("-expect-fingerprint", pinA.String()); r.code != exitFingerprint {
		t.Errorf("another -expect-fingerprint: got\n%s\nwant exit %d", r, exitFingerprint)
	}
	r = activate("-trust-first-use")
	if r.code != exitOK || !strings.Contains(r.stdout, "First contact") || !strings.Contains(r.stdout, d.pin.String()) {
		t.Fatalf("-trust-first-use:\n%s", r)
	}
	if k, err := known.Load(knownFile); err != nil || k.Lookup(doorSerial) != d.pin {
		t.Fatalf("-trust-first-use did not pin the certificate: %v", err)
	}
}

// TestSerialCaseVariant: an answer claiming a pinned serial in another
// case is held to that pin. A rogue that answers "nvrdoor0000001" with its
// own certificate is refused as a mismatch (not met as a new recorder),
// -trust-first-use or not, and beside the real recorder it is ignored.
func TestSerialCaseVariant(t *testing.T) {
	d := startDoor(t, true)
	dir := t.TempDir()
	knownFile := filepath.Join(dir, "known_recorders")
	if err := os.WriteFile(knownFile, []byte(doorSerial+" "+d.pin.Hex()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	answers := secretFile(t, dir, "answers", "Ravenna", "Via Roma", "Giulia")
	pwFile := secretFile(t, dir, "pw", newPassword)
	rogue := found(strings.ToLower(doorSerial), "127.0.0.1", "127.0.0.66", "02-66-66-66-66-66", pinB)
	rogue.WebDoor.URL = "https://127.0.0.66:9/" // never connected to
	a := appFinding(rogue)
	forgot := func(device string, extra ...string) result {
		return runCmd(t, a, nil, append([]string{"forgot", device, "-method", "questions", "-answers-file", answers, "-password-file", pwFile, "-known-recorders", knownFile, "-lang", "en"}, extra...)...)
	}
	for _, extra := range [][]string{nil, {"-trust-first-use"}} {
		r := forgot("127.0.0.66", extra...)
		t.Logf("the case variant %q:\n%s", extra, r)
		if r.code != exitFingerprint || !strings.Contains(r.stderr, "certificate of "+doorSerial) || !strings.Contains(r.stderr, d.pin.String()) || !strings.Contains(r.stderr, pinB.String()) {
			t.Errorf("a case variant of the pinned serial %q: got\n%s\nwant exit %d naming %s and both fingerprints", extra, r, exitFingerprint, doorSerial)
		}
	}
	if k, err := known.Load(knownFile); err != nil || k.Lookup(doorSerial) != d.pin || k.Len() != 1 {
		t.Errorf("the pins changed: %+v, %v", k, err)
	}
	// Beside the real recorder, the variant is named and ignored, the
	// device named in lower case too.
	a = appFinding(rogue, d.found)
	r := forgot(strings.ToLower(doorSerial))
	if r.code != exitNotOffered || !strings.Contains(r.stdout, "Recorder "+doorSerial) || !strings.Contains(r.stderr, "127.0.0.66 answers as "+doorSerial+" too") {
		t.Errorf("the real recorder beside the variant: got\n%s\nwant it reached (exit %d: no questions set up) and the variant ignored", r, exitNotOffered)
	}
}

// waitFile waits for a file to be there, whole, and returns its contents.
func waitFile(t *testing.T, path string) []byte {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never appeared", path)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// issue decodes a QR code's PNG and answers it as the vendor does.
func (d *door) issue(t *testing.T, png []byte) string {
	t.Helper()
	text := decodeQRPNG(t, png)
	c, err := d.vendor.Open(text)
	if err != nil {
		t.Fatal(err)
	}
	return payload.FormatCode(c.Code)
}

// decodeQRPNG reads the exported PNG as the vendor's service does
// (mailin.DecodeQR, with its fallback for the codes gozxing's finder-pattern
// detector misreads, about 1 in 85: TestItalianRun failed on one).
func decodeQRPNG(t *testing.T, png []byte) string {
	t.Helper()
	text, err := mailin.DecodeQR(png, mailin.DefaultImageLimits)
	if err != nil {
		t.Fatalf("the QR code does not decode: %v", err)
	}
	return text
}
