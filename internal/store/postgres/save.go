package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/internal/sqlstore"
)

// SaveScan stores a redacted, normalised copy of scan in one transaction.
func (s *DB) SaveScan(ctx context.Context, scan *report.Scan) (store.ScanID, error) {
	var id store.ScanID
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		id, err = s.SaveScanTx(ctx, tx, scan)
		return err
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// SaveScanTx stores a redacted, normalised copy of scan inside the
// caller's transaction, which must be on this store's database; nothing
// is visible until the caller commits. It takes the store's advisory
// lock for the rest of the transaction.
func (s *DB) SaveScanTx(ctx context.Context, tx pgx.Tx, scan *report.Scan) (store.ScanID, error) {
	doc, raw, err := store.Prepare(scan)
	if err != nil {
		return 0, fmt.Errorf("save scan: %w", err)
	}
	if _, err := tx.Exec(ctx, lockSQL, s.schema); err != nil {
		return 0, fmt.Errorf("save scan: lock: %w", err)
	}
	id, err := sqlstore.Save(ctx, &writer{db: s, tx: tx}, doc, raw)
	if err != nil {
		return 0, fmt.Errorf("save scan: %w", err)
	}
	s.log.Debug("scan saved", "id", id, "devices", len(doc.Devices), "findings", len(doc.Findings))
	return id, nil
}

// findDeviceSQL is the identity rule's search per lookup step.
var findDeviceSQL = [...]string{
	sqlstore.BySerial: `SELECT id FROM cw.devices WHERE serial = $1 ORDER BY last_scan DESC LIMIT 1`,
	sqlstore.ByMAC: `SELECT id FROM cw.devices WHERE mac = $1 AND (serial = '' OR $2 = '')
		ORDER BY last_scan DESC LIMIT 1`,
	sqlstore.ByPlace: `SELECT id FROM cw.devices WHERE address = $1 AND vendor = $2 AND model = $3
		AND (serial = '' OR $4 = '') AND (mac = '' OR $5 = '') ORDER BY last_scan DESC LIMIT 1`,
}

// writer is the sqlstore.Writer of one save: PostgreSQL's statements in
// the caller's transaction (pgx caches the prepared statements per
// connection).
type writer struct {
	db *DB
	tx pgx.Tx
}

// queryID runs a statement that returns one id (INSERT ... RETURNING id, a lookup).
func (w *writer) queryID(ctx context.Context, sql string, args []any) (int64, error) {
	var id int64
	err := w.tx.QueryRow(ctx, w.db.q(sql), args...).Scan(&id)
	return id, err
}

// InsertScan implements sqlstore.Writer.
func (w *writer) InsertScan(ctx context.Context, args []any) (int64, error) {
	return w.queryID(ctx, `INSERT INTO cw.scans (started, started_ns, finished, scope, tool_version,
		interrupted, devices, sev_info, sev_low, sev_medium, sev_high, sev_critical, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`, args)
}

// InsertObservation implements sqlstore.Writer.
func (w *writer) InsertObservation(ctx context.Context, args []any) (int64, error) {
	return w.queryID(ctx, `INSERT INTO cw.device_observations (scan_id, device_id, address,
		firmware, verdicts, doc) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, args)
}

// InsertFinding implements sqlstore.Writer.
func (w *writer) InsertFinding(ctx context.Context, args []any) error {
	_, err := w.tx.Exec(ctx, w.db.q(`INSERT INTO cw.findings (scan_id, observation_id, address,
		finding_id, checkpoint, severity, port, protocol) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`), args...)
	return err
}

// FindDevice implements sqlstore.Writer.
func (w *writer) FindDevice(ctx context.Context, by sqlstore.Lookup, args []any) (int64, bool, error) {
	id, err := w.queryID(ctx, findDeviceSQL[by], args)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}

// DeviceIdentifiers implements sqlstore.Writer.
func (w *writer) DeviceIdentifiers(ctx context.Context, id int64) (serial, mac string, err error) {
	err = w.tx.QueryRow(ctx, w.db.q(`SELECT serial, mac FROM cw.devices WHERE id = $1`), id).Scan(&serial, &mac)
	return serial, mac, err
}

// InsertDevice implements sqlstore.Writer.
func (w *writer) InsertDevice(ctx context.Context, args []any) (int64, error) {
	return w.queryID(ctx, `INSERT INTO cw.devices (key, serial, mac, address, vendor, model,
		first_scan, last_scan) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (key) DO UPDATE SET address = excluded.address, vendor = excluded.vendor,
			model = excluded.model, last_scan = excluded.last_scan
		RETURNING id`, args)
}

// UpdateDevice implements sqlstore.Writer.
func (w *writer) UpdateDevice(ctx context.Context, args []any) error {
	_, err := w.tx.Exec(ctx, w.db.q(`UPDATE cw.devices SET key = $1, serial = $2, mac = $3, address = $4,
		vendor = $5, model = $6, last_scan = $7 WHERE id = $8`), args...)
	return err
}
