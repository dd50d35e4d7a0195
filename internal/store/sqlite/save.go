package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// observationDoc is the per-device JSON kept with each observation, so
// that a device's history reads no whole scan.
type observationDoc struct {
	Device   report.Device        `json:"device"`
	Findings []finding.Finding    `json:"findings"`
	Checked  []finding.Checkpoint `json:"checked"` // the checkpoints the scan ran
}

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

func saveTx(ctx context.Context, tx *sql.Tx, doc *report.Scan, raw []byte) (store.ScanID, error) {
	var sev [finding.SevCritical + 1]int
	for _, f := range doc.Findings {
		if f.Severity >= 0 && int(f.Severity) < len(sev) {
			sev[f.Severity]++
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO scans (started, started_ns, finished, scope, tool_version,
		interrupted, devices, sev_info, sev_low, sev_medium, sev_high, sev_critical, doc)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		formatTime(doc.Started), unixNano(doc.Started), formatTime(doc.Finished), doc.Scope, doc.Tool.Version,
		doc.Interrupted, len(doc.Devices), sev[0], sev[1], sev[2], sev[3], sev[4], raw)
	if err != nil {
		return 0, fmt.Errorf("insert scan: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("insert scan: %w", err)
	}
	findings := map[string][]finding.Finding{}
	for _, f := range doc.Findings {
		findings[f.Address.String()] = append(findings[f.Address.String()], f)
	}
	ins := inserter{tx: tx, scan: id, checked: store.CheckpointsRun(doc)}
	if err := ins.prepare(ctx); err != nil {
		return 0, err
	}
	defer ins.close()
	for _, d := range doc.Devices {
		addr := d.Address.String()
		if err := ins.device(ctx, d, findings[addr]); err != nil {
			return 0, fmt.Errorf("device %s: %w", addr, err)
		}
		delete(findings, addr)
	}
	for _, fs := range findings { // findings about addresses with no device entry
		for _, f := range fs {
			if _, err := ins.finding.ExecContext(ctx, id, nil, f.Address.String(), f.ID,
				int(f.Checkpoint), int(f.Severity), int(f.Port), f.Protocol); err != nil {
				return 0, fmt.Errorf("insert finding: %w", err)
			}
		}
	}
	return store.ScanID(id), nil
}

// inserter holds the prepared statements of one save.
type inserter struct {
	tx                           *sql.Tx
	scan                         int64
	checked                      []finding.Checkpoint
	observation, finding, touch  *sql.Stmt
	bySerial, byMAC, byPlace, up *sql.Stmt
}

func (in *inserter) prepare(ctx context.Context) error {
	stmts := []struct {
		dst **sql.Stmt
		sql string
	}{
		{&in.observation, `INSERT INTO device_observations (scan_id, device_id, address, firmware, verdicts, doc)
			VALUES (?, ?, ?, ?, ?, ?)`},
		{&in.finding, `INSERT INTO findings (scan_id, observation_id, address, finding_id, checkpoint, severity, port, protocol)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`},
		{&in.bySerial, `SELECT id FROM devices WHERE serial = ? ORDER BY last_scan DESC LIMIT 1`},
		{&in.byMAC, `SELECT id FROM devices WHERE mac = ? AND (serial = '' OR ? = '') ORDER BY last_scan DESC LIMIT 1`},
		{&in.byPlace, `SELECT id FROM devices WHERE address = ? AND vendor = ? AND model = ?
			AND (serial = '' OR ? = '') AND (mac = '' OR ? = '') ORDER BY last_scan DESC LIMIT 1`},
		{&in.up, `INSERT INTO devices (key, serial, mac, address, vendor, model, first_scan, last_scan)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(key) DO UPDATE SET address = excluded.address, vendor = excluded.vendor,
				model = excluded.model, last_scan = excluded.last_scan
			RETURNING id`},
		{&in.touch, `UPDATE devices SET key = ?, serial = ?, mac = ?, address = ?, vendor = ?, model = ?, last_scan = ?
			WHERE id = ?`},
	}
	for _, st := range stmts {
		p, err := in.tx.PrepareContext(ctx, st.sql)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		*st.dst = p
	}
	return nil
}

func (in *inserter) close() {
	for _, st := range []*sql.Stmt{in.observation, in.finding, in.touch, in.bySerial, in.byMAC, in.byPlace, in.up} {
		if st != nil {
			_ = st.Close()
		}
	}
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
	res, err := in.observation.ExecContext(ctx, in.scan, devID, d.Address.String(), d.Firmware,
		strings.Join(verdicts, ","), obsDoc)
	if err != nil {
		return fmt.Errorf("insert observation: %w", err)
	}
	obs, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("insert observation: %w", err)
	}
	for _, f := range fs {
		if _, err := in.finding.ExecContext(ctx, in.scan, obs, f.Address.String(), f.ID,
			int(f.Checkpoint), int(f.Severity), int(f.Port), f.Protocol); err != nil {
			return fmt.Errorf("insert finding: %w", err)
		}
	}
	return nil
}

// resolve finds the device row id by the identity rule (serial, then
// MAC, then address+vendor+model with no conflicting serial or MAC),
// updating what it knows; or creates the device.
func (in *inserter) resolve(ctx context.Context, id store.Identity) (int64, error) {
	var devID int64
	lookups := []struct {
		ok   bool
		stmt *sql.Stmt
		args []any
	}{
		{id.Serial != "", in.bySerial, []any{id.Serial}},
		{id.MAC != "", in.byMAC, []any{id.MAC, id.Serial}},
		{true, in.byPlace, []any{id.Address, id.Vendor, id.Model, id.Serial, id.MAC}},
	}
	for _, l := range lookups {
		if !l.ok {
			continue
		}
		err := l.stmt.QueryRowContext(ctx, l.args...).Scan(&devID)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("find device: %w", err)
		}
		return devID, in.update(ctx, devID, id)
	}
	err := in.up.QueryRowContext(ctx, id.Key(), id.Serial, id.MAC, id.Address, id.Vendor, id.Model,
		in.scan, in.scan).Scan(&devID)
	if err != nil {
		return 0, fmt.Errorf("insert device: %w", err)
	}
	return devID, nil
}

// update records the latest place of a device and any identifier learnt
// since; the key becomes the strongest identifier known.
func (in *inserter) update(ctx context.Context, devID int64, id store.Identity) error {
	var serial, mac string
	if err := in.tx.QueryRowContext(ctx, `SELECT serial, mac FROM devices WHERE id = ?`, devID).Scan(&serial, &mac); err != nil {
		return fmt.Errorf("read device: %w", err)
	}
	known := store.Identity{Serial: cmpOr(id.Serial, serial), MAC: cmpOr(id.MAC, mac),
		Address: id.Address, Vendor: id.Vendor, Model: id.Model}
	if _, err := in.touch.ExecContext(ctx, known.Key(), known.Serial, known.MAC, known.Address,
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
