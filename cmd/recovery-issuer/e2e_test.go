package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"
)

// TestEndToEnd is the owner's three ways with the demo: the recorder's QR
// code (decoded from the PNG it exports) opened as a URL on the service
// and its button pressed; the exported PNG mailed over SMTP; and the same
// handed over by an MTA through LMTP. Each time the code is read from the
// outbox and typed into the recorder, which resets.
func TestEndToEnd(t *testing.T) {
	needProcesses(t)
	dir, _ := demoDir(t)
	svc := demoService(t, dir)
	rec := startRecorder(t, dir)
	mails := 0

	t.Run("scan: the QR code's URL opened on a phone", func(t *testing.T) {
		_, text := rec.exportedQR(t)
		if !strings.HasPrefix(text, "HTTPS://127.0.0.1:8444/R/") {
			t.Fatalf("the demo recorder's QR code holds %q, want the demo service's URL", text)
		}
		u, err := url.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		// The phone opens the URL; the test's service listens on another
		// port than the demo's 8444, so the host is the test's.
		page := "https://" + svc.addrs["phone"] + u.Path
		phone := phoneClient()
		req, _ := http.NewRequest("GET", page, nil)
		req.Header.Set("Accept-Language", "it-IT,it;q=0.9")
		resp, err := phone.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte(e2eSerial)) || !bytes.Contains(body, []byte("m***i@esempio.it")) || !bytes.Contains(body, []byte("Invia il codice")) {
			t.Fatalf("the page: %s\n%s", resp.Status, body)
		}
		action := strings.SplitN(strings.SplitN(string(body), `<form method="post" action="`, 2)[1], `"`, 2)[0]
		req, _ = http.NewRequest("POST", "https://"+svc.addrs["phone"]+action, nil)
		req.Header.Set("Origin", "https://"+svc.addrs["phone"])
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err = phone.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte("m***i@esempio.it")) {
			t.Fatalf("pressing the button: %s\n%s", resp.Status, body)
		}
		mails++
		code := waitMail(t, dir, mails)
		if bytes.Contains(body, []byte(code)) {
			t.Fatal("the page shows the code")
		}
		rec.reset(t, strings.ToLower(code), "Cane#Bianco58")
	})

	t.Run("mail: the exported PNG over SMTP", func(t *testing.T) {
		png, _ := rec.exportedQR(t)
		c, err := smtp.Dial(svc.addrs["smtp"])
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.SendMail("owner@esempio.it", []string{"pw_recovery@example.com"}, bytes.NewReader(pngMail(png))); err != nil {
			t.Fatalf("SMTP: %v\n%s", err, svc.log())
		}
		c.Quit()
		mails++
		rec.reset(t, waitMail(t, dir, mails), "Volpe$Rossa31")
	})

	t.Run("mail: the exported PNG handed over by an MTA through LMTP", func(t *testing.T) {
		png, _ := rec.exportedQR(t)
		conn, err := net.Dial("tcp", svc.addrs["lmtp"])
		if err != nil {
			t.Fatal(err)
		}
		c := smtp.NewClientLMTP(conn)
		defer c.Close()
		if err := c.SendMail("owner@esempio.it", []string{"pw_recovery@example.com"}, bytes.NewReader(pngMail(png))); err != nil {
			t.Fatalf("LMTP: %v\n%s", err, svc.log())
		}
		c.Quit()
		mails++
		rec.reset(t, waitMail(t, dir, mails), "Lupo&Grigio44")
	})

	if log := svc.log(); strings.Contains(log, e2eEmail) || !strings.Contains(log, "code mailed") {
		t.Errorf("the service's log shows the whole address, or no mail:\n%s", log)
	}
	for _, m := range outbox(t, dir) {
		if code := codeRE.FindStringSubmatch(m); code == nil || strings.Contains(svc.log(), code[1]) {
			t.Errorf("the log shows a code, or a mail has none")
		}
	}
}
