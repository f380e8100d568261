package ledger

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"nvrmenu/internal/pgtest"
)

var t0 = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

// testLedger runs the same specification against an implementation.
func testLedger(t *testing.T, open func(t *testing.T) Ledger) {
	ctx := context.Background()
	t.Run("limits hold within a window and reset after it", func(t *testing.T) {
		l := open(t)
		serial := Counter{Key: "serial:NVR1", Limit: 2, Window: time.Hour}
		addr := Counter{Key: "addr:x", Limit: 3, Window: time.Hour}
		for i := 0; i < 2; i++ {
			if err := l.Charge(ctx, t0.Add(time.Duration(i)*time.Minute), []Counter{serial, addr}); err != nil {
				t.Fatalf("charge %d: %v", i+1, err)
			}
		}
		err := l.Charge(ctx, t0.Add(10*time.Minute), []Counter{addr, serial})
		var ex *ExceededError
		if !errors.As(err, &ex) || ex.Key != "serial:NVR1" || ex.Retry != 50*time.Minute || !errors.Is(err, ErrExceeded) {
			t.Fatalf("third charge: %v, want the serial's limit with 50m to wait", err)
		}
		// All or none: the address was not counted by the refused charge.
		if err := l.Charge(ctx, t0.Add(11*time.Minute), []Counter{addr}); err != nil {
			t.Fatalf("address alone, third use: %v", err)
		}
		if err := l.Charge(ctx, t0.Add(12*time.Minute), []Counter{addr}); !errors.Is(err, ErrExceeded) {
			t.Fatalf("address alone, fourth use: %v", err)
		}
		if err := l.Charge(ctx, t0.Add(time.Hour), []Counter{serial, addr}); err != nil {
			t.Fatalf("next window: %v", err)
		}
	})
	t.Run("entries and pruning", func(t *testing.T) {
		l := open(t)
		id := [16]byte{1, 2, 3}
		for i := 0; i < 3; i++ {
			if err := l.Record(ctx, Entry{Challenge: id, Serial: "NVR1", Masked: "m***i@esempio.it", Via: "smtp", At: t0.Add(time.Duration(i) * time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		l.Record(ctx, Entry{Challenge: [16]byte{9}, Serial: "NVR2", Masked: "a***b@c.it", Via: "phone", At: t0})
		es, err := l.Entries(ctx, id)
		if err != nil || len(es) != 3 || es[0].Via != "smtp" || !es[2].At.Equal(t0.Add(2*time.Hour)) || es[1].Masked != "m***i@esempio.it" {
			t.Fatalf("Entries = %+v, %v", es, err)
		}
		l.Charge(ctx, t0, []Counter{{Key: "k", Limit: 1, Window: time.Hour}})
		if err := l.Prune(ctx, t0.Add(90*time.Minute), time.Hour); err != nil {
			t.Fatal(err)
		}
		if es, _ := l.Entries(ctx, id); len(es) != 2 {
			t.Fatalf("after pruning entries older than an hour: %d left, want 2", len(es))
		}
		// The ended window's counter is gone: its key may be charged
		// again in a new window as it could anyway.
		if err := l.Charge(ctx, t0.Add(90*time.Minute), []Counter{{Key: "k", Limit: 1, Window: time.Hour}}); err != nil {
			t.Fatal(err)
		}
		if err := l.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("concurrent charges never pass the limit", func(t *testing.T) {
		l := open(t)
		var ok atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := l.Charge(ctx, t0, []Counter{{Key: fmt.Sprintf("addr:%d", i%3), Limit: 100, Window: time.Hour}, {Key: "serial:S", Limit: 7, Window: time.Hour}})
				if err == nil {
					ok.Add(1)
				} else if !errors.Is(err, ErrExceeded) {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 7 {
			t.Fatalf("%d charges passed a limit of 7", ok.Load())
		}
	})
	t.Run("refuses a bad counter", func(t *testing.T) {
		l := open(t)
		if err := l.Charge(ctx, t0, []Counter{{Key: "", Limit: 1, Window: time.Hour}}); err == nil {
			t.Fatal("an empty key was charged")
		}
	})
}

func TestBolt(t *testing.T) {
	testLedger(t, func(t *testing.T) Ledger {
		l, err := OpenBolt(filepath.Join(t.TempDir(), "ledger.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		return l
	})
}

func TestBoltReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	c := []Counter{{Key: "serial:S", Limit: 1, Window: time.Hour}}
	if err := l.Charge(context.Background(), t0, c); err != nil {
		t.Fatal(err)
	}
	l.Close()
	if l, err = OpenBolt(path); err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Charge(context.Background(), t0, c); !errors.Is(err, ErrExceeded) {
		t.Fatalf("after a restart the counter was lost: %v", err)
	}
}

func TestPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("needs child processes (a PostgreSQL server); run without -short")
	}
	srv := pgtest.Start(t)
	n := 0
	testLedger(t, func(t *testing.T) Ledger {
		// Each case in a database of its own.
		n++
		admin, err := OpenPostgres(context.Background(), srv.DSN)
		if err != nil {
			t.Fatal(err)
		}
		db := fmt.Sprintf("case%d", n)
		if _, err := admin.pool.Exec(context.Background(), "CREATE DATABASE "+db); err != nil {
			t.Fatal(err)
		}
		admin.Close()
		l, err := OpenPostgres(context.Background(), srv.DSN+" dbname="+db)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		return l
	})
	if _, err := OpenPostgres(context.Background(), "postgres://u:secret@[::1"); err == nil || errors.Is(err, ErrExceeded) || containsSecret(err) {
		t.Fatalf("a bad DSN: %v", err)
	}
}

func containsSecret(err error) bool {
	return err != nil && strings.Contains(err.Error(), "secret")
}
