//go:build integration

package postgres

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/store"
)

func TestMigrateAndReopen(t *testing.T) {
	db, schema := openTemp(t)
	ctx := t.Context()
	var v int
	if err := db.pool.QueryRow(ctx, db.q(`SELECT version FROM cw.schema_version`)).Scan(&v); err != nil || v != SchemaVersion() {
		t.Fatalf("schema version %d (%v), want %d", v, err, SchemaVersion())
	}
	id, err := db.SaveScan(ctx, labScan(t))
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
	if _, err := db.SaveScanTx(ctx, tx, labScan(t)); err != nil {
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
		_, err := db.SaveScanTx(ctx, tx, labScan(t))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if m, err := db.Scans(ctx, store.ScanFilter{}); err != nil || len(m) != 1 || m[0].Devices != 5 {
		t.Errorf("after a committed save: %+v, %v", m, err)
	}
}

// TestConcurrentSave saves from two pools at once, as two worker machines
// would: every scan gets its own ID and one device stays one device.
func TestConcurrentSave(t *testing.T) {
	db, schema := openTemp(t)
	other, err := Open(t.Context(), testURL(), Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	const writers, each = 6, 4
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	got := make(chan store.ScanID, writers*each)
	for w := range writers {
		h := db
		if w%2 == 1 {
			h = other
		}
		wg.Go(func() {
			for i := range each {
				s := labScan(t)
				s.Started = s.Started.Add(time.Duration(w*each+i) * time.Minute)
				device(t, s, "127.77.0.2").Serial = serialHik
				id, err := h.SaveScan(t.Context(), s)
				if err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					continue
				}
				got <- id
			}
		})
	}
	wg.Wait()
	close(errs)
	close(got)
	for err := range errs {
		t.Error(err)
	}
	var ids []store.ScanID
	for id := range got {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if len(slices.Compact(ids)) != writers*each {
		t.Fatalf("%d distinct ids, want %d", len(ids), writers*each)
	}
	hist, err := db.DeviceHistory(t.Context(), serialHik)
	if err != nil || len(hist) != writers*each {
		t.Fatalf("history %d states (%v), want one device seen %d times", len(hist), err, writers*each)
	}
	var devices int
	if err := db.pool.QueryRow(t.Context(), db.q(`SELECT COUNT(*) FROM cw.devices`)).Scan(&devices); err != nil || devices != 5 {
		t.Errorf("%d devices (%v), want 5", devices, err)
	}
}

func TestSecretsNeverStored(t *testing.T) {
	db, _ := openTemp(t)
	s := labScan(t)
	for i := range s.Findings {
		if s.Findings[i].ID == "AUTH-DEFAULT-TELNET" { // as --show-secrets writes it
			s.Findings[i].Evidence["username"] = "admin"
			s.Findings[i].Evidence["password"] = "7ujMko0admin" // Dahua's documented telnet default
		}
	}
	d := device(t, s, "127.77.0.5")
	d.Services = append(d.Services, probe.Service{Port: 80, Transport: "tcp", Protocol: "http",
		Status: probe.StatusIdentified, Trace: []probe.TraceEntry{{Dir: "send", Data: "Authorization: Basic YWRtaW46N3VqTWtvMGFkbWlu"}}})
	if _, err := db.SaveScan(t.Context(), s); err != nil {
		t.Fatal(err)
	}
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
		for _, secret := range []string{"7ujMko0admin", "YWRtaW46N3VqTWtvMGFkbWlu"} {
			if bytes.Contains(doc, []byte(secret)) {
				t.Errorf("a stored document holds %s", secret)
			}
		}
	}
	if !errors.Is(func() error { _, err := db.Scan(t.Context(), 999); return err }(), store.ErrNotFound) {
		t.Error("missing scan is not ErrNotFound")
	}
}
