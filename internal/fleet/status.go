package fleet

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/finding"
)

// Status is the fleet at a glance.
type Status struct {
	Jobs  map[string]int // site jobs by River state (available, running, completed, ...)
	Sites []SiteStatus   // sites with a stored scan, by name
}

// SiteStatus is one site's latest stored scan.
type SiteStatus struct {
	Site     string
	Scans    int // stored scans of this site
	LastScan int64
	Finished time.Time
	Worker   string
	Devices  int
	// BySeverity counts the latest scan's findings, indexed by finding.Severity.
	BySeverity [finding.SevCritical + 1]int
}

// Status reads the job states and every site's latest scan.
func (q *Queue) Status(ctx context.Context) (*Status, error) {
	st := &Status{Jobs: map[string]int{}}
	rows, err := q.pool.Query(ctx, `SELECT state::text, COUNT(*) FROM river_job WHERE kind = $1 GROUP BY state`, JobKind)
	if err != nil {
		return nil, fmt.Errorf("fleet status: jobs: %w", err)
	}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("fleet status: jobs: %w", err)
		}
		st.Jobs[state] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fleet status: jobs: %w", err)
	}
	schema := pgx.Identifier{q.store.Schema()}.Sanitize()
	rows, err = q.pool.Query(ctx, `SELECT s.site, c.n, s.scan_id, s.finished, s.worker, sc.devices,
			sc.sev_info, sc.sev_low, sc.sev_medium, sc.sev_high, sc.sev_critical
		FROM (SELECT DISTINCT ON (site) site, scan_id, finished, worker FROM `+schema+`.site_scans
			ORDER BY site, finished DESC, scan_id DESC) s
		JOIN (SELECT site, COUNT(*) AS n FROM `+schema+`.site_scans GROUP BY site) c ON c.site = s.site
		JOIN `+schema+`.scans sc ON sc.id = s.scan_id
		ORDER BY s.site`)
	if err != nil {
		return nil, fmt.Errorf("fleet status: sites: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s SiteStatus
		var devices int32
		var b [5]int32
		if err := rows.Scan(&s.Site, &s.Scans, &s.LastScan, &s.Finished, &s.Worker, &devices,
			&b[0], &b[1], &b[2], &b[3], &b[4]); err != nil {
			return nil, fmt.Errorf("fleet status: sites: %w", err)
		}
		s.Devices = int(devices)
		for i := range b {
			s.BySeverity[i] = int(b[i])
		}
		st.Sites = append(st.Sites, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fleet status: sites: %w", err)
	}
	return st, nil
}
