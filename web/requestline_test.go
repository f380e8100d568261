package web

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestHostOfTheRequestLineChecked: over the real door (TLS on the
// loopback), the host a request is for is checked whatever form its
// request line takes. A line in absolute form names its own host and Go's
// server drops the Host header for it, so "GET https://<the device>/…"
// with "Host: evil.example" used to be answered: every absolute-form or
// CONNECT line is now refused with 421, like a foreign Host.
func TestHostOfTheRequestLineChecked(t *testing.T) {
	h := newHarness(t, harnessOptions{activated: true})
	addr := tlsDoor(t, h, testCert(t), 8)
	for _, tc := range []struct {
		name, line, host string
		want             int
	}{
		{"origin form, the device's address", "GET /login HTTP/1.1", addr, http.StatusOK},
		{"origin form, a foreign host", "GET /login HTTP/1.1", "evil.example", http.StatusMisdirectedRequest},
		{"absolute form, the device's address, a foreign Host", "GET https://" + addr + "/login HTTP/1.1", "evil.example", http.StatusMisdirectedRequest},
		{"absolute form, the device's address in both", "GET https://" + addr + "/login HTTP/1.1", addr, http.StatusMisdirectedRequest},
		{"absolute form over http, a foreign Host", "GET http://" + addr + "/api/v1/device HTTP/1.1", "evil.example", http.StatusMisdirectedRequest},
		{"absolute form, a foreign host in the line", "GET https://evil.example/login HTTP/1.1", addr, http.StatusMisdirectedRequest},
		{"absolute form, a state-changing API call", "POST https://" + addr + "/api/v1/login HTTP/1.1", "evil.example", http.StatusMisdirectedRequest},
		{"authority form", "CONNECT " + addr + " HTTP/1.1", "evil.example", http.StatusMisdirectedRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(guard))
			fmt.Fprintf(conn, "%s\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", tc.line, tc.host)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
}
