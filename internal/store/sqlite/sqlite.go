// Package sqlite is camwarden's embedded store: one SQLite file (pure Go,
// modernc.org/sqlite, no cgo) in WAL mode, holding every saved scan and
// the device history derived from it.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/camwarden/camwarden/internal/store"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// busyTimeoutMS is how long a connection waits for another process's
// write lock before failing.
const busyTimeoutMS = 10000

// DB is a Store backed by one SQLite file. It is safe for concurrent use;
// several processes may share the file (writes are serialised by SQLite's
// lock and wait up to the busy timeout).
type DB struct {
	db   *sql.DB
	path string
	log  *slog.Logger
	// write serialises this process's writers, so that they queue here
	// instead of spinning on SQLite's busy handler.
	write sync.Mutex
}

var _ store.Store = (*DB)(nil)

// Options configure Open.
type Options struct {
	Logger *slog.Logger // nil discards
}

// Open opens (creating if needed, with mode 0600) the database at path and
// migrates it to the current schema.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("open store: empty path")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	_ = f.Close()
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := migrate(ctx, db); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	log.Debug("store opened", "path", path, "schema", SchemaVersion())
	return &DB{db: db, path: path, log: log}, nil
}

// dsn builds the driver's URI for path: WAL journal, busy timeout,
// foreign keys, and transactions that take the write lock when they
// begin (so two writers never deadlock upgrading a read lock).
func dsn(path string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	return "file:" + esc + fmt.Sprintf("?_pragma=busy_timeout(%d)", busyTimeoutMS) +
		"&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

// SQL returns the database handle, for the tables other packages keep in
// the same file (camwarden serve's sites, audits and alerts; see
// internal/store/servedb). Writers should use transactions.
func (s *DB) SQL() *sql.DB { return s.db }

// Path returns the database file's path.
func (s *DB) Path() string { return s.path }

// Close closes the database.
func (s *DB) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// DefaultPath returns $XDG_DATA_HOME/camwarden/camwarden.db, or
// $HOME/.local/share/camwarden/camwarden.db when XDG_DATA_HOME is unset
// (the XDG base directory default). getenv is os.Getenv outside tests.
func DefaultPath(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_DATA_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "camwarden", "camwarden.db"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", errors.New("no default store path: neither XDG_DATA_HOME nor HOME is set; use --db")
	}
	return filepath.Join(home, ".local", "share", "camwarden", "camwarden.db"), nil
}
