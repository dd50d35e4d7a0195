package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/internal/sqlstore"
)

// SaveScan stores a redacted, normalised copy of s in one transaction and
// links each of its devices to the device it is by the identity rule
// (store.Identity).
func (s *DB) SaveScan(ctx context.Context, scan *report.Scan) (store.ScanID, error) {
	doc, raw, err := store.Prepare(scan)
	if err != nil {
		return 0, fmt.Errorf("save scan: %w", err)
	}
	s.write.Lock()
	defer s.write.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("save scan: begin: %w", err)
	}
	id, err := saveTx(ctx, tx, doc, raw)
	if err != nil {
		_ = tx.Rollback()
		return 0, fmt.Errorf("save scan: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("save scan: commit: %w", err)
	}
	s.log.Debug("scan saved", "id", id, "devices", len(doc.Devices), "findings", len(doc.Findings))
	return id, nil
}

// SaveScanTx stores a redacted, normalised copy of scan inside the
// caller's transaction, which must be on this store's database (see
// SQL); nothing is visible until the caller commits. camwarden serve
// uses it to store an audit's scan and mark the audit done atomically.
func (s *DB) SaveScanTx(ctx context.Context, tx *sql.Tx, scan *report.Scan) (store.ScanID, error) {
	doc, raw, err := store.Prepare(scan)
	if err != nil {
		return 0, fmt.Errorf("save scan: %w", err)
	}
	id, err := saveTx(ctx, tx, doc, raw)
	if err != nil {
		return 0, fmt.Errorf("save scan: %w", err)
	}
	return id, nil
}

func saveTx(ctx context.Context, tx *sql.Tx, doc *report.Scan, raw []byte) (store.ScanID, error) {
	w := writer{tx: tx}
	if err := w.prepare(ctx); err != nil {
		return 0, err
	}
	defer w.close()
	return sqlstore.Save(ctx, &w, doc, raw)
}

// writer is the sqlstore.Writer of one save: SQLite's statements,
// prepared once per transaction.
type writer struct {
	tx                                   *sql.Tx
	scan, observation, finding, touch    *sql.Stmt
	bySerial, byMAC, byPlace, up, readID *sql.Stmt
}

func (w *writer) prepare(ctx context.Context) error {
	stmts := []struct {
		dst **sql.Stmt
		sql string
	}{
		{&w.scan, `INSERT INTO scans (started, started_ns, finished, scope, tool_version,
			interrupted, devices, sev_info, sev_low, sev_medium, sev_high, sev_critical, doc)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&w.observation, `INSERT INTO device_observations (scan_id, device_id, address, firmware, verdicts, doc)
			VALUES (?, ?, ?, ?, ?, ?)`},
		{&w.finding, `INSERT INTO findings (scan_id, observation_id, address, finding_id, checkpoint, severity, port, protocol)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`},
		{&w.bySerial, `SELECT id FROM devices WHERE serial = ? ORDER BY last_scan DESC LIMIT 1`},
		{&w.byMAC, `SELECT id FROM devices WHERE mac = ? AND (serial = '' OR ? = '') ORDER BY last_scan DESC LIMIT 1`},
		{&w.byPlace, `SELECT id FROM devices WHERE address = ? AND vendor = ? AND model = ?
			AND (serial = '' OR ? = '') AND (mac = '' OR ? = '') ORDER BY last_scan DESC LIMIT 1`},
		{&w.up, `INSERT INTO devices (key, serial, mac, address, vendor, model, first_scan, last_scan)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(key) DO UPDATE SET address = excluded.address, vendor = excluded.vendor,
				model = excluded.model, last_scan = excluded.last_scan
			RETURNING id`},
		{&w.touch, `UPDATE devices SET key = ?, serial = ?, mac = ?, address = ?, vendor = ?, model = ?, last_scan = ?
			WHERE id = ?`},
		{&w.readID, `SELECT serial, mac FROM devices WHERE id = ?`},
	}
	for _, st := range stmts {
		p, err := w.tx.PrepareContext(ctx, st.sql)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		*st.dst = p
	}
	return nil
}

func (w *writer) close() {
	for _, st := range []*sql.Stmt{w.scan, w.observation, w.finding, w.touch, w.bySerial, w.byMAC, w.byPlace, w.up, w.readID} {
		if st != nil {
			_ = st.Close()
		}
	}
}

// insert runs an INSERT and returns the new row's id.
func insert(ctx context.Context, st *sql.Stmt, args []any) (int64, error) {
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// InsertScan implements sqlstore.Writer.
func (w *writer) InsertScan(ctx context.Context, args []any) (int64, error) {
	return insert(ctx, w.scan, args)
}

// InsertObservation implements sqlstore.Writer.
func (w *writer) InsertObservation(ctx context.Context, args []any) (int64, error) {
	return insert(ctx, w.observation, args)
}

// InsertFinding implements sqlstore.Writer.
func (w *writer) InsertFinding(ctx context.Context, args []any) error {
	_, err := w.finding.ExecContext(ctx, args...)
	return err
}

// FindDevice implements sqlstore.Writer.
func (w *writer) FindDevice(ctx context.Context, by sqlstore.Lookup, args []any) (int64, bool, error) {
	st := [...]*sql.Stmt{sqlstore.BySerial: w.bySerial, sqlstore.ByMAC: w.byMAC, sqlstore.ByPlace: w.byPlace}[by]
	var id int64
	err := st.QueryRowContext(ctx, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// DeviceIdentifiers implements sqlstore.Writer.
func (w *writer) DeviceIdentifiers(ctx context.Context, id int64) (serial, mac string, err error) {
	err = w.readID.QueryRowContext(ctx, id).Scan(&serial, &mac)
	return serial, mac, err
}

// InsertDevice implements sqlstore.Writer.
func (w *writer) InsertDevice(ctx context.Context, args []any) (int64, error) {
	var id int64
	err := w.up.QueryRowContext(ctx, args...).Scan(&id)
	return id, err
}

// UpdateDevice implements sqlstore.Writer.
func (w *writer) UpdateDevice(ctx context.Context, args []any) error {
	_, err := w.touch.ExecContext(ctx, args...)
	return err
}
