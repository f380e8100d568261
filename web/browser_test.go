package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"image"
	_ "image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"nvrmenu/internal/selfcert"
	"nvrmenu/recovery"
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
// loopback port.
func tlsServer(t *testing.T, h *harness, maxConns int) string {
	t.Helper()
	certPEM, keyPEM, err := selfcert.Generate(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen("127.0.0.1:0", &cert, maxConns)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); h.srv.Serve(ctx, ln, &cert) }()
	t.Cleanup(func() { cancel(); <-done })
	return "https://" + ln.Addr().(*net.TCPAddr).String()
}

// owner is one person at a browser.
type owner struct {
	t         *testing.T
	ctx       context.Context
	base      string
	downloads string
	shots     string
	width     int
}

func (o *owner) do(steps ...chromedp.Action[chromedp.Void]) {
	o.t.Helper()
	if err := chromedp.Do(o.ctx, steps...); err != nil {
		o.t.Fatalf("browser: %v\npage:\n%s", err, o.html())
	}
}

func (o *owner) html() string {
	s, _ := chromedp.Run(o.ctx, chromedp.OuterHTML(chromedp.CSS("main")))
	return s
}

// open goes to path and waits for its load.
func (o *owner) open(path string) {
	o.t.Helper()
	o.do(chromedp.Navigate(o.base + path))
}

// click clicks sel and waits for the page it leads to.
func (o *owner) click(sel string) {
	o.t.Helper()
	if _, err := chromedp.Run(o.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		o.t.Fatalf("clicking %s: %v\npage:\n%s", sel, err, o.html())
	}
}

// typeIn types text into the field with id.
func (o *owner) typeIn(id, text string) {
	o.t.Helper()
	o.do(chromedp.SendKeys(chromedp.ID(id), text))
}

// sees waits for the page's main part to hold every text.
func (o *owner) sees(texts ...string) {
	o.t.Helper()
	for _, want := range texts {
		got, err := chromedp.Run(o.ctx, chromedp.Text(chromedp.CSS("body")))
		if err != nil || !strings.Contains(got, want) {
			o.t.Fatalf("the page does not say %q:\n%s", want, got)
		}
	}
}

func (o *owner) path() string {
	loc, err := chromedp.Run(o.ctx, chromedp.Location())
	if err != nil {
		o.t.Fatal(err)
	}
	return strings.TrimPrefix(loc, o.base)
}

// shot saves a full-page PNG named name, after checking that the page
// fits the window's width (no sideways scrolling, at 320 pixels too).
func (o *owner) shot(name string) string {
	o.t.Helper()
	fits, err := chromedp.Run(o.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	if err != nil || !fits {
		o.t.Errorf("page %s is wider than the %d-pixel window (%v)", name, o.width, err)
	}
	png, err := chromedp.Run(o.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		o.t.Fatal(err)
	}
	p := filepath.Join(o.shots, name+"-"+strconv.Itoa(o.width)+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		o.t.Fatal(err)
	}
	return p
}

// download clicks sel and returns the file the browser saved.
func (o *owner) download(sel string) []byte {
	o.t.Helper()
	progress := chromedp.BrowserEvents(o.ctx, browser.DownloadProgress)
	o.do(chromedp.Click(chromedp.CSS(sel)))
	for ev, err := range progress {
		if err != nil {
			o.t.Fatalf("download from %s: %v", sel, err)
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
	o.t.Fatalf("no download from %s", sel)
	return nil
}

// scanQR decodes the QR code in a PNG as a phone would.
func scanQR(t *testing.T, png []byte) string {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(png))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		res, err = gozxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	}
	if err != nil {
		t.Fatalf("the QR code on the page does not scan: %v", err)
	}
	return res.GetText()
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
	if err := os.WriteFile(key, recovery.MarshalVendorPrivateKey(h.vendor), 0o600); err != nil {
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
			base := tlsServer(t, h, 16)
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
			ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
			defer cancelT()
			o := &owner{t: t, ctx: ctx, base: base, downloads: downloads, shots: shots, width: size.w}
			o.do(
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
			browserFlows(t, o, h, issue)
		})
	}
	t.Logf("screenshots in %s", shots)
}

func browserFlows(t *testing.T, o *owner, h *harness, issue func(string) string) {
	const first, second, third, fourth = "Primo!Accesso7", "Secondo!Giro8", "Terzo!Passo9", "Quarto!Varco6"

	// Activation from the page, with the live strength meter.
	o.open("/")
	o.sees("Dispositivo " + testSerial + " non attivato")
	o.typeIn("password", first)
	o.do(chromedp.WaitVisible(chromedp.CSS("#strength.strength-strong, #strength.strength-medium")))
	o.typeIn("confirm", first)
	o.shot("activate")
	o.click("main button[type=submit]")
	o.sees("Dispositivo attivato.", "Esporta file GUID", "Non impostato")
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
	// The questions.
	o.click(`a[href="/account/questions"]`)
	o.do(chromedp.SetValue(chromedp.ID("question1"), "first-pet"), chromedp.SetValue(chromedp.ID("question2"), "birth-city"), chromedp.SetValue(chromedp.ID("question3"), "first-car"))
	o.typeIn("answer1", "Fido")
	o.typeIn("answer2", "Roma")
	o.typeIn("answer3", "Panda")
	o.shot("questions")
	o.click("#questions-save")
	o.sees("Domande di sicurezza salvate.")
	// The reserved e-mail, typed twice.
	o.click(`a[href="/account/email"]`)
	o.typeIn("email", "mario.rossi@example.com")
	o.typeIn("confirm", "mario.rossi@example.com")
	o.click("#email-save")
	o.sees("salvato", "m***i@example.com")
	o.shot("account")
	o.click(".logout button")
	o.sees("Disconnesso.")

	// Reset by the GUID file, through the file input.
	o.click("#forgot")
	o.do(chromedp.SetValue(chromedp.ID("mode"), "guid"))
	o.click("#mode-next")
	guidFile := filepath.Join(t.TempDir(), testSerial+"_20270314_093000.nvrguid")
	os.WriteFile(guidFile, guid, 0o600)
	o.do(chromedp.SetUploadFiles(chromedp.ID("guid"), []string{guidFile}))
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

	// Reset by the security questions.
	o.click("#forgot")
	o.shot("forgot")
	o.do(chromedp.SetValue(chromedp.ID("mode"), "questions"))
	o.click("#mode-next")
	o.sees("Come si chiamava il tuo primo animale domestico?", "Qual è stata la tua prima auto?")
	o.typeIn("answer1", "fido")
	o.typeIn("answer2", " ROMA ")
	o.typeIn("answer3", "panda")
	o.shot("forgot-questions")
	o.click("section form button[type=submit]")
	o.typeIn("password", third)
	o.typeIn("confirm", third)
	o.click("main form button[type=submit]")
	o.sees("Password ripristinata")
	o.click(".logout button")

	// Reset by the reserved e-mail: the QR on the page, scanned from a
	// screenshot and answered by recovery-issuer; and its PNG export.
	o.click("#forgot")
	o.do(chromedp.SetValue(chromedp.ID("mode"), "email"))
	o.click("#mode-next")
	o.sees("m***i@example.com", "Esporta il codice QR", "Apri l'app per scansionare il codice QR")
	o.click("#show-qr")
	o.do(chromedp.WaitVisible(chromedp.ID("qr")))
	if _, err := chromedp.Run(o.ctx, chromedp.Poll[bool](`document.getElementById("qr").complete && document.getElementById("qr").naturalWidth > 0`)); err != nil {
		t.Fatalf("the QR image does not load: %v", err)
	}
	o.shot("qr")
	png, err := chromedp.Run(o.ctx, chromedp.Screenshot(chromedp.ID("qr")))
	if err != nil {
		t.Fatal(err)
	}
	payload := scanQR(t, png)
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
