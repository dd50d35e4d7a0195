package sqlite

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
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
	id, err := db.SaveScan(ctx, labScan(t))
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

func TestRoundTripByteIdentical(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	for _, tc := range []struct {
		name string
		scan *report.Scan
	}{
		{"lab scan", labScan(t)},
		{"500 devices", bigScan(t, 500)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := jsonOf(t, tc.scan)
			id, err := db.SaveScan(ctx, tc.scan)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.Scan(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(jsonOf(t, got), want) {
				t.Fatal("stored scan does not re-render byte-identically as JSON")
			}
			for _, lang := range i18n.Langs() {
				var a, b bytes.Buffer
				if err := report.WriteMarkdown(&a, tc.scan, lang); err != nil {
					t.Fatal(err)
				}
				if err := report.WriteMarkdown(&b, got, lang); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Errorf("markdown (%s) differs after the round trip", lang)
				}
			}
		})
	}
	if _, err := db.Scan(ctx, 12345); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing scan: %v", err)
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
	if _, err := db.SaveScan(t.Context(), labScan(t)); err != nil {
		t.Fatal(err)
	}
	if db.Path() != path {
		t.Errorf("path %q", db.Path())
	}
}

func TestScansFilter(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	base := labScan(t)
	day := 24 * time.Hour
	for i, scope := range []string{"127.77.0.0/24", "127.77.0.0/24", "127.77.0.0/28"} {
		s := *base
		s.Scope = scope
		s.Started = base.Started.Add(time.Duration(i) * day)
		s.Finished = s.Started.Add(2 * time.Second)
		if _, err := db.SaveScan(ctx, &s); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		filter store.ScanFilter
		want   []store.ScanID
	}{
		{"all, newest first", store.ScanFilter{}, []store.ScanID{3, 2, 1}},
		{"limit", store.ScanFilter{Limit: 2}, []store.ScanID{3, 2}},
		{"scope", store.ScanFilter{Scope: "127.77.0.0/24"}, []store.ScanID{2, 1}},
		{"since", store.ScanFilter{Since: base.Started.Add(day)}, []store.ScanID{3, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.Scans(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var ids []store.ScanID
			for _, m := range got {
				ids = append(ids, m.ID)
			}
			if len(ids) != len(tc.want) || (len(ids) > 0 && ids[0] != tc.want[0]) || ids[len(ids)-1] != tc.want[len(tc.want)-1] {
				t.Errorf("ids %v, want %v", ids, tc.want)
			}
		})
	}
	all, _ := db.Scans(ctx, store.ScanFilter{Limit: 1})
	m := all[0]
	// The lab scan: 5 devices; 4 critical, 2 medium, 2 low, 1 info finding.
	if m.Devices != 5 || m.Findings() != len(base.Findings) || m.BySeverity != [5]int{1, 2, 2, 0, 4} {
		t.Errorf("meta %+v", m)
	}
	if !m.Started.Equal(base.Started.Add(2*day)) || m.Scope != "127.77.0.0/28" || m.ToolVersion != "test" {
		t.Errorf("meta started %v scope %q version %q", m.Started, m.Scope, m.ToolVersion)
	}
}
