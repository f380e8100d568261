package limits

import (
	"fmt"
	"net/netip"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

func TestKeyedBurstAndRefill(t *testing.T) {
	k := NewKeyed(Bucket{Burst: 3, Every: time.Minute}, 10)
	for i := 0; i < 3; i++ {
		if ok, _ := k.Allow("a", t0); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, retry := k.Allow("a", t0)
	if ok || retry != time.Minute {
		t.Fatalf("fourth request: %v, retry %v; want refused, retry 1m", ok, retry)
	}
	if ok, _ := k.Allow("b", t0); !ok {
		t.Fatal("another key shares a's bucket")
	}
	if ok, _ := k.Allow("a", t0.Add(59*time.Second)); ok {
		t.Fatal("a token before its minute")
	}
	if ok, _ := k.Allow("a", t0.Add(61*time.Second)); !ok {
		t.Fatal("no token after a minute")
	}
	// A clock going back takes nothing and gives nothing.
	if ok, _ := k.Allow("a", t0); ok {
		t.Fatal("a token when the clock went back")
	}
}

func TestKeyedBoundedMemory(t *testing.T) {
	k := NewKeyed(Bucket{Burst: 1, Every: time.Hour}, 100)
	k.Allow("first", t0)
	for i := 0; i < 10000; i++ {
		k.Allow(fmt.Sprint(i), t0)
	}
	if k.Len() != 100 {
		t.Fatalf("%d keys remembered, want at most 100", k.Len())
	}
	// The recently seen stay; the oldest was forgotten (full again).
	if ok, _ := k.Allow("9999", t0); ok {
		t.Fatal("a recent key was forgotten")
	}
	if ok, _ := k.Allow("first", t0); !ok {
		t.Fatal("the least recent key was kept")
	}
}

func TestSingle(t *testing.T) {
	g := NewSingle(Bucket{Burst: 2, Every: time.Second})
	g.Allow(t0)
	g.Allow(t0)
	if ok, retry := g.Allow(t0); ok || retry != time.Second {
		t.Fatalf("third: %v %v", ok, retry)
	}
	if ok, _ := g.Allow(t0.Add(time.Second)); !ok {
		t.Fatal("no refill")
	}
}

func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"::ffff:192.0.2.7":     "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":      "2001:db8:1:3::/64",
		"fe80::1%eth0":         "fe80::/64",
	} {
		if got := ClientKey(netip.MustParseAddr(in)); got != want {
			t.Errorf("ClientKey(%s) = %s, want %s", in, got, want)
		}
	}
}
