package main

import (
	"fmt"
	"strings"
	"time"

	"nvrmenu/bench/perf"
)

// latencyRow is one input series: a key or a click to the frame that
// shows its effect.
type latencyRow struct {
	program, event string
	s              perf.Summary
	errors         int
}

// startSettled starts p, waits for its first screen, and lets its start-up
// work (the daemon's stick watcher, the first frames) settle before any
// event is timed.
func startSettled(work string, p program) (*perf.Term, error) {
	t, err := p.start(work)
	if err != nil {
		return nil, err
	}
	if _, err := t.WaitFor(p.ready, 10*time.Second); err != nil {
		t.Kill()
		return nil, err
	}
	time.Sleep(200 * time.Millisecond)
	return t, nil
}

// keyLatency types into the password field of p's first screen: a letter
// (one more '*'), then Backspace (one fewer), events times in all. Each
// event waits for its frame before the next is sent.
func keyLatency(work string, p program, events int) (latencyRow, error) {
	row := latencyRow{program: p.name, event: "key in the password field → frame with one more/fewer `*`"}
	t, err := startSettled(work, p)
	if err != nil {
		return row, err
	}
	defer t.Kill()
	base := strings.Count(t.Screen(), "*")
	err = row.time(t, "key", events, func(i int) (string, func(string) bool) {
		input, want := "a", base+1
		if i%2 == 1 {
			input, want = "\x7f", base
		}
		return input, func(s string) bool { return strings.Count(s, "*") == want }
	})
	return row, err
}

// time sends events inputs to t, the i-th from next, each when the frame
// its predecessor waited for is drawn, and summarises the times into row.
// Up to 10 inputs whose frame does not come are counted, not fatal.
func (row *latencyRow) time(t *perf.Term, what string, events int, next func(i int) (input string, drawn func(string) bool)) error {
	var ds []time.Duration
	for i := range events {
		input, drawn := next(i)
		d, err := t.SendWait(input, drawn, 5*time.Second)
		if err != nil {
			row.errors++
			if row.errors > 10 {
				return fmt.Errorf("%s %d: %w", what, i, err)
			}
			continue
		}
		ds = append(ds, d)
	}
	row.s = perf.Summarize(ds)
	return nil
}

// Daemon screens told apart by their texts (menu/catalogue.go, Italian).
var (
	onLogin = func(s string) bool {
		return strings.Contains(s, "Nome utente") && strings.Contains(s, "Accedi") && !strings.Contains(s, "Verifica mediante GUID")
	}
	onForgot = func(s string) bool {
		return strings.Contains(s, "Verifica mediante domande di sicurezza") && !strings.Contains(s, "Nome utente")
	}
)

// clickLatency clicks "Password Dimenticata" on the login screen, then
// "Indietro" on the screen it opens, events times in all: each click
// replaces the whole screen.
func clickLatency(work string, p program, events int) (latencyRow, error) {
	row := latencyRow{program: p.name, event: "mouse click (SGR 1006) → the next screen drawn (login ⇄ Password Dimenticata)"}
	t, err := startSettled(work, p)
	if err != nil {
		return row, err
	}
	defer t.Kill()
	// The title holds the same words: the button is the lower one.
	fx, fy, ok := findLast(t.Screen(), "Password Dimenticata")
	if !ok {
		return row, fmt.Errorf("no \"Password Dimenticata\" on the login screen:\n%s", t.Screen())
	}
	if _, err := t.SendWait(perf.SGRClick(fx+2, fy), onForgot, 5*time.Second); err != nil {
		return row, err
	}
	bx, by, ok := perf.Find(t.Screen(), "Indietro")
	if !ok {
		return row, fmt.Errorf("no \"Indietro\" on the forgot screen:\n%s", t.Screen())
	}
	if _, err := t.SendWait(perf.SGRClick(bx+2, by), onLogin, 5*time.Second); err != nil {
		return row, err
	}
	err = row.time(t, "click", events, func(i int) (string, func(string) bool) {
		if i%2 == 1 {
			return perf.SGRClick(bx+2, by), onLogin
		}
		return perf.SGRClick(fx+2, fy), onForgot
	})
	return row, err
}

// findLast is the last row holding text.
func findLast(screen, text string) (x, y int, ok bool) {
	lines := strings.Split(screen, "\n")
	for row := len(lines) - 1; row >= 0; row-- {
		if x, _, ok := perf.Find(lines[row], text); ok {
			return x, row, true
		}
	}
	return 0, 0, false
}
