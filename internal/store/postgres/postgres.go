// Package postgres is camwarden's store on PostgreSQL, for fleets whose
// workers run on many machines (see docs/scale-out.md). It mirrors the
// sqlite store's schema and behaviour: the same tables, the same identity
// rule, byte-identical scan round trips. Its tables live in their own
// PostgreSQL schema (default "camwarden") so that the River job queue can
// share the database; SaveScanTx lets a caller save a scan in its own
// transaction, e.g. together with completing the job that produced it.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/camwarden/camwarden/internal/store"
)

// DefaultSchema is the PostgreSQL schema holding the store's tables.
const DefaultSchema = "camwarden"

// DB is a Store backed by PostgreSQL. It is safe for concurrent use by
// many goroutines and many processes: saves are serialised by a
// transaction-scoped advisory lock so that the identity rule sees every
// earlier save, as with SQLite's single writer.
type DB struct {
	pool   *pgxpool.Pool
	owned  bool // Close closes the pool
	schema string
	log    *slog.Logger
}

var _ store.Store = (*DB)(nil)

// Options configure Open and New.
type Options struct {
	Logger *slog.Logger // nil discards
	// Schema is the PostgreSQL schema for the tables; "" means
	// DefaultSchema. Lower-case letters, digits and underscores only.
	Schema string
}

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Open connects to the database at url (a postgres:// URL or a libpq
// keyword string), creates the schema if needed and migrates it.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres store: %w", redactErr(err, url))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres store: %w", redactErr(err, url))
	}
	db, err := New(ctx, pool, opts)
	if err != nil {
		pool.Close()
		return nil, err
	}
	db.owned = true
	return db, nil
}

// New uses an existing pool (shared with River, say); Close then leaves
// the pool open. It creates the schema if needed and migrates it.
func New(ctx context.Context, pool *pgxpool.Pool, opts Options) (*DB, error) {
	schema := opts.Schema
	if schema == "" {
		schema = DefaultSchema
	}
	if !schemaName.MatchString(schema) {
		return nil, fmt.Errorf("open postgres store: schema %q: want lower-case letters, digits and _", schema)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db := &DB{pool: pool, schema: schema, log: log}
	if err := pool.Ping(ctx); err != nil {
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	if err := db.migrate(ctx); err != nil {
		return nil, fmt.Errorf("open postgres store: %w", err)
	}
	log.Debug("store opened", "schema", schema, "version", SchemaVersion())
	return db, nil
}

// Pool returns the connection pool.
func (s *DB) Pool() *pgxpool.Pool { return s.pool }

// Schema returns the PostgreSQL schema holding the tables.
func (s *DB) Schema() string { return s.schema }

// Close closes the pool if Open made it.
func (s *DB) Close() error {
	if s.owned {
		s.pool.Close()
	}
	return nil
}

// q qualifies the "cw." table prefix of a statement with the schema.
func (s *DB) q(sql string) string {
	return strings.ReplaceAll(sql, "cw.", pgx.Identifier{s.schema}.Sanitize()+".")
}

// redactErr drops the password of url from a connection error's text.
func redactErr(err error, url string) error {
	cfg, perr := pgx.ParseConfig(url)
	if perr != nil || cfg.Password == "" || !strings.Contains(err.Error(), cfg.Password) {
		if perr != nil {
			return errors.New("invalid connection string")
		}
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), cfg.Password, "xxxxx"))
}
