package servedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// RunState is where an audit run is.
type RunState string

// The states of a run. A site has at most one run queued, running or
// dispatched at a time.
const (
	RunQueued     RunState = "queued"     // waiting for the runner
	RunRunning    RunState = "running"    // claimed by a serve process (SQLite mode)
	RunDispatched RunState = "dispatched" // a River job for fleet workers (PostgreSQL mode)
	RunDone       RunState = "done"       // its scan is stored
	RunFailed     RunState = "failed"     // gave up; Error says why
)

// Run is one audit of a site.
type Run struct {
	ID        int64
	SiteID    int64
	Site      string
	Reason    string // "schedule" or "manual"
	State     RunState
	Due       time.Time
	ClaimedBy string
	Attempts  int
	Started   time.Time
	Finished  time.Time
	ScanID    store.ScanID // set when done
	JobID     int64        // River job (PostgreSQL mode)
	Error     string
}

// Duration is how long a finished run took.
func (r Run) Duration() time.Duration {
	if r.Started.IsZero() || r.Finished.IsZero() {
		return 0
	}
	return r.Finished.Sub(r.Started)
}

const runColumns = `id, site_id, site, reason, state, due_ns, claimed_by, attempts, started_ns, finished_ns,
	COALESCE(scan_id, 0), job_id, error`

func scanRun(r rowScanner) (Run, error) {
	var run Run
	var state string
	var due, started, finished, scan int64
	err := r.Scan(&run.ID, &run.SiteID, &run.Site, &run.Reason, &state, &due, &run.ClaimedBy, &run.Attempts,
		&started, &finished, &scan, &run.JobID, &run.Error)
	run.State, run.Due, run.Started, run.Finished = RunState(state), fromNS(due), fromNS(started), fromNS(finished)
	run.ScanID = store.ScanID(scan)
	return run, err
}

func (d *DB) runs(ctx context.Context, where string, args ...any) ([]Run, error) {
	rows, err := d.query(ctx, `SELECT `+runColumns+` FROM cw.audit_runs `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("list runs: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return out, nil
}

// QueueRun queues an audit of a site due at due. ok is false when the
// site already has a run queued, running or dispatched (nothing added).
func (d *DB) QueueRun(ctx context.Context, s Site, reason string, due time.Time) (id int64, ok bool, err error) {
	err = d.queryRow(ctx, `INSERT INTO cw.audit_runs (site_id, site, reason, state, due_ns) VALUES (?, ?, ?, 'queued', ?)
		ON CONFLICT (site_id) WHERE state IN ('queued', 'running', 'dispatched') DO NOTHING RETURNING id`,
		s.ID, s.Name, reason, ns(due)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("queue audit of %q: %w", s.Name, err)
	}
	return id, true, nil
}

// RecoverRuns puts back in the queue the runs a serve process claimed
// and did not finish (it was killed): they are audited again. Call it
// at start, holding the serve lock, before claiming anything.
func (d *DB) RecoverRuns(ctx context.Context) (int, error) {
	res, err := d.exec(ctx, `UPDATE cw.audit_runs SET state = 'queued', claimed_by = '' WHERE state = 'running'`)
	if err != nil {
		return 0, fmt.Errorf("recover runs: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ClaimRun takes the oldest queued run due by now for owner; nil when
// none is due.
func (d *DB) ClaimRun(ctx context.Context, owner string, now time.Time) (*Run, error) {
	var run *Run
	err := d.tx(ctx, func(tx *sql.Tx) error {
		t := Tx{d, tx}
		r, err := scanRun(t.queryRow(ctx, `SELECT `+runColumns+` FROM cw.audit_runs
			WHERE state = 'queued' AND due_ns <= ? ORDER BY due_ns, id LIMIT 1`, ns(now)))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE cw.audit_runs SET state = 'running', claimed_by = ?, attempts = attempts + 1,
			started_ns = ?, error = '' WHERE id = ? AND state = 'queued'`, owner, ns(now), r.ID); err != nil {
			return err
		}
		r.State, r.ClaimedBy, r.Attempts, r.Started = RunRunning, owner, r.Attempts+1, now
		run = &r
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim run: %w", err)
	}
	return run, nil
}

// ErrLostClaim is returned when a run is no longer held by the caller.
var ErrLostClaim = errors.New("run is no longer claimed by this process")

// FinishRun stores scan and marks run done in one transaction, so that
// a killed process leaves either both or neither; then (same
// transaction) after adds what derives from the scan (alerts, index).
// SQLite only.
func (d *DB) FinishRun(ctx context.Context, run Run, scan *report.Scan, now time.Time,
	after func(ctx context.Context, tx Tx, id store.ScanID) error) (store.ScanID, error) {
	if d.saveTx == nil {
		return 0, errors.New("finish run: this store does not save scans itself")
	}
	var id store.ScanID
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = d.saveTx(ctx, tx, scan); err != nil {
			return err
		}
		t := Tx{d, tx}
		res, err := t.exec(ctx, `UPDATE cw.audit_runs SET state = 'done', scan_id = ?, finished_ns = ?
			WHERE id = ? AND state = 'running' AND claimed_by = ?`, int64(id), ns(now), run.ID, run.ClaimedBy)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrLostClaim
		}
		if after != nil {
			return after(ctx, t, id)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("finish audit %d of %q: %w", run.ID, run.Site, err)
	}
	return id, nil
}

// CompleteDispatched marks a dispatched run done with the scan its
// fleet job stored, and runs after in the same transaction. done is
// false when the run was not dispatched any more (another serve process
// completed it).
func (d *DB) CompleteDispatched(ctx context.Context, run Run, id store.ScanID, started, finished time.Time,
	after func(ctx context.Context, tx Tx, id store.ScanID) error) (done bool, err error) {
	err = d.tx(ctx, func(tx *sql.Tx) error {
		t := Tx{d, tx}
		res, err := t.exec(ctx, `UPDATE cw.audit_runs SET state = 'done', scan_id = ?, started_ns = ?, finished_ns = ?
			WHERE id = ? AND state = 'dispatched'`, int64(id), ns(started), ns(finished), run.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		done = true
		if after != nil {
			return after(ctx, t, id)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("complete audit %d of %q: %w", run.ID, run.Site, err)
	}
	return done, nil
}

// EndRun sets a claimed or dispatched run to queued again (shutdown
// before it finished) or failed (with the reason).
func (d *DB) EndRun(ctx context.Context, run Run, state RunState, reason string, now time.Time) error {
	var err error
	switch state {
	case RunQueued:
		_, err = d.exec(ctx, `UPDATE cw.audit_runs SET state = 'queued', claimed_by = '' WHERE id = ? AND state = 'running'`, run.ID)
	case RunFailed:
		_, err = d.exec(ctx, `UPDATE cw.audit_runs SET state = 'failed', error = ?, finished_ns = ?
			WHERE id = ? AND state IN ('running', 'dispatched', 'queued')`, reason, ns(now), run.ID)
	default:
		err = fmt.Errorf("cannot end a run as %s", state)
	}
	if err != nil {
		return fmt.Errorf("end audit %d of %q: %w", run.ID, run.Site, err)
	}
	return nil
}

// Dispatch records the River job that runs a queued run.
func (d *DB) Dispatch(ctx context.Context, run Run, jobID int64, now time.Time) error {
	if _, err := d.exec(ctx, `UPDATE cw.audit_runs SET state = 'dispatched', job_id = ?, started_ns = ?,
		attempts = attempts + 1 WHERE id = ? AND state = 'queued'`, jobID, ns(now), run.ID); err != nil {
		return fmt.Errorf("dispatch audit %d of %q: %w", run.ID, run.Site, err)
	}
	return nil
}

// RunsIn lists runs in a state, oldest first.
func (d *DB) RunsIn(ctx context.Context, state RunState) ([]Run, error) {
	return d.runs(ctx, `WHERE state = ? ORDER BY id`, string(state))
}

// SiteRuns lists a site's latest runs, newest first.
func (d *DB) SiteRuns(ctx context.Context, siteID int64, limit int) ([]Run, error) {
	return d.runs(ctx, `WHERE site_id = ? ORDER BY id DESC LIMIT ?`, siteID, limit)
}

// LastDone returns a site's latest finished audit; ok is false when none.
func (d *DB) LastDone(ctx context.Context, siteID int64) (Run, bool, error) {
	rs, err := d.runs(ctx, `WHERE site_id = ? AND state = 'done' ORDER BY finished_ns DESC, id DESC LIMIT 1`, siteID)
	if err != nil || len(rs) == 0 {
		return Run{}, false, err
	}
	return rs[0], true, nil
}

// LastRun returns a site's latest run of any state; ok is false when none.
func (d *DB) LastRun(ctx context.Context, siteID int64) (Run, bool, error) {
	rs, err := d.runs(ctx, `WHERE site_id = ? ORDER BY id DESC LIMIT 1`, siteID)
	if err != nil || len(rs) == 0 {
		return Run{}, false, err
	}
	return rs[0], true, nil
}

// Run returns one run.
func (d *DB) Run(ctx context.Context, id int64) (Run, error) {
	rs, err := d.runs(ctx, `WHERE id = ?`, id)
	if err != nil {
		return Run{}, err
	}
	if len(rs) == 0 {
		return Run{}, fmt.Errorf("audit %d: %w", id, ErrNotFound)
	}
	return rs[0], nil
}

// CountStoredRuns counts the runs whose scan is stored, and the scans
// stored for runs (for the crash test: equal means none twice).
func (d *DB) CountStoredRuns(ctx context.Context) (runs, distinctScans int, err error) {
	err = d.queryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT scan_id) FROM cw.audit_runs WHERE scan_id IS NOT NULL`).
		Scan(&runs, &distinctScans)
	return runs, distinctScans, err
}

// JobScan returns the scan a fleet job stored, from the fleet's
// site_scans table (PostgreSQL only); found is false while the job has
// stored nothing.
func (d *DB) JobScan(ctx context.Context, jobID int64) (id store.ScanID, finished time.Time, found bool, err error) {
	if !d.pg {
		return 0, time.Time{}, false, errors.New("job scan: not a fleet database")
	}
	var scan int64
	err = d.queryRow(ctx, `SELECT scan_id, finished FROM cw.site_scans WHERE job_id = ?`, jobID).Scan(&scan, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, false, nil
	}
	if err != nil {
		return 0, time.Time{}, false, fmt.Errorf("job %d scan: %w", jobID, err)
	}
	return store.ScanID(scan), finished, true, nil
}

// JobState returns a River job's state ("" when the job is gone).
func (d *DB) JobState(ctx context.Context, jobID int64) (string, error) {
	var state string
	err := d.db.QueryRowContext(ctx, `SELECT state::text FROM river_job WHERE id = $1`, jobID).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("job %d state: %w", jobID, err)
	}
	return state, nil
}

// RunNow makes a site's queued audit due now, or queues one due now;
// nothing happens while an audit of the site is running or dispatched.
func (d *DB) RunNow(ctx context.Context, s Site, now time.Time) error {
	res, err := d.exec(ctx, `UPDATE cw.audit_runs SET due_ns = ?, reason = 'manual' WHERE site_id = ? AND state = 'queued'`,
		ns(now), s.ID)
	if err != nil {
		return fmt.Errorf("audit %q now: %w", s.Name, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	if _, _, err := d.QueueRun(ctx, s, "manual", now); err != nil {
		return err
	}
	return nil
}

// DropQueued removes a site's queued audit (its schedule changed: the
// next one is planned again).
func (d *DB) DropQueued(ctx context.Context, siteID int64) error {
	if _, err := d.exec(ctx, `DELETE FROM cw.audit_runs WHERE site_id = ? AND state = 'queued'`, siteID); err != nil {
		return fmt.Errorf("drop queued audit: %w", err)
	}
	return nil
}
