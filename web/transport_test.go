package web

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// TestTLSVersionsAndSuites: TLS 1.3 as Go sets it up; TLS 1.2 with an
// ECDHE key exchange and an AEAD only; a CBC suite, an RSA key exchange
// or TLS 1.1 is refused in the handshake.
func TestTLSVersionsAndSuites(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	addr := tlsDoor(t, h, testCert(t), 16)
	for _, tc := range []struct {
		name     string
		version  uint16
		suites   []uint16
		accepted bool
	}{
		{"TLS 1.3", tls.VersionTLS13, nil, true},
		{"TLS 1.2 AES-128-GCM", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}, true},
		{"TLS 1.2 AES-256-GCM", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384}, true},
		{"TLS 1.2 ChaCha20-Poly1305", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256}, true},
		{"TLS 1.2 AES-128-CBC-SHA", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA}, false},
		{"TLS 1.2 AES-256-CBC-SHA", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA}, false},
		{"TLS 1.2 AES-128-CBC-SHA256", tls.VersionTLS12, []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256}, false},
		{"TLS 1.2 RSA key exchange", tls.VersionTLS12, []uint16{tls.TLS_RSA_WITH_AES_128_GCM_SHA256}, false},
		{"TLS 1.1", tls.VersionTLS11, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tls.DialWithDialer(&net.Dialer{Timeout: guard}, "tcp", addr, &tls.Config{
				InsecureSkipVerify: true, // the self-signed certificate; the suite is what is tested
				MinVersion:         tc.version,
				MaxVersion:         tc.version,
				CipherSuites:       tc.suites,
			})
			if err == nil {
				defer c.Close()
			}
			if got := err == nil; got != tc.accepted {
				t.Fatalf("handshake: %v, want accepted=%v", err, tc.accepted)
			}
			if err == nil && tc.suites != nil && c.ConnectionState().CipherSuite != tc.suites[0] {
				t.Fatalf("suite %s, want %s", tls.CipherSuiteName(c.ConnectionState().CipherSuite), tls.CipherSuiteName(tc.suites[0]))
			}
		})
	}
}

// TestALPNOffersHTTP11Only: the door speaks HTTP/1.1 alone (one request
// at a time per connection, so that the connection cap bounds requests):
// a client offering h2 first gets http/1.1, and one offering h2 alone
// does not get h2.
func TestALPNOffersHTTP11Only(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	addr := tlsDoor(t, h, testCert(t), 16)
	dial := func(protos ...string) (*tls.Conn, error) {
		return tls.DialWithDialer(&net.Dialer{Timeout: guard}, "tcp", addr, &tls.Config{InsecureSkipVerify: true, NextProtos: protos})
	}
	c, err := dial("h2", "http/1.1")
	if err != nil {
		t.Fatal(err)
	}
	if p := c.ConnectionState().NegotiatedProtocol; p != "http/1.1" {
		t.Errorf("offered h2 and http/1.1: negotiated %q, want http/1.1", p)
	}
	// And it is HTTP/1.1 that answers.
	c.Write([]byte("GET /api/v1/device HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
	c.SetReadDeadline(time.Now().Add(guard))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.ProtoMajor != 1 || resp.ProtoMinor != 1 || resp.StatusCode != http.StatusOK {
		t.Errorf("answer over http/1.1: %v %v", resp, err)
	}
	c.Close()
	if c, err := dial("h2"); err == nil {
		if p := c.ConnectionState().NegotiatedProtocol; p == "h2" {
			t.Errorf("offered h2 alone: negotiated h2")
		}
		c.Close()
	}
}

// TestHeaderSizeLimit: headers over MaxHeaderBytes (plus the 4 KiB
// net/http allows on top) are refused with 431; headers within it pass.
func TestHeaderSizeLimit(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	addr := tlsDoor(t, h, testCert(t), 16)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, Timeout: guard}
	defer client.CloseIdleConnections()
	for _, tc := range []struct {
		size int
		want int
	}{{MaxHeaderBytes / 2, http.StatusOK}, {MaxHeaderBytes + 8<<10, http.StatusRequestHeaderFieldsTooLarge}, {64 << 10, http.StatusRequestHeaderFieldsTooLarge}} {
		req, _ := http.NewRequest("GET", "https://"+addr+"/api/v1/device", nil)
		req.Header.Set("X-Padding", strings.Repeat("a", tc.size))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("a %d-byte header: %v", tc.size, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("a %d-byte header: status %d, want %d", tc.size, resp.StatusCode, tc.want)
		}
	}
}

// TestSlowClientsAreClosed: a client that sends its headers a little at a
// time (slowloris), or never finishes the TLS handshake, is closed after
// the read-header timeout, though the other timeouts are long. The test
// shortens the read-header timeout and lengthens the rest, so that only
// it can close them.
func TestSlowClientsAreClosed(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	h.srv.timeouts = timeouts{readHeader: 200 * time.Millisecond, read: time.Hour, write: time.Hour, idle: time.Hour}
	addr := tlsDoor(t, h, testCert(t), 16)
	closed := func(t *testing.T, c net.Conn) {
		t.Helper()
		c.SetReadDeadline(time.Now().Add(guard))
		_, err := io.ReadAll(c)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("still open after %v", guard)
		}
	}
	t.Run("headers never finished", func(t *testing.T) {
		c, err := tls.DialWithDialer(&net.Dialer{Timeout: guard}, "tcp", addr, &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("GET /api/v1/device HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a"))
		closed(t, c)
	})
	t.Run("TLS handshake never finished", func(t *testing.T) {
		c := dialFrom(t, "127.0.0.1", addr)
		closed(t, c)
	})
}

// TestRefusalsCloseTheConnection: over a real connection, a request under
// a foreign Host and a cross-origin one are answered and the connection
// is closed: a client flooding refusals has to connect again each time.
func TestRefusalsCloseTheConnection(t *testing.T) {
	h := newHarness(t, harnessOptions{})
	addr := tlsDoor(t, h, testCert(t), 16)
	for _, tc := range []struct {
		name, request string
		status        int
	}{
		{"foreign host", "GET /login HTTP/1.1\r\nHost: evil.example\r\n\r\n", http.StatusMisdirectedRequest},
		{"cross-origin", "POST /activate HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: cross-site\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\npassword=x", http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tls.DialWithDialer(&net.Dialer{Timeout: guard}, "tcp", addr, &tls.Config{InsecureSkipVerify: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(guard))
			c.Write([]byte(tc.request))
			br := bufio.NewReader(c)
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			if resp.StatusCode != tc.status || !resp.Close {
				t.Fatalf("status %d, Connection: close %v; want %d and close", resp.StatusCode, resp.Close, tc.status)
			}
			if n, err := br.Read(make([]byte, 1)); n != 0 || errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("after the refusal, read %d bytes, %v: want the connection closed", n, err)
			}
		})
	}
}
