package recovery

import "sync"

// EventKind is what changed on the device.
type EventKind string

// The events a subscriber learns of.
const (
	// EventActivated: the first admin password was set.
	EventActivated EventKind = "activated"
	// EventPasswordChanged: the admin password was changed or reset;
	// every session has ended.
	EventPasswordChanged EventKind = "password-changed"
	// EventMethodsChanged: a recovery method was set up, cleared or
	// expired.
	EventMethodsChanged EventKind = "methods-changed"
	// EventLocked: a failure locked a method, or reached the hourly cap,
	// for the event's class.
	EventLocked EventKind = "locked"
)

// Event is one change, with the caller that made it: a door learns, say,
// that the password was changed from the web page by 192.0.2.20.
type Event struct {
	Kind   EventKind
	Caller Caller
}

// maxQueuedEvents bounds what a slow subscriber is kept: beyond it the
// oldest events are dropped, and Events reports it.
const maxQueuedEvents = 32

// Subscription delivers the core's events without polling and without
// ever making the core wait: Ready fires when events are queued, Events
// takes them.
type Subscription struct {
	c     *Core
	ready chan struct{}

	mu      sync.Mutex
	events  []Event
	dropped bool
	closed  bool
}

// Subscribe starts a subscription to every change of the device.
func (c *Core) Subscribe() *Subscription {
	s := &Subscription{c: c, ready: make(chan struct{}, 1)}
	c.subsMu.Lock()
	c.subs[s] = struct{}{}
	c.subsMu.Unlock()
	return s
}

// Ready fires (holds a value) whenever events are waiting; it is closed
// when the subscription is.
func (s *Subscription) Ready() <-chan struct{} { return s.ready }

// Events takes the queued events, oldest first. Dropped is set when some
// were lost because the subscriber fell behind: it should then read the
// device's whole status again.
func (s *Subscription) Events() (events []Event, dropped bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	events, dropped = s.events, s.dropped
	s.events, s.dropped = nil, false
	return events, dropped
}

// Close ends the subscription; Ready is closed.
func (s *Subscription) Close() {
	s.c.subsMu.Lock()
	delete(s.c.subs, s)
	s.c.subsMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.ready)
	}
}

func (s *Subscription) deliver(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if len(s.events) >= maxQueuedEvents {
		s.events = s.events[1:]
		s.dropped = true
	}
	s.events = append(s.events, e)
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// publish tells every subscriber; it never blocks.
func (c *Core) publish(kind EventKind, caller Caller) {
	c.subsMu.Lock()
	defer c.subsMu.Unlock()
	for s := range c.subs {
		s.deliver(Event{Kind: kind, Caller: caller})
	}
}
