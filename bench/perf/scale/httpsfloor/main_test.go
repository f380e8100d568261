package main

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// TestServe checks the floor is what the harness weighs: an HTTPS server
// that answers 404 over HTTP/1.1, until its input ends.
func TestServe(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	dir := t.TempDir()
	go func() {
		err := serve(dir, inR, outW)
		outW.CloseWithError(fmt.Errorf("serve ended before it listened: %v", err))
		done <- err
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var addr string
	if _, err := fmt.Sscanf(line, "listening %s", &addr); err != nil {
		t.Fatalf("first line %q: %v", line, err)
	}
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	defer c.CloseIdleConnections()
	resp, err := c.Get("https://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || resp.ProtoMajor != 1 || resp.TLS == nil {
		t.Errorf("answer %s %s, TLS %v: want 404 over HTTP/1.x and TLS", resp.Proto, resp.Status, resp.TLS != nil)
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}
