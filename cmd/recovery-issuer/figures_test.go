package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"nvrmenu/internal/payload"
)

// TestServiceFigures measures what BENCHMARKS.md reports of the recovery
// service: mails handled a second by one instance (text bodies and the
// recorder's exported PNG), the time from a mail's arrival to its code's
// departure, and the service's memory under a flood of large messages.
// It asserts nothing about speed; it prints. Run with
// NVRISSUER_FIGURES=1 go test -run TestServiceFigures -v ./cmd/recovery-issuer
func TestServiceFigures(t *testing.T) {
	if os.Getenv("NVRISSUER_FIGURES") == "" {
		t.Skip("prints the figures of BENCHMARKS.md; set NVRISSUER_FIGURES=1")
	}
	needProcesses(t)
	dir, k := keyDir(t)
	svc := configService(t, dir, fmt.Sprintf("path = %q", filepath.Join(dir, "ledger.db")),
		"per_challenge = 1000\nper_serial = 1000\nper_address = 1000\nper_client_burst = 100000\nper_client_interval = \"1ms\"\nglobal_burst = 1000000\nglobal_interval = \"1us\"")
	pid := svc.cmd.Process.Pid
	seq := 0
	mails := func(n int, withPNG bool) [][]byte {
		out := make([][]byte, n)
		for i := range out {
			serial := fmt.Sprintf("NVRFIG%06d", seq)
			c := payload.Content{Code: "7K2M9QXD", Serial: serial, Email: fmt.Sprintf("owner%d@esempio.it", seq), Created: time.Now()}
			seq++
			rand.Read(c.ID[:])
			text, err := payload.Seal(k.Public(), c, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			if withPNG {
				img, err := payload.QRPNG(text, 600)
				if err != nil {
					t.Fatal(err)
				}
				out[i] = pngMail(img)
			} else {
				out[i] = textMail(text)
			}
		}
		return out
	}
	// throughput sends msgs over conns connections, each a session.
	throughput := func(msgs [][]byte, conns int) float64 {
		var wg sync.WaitGroup
		next := make(chan []byte, len(msgs))
		for _, m := range msgs {
			next <- m
		}
		close(next)
		start := time.Now()
		for c := 0; c < conns; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cl, err := smtp.Dial(svc.addrs["smtp"])
				if err != nil {
					t.Error(err)
					return
				}
				defer cl.Close()
				for m := range next {
					if err := cl.SendMail("a@b.example", []string{"pw@c.example"}, bytes.NewReader(m)); err != nil {
						t.Error(err)
						return
					}
				}
				cl.Quit()
			}()
		}
		wg.Wait()
		return float64(len(msgs)) / time.Since(start).Seconds()
	}
	// latency sends msgs one at a time: from the end of the message to
	// the reply, which comes once the code's mail is written and synced.
	latency := func(msgs [][]byte) (median, p95 time.Duration) {
		cl, err := smtp.Dial(svc.addrs["smtp"])
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		var ds []time.Duration
		for _, m := range msgs {
			cl.Mail("a@b.example", nil)
			cl.Rcpt("pw@c.example", nil)
			w, err := cl.Data()
			if err != nil {
				t.Fatal(err)
			}
			w.Write(m)
			start := time.Now()
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(start))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2], ds[len(ds)*95/100]
	}
	rounds := 3
	var textRate, pngRate []float64
	for r := 0; r < rounds; r++ {
		textRate = append(textRate, throughput(mails(400, false), 8))
		pngRate = append(pngRate, throughput(mails(100, true), 8))
	}
	sort.Float64s(textRate)
	sort.Float64s(pngRate)
	t.Logf("mails handled a second, 8 connections (median of %d runs): text body %.0f (runs %.0f), exported PNG %.0f (runs %.0f)", rounds, textRate[rounds/2], textRate, pngRate[rounds/2], pngRate)
	tm, tp := latency(mails(100, false))
	pm, pp := latency(mails(50, true))
	t.Logf("arrival to departure (end of DATA to the 250 reply, the code's mail written and synced): text median %v p95 %v; PNG median %v p95 %v", tm.Round(10*time.Microsecond), tp.Round(10*time.Microsecond), pm.Round(10*time.Microsecond), pp.Round(10*time.Microsecond))
	t.Logf("memory after those runs: %s", memory(pid))

	// A flood: 64 connections at once, each a 9.5 MiB message (a text
	// body of junk) or a 16-megapixel PNG (as large as is decoded).
	junk := bytes.Repeat([]byte(strings.Repeat("x", 98)+"\r\n"), 95<<10)
	var big bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 4096, 4000))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	img.Set(10, 10, color.Black)
	png.Encode(&big, img)
	photo := pngMail(big.Bytes())
	for _, flood := range []struct {
		name string
		msg  []byte
	}{{"9.5 MiB text messages", append([]byte("Subject: x\r\n\r\n"), junk...)}, {fmt.Sprintf("16-megapixel PNGs (%d KiB each)", big.Len()>>10), photo}} {
		var wg sync.WaitGroup
		start := time.Now()
		for c := 0; c < 64; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				send(svc.addrs["smtp"], "", flood.msg)
			}()
		}
		wg.Wait()
		t.Logf("flood of 64 connections at once, %s: all answered in %v; service memory %s", flood.name, time.Since(start).Round(time.Millisecond), memory(pid))
	}
}

// memory reads a process's resident and peak resident memory.
func memory(pid int) string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return err.Error()
	}
	var rss, hwm string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "VmRSS:" {
			rss = f[1]
		}
		if len(f) >= 2 && f[0] == "VmHWM:" {
			hwm = f[1]
		}
	}
	kib := func(s string) string { n, _ := strconv.Atoi(s); return fmt.Sprintf("%.1f MiB", float64(n)/1024) }
	return "RSS " + kib(rss) + ", peak " + kib(hwm)
}
