package perf

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestSGRClick(t *testing.T) {
	for _, tc := range []struct {
		x, y int
		want string
	}{
		{0, 0, "\x1b[<0;1;1M\x1b[<0;1;1m"},
		{79, 24, "\x1b[<0;80;25M\x1b[<0;80;25m"},
		{12, 7, "\x1b[<0;13;8M\x1b[<0;13;8m"},
	} {
		if got := SGRClick(tc.x, tc.y); got != tc.want {
			t.Errorf("SGRClick(%d, %d) = %q, want %q", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestFind(t *testing.T) {
	screen := "╔═══ Accesso ═══╗\n║ Nome utente    ║\n║   Accedi     Password Dimenticata\n║ Più tardi"
	for _, tc := range []struct {
		text   string
		x, y   int
		absent bool
	}{
		{text: "Accesso", x: 5, y: 0}, // box-drawing runes count one column each
		{text: "Nome utente", x: 2, y: 1},
		{text: "Password Dimenticata", x: 15, y: 2},
		{text: "tardi", x: 6, y: 3}, // after an accented letter
		{text: "Indietro", absent: true},
	} {
		x, y, ok := Find(screen, tc.text)
		if ok == tc.absent || ok && (x != tc.x || y != tc.y) {
			t.Errorf("Find(%q) = %d, %d, %v; want %d, %d, %v", tc.text, x, y, ok, tc.x, tc.y, !tc.absent)
		}
	}
}

func TestContains(t *testing.T) {
	pred := Contains("<Ok>", "<Cancel>")
	for _, tc := range []struct {
		screen string
		want   bool
	}{
		{"  <Ok>      <Cancel>", true},
		{"  <Ok>", false},
		{"", false},
	} {
		if got := pred(tc.screen); got != tc.want {
			t.Errorf("Contains(<Ok>, <Cancel>)(%q) = %v, want %v", tc.screen, got, tc.want)
		}
	}
	if !Contains()("anything") {
		t.Error("Contains() with no text: want true")
	}
}

// TestTerm runs a shell script on a real pty: the emulator places the text
// where the escape sequences say, input reaches the program, and a wait
// that cannot be met times out with the screen in the error.
func TestTerm(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	script := `printf '\033[2J\033[5;10Hready'; read line; printf '\033[7;1Hgot:%s' "$line"; read rest`
	term, err := StartTerm(exec.Command(sh, "-c", script))
	if err != nil {
		t.Fatal(err)
	}
	defer term.Kill()
	seen, err := term.WaitFor(Contains("ready"), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if seen.Before(term.Start) || term.FirstOutput().IsZero() || seen.Before(term.FirstOutput()) {
		t.Errorf("frame at %v, first output %v, start %v: out of order", seen, term.FirstOutput(), term.Start)
	}
	if x, y, ok := Find(term.Screen(), "ready"); !ok || x != 9 || y != 4 {
		t.Errorf("\"ready\" at %d, %d (%v), want 9, 4 (row 5, column 10, 1-based)", x, y, ok)
	}
	d, err := term.SendWait("abc\r", Contains("got:abc"), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if d <= 0 {
		t.Errorf("input to frame %v, want > 0", d)
	}
	if _, err := term.WaitFor(Contains("never drawn"), 50*time.Millisecond); !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "got:abc") {
		t.Errorf("impossible wait: %v, want ErrTimeout with the screen", err)
	}
	if st, err := term.Proc().Status(); err != nil || st.VmRSSKiB <= 0 {
		t.Errorf("Status of the running shell = %+v, %v; want a resident set", st, err)
	}
}
