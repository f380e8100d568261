package recovery

import (
	"testing"
)

// TestSubscriptionBounded: a subscriber that never reads is kept the last
// events and told some were dropped; the core never waits for it.
func TestSubscriptionBounded(t *testing.T) {
	c, s := activatedCore(t, testOptions(t, newFakeClock()))
	slow := c.Subscribe()
	for range maxQueuedEvents + 3 {
		setQuestions(t, s)
	}
	<-slow.Ready()
	evs, dropped := slow.Events()
	if len(evs) != maxQueuedEvents || !dropped {
		t.Fatalf("%d events, dropped %v; want %d and dropped", len(evs), dropped, maxQueuedEvents)
	}
	for _, e := range evs {
		if e.Kind != EventMethodsChanged || e.Caller != ConsoleCaller {
			t.Fatalf("event %+v", e)
		}
	}
	slow.Close()
	if _, open := <-slow.Ready(); open {
		t.Fatal("Ready still open after Close")
	}
	setQuestions(t, s) // nobody listens: nothing blocks
}
