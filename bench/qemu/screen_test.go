//go:build qemubench

package qemu

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"nvrmenu/texts"
)

// The serial console's screen, read from the tmux pane: what the armv7
// test waits for (its image is booted without a display).

// capture reads the pane, attributes included.
func (v *vm) capture() screen {
	v.t.Helper()
	return parseCapture(v.tmuxDo("capture-pane", "-p", "-e", "-t", "bench"))
}

// waitFor polls the pane until cond holds and returns that screen; after
// limit it ends the test, showing the screen.
func (v *vm) waitFor(what string, limit time.Duration, cond func(screen) bool) screen {
	v.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		s := v.capture()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			v.fatalf("waiting %v for %s: timed out; screen:\n%s", limit, what, s)
		}
		time.Sleep(pollEvery)
	}
}

// waitText waits until every text is on screen and no busy overlay is.
func (v *vm) waitText(cat catalogue, want ...string) screen {
	v.t.Helper()
	busy := cat.text(v.t, texts.Working)
	return v.waitFor(strings.Join(want, " + "), screenLimit, func(s screen) bool {
		if s.has(busy) {
			return false
		}
		for _, text := range want {
			if !s.has(text) {
				return false
			}
		}
		return true
	})
}

// screen is one capture of the tmux pane: its text, cell by cell, and which
// cells are drawn in reverse video (the menu draws its mouse pointer so).
type screen struct {
	rows     [][]rune
	reversed [][]bool
}

// parseCapture reads the output of `tmux capture-pane -p -e`: text with SGR
// escape sequences, whose attributes carry over from one line to the next.
// Only the reverse attribute is kept.
func parseCapture(out string) screen {
	var s screen
	reverse := false
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var row []rune
		var rev []bool
		rs := []rune(line)
		for i := 0; i < len(rs); i++ {
			if rs[i] == 0x1b && i+1 < len(rs) && rs[i+1] == '[' {
				j := i + 2
				for j < len(rs) && (rs[j] < 0x40 || rs[j] > 0x7e) {
					j++
				}
				if j < len(rs) && rs[j] == 'm' {
					reverse = applySGR(reverse, string(rs[i+2:j]))
				}
				i = j
				continue
			}
			if rs[i] < 0x20 {
				continue
			}
			row = append(row, rs[i])
			rev = append(rev, reverse)
		}
		s.rows = append(s.rows, row)
		s.reversed = append(s.reversed, rev)
	}
	return s
}

// applySGR returns the reverse attribute after the SGR parameters params.
func applySGR(reverse bool, params string) bool {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		n, _ := strconv.Atoi(ps[i]) // "" is 0, a reset
		switch n {
		case 0:
			reverse = false
		case 7:
			reverse = true
		case 27:
			reverse = false
		case 38, 48, 58: // extended colours: skip their arguments
			if i+1 < len(ps) && ps[i+1] == "5" {
				i += 2
			} else if i+1 < len(ps) && ps[i+1] == "2" {
				i += 4
			}
		}
	}
	return reverse
}

// String is the screen's text, one line per row.
func (s screen) String() string {
	var b strings.Builder
	for _, r := range s.rows {
		b.WriteString(strings.TrimRight(string(r), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// has reports whether text is on screen: on one line, or wrapped over
// several lines, its words one after the other (borders and blank lines
// between them do not count). Unlike the menu's own tests, no other word may
// come between two of them: an intro that happens to hold the same words
// far apart ("... GUID file replaces ... saved on the stick") must not pass
// for a message.
func (s screen) has(text string) bool {
	str := s.String()
	if strings.Contains(str, text) {
		return true
	}
	want := strings.Fields(text)
	if len(want) == 0 {
		return true
	}
	words := strings.FieldsFunc(flatten(str), isBoxOrSpace)
	for i := 0; i+len(want) <= len(words); i++ {
		match := true
		for j, w := range want {
			if words[i+j] != w {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

func isBoxOrSpace(r rune) bool {
	return r == ' ' || r == '\n' || (r >= 0x2500 && r <= 0x257f)
}

// flatten joins wrapped lines so that a wrapped sentence is found whole.
func flatten(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line = strings.Trim(line, " │┃║|")
		if line == "" {
			continue
		}
		b.WriteString(strings.Join(strings.Fields(line), " ") + " ")
	}
	return b.String()
}

// find returns the cell where text starts on one line, scanning rows top
// to bottom.
func (s screen) find(text string) (x, y int, ok bool) {
	want := []rune(text)
	for y, row := range s.rows {
		for x := 0; x+len(want) <= len(row); x++ {
			if string(row[x:x+len(want)]) == text {
				return x, y, true
			}
		}
	}
	return 0, 0, false
}

// reversedCells lists the cells drawn in reverse video.
func (s screen) reversedCells() [][2]int {
	var cells [][2]int
	for y, row := range s.reversed {
		for x, r := range row {
			if r {
				cells = append(cells, [2]int{x, y})
			}
		}
	}
	return cells
}

func TestParseCapture(t *testing.T) {
	out := "\x1b[7m\x1b[37m\x1b[44m╔\x1b[0m\x1b[37m\x1b[44m═Ab\n" +
		"\x1b[38;5;7mx\x1b[7my\n" + // 7 as a colour argument is no reverse
		"z\x1b[27mw\n"
	s := parseCapture(out)
	if got, want := s.String(), "╔═Ab\nxy\nzw\n"; got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	got := s.reversedCells()
	want := [][2]int{{0, 0}, {1, 1}, {0, 2}}
	if len(got) != len(want) {
		t.Fatalf("reversed cells = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("reversed cells = %v, want %v", got, want)
		}
	}
	if x, y, ok := s.find("Ab"); !ok || x != 2 || y != 0 {
		t.Errorf(`find("Ab") = %d, %d, %v; want 2, 0, true`, x, y, ok)
	}
	wrapped := parseCapture("║ one two ║\n║         ║\n║ three   ║\n")
	if !wrapped.has("two three") || wrapped.has("three two") || wrapped.has("one three") {
		t.Errorf("has: wrapped words not matched one after the other")
	}
}
