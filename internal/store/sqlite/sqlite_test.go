package sqlite

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/store/storetest"
)

func TestMigrateFromEmptyAndReopen(t *testing.T) {
	db, path := openTemp(t)
	ctx := t.Context()
	var v int
	if err := db.db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v); err != nil || v != SchemaVersion() {
		t.Fatalf("schema version %d (%v), want %d", v, err, SchemaVersion())
	}
	var mode string
	if err := db.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q (%v), want wal", mode, err)
	}
	var busy int
	if err := db.db.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil || busy != busyTimeoutMS {
		t.Fatalf("busy timeout %d (%v)", busy, err)
	}
	id, err := db.SaveScan(ctx, storetest.LabScan(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("re-open: %v", err)
	}
	defer db2.Close()
	var rows int
	if err := db2.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_version`).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("schema_version rows %d (%v) after re-open", rows, err)
	}
	if _, err := db2.Scan(ctx, id); err != nil {
		t.Errorf("scan saved before re-open: %v", err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	db, path := openTemp(t)
	if _, err := db.db.ExecContext(t.Context(), `UPDATE schema_version SET version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := Open(t.Context(), path, Options{})
	if err == nil || !strings.Contains(err.Error(), "schema v99 is newer") {
		t.Fatalf("Open of a v99 database: %v", err)
	}
}

func TestDefaultPath(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
		err  bool
	}{
		{"xdg", map[string]string{"XDG_DATA_HOME": "/data", "HOME": "/home/a"}, "/data/camwarden/camwarden.db", false},
		{"relative xdg ignored", map[string]string{"XDG_DATA_HOME": "data", "HOME": "/home/a"}, "/home/a/.local/share/camwarden/camwarden.db", false},
		{"home", map[string]string{"HOME": "/home/a"}, "/home/a/.local/share/camwarden/camwarden.db", false},
		{"nothing", map[string]string{}, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DefaultPath(func(k string) string { return tc.env[k] })
			if (err != nil) != tc.err || got != filepath.FromSlash(tc.want) {
				t.Errorf("DefaultPath = %q, %v; want %q (error %v)", got, err, tc.want, tc.err)
			}
		})
	}
}

func TestOpenOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dir with space", "a?b#c%d.db")
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SaveScan(t.Context(), storetest.LabScan(t)); err != nil {
		t.Fatal(err)
	}
	if db.Path() != path {
		t.Errorf("path %q", db.Path())
	}
}
