package servedb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// DeviceRow is a device as the dashboard lists it: its most recent
// observation.
type DeviceRow struct {
	DeviceID int64
	Key      string
	ScanID   int64
	ObsID    int64
	Site     string
	Address  string
	Vendor   string
	Model    string
	Type     string
	Firmware string
	Name     string    // hostname or page title: device-controlled text
	Verdicts [3]string // report.Verdict of checkpoints 1, 2, 3
	Fails    int
	Worst    int // worst finding severity, -1 none
	Findings int
	Seen     time.Time
}

// DeviceFilter selects and orders a page of devices. Zero values select
// everything, riskiest first.
type DeviceFilter struct {
	Site, Vendor, Type string
	Failing            int    // 1..3: only devices failing that checkpoint
	Sort               string // "risk" (default), "address", "vendor", "seen"
	Offset, Limit      int    // Limit 0: 50
}

var deviceSorts = map[string]string{
	"risk":    `worst DESC, fails DESC, addr_sort`,
	"address": `addr_sort`,
	"vendor":  `vendor, model, addr_sort`,
	"seen":    `seen_ns DESC, addr_sort`,
}

const deviceColumns = `device_id, device_key, scan_id, obs_id, site, address, vendor, model, type, firmware, name,
	v1, v2, v3, fails, worst, findings, seen_ns`

func scanDevice(r rowScanner) (DeviceRow, error) {
	var x DeviceRow
	var seen int64
	err := r.Scan(&x.DeviceID, &x.Key, &x.ScanID, &x.ObsID, &x.Site, &x.Address, &x.Vendor, &x.Model, &x.Type,
		&x.Firmware, &x.Name, &x.Verdicts[0], &x.Verdicts[1], &x.Verdicts[2], &x.Fails, &x.Worst, &x.Findings, &seen)
	x.Seen = fromNS(seen)
	return x, err
}

func (f DeviceFilter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(c string, a any) { conds = append(conds, c); args = append(args, a) }
	if f.Site != "" {
		add(`site = ?`, f.Site)
	}
	if f.Vendor != "" {
		add(`vendor = ?`, f.Vendor)
	}
	if f.Type != "" {
		add(`type = ?`, f.Type)
	}
	if f.Failing >= 1 && f.Failing <= 3 {
		add(fmt.Sprintf(`v%d = ?`, f.Failing), string(report.VerdictFail))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// Devices returns one page of devices and how many match in all.
func (d *DB) Devices(ctx context.Context, f DeviceFilter) ([]DeviceRow, int, error) {
	where, args := f.where()
	var total int
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM cw.device_index`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count devices: %w", err)
	}
	order, ok := deviceSorts[f.Sort]
	if !ok {
		order = deviceSorts["risk"]
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := d.query(ctx, `SELECT `+deviceColumns+` FROM cw.device_index`+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list devices: %w", err)
	}
	defer rows.Close()
	var out []DeviceRow
	for rows.Next() {
		x, err := scanDevice(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list devices: %w", err)
		}
		out = append(out, x)
	}
	return out, total, rows.Err()
}

// Device returns one indexed device by its key.
func (d *DB) Device(ctx context.Context, key string) (DeviceRow, error) {
	x, err := scanDevice(d.queryRow(ctx, `SELECT `+deviceColumns+` FROM cw.device_index WHERE device_key = ?`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return x, fmt.Errorf("device %q: %w", key, ErrNotFound)
	}
	if err != nil {
		return x, fmt.Errorf("device %q: %w", key, err)
	}
	return x, nil
}

// Observation reads one stored observation: the device as that scan
// reported it and its findings.
func (d *DB) Observation(ctx context.Context, obsID int64) (report.Device, []finding.Finding, error) {
	var doc []byte
	err := d.queryRow(ctx, `SELECT doc FROM cw.device_observations WHERE id = ?`, obsID).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return report.Device{}, nil, fmt.Errorf("observation %d: %w", obsID, err)
	}
	var od obsDoc
	if err := json.Unmarshal(doc, &od); err != nil {
		return report.Device{}, nil, fmt.Errorf("observation %d: %w", obsID, err)
	}
	return od.Device, od.Findings, nil
}

// VerdictCount is how many devices have a verdict on a checkpoint.
type VerdictCount struct {
	Checkpoint int
	Verdict    string
	N          int
}

// VerdictCounts counts indexed devices by checkpoint and verdict (of one
// site when site is set).
func (d *DB) VerdictCounts(ctx context.Context, site string) ([]VerdictCount, error) {
	where, args := DeviceFilter{Site: site}.where()
	var out []VerdictCount
	for cp := 1; cp <= 3; cp++ {
		rows, err := d.query(ctx, fmt.Sprintf(`SELECT v%d, COUNT(*) FROM cw.device_index%s GROUP BY v%d`, cp, where, cp), args...)
		if err != nil {
			return nil, fmt.Errorf("count verdicts: %w", err)
		}
		for rows.Next() {
			c := VerdictCount{Checkpoint: cp}
			if err := rows.Scan(&c.Verdict, &c.N); err != nil {
				rows.Close()
				return nil, fmt.Errorf("count verdicts: %w", err)
			}
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("count verdicts: %w", err)
		}
	}
	return out, nil
}

// Facets lists the distinct sites, vendors and types of indexed devices
// (for the list's filters).
func (d *DB) Facets(ctx context.Context) (sites, vendors, types []string, err error) {
	for _, c := range []struct {
		col string
		dst *[]string
	}{{"site", &sites}, {"vendor", &vendors}, {"type", &types}} {
		rows, err := d.query(ctx, `SELECT DISTINCT `+c.col+` FROM cw.device_index WHERE `+c.col+` <> '' ORDER BY 1 LIMIT 500`)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("facets: %w", err)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, nil, nil, fmt.Errorf("facets: %w", err)
			}
			*c.dst = append(*c.dst, v)
		}
		rows.Close()
	}
	return sites, vendors, types, nil
}

// FindingRow is one open finding of a device's latest observation.
type FindingRow struct {
	Device     DeviceRow
	FindingID  string
	Checkpoint int
	Severity   int
	Port       int
	Protocol   string
}

// FindingFilter selects a page of findings, worst first.
type FindingFilter struct {
	Site          string
	MinSeverity   int
	Offset, Limit int // Limit 0: 50
}

// Findings returns a page of the findings of every device's latest
// observation and how many match in all.
func (d *DB) Findings(ctx context.Context, f FindingFilter) ([]FindingRow, int, error) {
	// The unary "+" (a no-op in both engines) keeps SQLite from walking
	// the whole findings history (50 scans of every device) by severity or
	// into the index by observation: the plan starts from the device
	// index (one row per device) and looks up each one's findings.
	where := ` WHERE +f.severity >= ? AND f.finding_id <> ?`
	args := []any{f.MinSeverity, finding.IDAuthCoverage}
	if f.Site != "" {
		where += ` AND di.site = ?`
		args = append(args, f.Site)
	}
	from := ` FROM cw.device_index di JOIN cw.findings f ON f.observation_id = +di.obs_id`
	var total int
	if err := d.queryRow(ctx, `SELECT COUNT(*)`+from+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count findings: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	cols := strings.ReplaceAll(deviceColumns, "\n\t", " ")
	var qualified []string
	for _, c := range strings.Split(cols, ",") {
		qualified = append(qualified, "di."+strings.TrimSpace(c))
	}
	rows, err := d.query(ctx, `SELECT `+strings.Join(qualified, ", ")+`, f.finding_id, f.checkpoint, f.severity, f.port, f.protocol`+
		from+where+` ORDER BY f.severity DESC, di.addr_sort, f.finding_id LIMIT ? OFFSET ?`, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list findings: %w", err)
	}
	defer rows.Close()
	var out []FindingRow
	for rows.Next() {
		var x FindingRow
		var seen int64
		dv := &x.Device
		if err := rows.Scan(&dv.DeviceID, &dv.Key, &dv.ScanID, &dv.ObsID, &dv.Site, &dv.Address, &dv.Vendor, &dv.Model,
			&dv.Type, &dv.Firmware, &dv.Name, &dv.Verdicts[0], &dv.Verdicts[1], &dv.Verdicts[2], &dv.Fails, &dv.Worst,
			&dv.Findings, &seen, &x.FindingID, &x.Checkpoint, &x.Severity, &x.Port, &x.Protocol); err != nil {
			return nil, 0, fmt.Errorf("list findings: %w", err)
		}
		dv.Seen = fromNS(seen)
		out = append(out, x)
	}
	return out, total, rows.Err()
}

// SeverityCounts counts the open findings of every device's latest
// observation by severity.
func (d *DB) SeverityCounts(ctx context.Context) (map[int]int, error) {
	rows, err := d.query(ctx, `SELECT f.severity, COUNT(*) FROM cw.device_index di
		JOIN cw.findings f ON f.observation_id = +di.obs_id WHERE f.finding_id <> ? GROUP BY f.severity`, finding.IDAuthCoverage)
	if err != nil {
		return nil, fmt.Errorf("count findings: %w", err)
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var sev, n int
		if err := rows.Scan(&sev, &n); err != nil {
			return nil, fmt.Errorf("count findings: %w", err)
		}
		out[sev] = n
	}
	return out, rows.Err()
}

// TrendPoint is the number of findings (low and above) an audit of a
// site found when it finished.
type TrendPoint struct {
	Site     string
	At       time.Time
	Findings int
}

// Trend lists the finished audits since a time with their findings,
// oldest first (at most 2000).
func (d *DB) Trend(ctx context.Context, since time.Time) ([]TrendPoint, error) {
	rows, err := d.query(ctx, `SELECT r.site, r.finished_ns, s.sev_low + s.sev_medium + s.sev_high + s.sev_critical
		FROM cw.audit_runs r JOIN cw.scans s ON s.id = r.scan_id WHERE r.state = 'done' AND r.finished_ns >= ?
		ORDER BY r.finished_ns LIMIT 2000`, ns(since))
	if err != nil {
		return nil, fmt.Errorf("trend: %w", err)
	}
	defer rows.Close()
	var out []TrendPoint
	for rows.Next() {
		var p TrendPoint
		var at int64
		if err := rows.Scan(&p.Site, &at, &p.Findings); err != nil {
			return nil, fmt.Errorf("trend: %w", err)
		}
		p.At = fromNS(at)
		out = append(out, p)
	}
	return out, rows.Err()
}

// ScanHeader reads what a device's report needs of a scan whose
// document the retention policy removed (store.ErrPruned): when and by
// which version it ran, its scope, and the checkpoints it ran (from the
// observation obsID, which keeps them).
func (d *DB) ScanHeader(ctx context.Context, id store.ScanID, obsID int64) (report.Scan, error) {
	var started, finished, scope, version string
	var interrupted bool
	var doc []byte
	err := d.queryRow(ctx, `SELECT s.started, s.finished, s.scope, s.tool_version, s.interrupted, o.doc
		FROM cw.scans s JOIN cw.device_observations o ON o.scan_id = s.id WHERE s.id = ? AND o.id = ?`,
		int64(id), obsID).Scan(&started, &finished, &scope, &version, &interrupted, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if err != nil {
		return report.Scan{}, fmt.Errorf("scan %d header: %w", id, err)
	}
	var od struct {
		Checked []finding.Checkpoint `json:"checked"`
	}
	if err := json.Unmarshal(doc, &od); err != nil {
		return report.Scan{}, fmt.Errorf("scan %d header: %w", id, err)
	}
	h := report.Scan{Schema: report.SchemaV1, Tool: report.Tool{Name: "camwarden", Version: version}, Scope: scope,
		Interrupted: interrupted, Checked: od.Checked}
	h.Started, _ = time.Parse(time.RFC3339Nano, started)
	h.Finished, _ = time.Parse(time.RFC3339Nano, finished)
	return h, nil
}
