package web

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestConnectionAttackFigures measures what BENCHMARKS.md reports in "Web
// door under connection attacks": how long a fresh client waits for a
// page (a new TCP connection, the TLS handshake, GET /login and its whole
// body) while the door, with the daemon's 64-connection cap, is held by
//
//   - idle: 16 keep-alive connections from each of 4 addresses, one GET
//     each, then idle (each reconnects at once when the door closes it);
//   - slowloris: 4 connections from each of 50 addresses that finish the
//     handshake, then send a request's headers one line a second, never
//     the end (each reconnects at once when closed);
//   - both at once;
//
// and how long the console's own login takes meanwhile. It asserts
// nothing about time; it prints. Run with
// NVRMENU_BENCH=1 go test -run TestConnectionAttackFigures -v ./web/
// (NVRMENU_ATTACK_RUNS, default 3, sets the runs, NVRMENU_ATTACK_SAMPLES,
// default 9, the fresh clients each run samples, one every 400 ms after
// the previous one's page, once the attack has had 3 s to settle; give
// go test -timeout 90m: before the door gave way, a sample took up to the
// client's 30 s).
func TestConnectionAttackFigures(t *testing.T) {
	if os.Getenv("NVRMENU_BENCH") == "" {
		t.Skip("a measurement: set NVRMENU_BENCH=1")
	}
	runs, samplesPerRun := 3, 9
	if n, err := strconv.Atoi(os.Getenv("NVRMENU_ATTACK_RUNS")); err == nil && n > 0 {
		runs = n
	}
	if n, err := strconv.Atoi(os.Getenv("NVRMENU_ATTACK_SAMPLES")); err == nil && n > 0 {
		samplesPerRun = n
	}
	for _, attack := range []string{"none", "idle", "slowloris", "both"} {
		var medians, consoles []time.Duration
		var worst time.Duration
		var handshakes, attempts int64
		var attackTime time.Duration
		timeouts := 0
		for run := range runs {
			h := newHarness(t, harnessOptions{activated: true})
			base := tlsServer(t, h, 64) // the daemon's default web.max_conns
			addr := strings.TrimPrefix(base, "https://")
			ctx, stop := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			if attack == "idle" || attack == "both" {
				for a := range 4 {
					for range 16 {
						wg.Go(func() { idleAttacker(ctx, addr, fmt.Sprintf("127.0.2.%d", a+1)) })
					}
				}
			}
			if attack == "slowloris" || attack == "both" {
				for a := range 50 {
					for range 4 {
						wg.Go(func() { slowAttacker(ctx, addr, fmt.Sprintf("127.0.3.%d", a+1)) })
					}
				}
			}
			if attack != "none" {
				time.Sleep(3 * time.Second)
			}
			dialed.Store(0)
			tried.Store(0)
			began := time.Now()
			var samples, console []time.Duration
			for i := range samplesPerRun {
				d, err := freshClient(addr, fmt.Sprintf("127.0.%d.%d", 10+run, 1+i))
				if err != nil {
					timeouts++
				}
				samples = append(samples, d)
				worst = max(worst, d)
				start := time.Now()
				if _, err := h.core.Console().Login("admin", testPassword); err != nil {
					t.Fatalf("the console's login: %v", err)
				}
				console = append(console, time.Since(start))
				time.Sleep(400 * time.Millisecond)
			}
			handshakes += dialed.Load()
			attempts += tried.Load()
			attackTime += time.Since(began)
			stop()
			wg.Wait()
			medians = append(medians, median(samples))
			consoles = append(consoles, median(console))
		}
		slices.Sort(medians)
		t.Logf("attack %-9s fresh client's page: median of run medians %v (runs %v), worst %v, %d failed of %d; console login median %v (runs %v); attackers' handshakes %.0f/s of %.0f connection attempts/s",
			attack, median(medians).Round(time.Millisecond), roundAll(medians), worst.Round(time.Millisecond), timeouts, samplesPerRun*runs,
			median(consoles).Round(time.Microsecond), roundAll(consoles), float64(handshakes)/attackTime.Seconds(), float64(attempts)/attackTime.Seconds())
	}
}

// freshClient times a new client's page: connect from the loopback
// address from, handshake, GET /login, read it all. A failure counts as
// the time it took (at most the 30 s a browser might wait).
func freshClient(addr, from string) (time.Duration, error) {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, DialContext: dialer.DialContext, DisableKeepAlives: true}}
	start := time.Now()
	resp, err := c.Get("https://" + addr + "/login")
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
	}
	return time.Since(start), err
}

// idleAttacker holds one keep-alive connection from from: a GET, then
// idle until the door closes it, then again.
func idleAttacker(ctx context.Context, addr, from string) {
	for ctx.Err() == nil {
		conn, err := attackDial(ctx, addr, from)
		if err != nil {
			pause(ctx)
			continue
		}
		go func() { <-ctx.Done(); conn.Close() }()
		fmt.Fprintf(conn, "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		io.Copy(io.Discard, bufio.NewReader(conn)) // until the door closes it
		conn.Close()
	}
}

// slowAttacker holds one connection from from that sends a request's
// headers a line a second and never ends them.
func slowAttacker(ctx context.Context, addr, from string) {
	for ctx.Err() == nil {
		conn, err := attackDial(ctx, addr, from)
		if err != nil {
			pause(ctx)
			continue
		}
		closed := make(chan struct{})
		go func() { io.Copy(io.Discard, conn); close(closed) }()
		fmt.Fprintf(conn, "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
		tick := time.NewTicker(time.Second)
	slow:
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				break slow
			case <-closed:
				break slow
			case <-tick.C:
				if _, err := fmt.Fprintf(conn, "X-Slow-%d: x\r\n", i); err != nil {
					break slow
				}
			}
		}
		tick.Stop()
		conn.Close()
	}
}

// dialed counts the attackers' finished handshakes, tried their
// connection attempts.
var dialed, tried atomic.Int64

// attackDial connects from from and finishes the TLS handshake.
func attackDial(ctx context.Context, addr, from string) (net.Conn, error) {
	d := &tls.Dialer{NetDialer: &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}, Config: &tls.Config{InsecureSkipVerify: true}}
	c, err := d.DialContext(ctx, "tcp", addr)
	tried.Add(1)
	if err == nil {
		dialed.Add(1)
	}
	return c, err
}

func pause(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Millisecond):
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func roundAll(d []time.Duration) []time.Duration {
	out := make([]time.Duration, len(d))
	for i, v := range d {
		out[i] = v.Round(time.Millisecond)
	}
	return out
}
