// Package store keeps scans over time so that camwarden can answer "what
// changed since last time?": the Store interface, the rule that says two
// observations are the same device, the Diff between two scans and the
// redaction applied before anything is written. Implementations live in
// sub-packages (sqlite is the embedded default).
package store

import (
	"context"
	"errors"
	"net/netip"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
)

// ScanID identifies a stored scan; IDs grow with every save.
type ScanID int64

// ErrNotFound is returned when a scan or device is not in the store.
var ErrNotFound = errors.New("not found in the store")

// Store keeps scans. Implementations are safe for concurrent use and
// redact secrets (see Redact) before writing.
type Store interface {
	// SaveScan stores a scan and returns its ID. The stored document is
	// the normalised, redacted scan; the caller's value is not changed.
	SaveScan(ctx context.Context, s *report.Scan) (ScanID, error)
	// Scans lists stored scans, newest first.
	Scans(ctx context.Context, f ScanFilter) ([]ScanMeta, error)
	// Scan loads one stored scan; it renders byte-identically to the
	// document that was saved.
	Scan(ctx context.Context, id ScanID) (*report.Scan, error)
	// DeviceHistory returns every observation of the devices ref names,
	// oldest first. ref is an IP address (the devices ever seen there), a
	// serial number, a MAC address or a device key (see Identity.Key).
	DeviceHistory(ctx context.Context, ref string) ([]DeviceState, error)
	// Prune applies the retention policy: it removes the documents of
	// scans started before before and reduces their device observations
	// to a summary (identity, verdicts, finding IDs), except what must
	// stay whole:
	//
	//   - the latest scan of each scope, and the scan of each site's
	//     latest finished audit (the next audit's diff and alerts load it);
	//   - each device's latest observation, even when older than before
	//     (the dashboard, scorecards and downloads read it).
	//
	// Rows are never deleted: scans stay listed with their counts,
	// devices, observations (address, firmware, verdicts) and findings
	// rows stay for the history, and so do audit runs, alerts,
	// acceptances, the audit log and login failures. No foreign key is
	// left dangling. The documents are the bulk of the store (every scan
	// is held twice: the scan document and one document per device); the
	// rows are what history, trends and the findings table count.
	// Deleting rows would break devices.first_scan, audit_runs.scan_id
	// and the trend of old audits for a small saving. An observation kept
	// whole because it was its device's latest is reduced by a later
	// Prune once the device has been seen again. Scan returns ErrPruned
	// for a pruned scan.
	Prune(ctx context.Context, before time.Time) (PruneResult, error)
	// Close releases the store.
	Close() error
}

// ScanFilter narrows Scans. The zero value lists every scan.
type ScanFilter struct {
	Scope string    // only scans of exactly this scope, when set
	Since time.Time // only scans started at or after Since, when set
	Limit int       // at most Limit scans (newest first), when > 0
}

// ScanMeta summarises a stored scan for listings.
type ScanMeta struct {
	ID          ScanID
	Started     time.Time
	Finished    time.Time
	Scope       string
	ToolVersion string
	Interrupted bool
	// Pruned is true when the retention policy removed the scan's
	// document (Scan returns ErrPruned); the counts remain.
	Pruned  bool
	Devices int
	// BySeverity counts findings, indexed by finding.Severity.
	BySeverity [finding.SevCritical + 1]int
}

// Findings returns the total number of findings.
func (m ScanMeta) Findings() int {
	n := 0
	for _, c := range m.BySeverity {
		n += c
	}
	return n
}

// DeviceState is one device as one scan saw it.
type DeviceState struct {
	Scan     ScanID
	Started  time.Time  // when that scan started
	Scope    string     // that scan's scope
	Key      string     // the device's key in the store (stable across scans)
	Address  netip.Addr // where the device was seen in that scan
	Device   report.Device
	Findings []finding.Finding
	// Checked lists the checkpoints that scan ran (its Checked, plus any
	// checkpoint a finding of that scan belongs to).
	Checked []finding.Checkpoint
	// Pruned is true when the retention policy reduced this observation
	// to its summary: Device keeps its identity, firmware and scorecard
	// verdicts (no services, identity sources or reasons); Findings keep
	// ID, checkpoint, severity, port and protocol (no title, remediation
	// or evidence).
	Pruned bool
}
