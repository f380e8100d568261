//go:build qemubench

package qemu

import (
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"nvrmenu/bench/qemu/keys"
	"nvrmenu/bench/qemu/pixels"
	"nvrmenu/bench/qemu/qemuargs"
	"nvrmenu/config"
	"nvrmenu/internal/mailaddr"
	"nvrmenu/internal/vtcon"
	"nvrmenu/texts"
)

// The passwords, one per reset, that the policy accepts (two kinds and
// more, no sequences), with the symbols that the Italian keymap types
// elsewhere than the US one.
var passwords = [4]string{"Gt5!wQz8@n", "Rb4$kXv7%m", "Hw3&pLq9#s", "Vn6*dJy2+c"}

// The three answers, and the reserved address (typed on the console; the
// vendor's recovery-issuer must find it in the QR code).
var answers = [3]string{"fido", "fiat panda", "milano"}

const reservedEmail = "mario.rossi@example.com"

// resolution is one HDMI run: a display, the font and grid the daemon must
// choose for it, and what else that boot does.
type resolution struct {
	display    qemuargs.Display
	size       vtcon.FontSize
	cols, rows int
	// language and keymap replace the image's (en, us) when set.
	language, keymap string
	// crowded: a stick of 2000 files yanked while the GUID screen reads it.
	crowded bool
	// console: the console checks after the flows (a resize, the console
	// given back at SIGTERM and after kill -9).
	console bool
	// exportQR: App Scan QR's code is also exported to a stick, and the
	// vendor reads the same challenge from the picture.
	exportQR bool
}

var (
	// 720p: the English menu and the US keymap, the image's own.
	at720 = resolution{display: qemuargs.HDMI720, size: vtcon.FontSize{Width: 12, Height: 24}, cols: 106, rows: 30, crowded: true, exportQR: true}
	// 1080p: an Italian recorder, with the Italian keymap.
	at1080 = resolution{display: qemuargs.HDMI1080, size: vtcon.FontSize{Width: 16, Height: 32}, cols: 120, rows: 33, language: "it", keymap: "it", console: true}
)

// TestHDMI720p and TestHDMI1080p boot the bench image once each with the
// daemon on the HDMI console (tty1 of virtio-gpu, guest/hdmi.toml) and
// drive every flow through that one boot, reading only the screendump's
// pixels: activation; set-up of the GUID file (exported to a hot-plugged
// stick, read back on the host), the security questions and the reserved
// e-mail; a GUID reset from a hot-plugged stick; a security-questions
// reset; an App Scan QR reset (the QR decoded from the screen, answered by
// recovery-issuer with the bench's vendor key, the code typed back). Every
// screen waited for is checked (checkScreen) and saved.
func TestHDMI720p(t *testing.T)  { runHDMI(t, at720) }
func TestHDMI1080p(t *testing.T) { runHDMI(t, at1080) }

func runHDMI(t *testing.T, res resolution) {
	image := os.Getenv("NVRMENU_IMAGE")
	if image == "" {
		t.Fatal("NVRMENU_IMAGE is not set: run ./build.sh image, then NVRMENU_IMAGE=$PWD/out/image go test -tags qemubench ./bench/qemu/")
	}
	cfg, err := config.Load(filepath.Join(image, "hdmi.toml"))
	if err != nil {
		t.Fatalf("the image's HDMI configuration: %v (./build.sh image makes it)", err)
	}
	if cfg.Recovery.VendorPublicKey == "" {
		t.Fatalf("%s/hdmi.toml has no vendor key: the image predates the bench's vendor key (./build.sh image)", image)
	}
	lang, layout := cfg.Language, cfg.Console.Keymap
	if res.language != "" {
		lang = res.language
	}
	if res.keymap != "" {
		layout = res.keymap
	}
	cat, err := loadCatalogue(lang)
	if err != nil {
		t.Fatal(err)
	}
	km, err := keys.For(layout)
	if err != nil {
		t.Fatal(err)
	}
	f := &flow{t: t, cat: cat, serial: cfg.Device.Serial, image: image, res: res}
	f.fig = figures{Display: res.display.Name, Date: time.Now().UTC().Format(time.RFC3339)}

	v := bootVM(t, qemuargs.Arm64, image, res.display, res.language, res.keymap)
	f.h = &hdmi{vm: v, name: res.display.Name, reader: font(res.size), keymap: km, cat: cat}
	defer func() {
		f.fig.DumpMedianMS = ms(median(f.h.dumpTimes))
		f.fig.ReadMedianMS = ms(median(f.h.readTimes))
		f.fig.KeyToFrameMedianMS = ms(median(f.h.keyTimes))
		f.fig.Screendumps = len(f.h.dumpTimes)
		t.Logf("%s: %d screendumps, median %.1f ms each (monitor command and file), reading one %.1f ms; key to frame median %.0f ms over %d keys",
			res.display.Name, len(f.h.dumpTimes), f.fig.DumpMedianMS, f.fig.ReadMedianMS, f.fig.KeyToFrameMedianMS, len(f.h.keyTimes))
		appendFigures(t, f.fig)
	}()

	steps := []struct {
		name string
		run  func()
	}{
		{"first-frame", f.firstFrame},
		{"activation", f.activation},
		{"setup-guid", f.setupGUID},
		{"setup-questions", f.setupQuestions},
		{"setup-email", f.setupEmail},
		{"finish", f.finish},
		{"reset-guid", f.resetGUID},
		{"reset-questions", f.resetQuestions},
		{"reset-qr", f.resetQR},
	}
	if res.console {
		steps = append(steps, struct {
			name string
			run  func()
		}{"console", f.consoleChecks})
	}
	start := time.Now()
	for _, s := range steps {
		// One boot: a step that stops half way leaves the menu where the
		// next cannot start; one that only found faults (a screen's
		// contrast) lets the flows go on.
		stopped := true
		t.Run(s.name, func(t *testing.T) {
			f.on(t)
			s.run()
			stopped = false
		})
		if stopped {
			break
		}
	}
	f.h.t = t
	f.fig.FlowsSeconds = time.Since(start).Seconds()
	t.Logf("%s: the steps took %.0f s from QEMU's start, first frame included", res.display.Name, f.fig.FlowsSeconds)
}

// flow is one HDMI boot's state, passed from step to step.
type flow struct {
	t      *testing.T
	h      *hdmi
	cat    catalogue
	res    resolution
	serial string
	image  string
	fig    figures

	pid      int    // the daemon's, from its first frame
	pw       int    // the index of the password in force
	guidImg  string // the stick image with the GUID file
	guidName string
}

// on points the flow and its VM at a step's test.
func (f *flow) on(t *testing.T) { f.t, f.h.t = t, t }

func (f *flow) tr(id texts.ID, args ...any) string { f.t.Helper(); return f.cat.text(f.t, id, args...) }

// prefix is a catalogue text up to its first verb (%s), for a message
// whose argument the bench does not know.
func (f *flow) prefix(id texts.ID) string {
	f.t.Helper()
	return strings.TrimSpace(strings.Split(f.tr(id), "%")[0])
}

// firstFrame waits for the menu's first frame on tty1: the frame in the
// grid of our font of the size this display must get, and the daemon's
// console set-up line saying so.
func (f *flow) firstFrame() {
	h, res := f.h, f.res
	s := h.wait("first-frame", fmt.Sprintf("the menu's title bar and footer in %dx%d cells of our %v font", res.cols, res.rows, res.size), nil, func(s *pixels.Screen) bool {
		return frameEnds(s, res.cols, res.rows)
	})
	// What the cells leave of the monitor (720p: 8 columns of pixels at
	// the right; 1080p: 24 rows at the bottom) is the menu's background,
	// not a band of another colour.
	b := s.Image.Bounds()
	for _, band := range []image.Rectangle{
		image.Rect(res.cols*res.size.Width, 0, b.Dx(), b.Dy()),
		image.Rect(0, res.rows*res.size.Height, b.Dx(), b.Dy()),
	} {
		if !band.Empty() {
			if c := dominant(s.Image, band.Add(b.Min)); c != vtcon.Palette[4] {
				f.t.Errorf("%s: the margin %v is %v, want the menu's background %v", res.display.Name, band, c, vtcon.Palette[4])
			}
		}
	}
	f.fig.BootToFirstFrame = time.Since(h.started).Seconds()
	f.t.Logf("%s: first frame on tty1 %.1f s after QEMU started", res.display.Name, f.fig.BootToFirstFrame)
	setup := h.waitLog("msg=console", 1, screenLimit)
	f.t.Logf("daemon: %s", setup)
	want := fmt.Sprintf("font %s %v for %dx%d", vtcon.FontName, res.size, res.display.Width, res.display.Height)
	if !strings.Contains(setup, want) || !strings.Contains(setup, "palette set") || !strings.Contains(setup, "keymap "+h.keymap.Layout()) {
		f.t.Errorf("console set-up line %q: want %q, the palette set and the %s keymap", setup, want, h.keymap.Layout())
	}
	if out, err := h.guest("cat /sys/class/graphics/fb0/name /sys/class/graphics/fb0/virtual_size"); err == nil {
		f.t.Logf("guest fb0: %s", strings.Join(strings.Fields(out), " "))
	}
}

// activation sets the admin password (typed a key at a time, for the key
// to frame figure) and waits for the recovery set-up.
func (f *flow) activation() {
	h := f.h
	h.waitText("activation", f.tr(texts.TitleActivation), f.tr(texts.ActivationIntro, f.serial))
	f.pid = h.daemonPID()
	f.fig.RSSKiB, f.fig.HWMKiB = h.daemonMemory(f.pid)
	f.t.Logf("nvr-menud (pid %d) after its first frame: VmRSS %d KiB, VmHWM %d KiB", f.pid, f.fig.RSSKiB, f.fig.HWMKiB)
	measureIdle(h.vm, f.pid, &f.fig)
	h.typeTimed(passwords[0])
	h.key(keys.Tab)
	h.typeText(passwords[0])
	h.key(keys.Enter)
	h.waitText("setup", f.tr(texts.TitleSetup), f.tr(texts.PasswordSet))
}

// waitState waits for the screen showing text with state on the line
// under label: a list item's second line.
func (f *flow) waitState(name, text, label, state string) *pixels.Screen {
	f.t.Helper()
	norm := f.h.reader.Normalise(state)
	return f.h.wait(name, fmt.Sprintf("%q with %q under %q", text, state, label), []string{text, label, state}, func(s *pixels.Screen) bool {
		return s.Has(text) && strings.HasPrefix(s.Below(label), norm)
	})
}

// setupGUID exports the GUID file to a stick plugged for it, yanks it and
// reads the file on the host.
func (f *flow) setupGUID() {
	h := f.h
	f.guidImg = filepath.Join(h.dir, "guid.img")
	makeStick(f.t, f.guidImg, 16384)
	dev := h.plug(f.guidImg)
	// By its label: the methods come in the journey's order (the core's).
	h.clickText(f.tr(texts.SetGUID))
	h.waitText("guid-export", f.tr(texts.GUIDExportIntro))
	h.key(keys.Enter) // Export, the focused button
	// The stick by its label, read from the device (mdev makes no
	// /dev/disk/by-label), with QEMU's vendor and model and its size.
	h.wait("pick-stick", "the stick in the stick picker, by its label", []string{f.tr(texts.PickStick), stickLabel}, func(s *pixels.Screen) bool {
		return s.Has(f.tr(texts.PickStick)) && s.Has(stickLabel) && s.Has("QEMU") && !s.Has(f.tr(texts.NoStick))
	})
	h.key(keys.Enter)
	h.waitText("guid-exported", f.prefix(texts.GUIDExported))
	h.key(keys.Enter) // Ok
	f.waitState("setup-guid-done", f.tr(texts.TitleSetup), f.tr(texts.SetGUID), f.tr(texts.StateSetUp))
	h.yank(dev)
	f.guidName = checkGUIDStick(f.t, f.guidImg, f.serial)
	f.t.Logf("GUID file on the stick: %s", f.guidName)
}

// reauth types the password when the menu asks for it again before a
// change; it reports whether it did.
func (f *flow) reauth(s *pixels.Screen) bool {
	if !s.Has(f.tr(texts.Reauth)) {
		return false
	}
	f.h.typeText(passwords[f.pw])
	f.h.key(keys.Enter)
	return true
}

// waitSaved waits for a change's confirmation, typing the password first
// if the menu asks for it.
func (f *flow) waitSaved(name, saved string) {
	f.t.Helper()
	s := f.h.wait(name+"-or-reauth", fmt.Sprintf("%q, or the password asked again", saved), []string{saved}, func(s *pixels.Screen) bool {
		return s.Has(saved) || s.Has(f.tr(texts.Reauth))
	})
	if f.reauth(s) {
		f.h.waitText(name, saved)
	}
}

// setupQuestions answers the three questions the form offers first.
func (f *flow) setupQuestions() {
	h := f.h
	h.clickText(f.tr(texts.SetQuestions))
	f.saveDoc(h.waitText("set-questions", f.tr(texts.SetQuestionsIntro)), "questions-setup")
	for i, a := range answers {
		h.key(keys.Tab) // from the question's drop-down to its answer
		h.typeText(a)
		if i < 2 {
			h.key(keys.Tab)
		}
	}
	h.key(keys.Enter) // in the last answer, Ok
	f.waitSaved("questions-saved", f.tr(texts.QuestionsSaved))
	h.key(keys.Enter)
	f.waitState("setup-questions-done", f.tr(texts.TitleSetup), f.tr(texts.SetQuestions), f.tr(texts.StateSetUp))
}

// setupEmail sets the reserved address: the dialog that says it is saved
// was the invisible one (grey on grey) before the console's palette.
func (f *flow) setupEmail() {
	h := f.h
	h.clickText(f.tr(texts.SetEmail))
	h.waitText("set-email", f.tr(texts.SetEmailIntro))
	h.typeText(reservedEmail)
	h.key(keys.Tab) // the confirmation: typed twice (#11.16)
	h.typeText(reservedEmail)
	h.key(keys.Enter)
	f.waitSaved("email-saved", f.tr(texts.EmailSaved, reservedEmail)) // the address in full, once
	h.key(keys.Enter)
	f.waitState("setup-email-done", f.tr(texts.TitleSetup), f.tr(texts.SetEmail), f.tr(texts.StateSetUpEmail, mailaddr.Mask(reservedEmail)))
}

// finish ends the set-up: the login screen.
func (f *flow) finish() {
	h := f.h
	h.key(keys.End, keys.Enter)
	h.waitText("login", f.tr(texts.Activated), f.tr(texts.DeviceSerial, f.serial))
}

// newPassword sets the next password on the new-password screen and waits
// for the reset's confirmation; "Later" declines the new GUID file.
func (f *flow) newPassword(method string) {
	h := f.h
	h.waitText("new-password-"+method, f.tr(texts.NewPasswordIntro))
	f.pw++
	h.typeText(passwords[f.pw])
	h.key(keys.Tab)
	h.typeText(passwords[f.pw])
	h.key(keys.Enter)
	// The reset offers a new GUID file whenever the device had one: after
	// the GUID reset, saying the file it used no longer works.
	done := []string{f.tr(texts.ResetDone), f.tr(texts.Later)}
	if method == "guid" {
		done = append(done, f.tr(texts.GUIDExpiredOffer))
	}
	h.waitText("reset-done-"+method, done...)
	h.clickButton(f.tr(texts.Later))
	h.waitText("login-with-new-"+method, f.tr(texts.LoginWithNew))
}

// logIn logs in with the password in force and waits for the account
// screen, then logs out.
func (f *flow) logIn(method string) {
	h := f.h
	h.typeText(passwords[f.pw])
	h.key(keys.Enter)
	f.waitState("account-"+method, f.tr(texts.AccountIntro), f.tr(texts.SetGUID), f.tr(texts.StateExpired))
	h.clickText(f.tr(texts.Logout))
	s := h.waitText("login-"+method, f.tr(texts.DeviceSerial, f.serial))
	if method == "guid" {
		f.saveDoc(s, "login")
	}
}

// saveDoc writes a screen the README shows into the directory
// NVRMENU_QEMU_DOCS names (`./build.sh docs-pictures` gives docs/img), as
// console-<resolution>-<name>.png.
func (f *flow) saveDoc(s *pixels.Screen, name string) {
	dir := os.Getenv("NVRMENU_QEMU_DOCS")
	if dir == "" {
		return
	}
	path := filepath.Join(dir, "console-"+f.res.display.Name+"-"+name+".png")
	out, err := os.Create(path)
	if err == nil {
		err = s.WritePNG(out)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		f.t.Errorf("the README's picture %s: %v", path, err)
		return
	}
	f.t.Logf("the README's picture: %s", path)
}

// resetGUID: "Password Dimenticata" with the mouse, the GUID method, the
// stick plugged on that screen, its file imported.
func (f *flow) resetGUID() {
	h := f.h
	h.clickText(f.tr(texts.ForgotPassword))
	f.saveDoc(h.waitText("forgot", f.tr(texts.ForgotIntro)), "password-dimenticata")
	h.clickText(f.tr(texts.MethodGUID))
	h.waitText("guid", f.tr(texts.GUIDIntro), f.tr(texts.NoStick))
	if f.res.crowded {
		f.crowdedStick()
	}
	start := time.Now()
	dev := h.plug(f.guidImg)
	h.waitText("guid-listed", f.guidName)
	f.fig.PlugToListed = time.Since(start).Seconds()
	f.t.Logf("stick plugged to its GUID file listed: %.2f s", f.fig.PlugToListed)
	h.key(keys.Enter) // import the selected file, this device's first
	f.newPassword("guid")
	h.yank(dev)
	f.logIn("guid")
}

// crowdedStick plugs a stick of 2000 files on the GUID screen and yanks it
// as soon as the screen shows it read or listed: the menu must live on and
// say there is no stick, and still answer keys.
func (f *flow) crowdedStick() {
	h := f.h
	img := filepath.Join(h.dir, "many.img")
	makeCrowdedStick(f.t, img)
	dev := h.plug(img)
	s := h.wait("guid-crowded", "the crowded stick on the GUID screen", nil, func(s *pixels.Screen) bool {
		return !s.Has(f.tr(texts.NoStick))
	})
	h.yank(dev)
	switch {
	case s.Has(f.tr(texts.ReadingSticks)):
		f.fig.YankedWhile = "reading"
	case s.Has(f.tr(texts.GUIDOtherDevice)):
		f.fig.YankedWhile = "listed"
	default:
		f.fig.YankedWhile = "other: " + strings.Join(strings.Fields(s.String()), " ")
	}
	f.t.Logf("crowded stick yanked while the GUID screen showed it %s", f.fig.YankedWhile)
	h.waitText("guid-yanked", f.tr(texts.GUIDIntro), f.tr(texts.NoStick))
	h.key(keys.Escape) // back to the methods: the menu still answers keys
	h.waitText("forgot-again", f.tr(texts.ForgotIntro))
	h.clickText(f.tr(texts.MethodGUID))
	h.waitText("guid-again", f.tr(texts.GUIDIntro), f.tr(texts.NoStick))
}

// resetQuestions: the spent GUID shown expired and refused with its
// reason, then the three answers.
func (f *flow) resetQuestions() {
	h := f.h
	h.clickText(f.tr(texts.ForgotPassword))
	f.waitState("forgot-guid-expired", f.tr(texts.ForgotIntro), f.tr(texts.MethodGUID), f.tr(texts.MethodExpiredGUID))
	h.clickText(f.tr(texts.MethodGUID))
	h.wait("guid-expired-dialog", "the reason in a dialog", []string{f.tr(texts.MethodExpiredGUID)}, func(s *pixels.Screen) bool {
		return s.Has(" "+f.tr(texts.Ok)+" ") && !s.Has(f.tr(texts.GUIDIntro))
	})
	h.key(keys.Enter)
	h.wait("forgot-after-dialog", "the methods again", nil, func(s *pixels.Screen) bool {
		return !s.Has(" "+f.tr(texts.Ok)+" ") && s.Has(f.tr(texts.ForgotIntro))
	})
	h.clickText(f.tr(texts.MethodQuestions))
	h.waitText("questions", f.tr(texts.QuestionsIntro))
	for i, a := range answers {
		h.typeText(a)
		if i < 2 {
			h.key(keys.Tab)
		}
	}
	h.key(keys.Enter)
	f.newPassword("questions")
	f.logIn("questions")
}

// resetQR: the reserved e-mail's App Scan QR, decoded from the screen,
// answered by the vendor's recovery-issuer; the code typed back. Where the
// resolution says so (720p), the QR code is also exported to a stick and
// the vendor must read the same challenge from the picture.
func (f *flow) resetQR() {
	h := f.h
	h.clickText(f.tr(texts.ForgotPassword))
	h.waitText("forgot-email", f.tr(texts.ForgotIntro))
	h.clickText(f.tr(texts.MethodEmail))
	h.waitText("email", f.tr(texts.EmailCodeGoesTo, mailaddr.Mask(reservedEmail)))
	h.clickButton(f.tr(texts.AppScanQR))
	var payload string
	var qrErr error
	s := h.wait("app-scan-qr", "a QR code that decodes", []string{f.tr(texts.EnterCode)}, func(s *pixels.Screen) bool {
		if s.Has(f.tr(texts.QRTooSmall)) {
			f.t.Fatalf("%s: App Scan QR says the QR code does not fit %dx%d cells:\n%s", f.res.display.Name, s.Cols, s.Rows, s)
		}
		if !s.Has(f.tr(texts.EnterCode)) {
			return false
		}
		payload, qrErr = s.QR()
		return qrErr == nil
	})
	f.saveDoc(s, "app-scan-qr")
	f.t.Logf("QR code read from the screen: %d characters; modules of %d pixels", len(payload), s.QRModule())
	code, mailTo := f.issue(payload)
	if mailTo != reservedEmail {
		f.t.Errorf("recovery-issuer mails the code to %q, want the reserved address %q", mailTo, reservedEmail)
	}
	if f.res.exportQR {
		// Esportazione too: the picture saved on a stick holds the same
		// challenge, whose code the vendor mails.
		again, _ := f.issue(f.exportedQR())
		if again != code {
			f.t.Errorf("the exported QR code gives the code %q, the screen's %q: not the same challenge", again, code)
		}
		// The code field, by a click on it, which opens the on-screen
		// keyboard; Escape closes it. The click comes through the mouse
		// and the Escape through the keyboard, two devices the daemon
		// reads apart: the Escape waits for the keyboard the click opens,
		// or it could come first and the code be typed into it.
		h.clickText(f.tr(texts.EnterCode))
		h.wait("", "the on-screen keyboard", nil, func(s *pixels.Screen) bool { return s.Has(f.tr(texts.KeyShift)) })
		h.key(keys.Escape)
		h.wait("", "the on-screen keyboard closed", nil, func(s *pixels.Screen) bool {
			return s.Has(f.tr(texts.EnterCode)) && !s.Has(f.tr(texts.KeyShift))
		})
	}
	h.typeVisible(code)
	h.key(keys.Enter)
	f.newPassword("qr")
	f.logIn("qr")
	if again := h.daemonPID(); again != f.pid {
		f.t.Errorf("nvr-menud is pid %d at the end, %d at the start: it exited and was restarted", again, f.pid)
	}
	f.fig.RSSEndKiB, f.fig.HWMEndKiB = h.daemonMemory(f.pid)
	f.t.Logf("nvr-menud at the end of the flows: VmRSS %d KiB, VmHWM %d KiB", f.fig.RSSEndKiB, f.fig.HWMEndKiB)
}

// exportedQR exports the QR code from the App Scan QR screen to a stick
// plugged for it ("Esportazione"), reads the picture on the host and
// returns the payload recovery-issuer finds in it, as the vendor would
// from the owner's e-mail.
func (f *flow) exportedQR() string {
	h := f.h
	img := filepath.Join(h.dir, "qr.img")
	makeStick(f.t, img, 16384)
	dev := h.plug(img)
	h.clickButton(f.tr(texts.Export))
	h.wait("qr-pick-stick", "the stick in the stick picker", []string{f.tr(texts.PickStick)}, func(s *pixels.Screen) bool {
		return s.Has(f.tr(texts.PickStick)) && !s.Has(f.tr(texts.NoStick))
	})
	h.key(keys.Enter)
	h.waitText("qr-exported", f.prefix(texts.QRExported))
	h.yank(dev)
	var names []string
	for _, line := range strings.Split(run(f.t, "mdir", "-b", "-i", img, "::/"), "\n") {
		if name, ok := strings.CutPrefix(strings.TrimSpace(line), "::/"); ok && strings.HasSuffix(name, ".png") {
			names = append(names, name)
		}
	}
	if len(names) != 1 {
		f.t.Fatalf("PNG files on the stick: %q, want the one QR code", names)
	}
	png := filepath.Join(h.dir, names[0])
	run(f.t, "mcopy", "-n", "-i", img, "::/"+names[0], png)
	f.t.Logf("QR code exported to the stick as %s", names[0])
	return "@" + png
}

// issuerDir holds recovery-issuer built for the host, once per test
// binary (TestMain removes it).
var issuerDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if issuerDir != "" {
		os.RemoveAll(issuerDir)
	}
	os.Exit(code)
}

var issuer = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "nvr-bench-issuer")
	if err != nil {
		return "", err
	}
	issuerDir = dir
	bin := filepath.Join(dir, "recovery-issuer")
	out, err := exec.Command("go", "build", "-o", bin, "nvrmenu/cmd/recovery-issuer").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build recovery-issuer: %v: %s", err, out)
	}
	return bin, nil
})

var issued = regexp.MustCompile(`(?m)^verification code: *(\S+)\nmail to: *(\S+)$`)

// issue answers a QR code as the vendor does, with the private half of the
// bench's vendor key (./build.sh image keeps it in the image directory):
// its payload read from the screen, or "@" and the path of the picture the
// recorder exported. It returns the code and the address it goes to.
func (f *flow) issue(payload string) (code, mailTo string) {
	f.t.Helper()
	bin, err := issuer()
	if err != nil {
		f.t.Fatal(err)
	}
	args := []string{"issue", "-key", filepath.Join(f.image, "vendor.key"), "-payload", payload}
	if path, ok := strings.CutPrefix(payload, "@"); ok {
		args = []string{"issue", "-key", filepath.Join(f.image, "vendor.key"), "-png", path}
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	m := issued.FindStringSubmatch(string(out))
	if err != nil || m == nil {
		f.t.Fatalf("recovery-issuer issue on the QR code read from the screen: %v:\n%s", err, out)
	}
	return m[1], m[2]
}
