package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
)

// TestStopDuringAStuckStartUp: signals are taken from the process's first
// moment. A SIGTERM that arrives while start-up is stuck (here: the
// terminal never opens) and that nothing takes within the grace ends the
// process with exit 0; one that a part of the daemon takes in time does
// not.
func TestStopDuringAStuckStartUp(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"state", "media"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	path := filepath.Join(dir, "config.toml")
	os.WriteFile(path, []byte("state_dir = \""+dir+"/state\"\n[usb]\nsource = \"dirs\"\nmedia_root = \""+dir+"/media\"\n[console]\nmouse = \"\"\n[log]\nfile = \""+dir+"/log\"\n[web]\nlisten = \"\"\n"), 0o644)

	d, _, errb := testDaemon()
	stuck, release := make(chan struct{}), make(chan struct{})
	d.newScreen = func(string) (tcell.Screen, error) {
		close(stuck)
		<-release
		return tcell.NewSimulationScreen("UTF-8"), nil
	}
	exited := make(chan int, 1)
	d.exit = func(code int) { exited <- code }
	d.grace = 100 * time.Millisecond
	raw := make(chan os.Signal, 4)
	go d.relaySignals(raw)
	done := make(chan int, 1)
	go func() { done <- d.main([]string{"-config", path}) }()
	defer func() { close(release); <-done; close(raw) }()

	<-stuck
	raw <- syscall.SIGTERM
	select {
	case code := <-exited:
		if code != exitOK {
			t.Fatalf("exit %d, want %d", code, exitOK)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("a SIGTERM during a stuck start-up did not end the process:\n%s", errb.String())
	}
}

// TestStopTakenInTimeIsNotForced: a SIGTERM the menu takes stops the
// daemon in order, and the grace never forces an exit.
func TestStopTakenInTimeIsNotForced(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"state", "media"} {
		os.Mkdir(filepath.Join(dir, sub), 0o700)
	}
	logFile := filepath.Join(dir, "log")
	path := filepath.Join(dir, "config.toml")
	os.WriteFile(path, []byte("state_dir = \""+dir+"/state\"\n[usb]\nsource = \"dirs\"\nmedia_root = \""+dir+"/media\"\n[console]\nmouse = \"\"\n[log]\nfile = \""+logFile+"\"\n[web]\nlisten = \"\"\n"), 0o644)
	d, _, _ := testDaemon()
	exited := make(chan int, 1)
	d.exit = func(code int) { exited <- code }
	d.grace = 100 * time.Millisecond
	raw := make(chan os.Signal, 4)
	go d.relaySignals(raw)
	defer close(raw)
	done := make(chan int, 1)
	go func() { done <- d.main([]string{"-config", path}) }()
	waitLog(t, func() string { b, _ := os.ReadFile(logFile); return string(b) }, "menu started")
	raw <- syscall.SIGTERM
	if code := <-done; code != exitOK {
		t.Fatalf("exit %d", code)
	}
	select {
	case <-exited:
		t.Fatal("an exit was forced although the menu took the stop")
	case <-time.After(300 * time.Millisecond):
	}
}
