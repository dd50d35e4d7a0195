package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/internal/sqlstore"
)

// Scans lists stored scans, newest first.
func (s *DB) Scans(ctx context.Context, f store.ScanFilter) ([]store.ScanMeta, error) {
	filter, args := sqlstore.ScanFilter(f, func(n int) string { return "$" + strconv.Itoa(n) })
	rows, err := s.pool.Query(ctx, s.q(`SELECT `+sqlstore.ScanColumns+` FROM cw.scans WHERE true`+filter), args...)
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
	err := s.pool.QueryRow(ctx, s.q(`SELECT doc FROM cw.scans WHERE id = $1`), int64(id)).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
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
	sqlstore.RefSerial:  `d.serial = $1`,
	sqlstore.RefAddress: `o.device_id IN (SELECT device_id FROM cw.device_observations WHERE address = $1)`,
	sqlstore.RefKey:     `d.key = $1`,
	sqlstore.RefMAC:     `d.mac = $1`,
}

// DeviceHistory returns every observation of the devices ref names,
// oldest first, with the sqlite store's rules for ref: an IP address, a
// "serial:", "mac:" or "addr:" key, a MAC address, else a serial number.
func (s *DB) DeviceHistory(ctx context.Context, ref string) ([]store.DeviceState, error) {
	ref = strings.TrimSpace(ref)
	kind, arg := sqlstore.ParseRef(ref)
	rows, err := s.pool.Query(ctx, s.q(`SELECT o.scan_id, sc.started, sc.scope, d.key, o.address, o.doc
		FROM cw.device_observations o JOIN cw.devices d ON d.id = o.device_id JOIN cw.scans sc ON sc.id = o.scan_id
		WHERE `+historyWhere[kind]+` ORDER BY sc.started_ns, o.scan_id, o.id`), arg)
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
