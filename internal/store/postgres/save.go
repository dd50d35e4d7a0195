package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// observationDoc is the per-device JSON kept with each observation (the
// same document as the sqlite store's).
type observationDoc struct {
	Device   report.Device        `json:"device"`
	Findings []finding.Finding    `json:"findings"`
	Checked  []finding.Checkpoint `json:"checked"`
}

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
	id, err := s.saveTx(ctx, tx, doc, raw)
	if err != nil {
		return 0, fmt.Errorf("save scan: %w", err)
	}
	s.log.Debug("scan saved", "id", id, "devices", len(doc.Devices), "findings", len(doc.Findings))
	return id, nil
}

func (s *DB) saveTx(ctx context.Context, tx pgx.Tx, doc *report.Scan, raw []byte) (store.ScanID, error) {
	var sev [finding.SevCritical + 1]int
	for _, f := range doc.Findings {
		if f.Severity >= 0 && int(f.Severity) < len(sev) {
			sev[f.Severity]++
		}
	}
	var id int64
	err := tx.QueryRow(ctx, s.q(`INSERT INTO cw.scans (started, started_ns, finished, scope, tool_version,
		interrupted, devices, sev_info, sev_low, sev_medium, sev_high, sev_critical, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`),
		formatTime(doc.Started), unixNano(doc.Started), formatTime(doc.Finished), doc.Scope, doc.Tool.Version,
		doc.Interrupted, len(doc.Devices), sev[0], sev[1], sev[2], sev[3], sev[4], raw).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert scan: %w", err)
	}
	findings := map[string][]finding.Finding{}
	for _, f := range doc.Findings {
		findings[f.Address.String()] = append(findings[f.Address.String()], f)
	}
	ins := inserter{db: s, tx: tx, scan: id, checked: store.CheckpointsRun(doc)}
	for _, d := range doc.Devices {
		addr := d.Address.String()
		if err := ins.device(ctx, d, findings[addr]); err != nil {
			return 0, fmt.Errorf("device %s: %w", addr, err)
		}
		delete(findings, addr)
	}
	for _, fs := range findings { // findings about addresses with no device entry
		for _, f := range fs {
			if err := ins.finding(ctx, nil, f); err != nil {
				return 0, err
			}
		}
	}
	return store.ScanID(id), nil
}

// inserter writes one scan's devices (pgx caches the prepared statements
// per connection).
type inserter struct {
	db      *DB
	tx      pgx.Tx
	scan    int64
	checked []finding.Checkpoint
}

func (in *inserter) finding(ctx context.Context, obs *int64, f finding.Finding) error {
	if _, err := in.tx.Exec(ctx, in.db.q(`INSERT INTO cw.findings (scan_id, observation_id, address,
		finding_id, checkpoint, severity, port, protocol) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`),
		in.scan, obs, f.Address.String(), f.ID, int(f.Checkpoint), int(f.Severity), int(f.Port), f.Protocol); err != nil {
		return fmt.Errorf("insert finding: %w", err)
	}
	return nil
}

// device stores one device's observation and findings.
func (in *inserter) device(ctx context.Context, d report.Device, fs []finding.Finding) error {
	devID, err := in.resolve(ctx, store.IdentityOf(d))
	if err != nil {
		return err
	}
	if fs == nil {
		fs = []finding.Finding{}
	}
	obsDoc, err := json.Marshal(observationDoc{Device: d, Findings: fs, Checked: in.checked})
	if err != nil {
		return fmt.Errorf("encode observation: %w", err)
	}
	verdicts := make([]string, len(d.Scorecard))
	for i, c := range d.Scorecard {
		verdicts[i] = string(c.Verdict)
	}
	var obs int64
	if err := in.tx.QueryRow(ctx, in.db.q(`INSERT INTO cw.device_observations (scan_id, device_id, address,
		firmware, verdicts, doc) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`),
		in.scan, devID, d.Address.String(), d.Firmware, strings.Join(verdicts, ","), obsDoc).Scan(&obs); err != nil {
		return fmt.Errorf("insert observation: %w", err)
	}
	for _, f := range fs {
		if err := in.finding(ctx, &obs, f); err != nil {
			return err
		}
	}
	return nil
}

// resolve finds the device row by the identity rule (serial, then MAC,
// then address+vendor+model with no conflicting serial or MAC), updating
// what it knows; or creates the device.
func (in *inserter) resolve(ctx context.Context, id store.Identity) (int64, error) {
	lookups := []struct {
		ok   bool
		sql  string
		args []any
	}{
		{id.Serial != "", `SELECT id FROM cw.devices WHERE serial = $1 ORDER BY last_scan DESC LIMIT 1`, []any{id.Serial}},
		{id.MAC != "", `SELECT id FROM cw.devices WHERE mac = $1 AND (serial = '' OR $2 = '')
			ORDER BY last_scan DESC LIMIT 1`, []any{id.MAC, id.Serial}},
		{true, `SELECT id FROM cw.devices WHERE address = $1 AND vendor = $2 AND model = $3
			AND (serial = '' OR $4 = '') AND (mac = '' OR $5 = '') ORDER BY last_scan DESC LIMIT 1`,
			[]any{id.Address, id.Vendor, id.Model, id.Serial, id.MAC}},
	}
	var devID int64
	for _, l := range lookups {
		if !l.ok {
			continue
		}
		err := in.tx.QueryRow(ctx, in.db.q(l.sql), l.args...).Scan(&devID)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("find device: %w", err)
		}
		return devID, in.update(ctx, devID, id)
	}
	err := in.tx.QueryRow(ctx, in.db.q(`INSERT INTO cw.devices (key, serial, mac, address, vendor, model,
		first_scan, last_scan) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (key) DO UPDATE SET address = excluded.address, vendor = excluded.vendor,
			model = excluded.model, last_scan = excluded.last_scan
		RETURNING id`), id.Key(), id.Serial, id.MAC, id.Address, id.Vendor, id.Model, in.scan, in.scan).Scan(&devID)
	if err != nil {
		return 0, fmt.Errorf("insert device: %w", err)
	}
	return devID, nil
}

// update records the latest place of a device and any identifier learnt
// since; the key becomes the strongest identifier known.
func (in *inserter) update(ctx context.Context, devID int64, id store.Identity) error {
	var serial, mac string
	if err := in.tx.QueryRow(ctx, in.db.q(`SELECT serial, mac FROM cw.devices WHERE id = $1`), devID).Scan(&serial, &mac); err != nil {
		return fmt.Errorf("read device: %w", err)
	}
	known := store.Identity{Serial: cmpOr(id.Serial, serial), MAC: cmpOr(id.MAC, mac),
		Address: id.Address, Vendor: id.Vendor, Model: id.Model}
	if _, err := in.tx.Exec(ctx, in.db.q(`UPDATE cw.devices SET key = $1, serial = $2, mac = $3, address = $4,
		vendor = $5, model = $6, last_scan = $7 WHERE id = $8`), known.Key(), known.Serial, known.MAC, known.Address,
		known.Vendor, known.Model, in.scan, devID); err != nil {
		return fmt.Errorf("update device: %w", err)
	}
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// formatTime writes a time as the scan JSON does.
func formatTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

// unixNano orders scans; the zero time sorts first.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}
