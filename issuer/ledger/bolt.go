package ledger

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Bolt is the ledger in one bbolt file: one instance on one machine,
// nothing to install. Every Charge is one write transaction, synced
// before it returns.
type Bolt struct{ db *bolt.DB }

var (
	bucketCounters = []byte("counters") // key + 0 + window start (8 bytes BE) -> count (4) + window end (8)
	bucketEntries  = []byte("entries")  // challenge (16) + time (8 BE) + seq (8) -> JSON Entry
)

// OpenBolt opens (or makes) the ledger file at path, mode 0600. It waits
// at most a second for another process holding it.
func OpenBolt(path string) (*Bolt, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketCounters, bucketEntries} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	return &Bolt{db: db}, nil
}

func counterKey(key string, start time.Time) []byte {
	k := append([]byte(key), 0)
	return binary.BigEndian.AppendUint64(k, uint64(start.Unix()))
}

// Charge implements Ledger.
func (b *Bolt) Charge(ctx context.Context, now time.Time, counters []Counter) error {
	if err := check(counters); err != nil {
		return err
	}
	return b.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketCounters)
		type update struct {
			k, v []byte
		}
		var updates []update
		for _, c := range sorted(counters) {
			start, end := window(now, c.Window)
			k := counterKey(c.Key, start)
			n := uint32(0)
			if v := bk.Get(k); len(v) == 12 {
				n = binary.BigEndian.Uint32(v)
			}
			if int(n) >= c.Limit {
				return &ExceededError{Key: c.Key, Limit: c.Limit, Retry: end.Sub(now)}
			}
			v := binary.BigEndian.AppendUint32(nil, n+1)
			v = binary.BigEndian.AppendUint64(v, uint64(end.Unix()))
			updates = append(updates, update{k, v})
		}
		for _, u := range updates {
			if err := bk.Put(u.k, u.v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Record implements Ledger.
func (b *Bolt) Record(ctx context.Context, e Entry) error {
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketEntries)
		seq, _ := bk.NextSequence()
		k := append(e.Challenge[:0:0], e.Challenge[:]...)
		k = binary.BigEndian.AppendUint64(k, uint64(e.At.UnixNano()))
		k = binary.BigEndian.AppendUint64(k, seq)
		return bk.Put(k, v)
	})
}

// Entries implements Ledger.
func (b *Bolt) Entries(ctx context.Context, challenge [16]byte) ([]Entry, error) {
	var out []Entry
	err := b.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketEntries).Cursor()
		for k, v := c.Seek(challenge[:]); k != nil && string(k[:16]) == string(challenge[:]); k, v = c.Next() {
			var e Entry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// Prune implements Ledger.
func (b *Bolt) Prune(ctx context.Context, now time.Time, keep time.Duration) error {
	return b.db.Update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketCounters).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if len(v) == 12 && int64(binary.BigEndian.Uint64(v[4:])) <= now.Unix() {
				if err := c.Delete(); err != nil {
					return err
				}
			}
		}
		c = tx.Bucket(bucketEntries).Cursor()
		oldest := now.Add(-keep).UnixNano()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) == 32 && int64(binary.BigEndian.Uint64(k[16:24])) < oldest {
				if err := c.Delete(); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Ping implements Ledger.
func (b *Bolt) Ping(ctx context.Context) error {
	return b.db.View(func(tx *bolt.Tx) error { return nil })
}

// Close implements Ledger.
func (b *Bolt) Close() error { return b.db.Close() }
