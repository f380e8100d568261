package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gdamore/tcell/v2"
	"golang.org/x/sys/unix"
)

// openScreen opens the terminal to draw on: the one we run in, or a
// console device such as /dev/tty1.
func openScreen(tty string) (tcell.Screen, error) {
	if tty == "" {
		return tcell.NewScreen()
	}
	t, err := tcell.NewDevTtyFromDev(tty)
	if err != nil {
		return nil, err
	}
	return tcell.NewTerminfoScreenFromTty(t)
}

// setTerminalEnv gives the process what tcell needs on a recorder's
// console when init starts it with an empty environment: TERM=linux on a
// console device, and a UTF-8 locale (with LANG=C tcell draws accents and
// block characters as '?', which breaks the QR code too).
func setTerminalEnv(tty string) {
	if os.Getenv("TERM") == "" && strings.HasPrefix(tty, "/dev/tty") {
		os.Setenv("TERM", "linux")
	}
	locale := os.Getenv("LC_ALL")
	if locale == "" {
		locale = os.Getenv("LC_CTYPE")
	}
	if locale == "" {
		locale = os.Getenv("LANG")
	}
	if l := strings.ToLower(locale); !strings.Contains(l, "utf-8") && !strings.Contains(l, "utf8") {
		os.Unsetenv("LC_ALL")
		os.Setenv("LC_CTYPE", "C.UTF-8")
		os.Setenv("LANG", "C.UTF-8")
	}
}

// ttyName is the terminal the daemon draws on, by its device path: tty
// itself, or the terminal on standard input ("" when there is none).
func ttyName(tty string) string {
	if tty != "" {
		return filepath.Clean(tty)
	}
	name, err := os.Readlink("/proc/self/fd/0")
	if err != nil || !strings.HasPrefix(name, "/dev/") {
		return ""
	}
	return name
}

// closeOnExecInherited marks every descriptor above stderr close-on-exec,
// so that the notify command does not inherit what our parent left open.
func closeOnExecInherited() {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return
	}
	for _, e := range entries {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd <= 2 {
			continue
		}
		unix.CloseOnExec(fd)
	}
}
