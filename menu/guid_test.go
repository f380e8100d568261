package menu

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"nvrmenu/recovery"
	"nvrmenu/texts"
	"nvrmenu/usb"
)

// setupGUID exports a GUID file through the core to dir (a stick that is not
// plugged), as done earlier on this device, and returns its path.
func (h *harness) setupGUID(dir string) string {
	h.t.Helper()
	s, err := h.core.Login(recovery.AdminUser, testPassword)
	if err != nil {
		h.t.Fatal(err)
	}
	defer s.Logout()
	e, err := s.NewGUIDExport()
	if err != nil {
		h.t.Fatal(err)
	}
	path := filepath.Join(dir, e.FileName)
	if err := os.WriteFile(path, e.Data(), 0o644); err != nil {
		h.t.Fatal(err)
	}
	if err := s.ConfirmGUIDExport(e); err != nil {
		h.t.Fatal(err)
	}
	return path
}

// forgeGUID changes the secret of a GUID file: well-formed, ours, wrong.
func forgeGUID(data []byte) []byte {
	lines := strings.Split(string(data), "\n")
	secret := strings.TrimPrefix(lines[3], "secret ")
	flipped := "0" + secret[1:]
	if secret[0] == '0' {
		flipped = "1" + secret[1:]
	}
	return []byte(strings.Replace(string(data), secret, flipped, 1))
}

func TestGUIDListFollowsSticksAndTellsEachOutcome(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	saved := t.TempDir()
	ours := h.setupGUID(saved)
	data, err := os.ReadFile(ours)
	if err != nil {
		t.Fatal(err)
	}
	h.waitScreen("login")
	h.clickButton(h.tr(texts.ForgotPassword))
	h.clickText(h.tr(texts.MethodGUID))
	h.waitScreen("guid")
	h.waitText(h.tr(texts.NoStick))

	// A stick with another device's file (newer) and a file of ours that
	// was replaced (older name): ours come first, the other is marked.
	stick := h.plug("SANDISK")
	other := "NVROTHER0001_20271231_235959.nvrguid"
	otherData := strings.ReplaceAll(string(data), testSerial, "NVROTHER0001")
	os.WriteFile(filepath.Join(stick, other), []byte(otherData), 0o644)
	h.waitText(other+"  "+h.tr(texts.GUIDOtherDevice), h.m.tr.F(texts.OnStick, "SANDISK"))
	if _, err := os.Stat(filepath.Join(stick, filepath.Base(ours))); err == nil {
		t.Fatal("test setup: our file already on the stick")
	}
	os.WriteFile(filepath.Join(stick, filepath.Base(ours)), data, 0o644)
	s := h.waitText(filepath.Base(ours))
	if strings.Index(s, filepath.Base(ours)) > strings.Index(s, other) {
		t.Fatalf("this device's file not listed first:\n%s", s)
	}

	// Another device's file: its own message, a try counted.
	h.clickText(other)
	h.clickButton(h.tr(texts.Import))
	h.waitText(h.tr(texts.ErrGUIDOther))

	// A forged file of ours (wrong secret): "not valid".
	forged := forgeGUID(data)
	forgedName := testSerial + "_20200101_000000.nvrguid"
	os.WriteFile(filepath.Join(stick, forgedName), forged, 0o644)
	h.clickText(forgedName)
	h.clickButton(h.tr(texts.Import))
	h.waitText(h.tr(texts.ErrGUIDWrong))

	// The stick goes: the list says so at once.
	h.unplug("SANDISK")
	h.waitText(h.tr(texts.NoStick))
	if strings.Contains(h.screen(), other) {
		t.Fatal("files of a removed stick still listed")
	}
	h.key(tcell.KeyEscape)
	h.waitScreen("forgot")
}

func TestGUIDLockShowsMinutes(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, lang: "en"})
	saved := t.TempDir()
	ours := h.setupGUID(saved)
	data, _ := os.ReadFile(ours)
	forged := forgeGUID(data)
	max := recovery.DefaultLockoutPolicy().MaxFailures[recovery.MethodGUID]
	for range max {
		if _, err := h.core.VerifyGUIDFile(forged); err == nil {
			t.Fatal("forged GUID accepted")
		}
	}
	var left time.Duration
	if why := h.core.Journey().Method(recovery.MethodGUID).Why; why != nil {
		left = why.Lock()
	}
	if left <= 0 {
		t.Fatal("GUID method not locked")
	}
	h.waitScreen("login")
	h.clickButton(h.tr(texts.ForgotPassword))
	h.waitScreen("forgot")
	want := h.m.tr.LockedFor(left.Round(time.Minute))
	h.waitText(strings.Split(want, "%")[0][:20])
	h.clickText(h.tr(texts.MethodGUID))
	h.waitText("Too many failed tries: locked for")
	h.waitScreen("forgot")
}

func TestForgotShowsMethodsNotSetUpDisabled(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, noVendor: true})
	h.waitScreen("login")
	h.clickButton(h.tr(texts.ForgotPassword))
	h.waitScreen("forgot")
	h.waitText(h.tr(texts.MethodEmail), h.tr(texts.MethodUnavailable), h.tr(texts.MethodGUID), h.tr(texts.MethodNotSetUp))
	h.clickText(h.tr(texts.MethodQuestions))
	h.waitText(h.tr(texts.MethodNotSetUp))
	h.clickButton(h.tr(texts.Ok))
	h.waitScreen("forgot")
	h.clickText(h.tr(texts.Back))
	h.waitScreen("login")
	// Nothing usable: the list starts on "Indietro", and Enter goes back.
	h.clickButton(h.tr(texts.ForgotPassword))
	h.waitScreen("forgot")
	h.key(tcell.KeyEnter)
	h.waitScreen("login")
}

// TestForgotStartsOnTheFirstUsableMethod: Enter alone goes to a method that
// works, not to the alert of one that is not set up.
func TestForgotStartsOnTheFirstUsableMethod(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, noVendor: true})
	h.setupGUID(t.TempDir())
	h.waitScreen("login")
	h.clickButton(h.tr(texts.ForgotPassword))
	h.waitScreen("forgot")
	h.key(tcell.KeyEnter)
	h.waitScreen("guid")
}

// TestGUIDSelectionSurvivesRefresh: a stick plugged while the owner chooses
// must not move the selection to another file.
func TestGUIDSelectionSurvivesRefresh(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, lang: "en"})
	ours := h.setupGUID(t.TempDir())
	data, _ := os.ReadFile(ours)
	stick := h.plug("ONE")
	os.WriteFile(filepath.Join(stick, filepath.Base(ours)), data, 0o644)
	other := "NVROTHER0001_20200101_000000.nvrguid"
	os.WriteFile(filepath.Join(stick, other), []byte(strings.ReplaceAll(string(data), testSerial, "NVROTHER0001")), 0o644)
	h.waitScreen("login")
	h.clickButton(h.tr(texts.ForgotPassword))
	h.clickText(h.tr(texts.MethodGUID))
	h.waitScreen("guid")
	h.clickText(other)
	// The click is handled before the stick below comes: a refresh first
	// would move the rows under it.
	h.waitFor(func(string) bool {
		return h.onUI(func() bool {
			l, ok := h.focusedList()
			if !ok {
				return false
			}
			main, _ := l.GetItemText(l.GetCurrentItem())
			return strings.Contains(main, other)
		})
	}, "the other device's file selected")
	// A second stick with a newer file of ours: listed first, above.
	two := h.plug("TWO")
	newer := testSerial + "_20991231_235959.nvrguid"
	os.WriteFile(filepath.Join(two, newer), data, 0o644)
	h.waitText(newer)
	h.clickButton(h.tr(texts.Import))
	h.waitText(h.tr(texts.ErrGUIDOther))
}

// TestSticksToldApart (#19.4): two sticks the watcher names only by their
// devices, or with the same label, are told apart in the stick picker: a
// stick without a label by its vendor and model, every one by its size.
func TestSticksToldApart(t *testing.T) {
	dress := func(s usb.Stick) usb.Stick {
		switch s.ID {
		case "sda1": // no label: its vendor and model name it
			s.Label, s.Name = "", "SanDisk Cruzer Blade"
			s.Vendor, s.Model, s.Size = "SanDisk", "Cruzer Blade", 16_008_609_792
		case "sdb1":
			s.Label, s.Name = "FOTO", "FOTO"
			s.Vendor, s.Model, s.Size = "Kingston", "DataTraveler 3.0", 7_743_995_904
		}
		return s
	}
	h := newHarness(t, harnessOptions{activated: true, lang: "it", stick: dress})
	h.plug("sda1")
	h.plug("sdb1")
	h.toAccount()
	h.clickText(h.tr(texts.SetGUID))
	h.waitScreen("guid-export")
	h.clickButton(h.tr(texts.Export))
	h.waitText(h.tr(texts.PickStick), "SanDisk Cruzer Blade", "16 GB", "FOTO", "Kingston DataTraveler 3.0 · 7,7 GB")
	s := h.screen()
	if strings.Contains(s, "sda1") || strings.Contains(s, "sdb1") {
		t.Fatalf("a stick named by its device:\n%s", s)
	}
	h.pickStick("FOTO")
	h.waitText(h.m.tr.F(texts.GUIDExported, "FOTO"))
}

// TestGUIDFilesMarked (#19.4): in the list of GUID files the recorder's
// current one is marked and comes first; an expired one of its own says
// since when, and importing it says why without costing a try (the core's
// rule, TestExpiredGUIDFileRefusedUncounted in recovery).
func TestGUIDFilesMarked(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true, lang: "it"})
	dir := t.TempDir()
	old := h.setupGUID(dir)
	h.clock.advance(26 * time.Hour)
	current := h.setupGUID(dir)
	stick := h.plug("SANDISK")
	for _, f := range []string{old, current} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(stick, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h.waitScreen("login")
	h.clickButton(h.tr(texts.ForgotPassword))
	h.clickText(h.tr(texts.MethodGUID))
	h.waitScreen("guid")
	day := onUI(h, func() string { return h.m.tr.c.Date(h.clock.Now().Add(-time.Second)) })
	curLine := filepath.Base(current) + "  " + h.tr(texts.GUIDCurrent)
	oldLine := filepath.Base(old) + "  " + h.m.tr.F(texts.GUIDExpiredOn, day)
	s := h.waitText(curLine, oldLine)
	if strings.Index(s, curLine) > strings.Index(s, oldLine) {
		t.Fatalf("the current file is not first:\n%s", s)
	}
	h.clickText(filepath.Base(old))
	h.clickButton(h.tr(texts.Import))
	msg := h.waitText(h.m.tr.F(texts.ErrGUIDExpiredReplaced, day))
	if strings.Contains(msg, h.m.tr.F(texts.TriesLeft, 6)[:10]) {
		t.Fatalf("the expired file cost a try:\n%s", msg)
	}
	h.waitScreen("guid")
	if got := h.core.Journey().Method(recovery.MethodGUID); !got.Usable {
		t.Fatalf("after the expired file the GUID method is %+v, want usable", got)
	}
	h.clickText(filepath.Base(current))
	h.clickButton(h.tr(texts.Import))
	h.waitScreen("new-password")
}
