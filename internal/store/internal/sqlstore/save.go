// Package sqlstore is what the SQL stores (sqlite, postgres) share apart
// from their SQL: the rows a scan is saved as, the identity rule's search
// for a stored device, and reading rows back into scan listings and
// device states. Each driver supplies only its statements (a Writer, a
// Rows, its WHERE clauses); the column orders are documented here.
package sqlstore

import (
	"cmp"
	"context"
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
	// Pruned marks the summary the retention policy left (see Slim).
	Pruned bool `json:"pruned,omitempty"`
}

// Lookup is one step of the identity rule's search for a stored device.
type Lookup int

// The steps, strongest evidence first, with their arguments in order.
const (
	BySerial Lookup = iota // serial
	ByMAC                  // mac, serial (no conflicting serial)
	ByPlace                // address, vendor, model, serial, mac (no conflicting serial or MAC)
)

// Writer runs one driver's statements inside its save transaction. Each
// method gets its arguments in the column order given.
type Writer interface {
	// InsertScan inserts into scans (started, started_ns, finished, scope,
	// tool_version, interrupted, devices, sev_info, sev_low, sev_medium,
	// sev_high, sev_critical, doc) and returns the new id.
	InsertScan(ctx context.Context, args []any) (int64, error)
	// FindDevice returns the id of the device, most recently seen first,
	// that the lookup finds; found is false when there is none.
	FindDevice(ctx context.Context, by Lookup, args []any) (id int64, found bool, err error)
	// DeviceIdentifiers reads the serial and MAC stored for a device.
	DeviceIdentifiers(ctx context.Context, id int64) (serial, mac string, err error)
	// InsertDevice inserts into devices (key, serial, mac, address, vendor,
	// model, first_scan, last_scan), updating address, vendor, model and
	// last_scan when the key exists, and returns the row's id.
	InsertDevice(ctx context.Context, args []any) (int64, error)
	// UpdateDevice sets key, serial, mac, address, vendor, model and
	// last_scan of the device whose id is the last argument.
	UpdateDevice(ctx context.Context, args []any) error
	// InsertObservation inserts into device_observations (scan_id,
	// device_id, address, firmware, verdicts, doc) and returns the new id.
	InsertObservation(ctx context.Context, args []any) (int64, error)
	// InsertFinding inserts into findings (scan_id, observation_id,
	// address, finding_id, checkpoint, severity, port, protocol); the
	// observation is nil for a finding about an address with no device.
	InsertFinding(ctx context.Context, args []any) error
}

// Save writes doc, the prepared (redacted, normalised) scan, and raw, its
// JSON document, through w, linking each device to the device it is by
// the identity rule (store.Identity). The caller owns the transaction.
func Save(ctx context.Context, w Writer, doc *report.Scan, raw []byte) (store.ScanID, error) {
	var sev [finding.SevCritical + 1]int
	for _, f := range doc.Problems() { // coverage records are not findings to count
		if f.Severity >= 0 && int(f.Severity) < len(sev) {
			sev[f.Severity]++
		}
	}
	scan, err := w.InsertScan(ctx, []any{formatTime(doc.Started), unixNano(doc.Started), formatTime(doc.Finished),
		doc.Scope, doc.Tool.Version, doc.Interrupted, len(doc.Devices), sev[0], sev[1], sev[2], sev[3], sev[4], raw})
	if err != nil {
		return 0, fmt.Errorf("insert scan: %w", err)
	}
	findings := map[string][]finding.Finding{}
	for _, f := range doc.Findings {
		findings[f.Address.String()] = append(findings[f.Address.String()], f)
	}
	s := saver{w: w, scan: scan, checked: store.CheckpointsRun(doc)}
	for _, d := range doc.Devices {
		addr := d.Address.String()
		if err := s.device(ctx, d, findings[addr]); err != nil {
			return 0, fmt.Errorf("device %s: %w", addr, err)
		}
		delete(findings, addr)
	}
	for _, f := range doc.Findings { // findings about addresses with no device entry
		if _, ok := findings[f.Address.String()]; ok {
			if err := s.finding(ctx, nil, f); err != nil {
				return 0, err
			}
		}
	}
	return store.ScanID(scan), nil
}

// saver writes one scan's devices.
type saver struct {
	w       Writer
	scan    int64
	checked []finding.Checkpoint
}

// device stores one device's observation and findings.
func (s *saver) device(ctx context.Context, d report.Device, fs []finding.Finding) error {
	devID, err := s.resolve(ctx, store.IdentityOf(d))
	if err != nil {
		return err
	}
	if fs == nil {
		fs = []finding.Finding{}
	}
	obsDoc, err := json.Marshal(observationDoc{Device: d, Findings: fs, Checked: s.checked})
	if err != nil {
		return fmt.Errorf("encode observation: %w", err)
	}
	verdicts := make([]string, len(d.Scorecard))
	for i, c := range d.Scorecard {
		verdicts[i] = string(c.Verdict)
	}
	obs, err := s.w.InsertObservation(ctx, []any{s.scan, devID, d.Address.String(), d.Firmware,
		strings.Join(verdicts, ","), obsDoc})
	if err != nil {
		return fmt.Errorf("insert observation: %w", err)
	}
	for _, f := range fs {
		if err := s.finding(ctx, obs, f); err != nil {
			return err
		}
	}
	return nil
}

// finding stores one finding; obs is the observation's id, or nil.
func (s *saver) finding(ctx context.Context, obs any, f finding.Finding) error {
	if err := s.w.InsertFinding(ctx, []any{s.scan, obs, f.Address.String(), f.ID,
		int(f.Checkpoint), int(f.Severity), int(f.Port), f.Protocol}); err != nil {
		return fmt.Errorf("insert finding: %w", err)
	}
	return nil
}

// resolve finds the device row id by the identity rule (serial, then
// MAC, then address+vendor+model with no conflicting serial or MAC),
// updating what it knows; or creates the device.
func (s *saver) resolve(ctx context.Context, id store.Identity) (int64, error) {
	lookups := []struct {
		ok   bool
		by   Lookup
		args []any
	}{
		{id.Serial != "", BySerial, []any{id.Serial}},
		{id.MAC != "", ByMAC, []any{id.MAC, id.Serial}},
		{true, ByPlace, []any{id.Address, id.Vendor, id.Model, id.Serial, id.MAC}},
	}
	for _, l := range lookups {
		if !l.ok {
			continue
		}
		devID, found, err := s.w.FindDevice(ctx, l.by, l.args)
		if err != nil {
			return 0, fmt.Errorf("find device: %w", err)
		}
		if found {
			return devID, s.update(ctx, devID, id)
		}
	}
	devID, err := s.w.InsertDevice(ctx, []any{id.Key(), id.Serial, id.MAC, id.Address, id.Vendor, id.Model,
		s.scan, s.scan})
	if err != nil {
		return 0, fmt.Errorf("insert device: %w", err)
	}
	return devID, nil
}

// update records the latest place of a device and any identifier learnt
// since; the key becomes the strongest identifier known.
func (s *saver) update(ctx context.Context, devID int64, id store.Identity) error {
	serial, mac, err := s.w.DeviceIdentifiers(ctx, devID)
	if err != nil {
		return fmt.Errorf("read device: %w", err)
	}
	known := store.Identity{Serial: cmp.Or(id.Serial, serial), MAC: cmp.Or(id.MAC, mac),
		Address: id.Address, Vendor: id.Vendor, Model: id.Model}
	if err := s.w.UpdateDevice(ctx, []any{known.Key(), known.Serial, known.MAC, known.Address,
		known.Vendor, known.Model, s.scan, devID}); err != nil {
		return fmt.Errorf("update device: %w", err)
	}
	return nil
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
