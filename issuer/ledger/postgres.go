package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is the ledger in a PostgreSQL database that every instance of
// the service shares: a Charge is one transaction whose counters are
// updated in key order with INSERT ... ON CONFLICT DO UPDATE (each row
// locked until the commit), so the limits hold across instances.
type Postgres struct{ pool *pgxpool.Pool }

// schema is made once, under an advisory lock (instances starting together
// would otherwise race on CREATE TABLE IF NOT EXISTS).
const schema = `
CREATE TABLE IF NOT EXISTS recovery_counters (
	key          text        NOT NULL,
	window_start timestamptz NOT NULL,
	n            integer     NOT NULL,
	window_end   timestamptz NOT NULL,
	PRIMARY KEY (key, window_start)
);
CREATE INDEX IF NOT EXISTS recovery_counters_end ON recovery_counters (window_end);
CREATE TABLE IF NOT EXISTS recovery_mailed (
	id        bigserial   PRIMARY KEY,
	challenge bytea       NOT NULL,
	serial    text        NOT NULL,
	masked    text        NOT NULL,
	via       text        NOT NULL,
	at        timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS recovery_mailed_challenge ON recovery_mailed (challenge, at);
`

// schemaLock is the advisory lock's number ("nvrrecov").
const schemaLock = 0x6e76727265636f76

// OpenPostgres connects to the database dsn names and makes the tables.
func OpenPostgres(ctx context.Context, dsn string) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's message may repeat the DSN, password included: not here.
		return nil, errors.New("ledger: the PostgreSQL connection string does not parse")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("ledger: postgres: %w", err)
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(schemaLock)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, schema)
		return err
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("ledger: postgres schema: %w", err)
	}
	return &Postgres{pool: pool}, nil
}

// Charge implements Ledger.
func (p *Postgres) Charge(ctx context.Context, now time.Time, counters []Counter) error {
	if err := check(counters); err != nil {
		return err
	}
	var exceeded *ExceededError
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		for _, c := range sorted(counters) {
			start, end := window(now, c.Window)
			var n int
			err := tx.QueryRow(ctx, `
INSERT INTO recovery_counters (key, window_start, n, window_end) VALUES ($1, $2, 1, $3)
ON CONFLICT (key, window_start) DO UPDATE SET n = recovery_counters.n + 1
RETURNING n`, c.Key, start, end).Scan(&n)
			if err != nil {
				return err
			}
			if n > c.Limit {
				exceeded = &ExceededError{Key: c.Key, Limit: c.Limit, Retry: end.Sub(now)}
				return exceeded // rolls back every counter of this charge
			}
		}
		return nil
	})
	if exceeded != nil {
		return exceeded
	}
	if err != nil {
		return fmt.Errorf("ledger: postgres: %w", err)
	}
	return nil
}

// Record implements Ledger.
func (p *Postgres) Record(ctx context.Context, e Entry) error {
	_, err := p.pool.Exec(ctx, `INSERT INTO recovery_mailed (challenge, serial, masked, via, at) VALUES ($1, $2, $3, $4, $5)`,
		e.Challenge[:], e.Serial, e.Masked, e.Via, e.At)
	if err != nil {
		return fmt.Errorf("ledger: postgres: %w", err)
	}
	return nil
}

// Entries implements Ledger.
func (p *Postgres) Entries(ctx context.Context, challenge [16]byte) ([]Entry, error) {
	rows, err := p.pool.Query(ctx, `SELECT serial, masked, via, at FROM recovery_mailed WHERE challenge = $1 ORDER BY at, id`, challenge[:])
	if err != nil {
		return nil, fmt.Errorf("ledger: postgres: %w", err)
	}
	var out []Entry
	for rows.Next() {
		e := Entry{Challenge: challenge}
		if err := rows.Scan(&e.Serial, &e.Masked, &e.Via, &e.At); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Prune implements Ledger.
func (p *Postgres) Prune(ctx context.Context, now time.Time, keep time.Duration) error {
	if _, err := p.pool.Exec(ctx, `DELETE FROM recovery_counters WHERE window_end <= $1`, now); err != nil {
		return fmt.Errorf("ledger: postgres: %w", err)
	}
	if _, err := p.pool.Exec(ctx, `DELETE FROM recovery_mailed WHERE at < $1`, now.Add(-keep)); err != nil {
		return fmt.Errorf("ledger: postgres: %w", err)
	}
	return nil
}

// Ping implements Ledger.
func (p *Postgres) Ping(ctx context.Context) error { return p.pool.Ping(ctx) }

// Close implements Ledger.
func (p *Postgres) Close() error {
	p.pool.Close()
	return nil
}
