package usb

import "sync"

// Subscription receives the watcher's events without ever holding the
// watcher up: events wait in a small coalescing queue and Ready signals that
// there is something to take. A consumer loops like this, on its own
// goroutine:
//
//	for range sub.Ready() {
//		events := sub.Events()
//		app.QueueUpdateDraw(func() { show(events) })
//	}
//
// The queue keeps at most two events per stick ID whatever the consumer's
// pace: a stick added and removed before the consumer looked cancels out,
// repeated content changes merge, and a content change of a stick the
// consumer has not yet seen added is dropped (it will list it anyway).
type Subscription struct {
	w     *Watcher
	ready chan struct{} // capacity 1; closed when the subscription ends

	mu      sync.Mutex
	pending []Event
	ended   bool
}

func newSubscription(w *Watcher) *Subscription {
	return &Subscription{w: w, ready: make(chan struct{}, 1)}
}

// Ready receives a value when events are waiting, and is closed when the
// subscription or the watcher is closed.
func (s *Subscription) Ready() <-chan struct{} { return s.ready }

// Events takes the waiting events, oldest first. It never blocks on the
// watcher's work.
func (s *Subscription) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev := s.pending
	s.pending = nil
	return ev
}

// Close ends the subscription: Ready is closed and no more events come.
func (s *Subscription) Close() {
	if s.w != nil {
		s.w.mu.Lock()
		delete(s.w.subs, s)
		s.w.mu.Unlock()
	}
	s.end()
}

func (s *Subscription) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ended {
		s.ended = true
		close(s.ready)
	}
}

// push queues events, coalescing them, and signals Ready without blocking.
func (s *Subscription) push(events ...Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return
	}
	for _, e := range events {
		s.pending = coalesce(s.pending, e)
	}
	if len(s.pending) > 0 {
		select {
		case s.ready <- struct{}{}:
		default: // a signal is already waiting
		}
	}
}

// coalesce appends e to pending, merging it with what is there.
func coalesce(pending []Event, e Event) []Event {
	id, seq := e.Stick.ID, e.Stick.Seq
	find := func(kind EventKind) int {
		for i, p := range pending {
			if p.Kind == kind && p.Stick.ID == id && p.Stick.Seq == seq {
				return i
			}
		}
		return -1
	}
	switch e.Kind {
	case ContentChanged:
		if i := find(StickAdded); i >= 0 {
			pending[i].Stick = e.Stick // the consumer lists it anyway
			return pending
		}
		if i := find(ContentChanged); i >= 0 {
			pending[i].Stick = e.Stick
			return pending
		}
	case StickRemoved:
		if i := find(ContentChanged); i >= 0 {
			pending = append(pending[:i], pending[i+1:]...)
		}
		if i := find(StickAdded); i >= 0 {
			return append(pending[:i], pending[i+1:]...) // never seen: cancel out
		}
	}
	return append(pending, e)
}
