package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// Scans lists stored scans, newest first.
func (s *DB) Scans(ctx context.Context, f store.ScanFilter) ([]store.ScanMeta, error) {
	q := `SELECT id, started, finished, scope, tool_version, interrupted, devices,
		sev_info, sev_low, sev_medium, sev_high, sev_critical FROM cw.scans WHERE true`
	var args []any
	if f.Scope != "" {
		args = append(args, f.Scope)
		q += fmt.Sprintf(` AND scope = $%d`, len(args))
	}
	if !f.Since.IsZero() {
		args = append(args, f.Since.UnixNano())
		q += fmt.Sprintf(` AND started_ns >= $%d`, len(args))
	}
	q += ` ORDER BY started_ns DESC, id DESC`
	if f.Limit > 0 {
		args = append(args, f.Limit)
		q += fmt.Sprintf(` LIMIT $%d`, len(args))
	}
	rows, err := s.pool.Query(ctx, s.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list scans: %w", err)
	}
	defer rows.Close()
	var out []store.ScanMeta
	for rows.Next() {
		var m store.ScanMeta
		var started, finished string
		var devices int32
		var b [5]int32
		if err := rows.Scan(&m.ID, &started, &finished, &m.Scope, &m.ToolVersion, &m.Interrupted, &devices,
			&b[0], &b[1], &b[2], &b[3], &b[4]); err != nil {
			return nil, fmt.Errorf("list scans: %w", err)
		}
		m.Devices = int(devices)
		for i := range b {
			m.BySeverity[i] = int(b[i])
		}
		m.Started, m.Finished = parseTime(started), parseTime(finished)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list scans: %w", err)
	}
	return out, nil
}

// Scan loads one stored scan.
func (s *DB) Scan(ctx context.Context, id store.ScanID) (*report.Scan, error) {
	var doc []byte
	err := s.pool.QueryRow(ctx, s.q(`SELECT doc FROM cw.scans WHERE id = $1`), int64(id)).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("load scan %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load scan %d: %w", id, err)
	}
	rep, err := report.ReadJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, fmt.Errorf("load scan %d: %w", id, err)
	}
	return rep, nil
}

// DeviceHistory returns every observation of the devices ref names,
// oldest first, with the sqlite store's rules for ref: an IP address, a
// "serial:", "mac:" or "addr:" key, a MAC address, else a serial number.
func (s *DB) DeviceHistory(ctx context.Context, ref string) ([]store.DeviceState, error) {
	ref = strings.TrimSpace(ref)
	where, arg := `d.serial = $1`, any(store.NormalizeSerial(ref))
	switch addr, err := netip.ParseAddr(ref); {
	case err == nil:
		where, arg = `o.device_id IN (SELECT device_id FROM cw.device_observations WHERE address = $1)`, addr.String()
	case strings.HasPrefix(ref, "serial:"), strings.HasPrefix(ref, "mac:"), strings.HasPrefix(ref, "addr:"):
		where, arg = `d.key = $1`, ref
	case store.NormalizeMAC(ref) != "":
		where, arg = `d.mac = $1`, store.NormalizeMAC(ref)
	}
	rows, err := s.pool.Query(ctx, s.q(`SELECT o.scan_id, sc.started, sc.scope, d.key, o.address, o.doc
		FROM cw.device_observations o JOIN cw.devices d ON d.id = o.device_id JOIN cw.scans sc ON sc.id = o.scan_id
		WHERE `+where+` ORDER BY sc.started_ns, o.scan_id, o.id`), arg)
	if err != nil {
		return nil, fmt.Errorf("device history %q: %w", ref, err)
	}
	defer rows.Close()
	var out []store.DeviceState
	for rows.Next() {
		var st store.DeviceState
		var started, addr string
		var doc []byte
		if err := rows.Scan(&st.Scan, &started, &st.Scope, &st.Key, &addr, &doc); err != nil {
			return nil, fmt.Errorf("device history %q: %w", ref, err)
		}
		var od observationDoc
		if err := json.Unmarshal(doc, &od); err != nil {
			return nil, fmt.Errorf("device history %q: observation in scan %d: %w", ref, st.Scan, err)
		}
		st.Started, st.Device, st.Findings, st.Checked = parseTime(started), od.Device, od.Findings, od.Checked
		st.Address, _ = netip.ParseAddr(addr)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("device history %q: %w", ref, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("device history %q: %w", ref, store.ErrNotFound)
	}
	return out, nil
}

// parseTime reads a time written by formatTime; a bad value is the zero
// time (the document itself stays authoritative).
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
