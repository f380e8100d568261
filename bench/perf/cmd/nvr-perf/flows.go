package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"nvrmenu/bench/perf"
)

// Texts of the daemon's screens on the reset flows (package texts).
var (
	onBusy        = perf.Contains("Verifica in corso")
	onGUIDImport  = func(name string) func(string) bool { return perf.Contains(name, "Importa") }
	onNewPassword = perf.Contains("Nuova password", "Conferma password", "Verifica riuscita")
	onResetDone   = perf.Contains("Password ripristinata", "Più tardi")
	onLoginNew    = perf.Contains("Accedere con la nuova password", "Nome utente")
	onAccount     = perf.Contains("Account admin")
	onQuestions   = perf.Contains("Risposta 1", "Risposta 3")
	onEmail       = perf.Contains("Inserire il codice di verifica")
)

// step is one press of Ok (a click or Enter) that runs work off the UI
// goroutine: how long until the busy overlay is drawn, and until the next
// screen.
type step struct {
	overlay, next time.Duration
}

// flowRow is one reset method's figures over the runs.
type flowRow struct {
	method string
	runs   int
	// proof: Ok on the method's screen → the new-password screen; set:
	// Enter on the new password → the "password reset" screen; login:
	// Enter on the login screen with the new password → the account screen.
	proof, set, login []step
	errors            []string
}

// memoryFigures are the daemon's resident set along the GUID reset flow.
type memoryFigures struct {
	// At the first frame, and 2 s later.
	frameRSS, frameHWM, settledRSS []int64
	frameAnon, settledAnon         []int64
	// After the web door served its page and the API's device (over
	// HTTPS, on the loopback).
	pageRSS, pageAnon []int64
	// After the new password is stored (argon2id hash at the calibrated
	// cost), and after the login with it (verification at that cost):
	// VmRSS right then, the peak, VmRSS after 10 s, and when argon2id's
	// memory was handed back (-1: not within 10 s).
	afterSet, afterLogin []rssTrace
	// kdfKiB is argon2id's memory at the device's cost.
	kdfKiB int64
	// The web door's floor as a process of its own, once it has served
	// a request, in each run (none: not measured).
	floorRSS, floorAnon, floorHWM []int64
}

// rssTrace follows VmRSS for a while after a step.
type rssTrace struct {
	first, peakHWM, last int64
	firstAnon, lastAnon  int64
	// beforeAnon is RssAnon just before the step; back is when RssAnon was
	// again within handedBack of it (-1: not within the trace).
	beforeAnon int64
	back       time.Duration
}

// handedBack is how close to its level before an argon2id step the
// daemon's anonymous memory must come for the step's memory (kdfKiB, tens
// of MiB at a recorder's cost) to count as handed back: within a twentieth
// of it. What stays is the heap's own growth between two collections (the
// new screen, the state written): measured, it is collected at the next
// argon2id step's release, which leaves less than before the step.
func handedBack(kdfKiB int64) int64 { return kdfKiB / 20 }

// pressOk sends input, then waits for the overlay and the next screen.
func pressOk(t *perf.Term, input string, next func(string) bool, timeout time.Duration) (step, error) {
	w := t.Expect(onBusy)
	sent, err := t.Send(input)
	if err != nil {
		return step{}, err
	}
	var s step
	if seen, err := w.Done(timeout); err == nil {
		s.overlay = seen.Sub(sent)
	}
	// The next screen may already be there when the work was quick.
	seen, err := t.WaitFor(func(scr string) bool { return next(scr) && !onBusy(scr) }, timeout)
	if err != nil {
		return s, err
	}
	s.next = seen.Sub(sent)
	return s, nil
}

// click clicks the last occurrence of text on screen.
func click(t *perf.Term, text string, next func(string) bool) error {
	x, y, ok := findLast(t.Screen(), text)
	if !ok {
		return fmt.Errorf("no %q on screen:\n%s", text, t.Screen())
	}
	_, err := t.SendWait(perf.SGRClick(x+1, y), next, 30*time.Second)
	if err != nil {
		return fmt.Errorf("clicking %q: %w", text, err)
	}
	return nil
}

// typeText types s one key at a time, each write waiting for nothing: the
// fields take keys as fast as a paste.
func typeText(t *perf.Term, s string) error {
	for _, r := range s {
		if _, err := t.Send(string(r)); err != nil {
			return err
		}
		time.Sleep(2 * time.Millisecond)
	}
	return nil
}

// anonNow is the process's RssAnon now, 0 if unread.
func anonNow(p perf.Proc) int64 {
	st, err := p.Status()
	if err != nil {
		return 0
	}
	return st.RssAnonKiB
}

// traceRSS samples VmRSS every 100 ms for d; beforeAnon is RssAnon just
// before the step.
func traceRSS(p perf.Proc, d time.Duration, beforeAnon, kdfKiB int64) rssTrace {
	tr := rssTrace{beforeAnon: beforeAnon, back: -1}
	start := time.Now()
	for i := 0; ; i++ {
		st, err := p.Status()
		if err != nil {
			break
		}
		el := time.Since(start)
		if i == 0 {
			tr.first, tr.firstAnon = st.VmRSSKiB, st.RssAnonKiB
		}
		tr.peakHWM, tr.last, tr.lastAnon = st.VmHWMKiB, st.VmRSSKiB, st.RssAnonKiB
		if tr.back < 0 && beforeAnon > 0 && st.RssAnonKiB <= beforeAnon+handedBack(kdfKiB) {
			tr.back = el
		}
		if el >= d {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return tr
}

// resetFlow runs one reset by method on a fresh copy of the device, from
// the login screen to the account screen with the new password. With mem
// set it also follows the resident set (10 s after each argon2id step).
func resetFlow(work string, p program, dev *perf.Device, method string, row *flowRow, mem *memoryFigures) error {
	t, err := p.start(work)
	if err != nil {
		return err
	}
	defer t.Stop(5 * time.Second)
	if _, err := t.WaitFor(p.ready, 10*time.Second); err != nil {
		return err
	}
	if mem != nil {
		st, err := t.Proc().Status()
		if err != nil {
			return err
		}
		mem.frameRSS = append(mem.frameRSS, st.VmRSSKiB)
		mem.frameHWM = append(mem.frameHWM, st.VmHWMKiB)
		mem.frameAnon = append(mem.frameAnon, st.RssAnonKiB)
		time.Sleep(2 * time.Second)
		if st, err = t.Proc().Status(); err == nil {
			mem.settledRSS = append(mem.settledRSS, st.VmRSSKiB)
			mem.settledAnon = append(mem.settledAnon, st.RssAnonKiB)
		}
		if err := fetchPages(p.web); err != nil {
			return fmt.Errorf("the web door: %w", err)
		}
		if st, err = t.Proc().Status(); err == nil {
			mem.pageRSS = append(mem.pageRSS, st.VmRSSKiB)
			mem.pageAnon = append(mem.pageAnon, st.RssAnonKiB)
		}
	}
	if err := click(t, "Password Dimenticata", onForgot); err != nil {
		return err
	}
	var proof step
	switch method {
	case "GUID":
		if err := click(t, "Verifica mediante GUID", onGUIDImport(dev.GUIDFile)); err != nil {
			return err
		}
		x, y, ok := findLast(t.Screen(), "Importa")
		if !ok {
			return fmt.Errorf("no Importa:\n%s", t.Screen())
		}
		if proof, err = pressOk(t, perf.SGRClick(x+1, y), onNewPassword, 30*time.Second); err != nil {
			return fmt.Errorf("importing the GUID file: %w", err)
		}
	case "questions":
		if err := click(t, "Verifica mediante domande di sicurezza", onQuestions); err != nil {
			return err
		}
		for i, a := range perf.DeviceAnswers {
			if err := typeText(t, a); err != nil {
				return err
			}
			if i < 2 {
				t.Send("\t")
				time.Sleep(10 * time.Millisecond)
			}
		}
		time.Sleep(50 * time.Millisecond)
		if proof, err = pressOk(t, "\r", onNewPassword, 30*time.Second); err != nil {
			return fmt.Errorf("answering the questions: %w", err)
		}
	case "email":
		// Opening the method fetches the pending challenge behind the busy
		// overlay.
		if err := click(t, "Verifica tramite e-mail di recupero", func(s string) bool { return onEmail(s) && !onBusy(s) }); err != nil {
			return err
		}
		// Esportazione, App Scan QR, then the code field.
		t.Send("\t")
		time.Sleep(20 * time.Millisecond)
		t.Send("\t")
		time.Sleep(50 * time.Millisecond)
		if err := typeText(t, dev.EmailCode); err != nil {
			return err
		}
		time.Sleep(50 * time.Millisecond)
		if proof, err = pressOk(t, "\r", onNewPassword, 30*time.Second); err != nil {
			return fmt.Errorf("entering the code: %w", err)
		}
	}
	row.proof = append(row.proof, proof)

	// The new password, twice; Enter stores it (argon2id hash).
	time.Sleep(50 * time.Millisecond)
	typeText(t, perf.ResetPassword)
	t.Send("\t")
	time.Sleep(10 * time.Millisecond)
	typeText(t, perf.ResetPassword)
	time.Sleep(50 * time.Millisecond)
	before := anonNow(t.Proc())
	set, err := pressOk(t, "\r", onResetDone, 60*time.Second)
	if err != nil {
		return fmt.Errorf("storing the new password: %w", err)
	}
	row.set = append(row.set, set)
	if mem != nil {
		tr := traceRSS(t.Proc(), 10*time.Second, before, int64(dev.KDF.MemoryKiB))
		logf("  new password stored: RssAnon %d KiB before, %d KiB at the next screen, %d KiB 10 s later", tr.beforeAnon, tr.firstAnon, tr.lastAnon)
		mem.afterSet = append(mem.afterSet, tr)
	}
	if err := click(t, "Più tardi", onLoginNew); err != nil {
		return err
	}
	time.Sleep(50 * time.Millisecond)
	typeText(t, perf.ResetPassword)
	time.Sleep(50 * time.Millisecond)
	before = anonNow(t.Proc())
	login, err := pressOk(t, "\r", onAccount, 60*time.Second)
	if err != nil {
		return fmt.Errorf("logging in with the new password: %w", err)
	}
	row.login = append(row.login, login)
	if mem != nil {
		tr := traceRSS(t.Proc(), 10*time.Second, before, int64(dev.KDF.MemoryKiB))
		logf("  logged in with it: RssAnon %d KiB before, %d KiB at the next screen, %d KiB 10 s later", tr.beforeAnon, tr.firstAnon, tr.lastAnon)
		mem.afterLogin = append(mem.afterLogin, tr)
	}
	row.runs++
	return nil
}

// stepSummaries are medians of a series of steps.
func stepMedians(steps []step) (overlay, next time.Duration) {
	var o, n []time.Duration
	for _, s := range steps {
		if s.overlay > 0 {
			o = append(o, s.overlay)
		}
		n = append(n, s.next)
	}
	return perf.Median(o), perf.Median(n)
}

func flowSummary(r flowRow) string {
	var b strings.Builder
	for _, s := range []struct {
		name  string
		steps []step
	}{{"proof", r.proof}, {"set", r.set}, {"login", r.login}} {
		o, n := stepMedians(s.steps)
		fmt.Fprintf(&b, " %s: overlay %s next %s;", s.name, perf.FormatDuration(o), perf.FormatDuration(n))
	}
	return b.String()
}

// fetchPages asks the demo's web door at addr for its page and the API's
// device, as a browser and the installer's tool would: the door's memory
// once it has served. (A bench on the loopback: the demo's self-signed
// certificate is not checked.)
func fetchPages(addr string) error {
	if addr == "" {
		return fmt.Errorf("no web door address")
	}
	c := loopbackClient()
	defer c.CloseIdleConnections()
	for _, path := range []string{"/", "/api/v1/device"} {
		resp, err := c.Get("https://" + addr + path)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", path, resp.Status)
		}
	}
	return nil
}

// buildHTTPSFloor builds bench/perf/scale/httpsfloor for arch into work,
// with the daemon's build tags: the web door's floor as a process of its
// own.
func buildHTTPSFloor(work, arch string) (string, error) {
	tags, err := daemonTags("build.sh")
	if err != nil {
		return "", err
	}
	out := filepath.Join(work, "scale-httpsfloor-"+arch)
	return out, goBuild(".", arch, "./bench/perf/scale/httpsfloor", out, tags, "-s -w")
}

// floorMemory starts the HTTPS floor at bin in a fresh directory under
// work, has it serve one request as the flows have the daemon's door
// serve its page, and reads its memory then.
func floorMemory(work, bin string) (perf.Status, error) {
	dir, err := os.MkdirTemp(work, "floor-")
	if err != nil {
		return perf.Status{}, err
	}
	cmd := exec.Command(bin, dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return perf.Status{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return perf.Status{}, err
	}
	if err := cmd.Start(); err != nil {
		return perf.Status{}, err
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- s
	}()
	var addr string
	select {
	case s := <-line:
		if _, err := fmt.Sscanf(s, "listening %s", &addr); err != nil {
			cmd.Process.Kill()
			cmd.Wait() // its standard error is whole once it has ended
			return perf.Status{}, fmt.Errorf("httpsfloor said %q on its output and %q on its error", s, strings.TrimSpace(stderr.String()))
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return perf.Status{}, fmt.Errorf("httpsfloor did not listen within 10 s: %q", strings.TrimSpace(stderr.String()))
	}
	c := loopbackClient()
	defer c.CloseIdleConnections()
	resp, err := c.Get("https://" + addr + "/")
	if err != nil {
		return perf.Status{}, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		return perf.Status{}, fmt.Errorf("httpsfloor answered %s", resp.Status)
	}
	return perf.Proc{PID: cmd.Process.Pid}.Status()
}

// loopbackClient is an HTTPS client for a self-signed door on the loopback
// (a bench's own: the certificate is not checked).
func loopbackClient() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
}
