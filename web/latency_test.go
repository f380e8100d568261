package web

import (
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestPageLatency measures the pages without argon2id over real TLS on
// loopback, with 1 and 50 concurrent keep-alive clients, for BENCHMARKS.md.
// It only measures (no timed assertion) and runs with NVRMENU_BENCH=1.
func TestPageLatency(t *testing.T) {
	if os.Getenv("NVRMENU_BENCH") == "" {
		t.Skip("a measurement: set NVRMENU_BENCH=1")
	}
	h := newHarness(t, harnessOptions{activated: true})
	h.setUpAll()
	base := tlsServer(t, h, 64) // the daemon's default web.max_conns
	for _, page := range []string{"/login", "/forgot?mode=questions", "/api/v1/device"} {
		for _, clients := range []int{1, 50} {
			const perClient = 200
			var mu sync.Mutex
			var all []time.Duration
			var wg sync.WaitGroup
			for i := range clients {
				wg.Go(func() {
					// Each client from its own loopback address, as on a
					// LAN: one address holds only its share of the
					// connections (PerClientConns).
					dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(1+i))}}
					c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, MaxIdleConnsPerHost: 1, DialContext: dialer.DialContext}}
					var mine []time.Duration
					for i := range perClient + 5 {
						start := time.Now()
						resp, err := c.Get(base + page)
						if err != nil {
							t.Error(err)
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if i >= 5 { // the first requests pay the handshake
							mine = append(mine, time.Since(start))
						}
					}
					c.CloseIdleConnections()
					mu.Lock()
					all = append(all, mine...)
					mu.Unlock()
				})
			}
			wg.Wait()
			slices.Sort(all)
			p := func(q float64) time.Duration { return all[int(q*float64(len(all)-1))] }
			t.Logf("%-24s %2d clients: %d requests, p50 %v, p99 %v", page, clients, len(all), p(0.50).Round(time.Microsecond), p(0.99).Round(time.Microsecond))
		}
	}
}
