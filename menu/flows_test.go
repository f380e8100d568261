package menu

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// activate drives the activation screen with the keyboard: password,
// confirmation, Enter. It ends on the recovery setup screen.
func (h *harness) activate(pw string) {
	h.t.Helper()
	h.waitScreen("activation")
	h.typeText(pw)
	h.key(tcell.KeyTab)
	h.typeText(pw)
	h.key(tcell.KeyEnter)
	h.waitScreen("setup")
}

// exportGUID exports a GUID file from the screen that offers it to the only
// stick, by clicks, and waits for the confirmation. It returns the file's
// path.
func (h *harness) exportGUID(stick string) string {
	h.t.Helper()
	h.waitScreen("guid-export")
	h.clickButton(h.tr(texts.Export))
	h.pickStick(stick)
	h.waitText(strings.Split(h.m.tr.F(texts.GUIDExported, stick), "%")[0])
	files, _ := filepath.Glob(filepath.Join(h.media, stick, "*"+recovery.GUIDFileExt))
	if len(files) == 0 {
		h.t.Fatalf("no GUID file on stick %s", stick)
	}
	h.clickButton(h.tr(texts.Ok))
	return files[len(files)-1]
}

func TestActivationSetupAndGUIDReset(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	h.waitText(h.tr(texts.TitleActivation))

	// A risky password is refused with the reason, live.
	h.typeText("password")
	h.waitText(h.tr(texts.StrengthRisky), h.tr(texts.ReasonCommon))
	for range len("password") {
		h.key(tcell.KeyBackspace2)
	}
	h.activate(testPassword)
	h.waitText(h.tr(texts.PasswordSet), h.tr(texts.StateNotSetUp))

	// Finishing with nothing set up warns plainly; "Imposta ora" goes back.
	h.clickText(h.tr(texts.Finish))
	h.waitText(h.tr(texts.NoMethodWarning))
	h.clickButton(h.tr(texts.SetUpNow))
	h.waitScreen("setup")

	// Export a GUID to a stick.
	h.plug("KINGSTON")
	h.clickText(h.tr(texts.SetGUID))
	guidPath := h.exportGUID("KINGSTON")
	h.waitScreen("setup")
	h.waitText(h.tr(texts.StateSetUp))

	// Fine ends the installer's session: back to the login screen.
	h.clickText(h.tr(texts.Finish))
	h.waitScreen("login")
	h.waitText(h.tr(texts.Activated))

	// Password Dimenticata → GUID: the file is listed; Importa.
	h.clickButton(h.tr(texts.ForgotPassword))
	h.waitScreen("forgot")
	h.clickText(h.tr(texts.MethodGUID))
	h.waitScreen("guid")
	h.waitText(filepath.Base(guidPath))
	h.clickButton(h.tr(texts.Import))
	h.waitScreen("new-password")

	// New password by keyboard; mismatch first: both fields are emptied
	// and the cursor is back in the first, to type them again.
	h.typeText(newPassword)
	h.key(tcell.KeyTab)
	h.typeText("x" + newPassword)
	h.key(tcell.KeyEnter)
	h.waitText(h.tr(texts.PasswordMismatch))
	h.typeText(newPassword)
	h.key(tcell.KeyTab)
	h.typeText(newPassword)
	h.key(tcell.KeyEnter)
	h.waitScreen("reset-done")
	h.waitText(h.tr(texts.ResetDone))

	// The used GUID file is refused from now on.
	data, err := os.ReadFile(guidPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.core.VerifyGUIDFile(data); err == nil {
		t.Fatalf("used GUID file accepted again")
	}

	// Export a fresh one at once, then log in with the new password.
	h.clickButton(h.tr(texts.ExportNow))
	h.exportGUID("KINGSTON")
	h.waitScreen("login")
	h.waitText(h.tr(texts.LoginWithNew))
	h.typeText(newPassword)
	h.key(tcell.KeyEnter)
	h.waitScreen("account")
	h.waitText(h.tr(texts.StateSetUp))
}
