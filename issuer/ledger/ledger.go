// Package ledger is the recovery service's memory: what it mailed when,
// and the counters of the limits every instance shares (per challenge, per
// recorder serial, per reserved address).
//
// Ledger is an interface with two implementations: Bolt, one file
// (go.etcd.io/bbolt) for a service on one machine, and Postgres
// (github.com/jackc/pgx/v5) for several instances behind a load balancer,
// which then hold the same limits. Counters use fixed windows: a charge
// counts in the window its time falls in (time truncated to the window's
// length since the Unix epoch), and a window's counters are dropped once it
// has passed. The ledger stores no code and no whole address: a counter's
// key is what the caller gives (the service hashes addresses), an entry
// holds the masked address.
package ledger

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Counter is one limit: at most Limit charges of Key in each Window.
type Counter struct {
	Key    string
	Limit  int
	Window time.Duration
}

// Entry is one code mailed.
type Entry struct {
	Challenge [16]byte
	Serial    string
	Masked    string // the reserved address, masked
	Via       string // "smtp", "lmtp", "phone"
	At        time.Time
}

// ErrExceeded is wrapped by an *ExceededError.
var ErrExceeded = errors.New("limit reached")

// ExceededError says which counter is full and when its window ends.
type ExceededError struct {
	Key   string
	Limit int
	Retry time.Duration
}

func (e *ExceededError) Error() string {
	return fmt.Sprintf("%v: %s, %d a window; next window in %v", ErrExceeded, e.Key, e.Limit, e.Retry.Round(time.Second))
}

func (e *ExceededError) Unwrap() error { return ErrExceeded }

// Ledger keeps the counters and the entries. Implementations are safe for
// concurrent use, and every charge is durable when Charge returns.
type Ledger interface {
	// Charge counts one use of every counter at now, all or none: when
	// one would pass its limit nothing is counted and the error is an
	// *ExceededError for it.
	Charge(ctx context.Context, now time.Time, counters []Counter) error
	// Record keeps an entry.
	Record(ctx context.Context, e Entry) error
	// Entries returns the entries of a challenge, oldest first.
	Entries(ctx context.Context, challenge [16]byte) ([]Entry, error)
	// Prune drops the counters of windows ended before now, and entries
	// older than keep.
	Prune(ctx context.Context, now time.Time, keep time.Duration) error
	// Ping reports whether the ledger can be used.
	Ping(ctx context.Context) error
	Close() error
}

// window returns the start of the window now falls in and its end.
func window(now time.Time, length time.Duration) (start, end time.Time) {
	start = now.Truncate(length)
	return start, start.Add(length)
}

// sorted returns counters in key order: every implementation takes its
// locks in that order, so two charges never wait for each other in a ring.
func sorted(counters []Counter) []Counter {
	c := slices.Clone(counters)
	slices.SortFunc(c, func(a, b Counter) int {
		switch {
		case a.Key < b.Key:
			return -1
		case a.Key > b.Key:
			return 1
		}
		return int(a.Window - b.Window)
	})
	return c
}

// check refuses a counter the ledger cannot store.
func check(counters []Counter) error {
	for _, c := range counters {
		if c.Key == "" || len(c.Key) > 200 || c.Limit < 1 || c.Window < time.Second {
			return fmt.Errorf("ledger: counter %q, limit %d, window %v: want a key of 1 to 200 bytes, a limit of 1 or more, a window of a second or more", c.Key, c.Limit, c.Window)
		}
	}
	return nil
}
