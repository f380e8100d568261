package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"nvrmenu/bench/perf"
	"nvrmenu/internal/payload"
	"nvrmenu/internal/pwpolicy"
	"nvrmenu/internal/testenv"
	"nvrmenu/issuer/mailin"
	"nvrmenu/recovery"
)

// The end-to-end tests run the real binaries: nvr-menud -demo on a pty,
// recovery-issuer serve as a child process, over real sockets.

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

// binaries builds nvr-menud and recovery-issuer once for the package.
func binaries(t *testing.T) (menud, issuer string) {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "issuer-e2e")
		if binErr != nil {
			return
		}
		for _, b := range []string{"nvr-menud", "recovery-issuer"} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, b), "nvrmenu/cmd/"+b).CombinedOutput()
			if err != nil {
				binErr = fmt.Errorf("go build %s: %v\n%s", b, err, out)
				return
			}
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return filepath.Join(binDir, "nvr-menud"), filepath.Join(binDir, "recovery-issuer")
}

// needProcesses skips a test that runs the binaries under -short, and
// under qemu-user (the native pass runs it).
func needProcesses(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("needs child processes; run without -short")
	}
	if testenv.Emulated() {
		t.Skip("runs the service and the recorder as child processes: the native pass covers it")
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

const (
	e2eSerial   = "NVRE2E0000001"
	e2eEmail    = "mario.rossi@esempio.it"
	e2ePassword = "Gatto!Nero77"
)

// demoDir prepares a demo directory: a vendor key, and a recorder
// activated with its reserved address set, through the core, before any
// daemon runs.
func demoDir(t *testing.T) (string, payload.PrivateKey) {
	t.Helper()
	dir := t.TempDir()
	k, err := payload.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "vendor.key"), payload.MarshalPrivateKey(k), 0o600); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "state")
	os.MkdirAll(state, 0o700)
	pub := k.Public()
	core, err := recovery.Open(recovery.Options{
		StateDir: state, Serial: e2eSerial, VendorKey: &pub,
		Policy:    pwpolicy.Policy{MinLength: pwpolicy.MinLength, MaxLength: 16},
		Calibrate: func() recovery.KDFParams { return recovery.KDFParams{MemoryKiB: 8 << 10, Time: 1, Threads: 1} },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer core.Close()
	s, err := core.Console().Activate(e2ePassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRecoveryEmail(e2eEmail); err != nil {
		t.Fatal(err)
	}
	s.Logout()
	return dir, k
}

// freePort returns a loopback address nobody listens on (for a moment).
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// service is a running recovery-issuer serve.
type serviceProc struct {
	cmd    *exec.Cmd
	addrs  map[string]string // proto -> address
	mu     sync.Mutex
	stderr bytes.Buffer
	exited chan struct{} // closed once the process is waited for
	err    error         // its exit, once exited is closed
}

func (s *serviceProc) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// hasLog waits a little for the service's log to say want (its lines
// come through a pipe, after the reply the test saw).
func (s *serviceProc) hasLog(want string) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(s.log(), want) {
			return true
		}
	}
	return false
}

// startService runs recovery-issuer serve with args, every listener on a
// free port, and waits for its "recovery service started" line.
func startService(t *testing.T, args ...string) *serviceProc {
	t.Helper()
	_, issuer := binaries(t)
	s := &serviceProc{addrs: map[string]string{}, exited: make(chan struct{})}
	s.cmd = exec.Command(issuer, append([]string{"serve"}, args...)...)
	pr, pw := io.Pipe()
	s.cmd.Stderr = pw
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(pr)
		listening := regexp.MustCompile(`"msg":"listening","proto":"(\w+)","addr":"([^"]+)"|msg=listening proto=(\w+) addr=(\S+)`)
		once := sync.Once{}
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.stderr.WriteString(line + "\n")
			if m := listening.FindStringSubmatch(line); m != nil {
				if m[1] != "" {
					s.addrs[m[1]] = m[2]
				} else {
					s.addrs[m[3]] = m[4]
				}
			}
			s.mu.Unlock()
			if strings.Contains(line, "recovery service started") {
				once.Do(func() { close(started) })
			}
		}
	}()
	go func() { s.err = s.cmd.Wait(); pw.Close(); close(s.exited) }()
	t.Cleanup(func() {
		select {
		case <-s.exited:
			return
		default:
		}
		s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exited:
		case <-time.After(40 * time.Second):
			s.cmd.Process.Kill()
			t.Errorf("recovery-issuer did not stop on SIGINT:\n%s", s.log())
		}
	})
	select {
	case <-started:
	case <-s.exited:
		t.Fatalf("recovery-issuer serve exited: %v\n%s", s.err, s.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("recovery-issuer serve did not start:\n%s", s.log())
	}
	return s
}

// demoService runs recovery-issuer serve -demo dir on free ports.
func demoService(t *testing.T, dir string) *serviceProc {
	return startService(t, "-demo", dir, "-smtp", "127.0.0.1:0", "-lmtp", "127.0.0.1:0", "-phone", "127.0.0.1:0")
}

// recorderProc is a running nvr-menud -demo, driven through its web API.
type recorderProc struct {
	base   string
	client *http.Client
}

// startRecorder runs nvr-menud -demo dir on a pty with its web door on a
// free port, and waits for the API to answer.
func startRecorder(t *testing.T, dir string) *recorderProc {
	t.Helper()
	menud, _ := binaries(t)
	web := freePort(t)
	cmd := exec.Command(menud, "-demo", dir, "-serial", e2eSerial, "-web", web, "-sadp-interfaces", "lo")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TERM=xterm-256color", "LANG=C.UTF-8"}
	term, err := perf.StartTerm(cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := term.Stop(10 * time.Second); err != nil {
			t.Errorf("nvr-menud did not exit cleanly: %v", err)
		}
	})
	r := &recorderProc{base: "https://" + web, client: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
	}}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := r.client.Get(r.base + "/api/v1/device")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return r
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "nvr-menud.log"))
			t.Fatalf("the recorder's web door does not answer: %v\n%s", err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// call sends a JSON request to the recorder's API and decodes the answer.
// A request the recorder throttles (its network door allows a few a
// second from one address) is sent again after the wait it asks for, as
// nvr-sadp does.
func (r *recorderProc) call(t *testing.T, method, path string, in, out any) []byte {
	t.Helper()
	for try := 0; ; try++ {
		var body io.Reader
		if in != nil {
			b, _ := json.Marshal(in)
			body = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, r.base+path, body)
		if in != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := r.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests && try < 5 {
			wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
			time.Sleep(time.Duration(max(wait, 1)) * time.Second)
			continue
		}
		if resp.StatusCode/100 != 2 {
			t.Fatalf("%s %s: %s\n%s", method, path, resp.Status, data)
		}
		if out != nil {
			if err := json.Unmarshal(data, out); err != nil {
				t.Fatalf("%s %s: %v\n%s", method, path, err, data)
			}
		}
		return data
	}
}

// exportedQR makes (or shows again) the recorder's challenge and returns
// its exported PNG and the text decoded from it.
func (r *recorderProc) exportedQR(t *testing.T) ([]byte, string) {
	t.Helper()
	var ch struct {
		Payload string `json:"payload"`
	}
	r.call(t, "POST", "/api/v1/recovery/email/challenge", nil, &ch)
	png := r.call(t, "GET", "/api/v1/recovery/email/qr.png", nil, nil)
	text, err := mailin.DecodeQR(png, mailin.DefaultImageLimits)
	if err != nil {
		t.Fatalf("the recorder's PNG does not decode: %v", err)
	}
	if text != ch.Payload {
		t.Fatalf("the PNG holds %q, the API says %q", text, ch.Payload)
	}
	return png, text
}

// reset types code into the recorder and sets password (the answer is
// the new session: the recorder has reset).
func (r *recorderProc) reset(t *testing.T, code, password string) {
	t.Helper()
	var ticket struct {
		Ticket string `json:"ticket"`
	}
	r.call(t, "POST", "/api/v1/recovery/email/verify", map[string]string{"code": code}, &ticket)
	var session struct {
		Token string `json:"token"`
	}
	r.call(t, "POST", "/api/v1/recovery/reset", map[string]string{"ticket": ticket.Ticket, "password": password}, &session)
	if session.Token == "" {
		t.Fatal("the reset gave no session")
	}
}

var codeRE = regexp.MustCompile(`(?m)^    ([0-9A-Z]{4}-[0-9A-Z]{4})\r?$`)

// outbox returns the mails in dir/outbox/new, oldest first.
func outbox(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "outbox", "new", "*"))
	sort.Strings(files)
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// waitMail waits for the outbox to hold n mails and returns the last
// one's code, checking it went to the reserved address.
func waitMail(t *testing.T, dir string, n int) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		mails := outbox(t, dir)
		if len(mails) >= n {
			last := mails[len(mails)-1]
			m := codeRE.FindStringSubmatch(last)
			if m == nil || !strings.Contains(last, "Delivered-To: "+e2eEmail+"\r\n") || !strings.Contains(last, e2eSerial) {
				t.Fatalf("mail %d:\n%s", n, last)
			}
			return m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d mails in the outbox, want %d", len(mails), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pngMail is a message carrying png as an attachment, as a mail client
// writes it.
func pngMail(png []byte) []byte {
	var b bytes.Buffer
	b.WriteString("From: owner@esempio.it\r\nTo: pw_recovery@example.com\r\nSubject: Password dimenticata\r\nMIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nEcco il codice QR del registratore.\r\n")
	b.WriteString("--b1\r\nContent-Type: image/png; name=\"QR.png\"\r\nContent-Disposition: attachment; filename=\"QR.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString(png)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--b1--\r\n")
	return b.Bytes()
}

// phoneClient is a phone's browser: it trusts the demo's self-signed
// certificate blindly, as an owner who passes the warning does.
func phoneClient() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
}

// ctx is a short context for a test's network calls.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}
