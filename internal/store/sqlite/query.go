package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/internal/sqlstore"
)

// Scans lists stored scans, newest first.
func (s *DB) Scans(ctx context.Context, f store.ScanFilter) ([]store.ScanMeta, error) {
	filter, args := sqlstore.ScanFilter(f, func(int) string { return "?" })
	rows, err := s.db.QueryContext(ctx, `SELECT `+sqlstore.ScanColumns+` FROM scans WHERE 1=1`+filter, args...)
	if err != nil {
		return nil, fmt.Errorf("list scans: %w", err)
	}
	defer rows.Close()
	out, err := sqlstore.ScanMetas(rows)
	if err != nil {
		return nil, fmt.Errorf("list scans: %w", err)
	}
	return out, nil
}

// Scan loads one stored scan.
func (s *DB) Scan(ctx context.Context, id store.ScanID) (*report.Scan, error) {
	var doc []byte
	err := s.db.QueryRowContext(ctx, `SELECT doc FROM scans WHERE id = ?`, int64(id)).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load scan %d: %w", id, err)
	}
	rep, err := sqlstore.ReadScan(doc)
	if err != nil {
		return nil, fmt.Errorf("load scan %d: %w", id, err)
	}
	return rep, nil
}

// historyWhere is the condition of a DeviceHistory query per kind of ref.
var historyWhere = map[sqlstore.Ref]string{
	sqlstore.RefSerial:  `d.serial = ?`,
	sqlstore.RefAddress: `o.device_id IN (SELECT device_id FROM device_observations WHERE address = ?)`,
	sqlstore.RefKey:     `d.key = ?`,
	sqlstore.RefMAC:     `d.mac = ?`,
}

// DeviceHistory returns every observation of the devices ref names,
// oldest first: an IP address names every device ever seen there; a
// "serial:", "mac:" or "addr:" key names one device; otherwise ref is
// taken as a MAC address when it parses as one, else as a serial number.
func (s *DB) DeviceHistory(ctx context.Context, ref string) ([]store.DeviceState, error) {
	ref = strings.TrimSpace(ref)
	kind, arg := sqlstore.ParseRef(ref)
	rows, err := s.db.QueryContext(ctx, `SELECT o.scan_id, sc.started, sc.scope, d.key, o.address, o.doc
		FROM device_observations o JOIN devices d ON d.id = o.device_id JOIN scans sc ON sc.id = o.scan_id
		WHERE `+historyWhere[kind]+` ORDER BY sc.started_ns, o.scan_id, o.id`, arg)
	if err != nil {
		return nil, fmt.Errorf("device history %q: %w", ref, err)
	}
	defer rows.Close()
	out, err := sqlstore.DeviceStates(rows)
	if err != nil {
		return nil, fmt.Errorf("device history %q: %w", ref, err)
	}
	return out, nil
}
