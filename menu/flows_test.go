package menu

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/recovery"
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
	h.clickButton(h.tr(msgExport))
	h.pickStick(stick)
	h.waitText(strings.Split(h.m.tr.tf(msgGUIDExported, stick), "%")[0])
	files, _ := filepath.Glob(filepath.Join(h.media, stick, "*"+recovery.GUIDFileExt))
	if len(files) == 0 {
		h.t.Fatalf("no GUID file on stick %s", stick)
	}
	h.clickButton(h.tr(msgOk))
	return files[len(files)-1]
}

func TestActivationSetupAndGUIDReset(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	h.waitText(h.tr(msgTitleActivation))

	// A risky password is refused with the reason, live.
	h.typeText("password")
	h.waitText(h.tr(msgStrengthRisky), h.tr(msgReasonCommon))
	for range len("password") {
		h.key(tcell.KeyBackspace2)
	}
	h.activate(testPassword)
	h.waitText(h.tr(msgPasswordSet), h.tr(msgStateNotSetUp))

	// Finishing with nothing set up warns plainly; "Imposta ora" goes back.
	h.clickText(h.tr(msgFinish))
	h.waitText(h.tr(msgNoMethodWarning))
	h.clickButton(h.tr(msgSetUpNow))
	h.waitScreen("setup")

	// Export a GUID to a stick.
	h.plug("KINGSTON")
	h.clickText(h.tr(msgSetGUID))
	guidPath := h.exportGUID("KINGSTON")
	h.waitScreen("setup")
	h.waitText(h.tr(msgStateSetUp))

	// Fine ends the installer's session: back to the login screen.
	h.clickText(h.tr(msgFinish))
	h.waitScreen("login")
	h.waitText(h.tr(msgActivated))

	// Password Dimenticata → GUID: the file is listed; Importa.
	h.clickButton(h.tr(msgForgotPassword))
	h.waitScreen("forgot")
	h.clickText(h.tr(msgMethodGUID))
	h.waitScreen("guid")
	h.waitText(filepath.Base(guidPath))
	h.clickButton(h.tr(msgImport))
	h.waitScreen("new-password")

	// New password by keyboard; mismatch first.
	h.typeText(newPassword)
	h.key(tcell.KeyTab)
	h.typeText("x" + newPassword)
	h.key(tcell.KeyEnter)
	h.waitText(h.tr(msgPasswordMismatch))
	h.clickField(h.tr(msgConfirmPassword))
	h.key(tcell.KeyEscape) // the on-screen keyboard, cancelled
	h.waitFor(func(string) bool { return h.keyboard() == nil }, "keyboard closed")
	h.sim.InjectKey(tcell.KeyCtrlU, 0, tcell.ModCtrl) // clear the line
	h.typeText(newPassword)
	h.key(tcell.KeyEnter)
	h.waitScreen("reset-done")
	h.waitText(h.tr(msgResetDone))

	// The used GUID file is refused from now on.
	data, err := os.ReadFile(guidPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.core.VerifyGUIDFile(data); err == nil {
		t.Fatalf("used GUID file accepted again")
	}

	// Export a fresh one at once, then log in with the new password.
	h.clickButton(h.tr(msgExportNow))
	h.exportGUID("KINGSTON")
	h.waitScreen("login")
	h.waitText(h.tr(msgLoginWithNew))
	h.typeText(newPassword)
	h.key(tcell.KeyEnter)
	h.waitScreen("account")
	h.waitText(h.tr(msgStateSetUp))
}
