package menu

import (
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"

	"nvrmenu/internal/mailaddr"
	"nvrmenu/internal/payload"
	"nvrmenu/internal/qrread"
	"nvrmenu/recovery"
	"nvrmenu/recovery/journey"
	"nvrmenu/texts"
)

// scanQR decodes the QR code in img as a phone would (qrread, as the
// vendor's service reads it).
func scanQR(t *testing.T, img image.Image) string {
	t.Helper()
	text, err := qrread.Image(img)
	if err != nil {
		t.Fatalf("QR code does not scan: %v", err)
	}
	return text
}

// screenQR renders the screen's pixels as the monitor shows them and cuts
// out the QR code the QR view drew there, with a white margin (the quiet
// zone is part of what was drawn).
func (h *harness) screenQR() image.Image {
	img := h.screenImage()
	r := onUI(h, func() rect {
		var found rect
		var walk func(p tview.Primitive)
		walk = func(p tview.Primitive) {
			if q, ok := p.(*qrView); ok {
				found = q.drawn
			}
			for _, c := range children(p) {
				walk(c)
			}
		}
		walk(h.m.root)
		return found
	})
	if r.w == 0 {
		h.t.Fatalf("no QR code drawn:\n%s", h.screen())
	}
	const margin = 16
	out := image.NewRGBA(image.Rect(0, 0, r.w*cellW+2*margin, r.h*cellH+2*margin))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(out, image.Rect(margin, margin, margin+r.w*cellW, margin+r.h*cellH), img, image.Pt(r.x*cellW, r.y*cellH), draw.Src)
	return out
}

// setEmail sets the reserved address through the core, as a logged-in admin
// would have done earlier.
func (h *harness) setEmail(addr string) {
	h.t.Helper()
	s, err := h.core.Login(recovery.AdminUser, testPassword)
	if err != nil {
		h.t.Fatal(err)
	}
	defer s.Logout()
	if err := s.SetRecoveryEmail(addr); err != nil {
		h.t.Fatal(err)
	}
}

// openEmail goes from the login screen to "Verifica tramite e-mail di
// recupero".
func (h *harness) openEmail() {
	h.t.Helper()
	h.waitScreen("login")
	h.clickButton(h.tr(texts.ForgotPassword))
	h.clickText(h.tr(texts.MethodEmail))
	h.waitScreen("email")
}

func TestEmailExportWrongCodeThenReset(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	h.waitScreen("login")

	// Set the reserved email through the account screen.
	h.typeText(testPassword)
	h.key(tcell.KeyEnter)
	h.waitScreen("account")
	h.clickText(h.tr(texts.SetEmail))
	h.waitScreen("set-email")
	h.typeText("mario.rossi@example.it")
	h.key(tcell.KeyTab)
	h.typeText("mario.rossi@example.it")
	h.key(tcell.KeyEnter)
	h.waitText(h.m.tr.F(texts.EmailSaved, "mario.rossi@example.it"))
	h.clickButton(h.tr(texts.Ok))
	h.waitScreen("account")
	h.waitText(mailaddr.Mask("mario.rossi@example.it"))
	h.clickText(h.tr(texts.Logout))

	h.openEmail()
	h.waitText(mailaddr.Mask("mario.rossi@example.it"), "pw_recovery@example.com")

	// Esportazione: with no stick the picker says so and waits for one.
	h.clickButton(h.tr(texts.Export))
	h.waitText(h.tr(texts.NoStick))
	h.plug("USBDISK")
	h.pickStick("USBDISK")
	h.waitText(strings.Split(h.tr(texts.QRExported), "%")[0])
	pngs, _ := filepath.Glob(filepath.Join(h.media, "USBDISK", "*.png"))
	if len(pngs) != 1 {
		t.Fatalf("PNG files on the stick: %v, want 1", pngs)
	}
	f, err := os.Open(pngs[0])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	scanned := scanQR(t, img)

	// Exporting again writes the same pending code: its file is already
	// there, which is a success, not an error.
	h.clickButton(h.tr(texts.Export))
	h.pickStick("USBDISK")
	h.waitScreen("email")
	h.waitText(strings.Split(h.tr(texts.QRExported), "%")[0])
	if s := h.screen(); strings.Contains(s, h.tr(texts.ErrFileExists)) {
		t.Fatalf("second export reported an error:\n%s", s)
	}
	content, err := h.vendor.Open(scanned)
	if err != nil {
		t.Fatalf("the vendor cannot open the exported QR code: %v", err)
	}

	// Showing the email screen again reuses the pending code (a resend).
	c, err := h.core.EmailChallenge()
	if err != nil || c.Payload != scanned {
		t.Fatalf("pending challenge changed by the export: %v", err)
	}

	// A wrong code is refused with the tries left; the right one resets.
	wrong := "ZZZZ-ZZZZ"
	if strings.EqualFold(content.Code, "ZZZZZZZZ") {
		wrong = "YYYY-YYYY"
	}
	h.clickField(h.tr(texts.EnterCode))
	h.key(tcell.KeyEscape)
	h.waitFor(func(string) bool { return h.keyboard() == nil }, "keyboard closed")
	h.typeText(wrong)
	h.key(tcell.KeyEnter)
	h.waitText(h.tr(texts.ErrWrongCode), strings.Split(h.tr(texts.TriesLeft), "%")[0])
	h.typeText(payload.FormatCode(content.Code))
	h.key(tcell.KeyEnter)
	h.waitScreen("new-password")
	h.typeText(newPassword)
	h.key(tcell.KeyTab)
	h.typeText(newPassword)
	h.key(tcell.KeyEnter)
	h.waitScreen("reset-done")
	h.clickButton(h.tr(texts.Ok))
	h.waitScreen("login")
	if _, err := h.core.VerifyEmailCode(content.Code); err == nil {
		t.Fatal("the used code works again")
	}
}

// worstAddress is the longest reserved address there is: 254 characters.
var worstAddress = strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 58) + ".it"

// worstSerial is the longest serial a payload holds.
const worstSerial = "NVR0123456789ABCDEFGHIJKLMNOPQRS"

// TestEmailAppScanQROnScreen shows App Scan QR at the console's sizes, with
// an ordinary payload and the largest one (a 32-character serial and a
// 254-character address), in half blocks and in whole cells: where it fits
// the code on screen decodes to the core's payload; where it cannot fit the
// screen says so with the export offered beside.
func TestEmailAppScanQROnScreen(t *testing.T) {
	for _, tc := range []struct {
		name     string
		w, h     int
		mode     string
		worst    bool
		fits     bool
		language string
		console  bool
	}{
		{"80x25 half", 80, 25, qrHalf, false, false, "it", true},
		{"120x33 half", 120, 33, qrHalf, false, true, "it", true},
		{"120x33 half worst", 120, 33, qrHalf, true, false, "it", true},
		{"160x45 half worst", 160, 45, qrHalf, true, true, "en", true},
		{"160x48 half", 160, 48, qrHalf, false, true, "it", false},
		{"160x50 half worst", 160, 50, qrHalf, true, true, "it", true},
		{"240x67 half", 240, 67, qrHalf, false, true, "en", false},
		{"240x67 half worst", 240, 67, qrHalf, true, true, "it", true},
		{"160x48 full", 160, 48, qrFull, false, false, "en", false},
		{"120x33 full", 120, 33, qrFull, false, false, "en", true},
		{"240x67 full", 240, 67, qrFull, false, true, "it", true},
		{"240x67 full worst", 240, 67, qrFull, true, false, "it", false},
	} {
		if emulated() && !strings.Contains(tc.name, "120x33") {
			continue // see emulated
		}
		t.Run(tc.name, func(t *testing.T) {
			o := harnessOptions{activated: true, w: tc.w, h: tc.h, qrBlocks: tc.mode, lang: tc.language, display: Display{Console: tc.console}}
			addr := "owner@example.org"
			if tc.worst {
				o.serial, addr = worstSerial, worstAddress
			}
			h := newHarness(t, o)
			h.setEmail(addr)
			h.openEmail()
			h.clickButton(h.tr(texts.AppScanQR))
			h.waitScreen("email-qr")
			c, err := h.core.EmailChallenge()
			if err != nil {
				t.Fatal(err)
			}
			h.checkContrast(tc.name)
			if os.Getenv("NVRMENU_SCREENS") != "" {
				h.snapshot("app-scan-qr-" + tc.name)
			}
			if !tc.fits {
				h.waitText(h.tr(texts.QRTooSmall))
				// The export is offered right there.
				if _, _, ok := h.find(h.tr(texts.Export), true); !ok {
					t.Fatal("no export button beside the too-small message")
				}
				return
			}
			h.waitText(h.tr(texts.EnterCode))
			if got := scanQR(t, h.screenQR()); got != c.Payload {
				t.Fatalf("on-screen QR reads %q, want the core's payload %q", got, c.Payload)
			}
			// The code field works beside or below it.
			h.typePendingCode()
		})
	}
}

// TestEmailByKeyboardAlone reaches the code field from the two ways' buttons
// with Tab only.
func TestEmailByKeyboardAlone(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, lang: "en"})
	h.setEmail("owner@example.org")
	h.waitScreen("login")
	h.key(tcell.KeyTab) // password -> Log in
	h.key(tcell.KeyTab) // -> Forgot Password
	h.key(tcell.KeyEnter)
	h.waitScreen("forgot")
	h.key(tcell.KeyEnter) // the first method: e-mail
	h.waitScreen("email")
	h.key(tcell.KeyTab) // Export -> App Scan QR
	h.key(tcell.KeyTab) // -> the code field
	h.typePendingCode()
}

// typePendingCode types the pending challenge's code, as the vendor would
// mail it, and Enter: the new password screen follows.
func (h *harness) typePendingCode() {
	h.t.Helper()
	c, err := h.core.EmailChallenge()
	if err != nil {
		h.t.Fatal(err)
	}
	content, err := h.vendor.Open(c.Payload)
	if err != nil {
		h.t.Fatal(err)
	}
	h.typeText(content.Code)
	h.key(tcell.KeyEnter)
	h.waitScreen("new-password")
}

// TestEmailQRWords: the e-mail method's screen says how its QR code
// reaches the vendor as the core's journey words it (journey.WordsForQR):
// scanned with the phone's camera when the QR is the vendor's page
// (recovery.app_url), photographed or exported and mailed when it is text.
func TestEmailQRWords(t *testing.T) {
	for _, app := range []string{"https://recover.vendor.example/r/", ""} {
		t.Run("app_url="+app, func(t *testing.T) {
			h := newHarness(t, harnessOptions{activated: true, appURL: app, w: 120, h: 40})
			h.setEmail("mario.rossi@example.com")
			h.openEmail()
			words := journey.WordsForQR(app != "")
			screen := strings.Join(strings.Fields(strings.ReplaceAll(h.screen(), "│", " ")), " ")
			for _, want := range []string{h.tr(words.Ways), onUI(h, func() string { return h.m.tr.F(words.Send, "pw_recovery@example.com") })} {
				if !strings.Contains(screen, strings.Join(strings.Fields(want), " ")) {
					t.Errorf("the screen lacks %q:\n%s", want, h.screen())
				}
			}
		})
	}
}
