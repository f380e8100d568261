//go:build qemubench

package qemu

import (
	"slices"
	"strings"
	"testing"
	"time"

	"nvrmenu/texts"
)

// The serial console's screen, read from the tmux pane: what the armv7
// test waits for (its image is booted without a display).

// capture reads the pane's text.
func (v *vm) capture() screen {
	v.t.Helper()
	return parseCapture(v.tmuxDo("capture-pane", "-p", "-t", "bench"))
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

// screen is one capture of the tmux pane: its text, row by row.
type screen struct{ rows []string }

// parseCapture reads the output of `tmux capture-pane -p`.
func parseCapture(out string) screen {
	return screen{rows: strings.Split(strings.TrimSuffix(out, "\n"), "\n")}
}

// String is the screen's text, one line per row.
func (s screen) String() string {
	var b strings.Builder
	for _, r := range s.rows {
		b.WriteString(strings.TrimRight(r, " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// has reports whether text is on screen: on one line, or wrapped over
// several lines, its words one after the other (borders and blank lines
// between them do not count, and no other word may come between two of
// them). The HDMI tests read screens with package pixels, whose Has is
// the same.
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
		if slices.Equal(words[i:i+len(want)], want) {
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

func TestScreenHas(t *testing.T) {
	wrapped := parseCapture("║ one two ║\n║         ║\n║ three   ║\n")
	if !wrapped.has("two three") || wrapped.has("three two") || wrapped.has("one three") {
		t.Errorf("has: wrapped words not matched one after the other")
	}
}
