package usb

import (
	"fmt"
	"reflect"
	"testing"
)

func ev(kind EventKind, id string, seq uint64) Event {
	return Event{Kind: kind, Stick: Stick{ID: id, Seq: seq}}
}

func TestCoalesce(t *testing.T) {
	tests := []struct {
		name string
		push []Event
		want []Event
	}{
		{
			name: "distinct events kept in order",
			push: []Event{ev(StickAdded, "a", 1), ev(StickAdded, "b", 2), ev(ContentChanged, "c", 3)},
			want: []Event{ev(StickAdded, "a", 1), ev(StickAdded, "b", 2), ev(ContentChanged, "c", 3)},
		},
		{
			name: "content changes merge",
			push: []Event{ev(ContentChanged, "a", 1), ev(ContentChanged, "a", 1), ev(ContentChanged, "a", 1)},
			want: []Event{ev(ContentChanged, "a", 1)},
		},
		{
			name: "content change of an unseen stick merges into its addition",
			push: []Event{ev(StickAdded, "a", 1), ev(ContentChanged, "a", 1)},
			want: []Event{ev(StickAdded, "a", 1)},
		},
		{
			name: "added then removed before being seen cancels out",
			push: []Event{ev(StickAdded, "a", 1), ev(ContentChanged, "a", 1), ev(StickRemoved, "a", 1)},
			want: nil,
		},
		{
			name: "removal drops a pending content change",
			push: []Event{ev(ContentChanged, "a", 1), ev(StickRemoved, "a", 1)},
			want: []Event{ev(StickRemoved, "a", 1)},
		},
		{
			name: "replugged under the same id: removal of the old, addition of the new",
			push: []Event{ev(StickRemoved, "a", 1), ev(StickAdded, "a", 2)},
			want: []Event{ev(StickRemoved, "a", 1), ev(StickAdded, "a", 2)},
		},
		{
			name: "content changes of different plugs stay apart",
			push: []Event{ev(ContentChanged, "a", 1), ev(ContentChanged, "a", 2)},
			want: []Event{ev(ContentChanged, "a", 1), ev(ContentChanged, "a", 2)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Event
			for _, e := range tt.push {
				got = coalesce(got, e)
			}
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSubscriptionBounded plugs and pulls sticks many times without the
// consumer looking: the queue stays at two events per stick at most and
// pushing never blocks.
func TestSubscriptionBounded(t *testing.T) {
	s := newSubscription(nil)
	var seq uint64
	for cycle := range 1000 {
		for _, id := range []string{"sda1", "sdb1"} {
			seq++
			s.push(ev(StickAdded, id, seq))
			s.push(ev(ContentChanged, id, seq))
			if cycle < 999 {
				s.push(ev(StickRemoved, id, seq))
			}
		}
	}
	got := s.Events()
	want := []Event{ev(StickAdded, "sda1", seq-1), ev(StickAdded, "sdb1", seq)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if n := len(s.Ready()); n != 1 {
		t.Errorf("got %d signals waiting, want 1", n)
	}
	s.Close()
	<-s.Ready() // the signal still buffered
	if _, ok := <-s.Ready(); ok {
		t.Errorf("got a signal after Close, want a closed channel")
	}
	s.push(ev(StickAdded, "x", 1)) // after Close: no panic, no event
	if got := s.Events(); len(got) != 0 {
		t.Errorf("got %v after Close, want nothing", got)
	}
}

func TestEventString(t *testing.T) {
	e := Event{Kind: StickRemoved, Stick: Stick{ID: "sda1", Name: "NVR", Seq: 3}}
	if got, want := e.String(), `stick NVR ("sda1" #3) removed`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := fmt.Sprint(EventKind(9)), "EventKind(9)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
