package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// TestGracefulShutdown: SIGTERM while a message is being sent stops new
// connections, lets that message finish and be answered (the code is
// mailed, the reply is 250), then exits 0.
func TestGracefulShutdown(t *testing.T) {
	needProcesses(t)
	dir, k := keyDir(t)
	svc := configService(t, dir, fmt.Sprintf("path = %q", filepath.Join(dir, "ledger.db")), "")
	msg := textMail(seal(t, k.Public(), "NVRSTOP1", time.Now()))
	c, err := smtp.Dial(svc.addrs["smtp"])
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("owner@esempio.it", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("pw_recovery@example.com", nil); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	w.Write(msg[:len(msg)/2])
	svc.cmd.Process.Signal(syscall.SIGTERM)
	if !svc.hasLog("shutting down") {
		t.Fatalf("no shutdown after SIGTERM:\n%s", svc.log())
	}
	if _, err := smtp.Dial(svc.addrs["smtp"]); err == nil {
		t.Error("a new connection was accepted after SIGTERM")
	}
	w.Write(msg[len(msg)/2:])
	if err := w.Close(); err != nil {
		t.Fatalf("the message in hand was not handled: %v\n%s", err, svc.log())
	}
	if len(outbox(t, dir)) != 1 {
		t.Fatal("the message in hand was acknowledged but its code not mailed")
	}
	c.Quit()
	select {
	case <-svc.exited:
		if svc.err != nil {
			t.Fatalf("exit: %v\n%s", svc.err, svc.log())
		}
	case <-time.After(40 * time.Second):
		t.Fatal("the service did not exit")
	}
	if !strings.Contains(svc.log(), `"msg":"stopped"`) {
		t.Errorf("log:\n%s", svc.log())
	}
	os.Remove(filepath.Join(dir, "ledger.db"))
}
