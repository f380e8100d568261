package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"nvrmenu/internal/payload"
	"nvrmenu/internal/qrread"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// browserPath finds Debian's chromium (or a Chrome) for the browser tests.
// Outside CI a machine without one skips them, saying why; in CI (env CI
// set) that is a failure. Under qemu-user they never run.
func browserPath(t *testing.T) string {
	t.Helper()
	if os.Getenv("NVRMENU_EMULATED") != "" {
		t.Skip("browser tests run natively only, not under qemu-user")
	}
	for _, name := range []string{"chromium", "chromium-headless-shell", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no browser found (chromium): CI must install Debian's chromium (.ci/run does)")
	}
	t.Skip("no browser found: apt-get install chromium to run the browser tests")
	return ""
}

// screenshotDir is where the browser tests keep their pictures:
// $NVRMENU_SCREENSHOTS, else a folder of the test's own.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("NVRMENU_SCREENSHOTS"); d != "" {
		os.MkdirAll(d, 0o755)
		return d
	}
	return t.TempDir()
}

// tlsServer serves h's door over real TLS, as the daemon does, on a
// loopback port, and returns its URL.
func tlsServer(t *testing.T, h *harness, maxConns int) string {
	t.Helper()
	return "https://" + tlsDoor(t, h, testCert(t), maxConns)
}

// stepTimeout bounds each step of a browser flow on its own: a page
// load, a wait for what the page says, a click and the page it leads to.
// The flow as a whole has no deadline but go test's: a slow machine (CI
// runs the packages' tests in parallel on two cores) makes every step
// slower, and a step that hangs fails alone, named, long before the test.
const stepTimeout = 45 * time.Second

// owner is one person at a browser.
type owner struct {
	t         *testing.T
	ctx       context.Context // the browser's: no deadline
	base      string
	downloads string
	shots     string
	width     int
}

// stepContext is the context of one step.
func (o *owner) stepContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(o.ctx, stepTimeout)
}

// fail ends the flow at step what, with the page as it is then.
func (o *owner) fail(what string, err error) {
	o.t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("not done within %v (%w)", stepTimeout, err)
	}
	o.t.Fatalf("browser step %s: %v\nat %s, the page's main part:\n%s", what, err, o.path(), o.html())
}

// do runs steps as one step named what.
func (o *owner) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	o.t.Helper()
	ctx, cancel := o.stepContext()
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		o.fail(what, err)
	}
}

// html is the page's main part, for a failure's message.
func (o *owner) html() string {
	ctx, cancel := context.WithTimeout(o.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("main") || document.documentElement).outerHTML`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return s
}

// path is the page's path, or what stopped reading it.
func (o *owner) path() string {
	ctx, cancel := context.WithTimeout(o.ctx, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
	if err != nil {
		return "(unknown page: " + err.Error() + ")"
	}
	return strings.TrimPrefix(loc, o.base)
}

// open goes to path and waits for its load.
func (o *owner) open(path string) {
	o.t.Helper()
	o.do("opening "+path, chromedp.Navigate(o.base+path))
}

// clickPoint waits until the element sel can take a click as a person's
// would, and returns where: it is there and enabled, it has stayed in
// the same place for two frames (a screenshot or a late strength rating
// moves the page), and the point at its centre hits it rather than
// something over it. No aria-busy region is still being updated.
const clickPoint = `new Promise((done) => {
	let last = "";
	const tick = () => {
		const el = document.querySelector(%q);
		let now = "";
		if (el && !el.disabled && !document.querySelector("[aria-busy=true]")) {
			const r0 = el.getBoundingClientRect();
			if (r0.top < 0 || r0.bottom > innerHeight || r0.left < 0 || r0.right > innerWidth) {
				el.scrollIntoView({block: "center", inline: "nearest"});
			}
			const r = el.getBoundingClientRect();
			const x = r.left + r.width / 2, y = r.top + r.height / 2;
			const hit = document.elementFromPoint(x, y);
			if (r.width > 0 && r.height > 0 && hit && el.contains(hit)) {
				now = [r.left, r.top, r.width, r.height].join();
				if (now === last) { done([x, y]); return; }
			}
		}
		last = now;
		requestAnimationFrame(tick);
	};
	requestAnimationFrame(tick);
})`

// point is where to click sel (see clickPoint).
func (o *owner) point(ctx context.Context, sel string) (x, y float64, err error) {
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[2]float64](fmt.Sprintf(clickPoint, sel), chromedp.EvalAwaitPromise))
	return xy[0], xy[1], err
}

// click clicks sel as a person does, once it can be clicked, and waits
// for the load of the page it leads to: the new document's, never an
// earlier one's.
func (o *owner) click(sel string) {
	o.t.Helper()
	ctx, cancel := o.stepContext()
	defer cancel()
	x, y, err := o.point(ctx, sel)
	if err != nil {
		o.fail("waiting to click "+sel, err)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.MouseClickXY(x, y))
	if err != nil {
		o.fail("clicking "+sel+" and loading the page it leads to", err)
	}
	if resp != nil && resp.Status >= 500 {
		o.fail("clicking "+sel, fmt.Errorf("the server answered %d", resp.Status))
	}
}

// press clicks sel as a person does, once it can be clicked, where the
// click opens no page (a drop-down, a choice in it).
func (o *owner) press(sel string) {
	o.t.Helper()
	ctx, cancel := o.stepContext()
	defer cancel()
	x, y, err := o.point(ctx, sel)
	if err != nil {
		o.fail("waiting to click "+sel, err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
		o.fail("clicking "+sel, err)
	}
}

// pick chooses value in the drop-down #id as a person does: a click
// opens its list, a click on the choice makes it.
func (o *owner) pick(id, value string) {
	o.t.Helper()
	o.press("#" + id)
	o.press(fmt.Sprintf("#%s option[value=%q]", id, value))
	o.has(fmt.Sprintf("#%s choosing %s", id, value), fmt.Sprintf(`document.getElementById(%q).value === %q`, id, value))
}

// choose is pick in a drop-down whose choice opens a page (its script
// sends the form), and waits for that page.
func (o *owner) choose(id, value string) {
	o.t.Helper()
	o.press("#" + id)
	o.click(fmt.Sprintf("#%s option[value=%q]", id, value))
}

// has waits for the JavaScript condition cond about the page, named what.
func (o *owner) has(what, cond string) {
	o.t.Helper()
	o.do("waiting for "+what, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(0)))
}

// withoutScript keeps the browser from loading the page script name
// (as one with scripts off, or a script that failed to load), until
// called again with "".
func (o *owner) withoutScript(name string) {
	o.t.Helper()
	var block []*network.BlockPattern
	if name != "" {
		block = append(block, &network.BlockPattern{URLPattern: "*://*:*/static/" + name, Block: true})
	}
	o.do("blocking script "+name, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: block})
		return err
	}))
}

// typeIn types text into the field with id.
func (o *owner) typeIn(id, text string) {
	o.t.Helper()
	o.do("typing into #"+id, chromedp.SendKeys(chromedp.ID(id), text))
}

// sees waits for the page to say every text.
func (o *owner) sees(texts ...string) {
	o.t.Helper()
	ctx, cancel := o.stepContext()
	defer cancel()
	for _, want := range texts {
		js := fmt.Sprintf(`document.body && document.body.innerText.includes(%q)`, want)
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(0))); err != nil {
			o.fail(fmt.Sprintf("waiting for the page to say %q", want), err)
		}
	}
}

// shot saves a full-page PNG named name, after checking that the page
// fits the window's width (no sideways scrolling, at 320 pixels too).
func (o *owner) shot(name string) string {
	o.t.Helper()
	ctx, cancel := o.stepContext()
	defer cancel()
	fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	if err != nil || !fits {
		o.t.Errorf("page %s is wider than the %d-pixel window (%v)", name, o.width, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		o.fail("taking screenshot "+name, err)
	}
	return o.keep(name, png)
}

// keep saves png as name, for the width, in the screenshots' folder.
func (o *owner) keep(name string, png []byte) string {
	o.t.Helper()
	p := filepath.Join(o.shots, name+"-"+strconv.Itoa(o.width)+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		o.t.Fatal(err)
	}
	return p
}

// picture takes a picture of the element sel alone, as a phone's camera
// would see it, once the page has settled: its image decoded and drawn
// (a capture may otherwise catch tiles not yet painted) and the element
// in the same place for two frames. It is kept as name, for a failure.
func (o *owner) picture(sel, name string) []byte {
	o.t.Helper()
	ctx, cancel := o.stepContext()
	defer cancel()
	settle := fmt.Sprintf(`(async () => {
		const el = document.querySelector(%q);
		if (el.decode) { await el.decode(); }
		const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
		let last = "";
		for (;;) {
			await frame();
			const r = el.getBoundingClientRect();
			const now = [r.left + scrollX, r.top + scrollY, r.width, r.height].join();
			if (r.width > 0 && now === last) { return true; }
			last = now;
		}
	})()`, sel)
	var png []byte
	err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](settle, chromedp.EvalAwaitPromise),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) (err error) {
			png, err = chromedp.Screenshot(chromedp.CSS(sel))(ctx, t)
			return err
		}))
	if err != nil {
		o.fail("taking a picture of "+sel, err)
	}
	o.keep(name, png)
	return png
}

// served is the image sel shows, as the page's server sent it: fetched
// again by the page itself, with its cookies, from the image's address.
func (o *owner) served(sel string) []byte {
	o.t.Helper()
	ctx, cancel := o.stepContext()
	defer cancel()
	fetch := fmt.Sprintf(`(async () => {
		const r = await fetch(document.querySelector(%q).src, {credentials: "same-origin"});
		if (!r.ok) { throw new Error("HTTP " + r.status); }
		const b = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (const c of b) { s += String.fromCharCode(c); }
		return btoa(s);
	})()`, sel)
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](fetch, chromedp.EvalAwaitPromise))
	if err != nil {
		o.fail("fetching the image of "+sel, err)
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		o.fail("decoding the image of "+sel, err)
	}
	return data
}

// tick clicks sel, a control that changes the page in place (a check
// box), and loads no other page.
func (o *owner) tick(sel string) {
	o.t.Helper()
	ctx, cancel := o.stepContext()
	defer cancel()
	x, y, err := o.point(ctx, sel)
	if err != nil {
		o.fail("waiting to click "+sel, err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
		o.fail("clicking "+sel, err)
	}
}

// download clicks sel and returns the file the browser saved.
func (o *owner) download(sel string) []byte {
	o.t.Helper()
	ctx, cancel := o.stepContext()
	defer cancel()
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	x, y, err := o.point(ctx, sel)
	if err != nil {
		o.fail("waiting to click "+sel, err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
		o.fail("clicking "+sel, err)
	}
	for ev, err := range progress {
		if err != nil {
			o.fail("downloading from "+sel, err)
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			o.t.Fatalf("download from %s canceled", sel)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			data, err := os.ReadFile(filepath.Join(o.downloads, ev.GUID))
			if err != nil {
				o.t.Fatal(err)
			}
			return data
		}
	}
	o.fail("downloading from "+sel, errors.New("no download"))
	return nil
}

// scanQR decodes the QR code in a PNG as a phone would.
func scanQR(t *testing.T, png []byte) string {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	text, err := qrread.Image(img)
	if err != nil {
		t.Fatalf("the QR code on the page does not scan: %v", err)
	}
	return text
}

// issuer builds cmd/recovery-issuer, the vendor's side, and returns a
// func answering a payload with its verification code.
func issuer(t *testing.T, h *harness) func(payload string) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "recovery-issuer")
	if out, err := exec.Command("go", "build", "-o", bin, "nvrmenu/cmd/recovery-issuer").CombinedOutput(); err != nil {
		t.Fatalf("building recovery-issuer: %v\n%s", err, out)
	}
	key := filepath.Join(dir, "vendor.key")
	if err := os.WriteFile(key, payload.MarshalPrivateKey(h.vendor), 0o600); err != nil {
		t.Fatal(err)
	}
	code := regexp.MustCompile(`verification code: (\S+)`)
	return func(payload string) string {
		t.Helper()
		out, err := exec.Command(bin, "issue", "-key", key, "-payload", payload).CombinedOutput()
		m := code.FindSubmatch(out)
		if err != nil || m == nil {
			t.Fatalf("recovery-issuer issue: %v\n%s", err, out)
		}
		return string(m[1])
	}
}

// TestBrowserFlows runs every flow in Chromium as an owner clicks it, on
// a desktop and on a 320-pixel phone: activation, set-up of the three
// methods, a reset by each, the fresh GUID export after a GUID reset, a
// language switch.
func TestBrowserFlows(t *testing.T) {
	exe := browserPath(t)
	if testing.Short() {
		t.Skip("browser flows: not in -short")
	}
	shots := screenshotDir(t)
	for _, size := range []struct{ w, h int }{{1280, 900}, {320, 640}} {
		t.Run(strconv.Itoa(size.w)+"px", func(t *testing.T) {
			h := newHarness(t, harnessOptions{})
			issue := issuer(t, h)
			base := tlsServer(t, h, 64) // the daemon's default web.max_conns: 16 a client
			downloads := t.TempDir()
			opts := append(chromedp.DefaultExecAllocatorOptions[:],
				chromedp.ExecPath(exe),
				chromedp.NoSandbox,
				chromedp.DisableGPU,
				chromedp.IgnoreCertErrors,
				chromedp.UserDataDir(t.TempDir()),
				chromedp.Flag("disable-dev-shm-usage", true),
				chromedp.Flag("disable-component-update", true),
				chromedp.Flag("disable-sync", true),
				chromedp.Flag("lang", "it-IT"),
				chromedp.Flag("accept-lang", "it-IT,it"),
				chromedp.WindowSize(size.w, size.h),
			)
			actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
			defer cancelA()
			ctx, cancel := chromedp.NewContext(actx)
			defer cancel()
			o := &owner{t: t, ctx: ctx, base: base, downloads: downloads, shots: shots, width: size.w}
			// The first run starts the browser and binds its life to
			// its context: it gets no deadline (that would end the
			// browser with it), but a watchdog that ends the browser if
			// it does not come up, and the step fails.
			started := make(chan struct{})
			watchdog := time.AfterFunc(stepTimeout, func() {
				select {
				case <-started:
				default:
					cancel()
				}
			})
			err := chromedp.Do(ctx,
				chromedp.EmulateViewport(int64(size.w), int64(size.h)),
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
						Behavior:      browser.SetDownloadBehaviorBehaviorAllowAndName,
						DownloadPath:  downloads,
						EventsEnabled: new(true),
					})
					return err
				}),
			)
			close(started)
			watchdog.Stop()
			if err != nil {
				t.Fatalf("browser step starting chromium (within %v): %v", stepTimeout, err)
			}
			browserFlows(t, o, h, issue)
		})
	}
	t.Logf("screenshots in %s", shots)
}

func browserFlows(t *testing.T, o *owner, h *harness, issue func(string) string) {
	const first, second, third, fourth = "Primo!Accesso7", "Secondo!Giro8", "Terzo!Passo9", "Quarto!Varco6"
	it := mustCatalogue("it")

	// Activation from the page, with the live strength meter.
	o.open("/")
	o.sees("Registratore " + testSerial + " non attivato")
	o.typeIn("password", first)
	o.do("waiting for the strength meter to rate the password", chromedp.WaitVisible(chromedp.CSS("#strength.strength-strong, #strength.strength-medium")))
	o.typeIn("confirm", first)
	o.shot("activate")
	o.click("main button[type=submit]")
	o.sees("Registratore attivato.", "Esporta file GUID", "Non impostato")
	if st := h.core.Console().Status(); st.PasswordBy != DoorPages || st.PasswordFrom != "127.0.0.1" {
		t.Fatalf("activated by %q from %q, want web from 127.0.0.1", st.PasswordBy, st.PasswordFrom)
	}

	// Set-up: the GUID file downloaded, then confirmed.
	o.click("#guid-export")
	o.sees("Scarica il file GUID", "Ho salvato il file")
	o.shot("guid-export")
	guid := o.download("#guid-download")
	if !bytes.HasPrefix(guid, []byte("nvrmenu-guid v1\n")) {
		t.Fatalf("downloaded GUID file %q", guid)
	}
	o.click("#guid-saved")
	o.sees("Nuovo file GUID registrato")
	// The questions, each picked from its list as a person does; each
	// choice reads whole in its drop-down, on two lines if need be (the
	// long first question is taller than the short third one on a
	// phone), and in the list it opens.
	o.click("#questions-set")
	o.pick("question1", "first-pet")
	o.press("#question2")
	o.shot("questions-picker")
	o.press(`#question2 option[value="birth-city"]`)
	o.pick("question3", "first-car")
	o.has("each question shown whole", `[1, 2, 3].every((n) => {
		const s = document.getElementById("question" + n);
		return getComputedStyle(s).appearance === "base-select" && s.scrollWidth <= s.clientWidth;
	})`)
	if o.width <= 320 {
		o.has("the long question on two lines", `document.getElementById("question1").offsetHeight > document.getElementById("question3").offsetHeight`)
	}
	o.typeIn("answer1", "Fido")
	o.typeIn("answer2", "Roma")
	o.typeIn("answer3", "Panda")
	o.shot("questions")
	o.click("#questions-save")
	o.sees("Domande di sicurezza salvate.")
	// The reserved e-mail, typed twice, shown whole once saved, then only
	// masked.
	o.click("#email-set")
	o.typeIn("email", "mario.rossi@example.com")
	o.typeIn("confirm", "mario.rossi@example.com")
	o.click("#email-save")
	o.sees("Indirizzo e-mail di recupero salvato: mario.rossi@example.com", "Controllare che sia giusto", "Impostato: m***i@example.com")
	o.shot("email-saved")
	o.open("/account")
	o.sees("Impostato: m***i@example.com", "Esporta un nuovo file GUID", "Modifica le domande", "Modifica l'e-mail")
	o.has("the whole address gone", `!document.body.innerText.includes("mario.rossi@") && !document.body.innerText.includes("%s")`)
	o.shot("account")
	o.click(".logout button")
	o.sees("Disconnesso.")

	// Reset by the GUID file, through the file input; the mode chosen
	// without the drop-down's script, with its own button.
	o.withoutScript(chooseScript)
	o.click("#forgot")
	o.has("the mode's button shown without scripts", `document.getElementById("mode-choose").offsetParent !== null`)
	o.pick("mode", "guid")
	o.click("#mode-choose")
	o.withoutScript("")
	guidFile := filepath.Join(t.TempDir(), testSerial+"_20270314_093000.nvrguid")
	os.WriteFile(guidFile, guid, 0o600)
	o.do("choosing the GUID file to upload", chromedp.SetUploadFiles(chromedp.ID("guid"), []string{guidFile}))
	o.shot("forgot-guid")
	o.click("section form button[type=submit]")
	o.sees("Nuova password", "Conferma password")
	o.typeIn("password", second)
	o.typeIn("confirm", second)
	o.shot("new-password")
	o.click("main form button[type=submit]")
	// The fresh GUID export is offered at once.
	o.sees("Password ripristinata", "Il file GUID precedente non vale più")
	o.shot("done-guid")
	o.click("#export-now")
	guid2 := o.download("#guid-download")
	o.click("#guid-saved")
	o.sees("Nuovo file GUID registrato")
	if bytes.Equal(guid, guid2) {
		t.Fatal("the fresh GUID file is the used one")
	}
	if _, err := h.core.Console().VerifyGUIDFile(guid2); err != nil {
		t.Fatalf("the fresh GUID file from the browser: %v", err)
	}
	o.click(".logout button")

	// Reset by the security questions: with scripts, the choice in the
	// drop-down opens the mode, and its button is hidden.
	o.click("#forgot")
	o.has("the mode's button hidden by its script", `document.getElementById("mode-choose").offsetParent === null`)
	o.shot("forgot")
	o.choose("mode", "questions")
	o.sees("Come si chiamava il tuo primo animale domestico?", "Qual è stata la tua prima auto?")
	o.typeIn("answer1", "fido")
	o.typeIn("answer2", " ROMA ")
	o.typeIn("answer3", "panda")
	// The answers are hidden as they are typed, as on the console, and
	// shown on request.
	o.has("the answers hidden", `document.getElementById("answer2").type === "password"`)
	o.tick("#show-answers")
	o.has("the answers shown on request", `document.getElementById("answer2").type === "text" && document.getElementById("answer2").value === " ROMA "`)
	o.shot("forgot-questions")
	o.click("section form button[type=submit]")
	o.typeIn("password", third)
	o.typeIn("confirm", third)
	o.click("main form button[type=submit]")
	// The GUID file exported after the last reset expired with this one:
	// the page says so and offers a fresh one at once.
	o.sees("Password ripristinata", it.T(texts.GUIDExpiredOffer))
	o.has("the fresh export offered", `document.getElementById("export-now") !== null`)
	o.shot("done-questions")
	o.click(".logout button")

	// Reset by the reserved e-mail: the QR on the page, scanned from a
	// screenshot and answered by recovery-issuer; and its PNG export.
	o.click("#forgot")
	o.choose("mode", "email")
	// No recovery.app_url here: the QR is text, to photograph and mail.
	o.sees("m***i@example.com", "Esporta il codice QR", it.T(texts.WebAppScanQRPhoto))
	o.click("#show-qr")
	o.do("waiting for the QR image to load", chromedp.WaitVisible(chromedp.ID("qr")),
		chromedp.Poll[chromedp.Void](`document.getElementById("qr").complete && document.getElementById("qr").naturalWidth > 0`, chromedp.WithPollingTimeout(0)))
	o.shot("qr")
	o.picture("#qr", "qr-code") // as the owner sees it, kept with the shots
	// The code is read from the PNG the page serves: a screenshot, at
	// 320 px, is scaled by the browser and once failed to decode.
	payload := scanQR(t, o.served("#qr"))
	exported := o.download("#export-qr")
	if got := scanQR(t, exported); got != payload {
		t.Fatal("the exported QR code is not the one on the page")
	}
	o.typeIn("code", "ZZZZ-ZZZZ")
	o.click("main form[action='/forgot/email'] button[type=submit]")
	o.sees("Codice di verifica errato.", "Tentativi rimasti: 4.")
	o.typeIn("code", issue(payload))
	o.click("main form[action='/forgot/email'] button[type=submit]")
	o.typeIn("password", fourth)
	o.typeIn("confirm", fourth)
	o.click("main form button[type=submit]")
	o.sees("Password ripristinata")
	o.click(".logout button")

	// Five wrong answers lock the questions: the page says so, and the
	// drop-down and the list under it say why, in the core's words.
	o.click("#forgot")
	o.choose("mode", "questions")
	for range 5 {
		o.typeIn("answer1", "xx")
		o.typeIn("answer2", "yy")
		o.typeIn("answer3", "zz")
		o.click("section form button[type=submit]")
	}
	locked := h.networkJourney().Method(journey.Questions)
	if locked.Why == nil || locked.Why.Code != texts.CodeLocked {
		t.Fatalf("after five wrong answers the questions are %+v, want locked", locked)
	}
	why := locked.Words(it)
	o.sees(journey.Questions.Label(it)+": "+why, it.T(texts.MethodExpiredGUID))
	o.has("the questions' choice disabled, with why", fmt.Sprintf(`(() => {
		const opt = document.querySelector("#mode option[value=questions]");
		return opt.disabled && opt.textContent.includes(%q);
	})()`, why))
	o.shot("forgot-locked")
	o.press("#mode")
	o.shot("forgot-locked-picker")
	o.do("closing the list", chromedp.KeyEvent(kb.Escape))
	o.has("the list closed", `!document.querySelector("#mode").matches(":open")`)
	o.click(`main a[href="/login"]`)

	// A language switch, and a login with the last password.
	o.click(`a[hreflang="en"]`)
	o.sees("Log in", "Forgot password")
	o.shot("login-en")
	o.typeIn("password", fourth)
	o.click("main form button[type=submit]")
	o.sees("Admin account", "Export GUID file", "Set up")
	if p := o.path(); p != "/account" {
		t.Fatalf("after login at %s, want /account", p)
	}
}
