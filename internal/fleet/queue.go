package fleet

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/camwarden/camwarden/internal/store/postgres"
)

// Queue is the fleet's PostgreSQL database: River's tables, the store's
// tables and the site_scans table that links each completed job to the
// scan it stored.
type Queue struct {
	pool  *pgxpool.Pool
	store *postgres.DB
	log   *slog.Logger
}

// Open connects to url, migrates River's schema, the store's schema and
// the fleet's table (idempotent; safe when several processes start at
// once), and returns the queue.
func Open(ctx context.Context, url string, log *slog.Logger) (*Queue, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, err := postgres.Open(ctx, url, postgres.Options{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("open fleet queue: %w", err)
	}
	q := &Queue{pool: st.Pool(), store: st, log: log}
	if err := q.migrate(ctx); err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("open fleet queue: %w", err)
	}
	return q, nil
}

// Store returns the postgres store the workers save into.
func (q *Queue) Store() *postgres.DB { return q.store }

// Close closes the connections.
func (q *Queue) Close() error { return q.store.Close() }

func (q *Queue) migrate(ctx context.Context) error {
	// River's migrations add enum values, so they cannot share one
	// transaction; a session advisory lock on a connection of its own
	// keeps workers that start together from racing.
	conn, err := q.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	const key = `hashtext('camwarden.fleet.migrate')`
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(`+key+`)`); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+key+`)`) }()
	m, err := rivermigrate.New(riverpgxv5.New(q.pool), &rivermigrate.Config{Logger: q.log})
	if err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	schema := pgx.Identifier{q.store.Schema()}.Sanitize()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+schema+`.site_scans (
		job_id   BIGINT PRIMARY KEY, -- river_job.id: one stored scan per job, ever
		site     TEXT   NOT NULL,
		scan_id  BIGINT NOT NULL REFERENCES `+schema+`.scans(id),
		worker   TEXT   NOT NULL,
		attempt  INTEGER NOT NULL,
		finished TIMESTAMPTZ NOT NULL DEFAULT now()
	);
	CREATE INDEX IF NOT EXISTS site_scans_site ON `+schema+`.site_scans(site, finished)`); err != nil {
		return fmt.Errorf("migrate site_scans: %w", err)
	}
	return nil
}

// uniqueStates are the job states in which a site cannot be queued again:
// a site waiting or being scanned is not duplicated, a site scanned
// before can be queued again.
var uniqueStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}

// Enqueued reports one site's insertion.
type Enqueued struct {
	Site      string
	JobID     int64
	Duplicate bool // the site already had a job waiting or running
}

// Enqueue inserts one job per site in one transaction.
func (q *Queue) Enqueue(ctx context.Context, sites []Site, opts ScanOptions, maxAttempts int) ([]Enqueued, error) {
	client, err := river.NewClient(riverpgxv5.New(q.pool), &river.Config{Logger: q.log})
	if err != nil {
		return nil, fmt.Errorf("enqueue: %w", err)
	}
	params := make([]river.InsertManyParams, len(sites))
	for i, s := range sites {
		params[i] = river.InsertManyParams{Args: SiteArgs{Site: s, Options: opts}, InsertOpts: &river.InsertOpts{
			MaxAttempts: maxAttempts,
			UniqueOpts:  river.UniqueOpts{ByArgs: true, ByState: uniqueStates},
		}}
	}
	var res []*rivertype.JobInsertResult
	err = pgx.BeginFunc(ctx, q.pool, func(tx pgx.Tx) error {
		var err error
		res, err = client.InsertManyTx(ctx, tx, params)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("enqueue: %w", err)
	}
	out := make([]Enqueued, len(res))
	for i, r := range res {
		out[i] = Enqueued{Site: sites[i].Name, JobID: r.Job.ID, Duplicate: r.UniqueSkippedAsDuplicate}
	}
	return out, nil
}
