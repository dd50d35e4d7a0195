//go:build integration

package postgres

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/storetest"
)

func TestMigrateAndReopen(t *testing.T) {
	db, schema := openTemp(t)
	ctx := t.Context()
	var v int
	if err := db.pool.QueryRow(ctx, db.q(`SELECT version FROM cw.schema_version`)).Scan(&v); err != nil || v != SchemaVersion() {
		t.Fatalf("schema version %d (%v), want %d", v, err, SchemaVersion())
	}
	id, err := db.SaveScan(ctx, storetest.LabScan(t))
	if err != nil {
		t.Fatal(err)
	}
	db2, err := Open(ctx, testURL(), Options{Schema: schema})
	if err != nil {
		t.Fatalf("re-open: %v", err)
	}
	defer db2.Close()
	var rows int
	if err := db2.pool.QueryRow(ctx, db.q(`SELECT COUNT(*) FROM cw.schema_version`)).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("schema_version rows %d (%v) after re-open", rows, err)
	}
	if _, err := db2.Scan(ctx, id); err != nil {
		t.Errorf("scan saved before re-open: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	db, schema := openTemp(t)
	if _, err := db.pool.Exec(t.Context(), db.q(`UPDATE cw.schema_version SET version = 99`)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, url, schema, want string
	}{
		{"newer schema", testURL(), schema, "schema v99 is newer"},
		{"bad schema name", testURL(), "Robert'); DROP", `schema "Robert'); DROP": want lower-case`},
		{"wrong password", strings.Replace(testURL(), ":camwarden@", ":not-the-password@", 1), "", "authentication failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(t.Context(), tc.url, Options{Schema: tc.schema})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Open: %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "not-the-password") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

// TestSaveScanTxRollback: a scan saved in a transaction that is rolled
// back (a worker killed before it completed its job) leaves nothing.
func TestSaveScanTxRollback(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveScanTx(ctx, tx, storetest.LabScan(t)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"scans", "devices", "device_observations", "findings"} {
		var n int
		if err := db.pool.QueryRow(ctx, db.q(`SELECT COUNT(*) FROM cw.`+table)).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows (%v) after rollback", table, n, err)
		}
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		_, err := db.SaveScanTx(ctx, tx, storetest.LabScan(t))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if m, err := db.Scans(ctx, store.ScanFilter{}); err != nil || len(m) != 1 || m[0].Devices != 5 {
		t.Errorf("after a committed save: %+v, %v", m, err)
	}
}

// TestStore runs the conformance suite every store passes.
func TestStore(t *testing.T) { storetest.Run(t, openStore) }

// TestConcurrentSave saves from two pools at once, as two worker machines
// would: every scan gets its own ID and one device stays one device.
func TestConcurrentSave(t *testing.T) {
	db, schema := openTemp(t)
	other, err := Open(t.Context(), testURL(), Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	storetest.SaveConcurrently(t, db, other)
	var devices int
	if err := db.pool.QueryRow(t.Context(), db.q(`SELECT COUNT(*) FROM cw.devices`)).Scan(&devices); err != nil || devices != 5 {
		t.Errorf("%d devices (%v), want 5", devices, err)
	}
}

// TestSecretsNeverStored: no stored document (scan or observation) holds
// a secret of the saved scan.
func TestSecretsNeverStored(t *testing.T) {
	db, _ := openTemp(t)
	storetest.SaveSecrets(t, db)
	var stored [][]byte
	for _, table := range []string{"scans", "device_observations"} {
		rows, err := db.pool.Query(t.Context(), db.q(`SELECT doc FROM cw.`+table))
		if err != nil {
			t.Fatal(err)
		}
		docs, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, docs...)
	}
	if len(stored) != 6 {
		t.Fatalf("%d documents stored, want 1 scan + 5 observations", len(stored))
	}
	for _, doc := range stored {
		for _, secret := range storetest.Secrets {
			if bytes.Contains(doc, []byte(secret)) {
				t.Errorf("a stored document holds %s", secret)
			}
		}
	}
	if !errors.Is(func() error { _, err := db.Scan(t.Context(), 999); return err }(), store.ErrNotFound) {
		t.Error("missing scan is not ErrNotFound")
	}
}

func BenchmarkSaveScan500(b *testing.B) { storetest.BenchmarkSave(b, openStore) }
