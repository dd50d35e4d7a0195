package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/password"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/servedb"
	"github.com/camwarden/camwarden/internal/store/sqlite"
	"github.com/camwarden/camwarden/internal/store/storetest"
)

const (
	benchDevices = 10000
	benchScans   = 50
)

// buildBench builds a store with 10,000 devices seen in 50 scans: the
// scans, devices, observations and findings rows (per device the lab
// scan's device, vendor, verdicts and findings, in cycle) are inserted in
// bulk with small observation documents, since the list pages read only
// the index, the findings rows and their counts; the newest scan is
// indexed as serve indexes it.
func buildBench(b *testing.B) (*Server, *http.Cookie, error) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
	if err != nil {
		return nil, nil, err
	}
	b.Cleanup(func() { _ = st.Close() })
	lab := storetest.LabScan(b)
	start := time.Now()
	if err := fillHistory(ctx, st.SQL(), lab); err != nil {
		return nil, nil, err
	}
	db := servedb.NewSQLite(st)
	var last int64
	if err := st.SQL().QueryRowContext(ctx, `SELECT MAX(id) FROM scans`).Scan(&last); err != nil {
		return nil, nil, err
	}
	if err := db.IndexScan(ctx, store.ScanID(last), "chain-east"); err != nil {
		return nil, nil, err
	}
	b.Logf("built %d devices x %d scans in %v", benchDevices, benchScans, time.Since(start).Round(time.Second))
	cat, err := creds.Default()
	if err != nil {
		return nil, nil, err
	}
	s, err := New(Config{DB: db, Grade: func(pw string) password.Result { return password.Grade(pw, cat) }})
	if err != nil {
		return nil, nil, err
	}
	u, err := db.AddUser(ctx, servedb.User{Name: "bench", Role: servedb.RoleViewer, Hash: "x"}, time.Now())
	if err != nil {
		return nil, nil, err
	}
	if err := db.AddSession(ctx, tokenHash("bench-session"), u.ID, "csrf", time.Now().Add(24*time.Hour)); err != nil {
		return nil, nil, err
	}
	return s, &http.Cookie{Name: sessionCookie, Value: "bench-session"}, nil
}

func fillHistory(ctx context.Context, db *sql.DB, lab *report.Scan) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	prep := func(q string) *sql.Stmt {
		st, perr := tx.PrepareContext(ctx, q)
		if perr != nil && err == nil {
			err = perr
		}
		return st
	}
	scan := prep(`INSERT INTO scans (started, started_ns, finished, scope, tool_version, interrupted, devices,
		sev_info, sev_low, sev_medium, sev_high, sev_critical, doc) VALUES (?, ?, ?, 'bench', 'bench', 0, ?, 0, 0, 0, 0, 0, '{}')`)
	dev := prep(`INSERT INTO devices (id, key, serial, mac, address, vendor, model, first_scan, last_scan) VALUES (?, ?, ?, '', ?, ?, ?, 1, 1)`)
	obs := prep(`INSERT INTO device_observations (scan_id, device_id, address, firmware, verdicts, doc) VALUES (?, ?, ?, ?, ?, ?)`)
	fnd := prep(`INSERT INTO findings (scan_id, observation_id, address, finding_id, checkpoint, severity, port, protocol)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	docs := make([][]byte, len(lab.Devices))
	for i, d := range lab.Devices {
		d.Services = nil
		docs[i], _ = json.Marshal(map[string]any{"device": d, "findings": lab.FindingsFor(d.Address)})
	}
	t0 := time.Date(2026, 1, 1, 2, 0, 0, 0, time.UTC)
	for s := 1; s <= benchScans; s++ {
		at := t0.Add(time.Duration(s) * 24 * time.Hour)
		if _, err := scan.ExecContext(ctx, at.Format(time.RFC3339Nano), at.UnixNano(), at.Format(time.RFC3339Nano), benchDevices); err != nil {
			return err
		}
		for i := range benchDevices {
			ld := lab.Devices[i%len(lab.Devices)]
			addr := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}).String()
			if s == 1 {
				if _, err := dev.ExecContext(ctx, i+1, fmt.Sprintf("serial:BENCH%06d", i), fmt.Sprintf("BENCH%06d", i), addr,
					ld.Vendor, ld.Model); err != nil {
					return err
				}
			}
			res, err := obs.ExecContext(ctx, s, i+1, addr, ld.Firmware, "", docs[i%len(lab.Devices)])
			if err != nil {
				return err
			}
			oid, _ := res.LastInsertId()
			for _, f := range lab.FindingsFor(ld.Address) {
				if _, err := fnd.ExecContext(ctx, s, oid, addr, f.ID, int(f.Checkpoint), int(f.Severity), int(f.Port), f.Protocol); err != nil {
					return err
				}
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE devices SET last_scan = ?`, benchScans); err != nil {
		return err
	}
	for s := 1; s < benchScans; s++ { // older scans: indexed long ago
		if _, err := tx.ExecContext(ctx, `INSERT INTO indexed_scans (scan_id) VALUES (?)`, s); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// BenchmarkDashboardPages measures the server time of one dashboard page
// over 10,000 devices with 50 scans of history (paginated in SQL).
func BenchmarkDashboardPages(b *testing.B) {
	s, ck, err := buildBench(b)
	if err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{
		"/devices",
		"/devices?sort=address&page=150",
		"/devices?failing=1&sort=vendor&page=20",
		"/devices?vendor=Hikvision&type=camera",
		"/findings?min=3&page=100",
		"/",
	} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.AddCookie(ck)
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", path, w.Code)
				}
			}
		})
	}
}
