package servedb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// obsDoc is the part of a stored observation the index reads.
type obsDoc struct {
	Device   report.Device     `json:"device"`
	Findings []finding.Finding `json:"findings"`
}

// IndexScan adds a stored scan's devices to the device index (a device
// keeps the row of its most recent observation) and marks the scan
// indexed. site is the site the scan audited ("" for a manual scan).
func (t Tx) IndexScan(ctx context.Context, id store.ScanID, site string) error {
	var started int64
	if err := t.queryRow(ctx, `SELECT started_ns FROM cw.scans WHERE id = ?`, int64(id)).Scan(&started); err != nil {
		return fmt.Errorf("index scan %d: %w", id, err)
	}
	rows, err := t.query(ctx, `SELECT o.id, o.device_id, d.key, o.address, o.doc FROM cw.device_observations o
		JOIN cw.devices d ON d.id = o.device_id WHERE o.scan_id = ? ORDER BY o.id`, int64(id))
	if err != nil {
		return fmt.Errorf("index scan %d: %w", id, err)
	}
	type obs struct {
		id, device int64
		key, addr  string
		doc        []byte
	}
	var list []obs
	for rows.Next() {
		var o obs
		if err := rows.Scan(&o.id, &o.device, &o.key, &o.addr, &o.doc); err != nil {
			rows.Close()
			return fmt.Errorf("index scan %d: %w", id, err)
		}
		list = append(list, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index scan %d: %w", id, err)
	}
	for _, o := range list {
		var od obsDoc
		if err := json.Unmarshal(o.doc, &od); err != nil {
			return fmt.Errorf("index scan %d observation %d: %w", id, o.id, err)
		}
		r := indexRow(od)
		if _, err := t.exec(ctx, `INSERT INTO cw.device_index (device_id, device_key, scan_id, obs_id, site, address, addr_sort,
			vendor, model, type, firmware, name, v1, v2, v3, fails, worst, findings, seen_ns)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (device_id) DO UPDATE SET device_key = excluded.device_key, scan_id = excluded.scan_id,
				obs_id = excluded.obs_id, site = excluded.site, address = excluded.address, addr_sort = excluded.addr_sort,
				vendor = excluded.vendor, model = excluded.model, type = excluded.type, firmware = excluded.firmware,
				name = excluded.name, v1 = excluded.v1, v2 = excluded.v2, v3 = excluded.v3, fails = excluded.fails,
				worst = excluded.worst, findings = excluded.findings, seen_ns = excluded.seen_ns
			WHERE excluded.seen_ns >= cw.device_index.seen_ns`,
			o.device, o.key, int64(id), o.id, site, o.addr, addrSort(o.addr), r.Vendor, r.Model, r.Type, r.Firmware,
			r.Name, r.Verdicts[0], r.Verdicts[1], r.Verdicts[2], r.Fails, r.Worst, r.Findings, started); err != nil {
			return fmt.Errorf("index scan %d: %w", id, err)
		}
	}
	if _, err := t.exec(ctx, `INSERT INTO cw.indexed_scans (scan_id) VALUES (?) ON CONFLICT (scan_id) DO NOTHING`, int64(id)); err != nil {
		return fmt.Errorf("index scan %d: %w", id, err)
	}
	return nil
}

// indexRow derives the index columns of one observation.
func indexRow(od obsDoc) DeviceRow {
	d := od.Device
	r := DeviceRow{Vendor: d.Vendor, Model: d.Model, Type: d.Type, Firmware: d.Firmware, Worst: -1}
	r.Name = d.Hostname
	for _, sv := range d.Services {
		r.Name = cmp.Or(r.Name, sv.Fields[probe.FieldHTTPTitle])
	}
	if len(r.Name) > 200 {
		r.Name = r.Name[:200]
	}
	for i := range r.Verdicts {
		r.Verdicts[i] = string(report.VerdictUnknown)
	}
	for _, c := range d.Scorecard {
		if i := int(c.Checkpoint) - 1; i >= 0 && i < len(r.Verdicts) {
			r.Verdicts[i] = string(c.Verdict)
			if c.Verdict == report.VerdictFail {
				r.Fails++
			}
		}
	}
	for _, f := range od.Findings {
		if finding.Coverage(f.ID) { // a record of what the auth check tried, not a finding
			continue
		}
		r.Findings++
		r.Worst = max(r.Worst, int(f.Severity))
	}
	return r
}

// addrSort is a string that sorts like the address (32 hex digits of
// its 16-byte form); an unparsable address sorts last.
func addrSort(s string) string {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return "z" + s
	}
	b := a.As16()
	return hex.EncodeToString(b[:])
}

// IndexPending indexes the stored scans not in the index yet (scans by
// "camwarden scan", or stored by fleet workers), oldest first, each in
// its own transaction. It returns how many it indexed.
func (d *DB) IndexPending(ctx context.Context) (int, error) {
	n := 0
	for {
		var ids []int64
		rows, err := d.query(ctx, `SELECT id FROM cw.scans s WHERE NOT EXISTS
			(SELECT 1 FROM cw.indexed_scans i WHERE i.scan_id = s.id) ORDER BY started_ns, id LIMIT 20`)
		if err != nil {
			return n, fmt.Errorf("index: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return n, fmt.Errorf("index: %w", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if len(ids) == 0 {
			return n, nil
		}
		for _, id := range ids {
			site, err := d.scanSite(ctx, id)
			if err != nil {
				return n, err
			}
			if err := d.tx(ctx, func(tx *sql.Tx) error { return Tx{d, tx}.IndexScan(ctx, store.ScanID(id), site) }); err != nil {
				return n, err
			}
			n++
		}
	}
}

// scanSite names the site a scan audited: a serve run's site, else (in
// a fleet) the site of the job that stored it, else "".
func (d *DB) scanSite(ctx context.Context, id int64) (string, error) {
	var site string
	q := `SELECT COALESCE(MAX(site), '') FROM cw.audit_runs WHERE scan_id = ?`
	if d.pg {
		q = `SELECT COALESCE((SELECT MAX(site) FROM cw.audit_runs WHERE scan_id = ?),
			(SELECT MAX(site) FROM cw.site_scans WHERE scan_id = ?), '')`
		if err := d.queryRow(ctx, q, id, id).Scan(&site); err != nil {
			return "", fmt.Errorf("site of scan %d: %w", id, err)
		}
		return site, nil
	}
	if err := d.queryRow(ctx, q, id).Scan(&site); err != nil {
		return "", fmt.Errorf("site of scan %d: %w", id, err)
	}
	return site, nil
}

// IndexScan indexes one stored scan in a transaction of its own.
func (d *DB) IndexScan(ctx context.Context, id store.ScanID, site string) error {
	return d.tx(ctx, func(tx *sql.Tx) error { return Tx{d, tx}.IndexScan(ctx, id, site) })
}
