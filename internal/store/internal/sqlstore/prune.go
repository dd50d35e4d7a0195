package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// PruneTx runs the retention policy's statements in one transaction of
// a driver. Statements are written with "cw." table prefixes and "?"
// placeholders; the driver rewrites them for its engine (see Rebind).
type PruneTx interface {
	// IDs runs a query whose rows are one int64 each.
	IDs(ctx context.Context, query string, args ...any) ([]int64, error)
	// Docs runs a query whose rows are (id int64, doc []byte, kept bool).
	Docs(ctx context.Context, query string, args ...any) ([]Doc, error)
	// Exec runs a statement.
	Exec(ctx context.Context, query string, args ...any) error
	// SetObservationDoc replaces an observation's document, keeping its
	// id and other columns, in the way that frees the most space in that
	// engine.
	SetObservationDoc(ctx context.Context, id int64, doc []byte) error
}

// Doc is a stored document with its row's id; Kept is true when the
// row must stay whole (an observation that is its device's latest).
type Doc struct {
	ID   int64
	Doc  []byte
	Kept bool
}

// Rebind rewrites a statement written with "cw." prefixes and "?"
// placeholders: the prefix becomes prefix ("" for SQLite), and with
// dollar the placeholders become $1, $2... (PostgreSQL). The statements
// here hold no literal "?".
func Rebind(query, prefix string, dollar bool) string {
	query = strings.ReplaceAll(query, "cw.", prefix)
	if !dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// candidateScan finds the oldest scan started before the cutoff whose
// document is still there and that is neither the latest scan of its
// scope nor the scan of its site's latest finished audit. A stored
// document is never empty, so an empty one marks a pruned scan (its
// length is read without loading it, in both engines).
const candidateScan = `SELECT s.id FROM cw.scans s
	WHERE s.started_ns < ? AND octet_length(s.doc) > 0
	AND s.started_ns < (SELECT MAX(s2.started_ns) FROM cw.scans s2 WHERE s2.scope = s.scope)
	AND NOT EXISTS (SELECT 1 FROM cw.audit_runs r WHERE r.scan_id = s.id AND r.state = 'done'
		AND r.finished_ns = (SELECT MAX(r2.finished_ns) FROM cw.audit_runs r2
			WHERE r2.site_id = r.site_id AND r2.state = 'done'))
	ORDER BY s.started_ns, s.id LIMIT 1`

// latestObservation is true for an observation o that is its device's
// latest: the one the dashboard's device index points at, or one of the
// scan the device was last seen in.
const latestObservation = `(EXISTS (SELECT 1 FROM cw.device_index i WHERE i.obs_id = o.id)
	OR EXISTS (SELECT 1 FROM cw.devices d WHERE d.id = o.device_id AND d.last_scan = o.scan_id))`

// Prune applies the retention policy (see store.Store's Prune) through
// begin, which runs f in a transaction of its own each time: one per
// scan, so that audits saving meanwhile wait for one scan at most.
func Prune(ctx context.Context, begin func(ctx context.Context, f func(PruneTx) error) error,
	before time.Time) (store.PruneResult, error) {
	var res store.PruneResult
	for {
		done := false
		err := begin(ctx, func(tx PruneTx) error {
			ids, err := tx.IDs(ctx, candidateScan, before.UnixNano())
			if err != nil || len(ids) == 0 {
				done = true
				return err
			}
			n, err := pruneScan(ctx, tx, ids[0])
			res.Scans++
			res.Observations += n
			return err
		})
		if err != nil {
			return res, fmt.Errorf("prune: %w", err)
		}
		if done {
			break
		}
	}
	// Observations kept whole because they were their device's latest,
	// in scans pruned earlier: reduced once the device was seen again.
	for {
		n := 0
		err := begin(ctx, func(tx PruneTx) error {
			docs, err := tx.Docs(ctx, `SELECT o.id, o.doc, false FROM cw.pruned_kept k
				JOIN cw.device_observations o ON o.id = k.obs_id WHERE NOT `+latestObservation+` ORDER BY o.id LIMIT 500`)
			if err != nil {
				return err
			}
			for _, d := range docs {
				if err := slimObservation(ctx, tx, d); err != nil {
					return err
				}
				if err := tx.Exec(ctx, `DELETE FROM cw.pruned_kept WHERE obs_id = ?`, d.ID); err != nil {
					return err
				}
			}
			n = len(docs)
			return nil
		})
		if err != nil {
			return res, fmt.Errorf("prune: %w", err)
		}
		res.Observations += n
		if n == 0 {
			return res, nil
		}
	}
}

// pruneScan clears one scan's document and reduces its observations,
// recording in pruned_kept those kept whole for now.
func pruneScan(ctx context.Context, tx PruneTx, id int64) (int, error) {
	docs, err := tx.Docs(ctx, `SELECT o.id, o.doc, `+latestObservation+` FROM cw.device_observations o
		WHERE o.scan_id = ? ORDER BY o.id`, id)
	if err != nil {
		return 0, fmt.Errorf("scan %d: %w", id, err)
	}
	n := 0
	for _, d := range docs {
		if d.Kept {
			if err := tx.Exec(ctx, `INSERT INTO cw.pruned_kept (obs_id) VALUES (?) ON CONFLICT (obs_id) DO NOTHING`, d.ID); err != nil {
				return n, fmt.Errorf("scan %d: %w", id, err)
			}
			continue
		}
		if err := slimObservation(ctx, tx, d); err != nil {
			return n, fmt.Errorf("scan %d: %w", id, err)
		}
		n++
	}
	if err := tx.Exec(ctx, `UPDATE cw.scans SET doc = ? WHERE id = ?`, []byte{}, id); err != nil {
		return n, fmt.Errorf("scan %d: %w", id, err)
	}
	return n, nil
}

func slimObservation(ctx context.Context, tx PruneTx, d Doc) error {
	slim, err := Slim(d.Doc)
	if err != nil {
		return fmt.Errorf("observation %d: %w", d.ID, err)
	}
	if err := tx.SetObservationDoc(ctx, d.ID, slim); err != nil {
		return fmt.Errorf("observation %d: %w", d.ID, err)
	}
	return nil
}

// Slim reduces an observation document to the summary the history
// needs: the device's identity, firmware and scorecard verdicts, and
// each finding's ID, checkpoint, severity, address, port and protocol.
// Services, identity sources, reasons, titles, remediation and evidence
// go. The result is marked pruned; slimming it again changes nothing.
func Slim(doc []byte) ([]byte, error) {
	var od observationDoc
	if err := json.Unmarshal(doc, &od); err != nil {
		return nil, fmt.Errorf("slim observation: %w", err)
	}
	d := od.Device
	d.Identity, d.Services = nil, []probe.Service{}
	d.Scorecard = make([]report.CheckResult, len(od.Device.Scorecard))
	for i, c := range od.Device.Scorecard {
		d.Scorecard[i] = report.CheckResult{Checkpoint: c.Checkpoint, Verdict: c.Verdict, Finding: c.Finding,
			Severity: c.Severity, Findings: c.Findings, Interrupted: c.Interrupted}
	}
	fs := make([]finding.Finding, len(od.Findings))
	for i, f := range od.Findings {
		fs[i] = finding.Finding{ID: f.ID, Checkpoint: f.Checkpoint, Severity: f.Severity, Address: f.Address,
			Port: f.Port, Protocol: f.Protocol}
	}
	out, err := json.Marshal(observationDoc{Device: d, Findings: fs, Checked: od.Checked, Pruned: true})
	if err != nil {
		return nil, fmt.Errorf("slim observation: %w", err)
	}
	return out, nil
}
