// Package servedb keeps what camwarden serve needs next to the stored
// scans, in the same database (SQLite by default, PostgreSQL for a
// fleet): sites and schedules, audit runs, change alerts and their
// deliveries, dashboard users and sessions, the audit log, accepted
// risks, settings, and a device index that the dashboard filters, sorts
// and pages in SQL. The tables are created by the sqlite and postgres
// stores' migrations (the serve entry, v3 today); the queries here are written once for
// both engines.
package servedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/internal/sqlstore"
	"github.com/camwarden/camwarden/internal/store/postgres"
	"github.com/camwarden/camwarden/internal/store/sqlite"
)

// ErrNotFound is returned when a row is not there.
var ErrNotFound = errors.New("not found")

// DB is serve's view of a store's database. It is safe for concurrent use.
type DB struct {
	db     *sql.DB
	pg     bool
	prefix string // qualifies table names ("" for SQLite)
	store  store.Store
	// saveTx stores a scan inside a transaction (SQLite only: a fleet's
	// scans are stored by its workers).
	saveTx func(ctx context.Context, tx *sql.Tx, s *report.Scan) (store.ScanID, error)
	closer func() error
}

// NewSQLite uses the tables of an open SQLite store.
func NewSQLite(s *sqlite.DB) *DB {
	return &DB{db: s.SQL(), store: s, saveTx: s.SaveScanTx, closer: func() error { return nil }}
}

// NewPostgres uses the tables of an open PostgreSQL store (through
// database/sql on the store's pool).
func NewPostgres(s *postgres.DB) *DB {
	db := stdlib.OpenDBFromPool(s.Pool())
	return &DB{db: db, pg: true, prefix: pgx.Identifier{s.Schema()}.Sanitize() + ".", store: s, closer: db.Close}
}

// Postgres reports whether the database is PostgreSQL (a fleet).
func (d *DB) Postgres() bool { return d.pg }

// Store returns the scan store the tables sit next to.
func (d *DB) Store() store.Store { return d.store }

// Close releases the database/sql handle made for PostgreSQL; the store
// itself is closed by its owner.
func (d *DB) Close() error { return d.closer() }

// q qualifies "cw." table names and, for PostgreSQL, numbers the "?"
// placeholders ($1, $2...). Statements here never hold a literal "?".
func (d *DB) q(s string) string { return sqlstore.Rebind(s, d.prefix, d.pg) }

func (d *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.db.ExecContext(ctx, d.q(query), args...)
}

func (d *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.db.QueryContext(ctx, d.q(query), args...)
}

func (d *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return d.db.QueryRowContext(ctx, d.q(query), args...)
}

// tx runs f in a transaction, committing when it returns nil.
func (d *DB) tx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Tx is a transaction of this database with its dialect, handed to
// callbacks that add rows together with a run's completion.
type Tx struct {
	d  *DB
	tx *sql.Tx
}

func (t Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.d.q(query), args...)
}

func (t Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.d.q(query), args...)
}

func (t Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.d.q(query), args...)
}

// Setting reads a setting; ok is false when it is not set.
func (d *DB) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = d.queryRow(ctx, `SELECT value FROM cw.settings WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return value, true, nil
}

// SetSetting writes a setting.
func (d *DB) SetSetting(ctx context.Context, key, value string) error {
	if _, err := d.exec(ctx, `INSERT INTO cw.settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("write setting %s: %w", key, err)
	}
	return nil
}

// DeleteSetting removes a setting.
func (d *DB) DeleteSetting(ctx context.Context, key string) error {
	if _, err := d.exec(ctx, `DELETE FROM cw.settings WHERE key = ?`, key); err != nil {
		return fmt.Errorf("delete setting %s: %w", key, err)
	}
	return nil
}

// ns converts a time to the stored nanoseconds (0 for the zero time).
func ns(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNS converts stored nanoseconds back (the zero time for 0).
func fromNS(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
