package fleet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// WorkerConfig configures RunWorker.
type WorkerConfig struct {
	ID          string   // this worker's name in River (attempted_by) and site_scans; "" lets River choose
	Scan        ScanFunc // the scan pipeline
	Guard       Guard    // which sites this worker accepts (Guard.Allow is required)
	Limits      Limits   // bounds on the options a job may ask for
	Concurrency int      // sites scanned at once; 0: 1
	// JobTimeout cancels a site scan that runs longer; 0: 30 minutes.
	JobTimeout time.Duration
	// RescueAfter is when a running job whose worker vanished is retried
	// by another worker; 0: JobTimeout + 5 minutes. River's rescuer
	// looks every 30 s, so a dead worker's site restarts within
	// RescueAfter + 30 s (+ leader hand-over when the dead worker led).
	RescueAfter time.Duration
	Logger      *slog.Logger
}

// siteWorker is the River worker of site jobs.
type siteWorker struct {
	river.WorkerDefaults[SiteArgs]
	q   *Queue
	cfg WorkerConfig
}

// Work validates the site against the guard, scans it, and stores the
// scan and completes the job in one transaction.
func (w *siteWorker) Work(ctx context.Context, job *river.Job[SiteArgs]) error {
	site := job.Args.Site
	log := w.cfg.Logger.With("site", site.Name, "job", job.ID, "attempt", job.Attempt)
	sc, err := w.cfg.Guard.SiteScope(ctx, site)
	if err != nil {
		log.Warn("site refused", "err", err)
		if errors.Is(err, ErrRefused) {
			return river.JobCancel(err)
		}
		return err
	}
	opts, notes, err := w.cfg.Limits.Apply(job.Args.Options)
	if err != nil {
		log.Warn("site refused", "err", err)
		return river.JobCancel(err)
	}
	for _, n := range notes {
		log.Warn("job option clamped", "note", n)
	}
	log.Info("site scan started", "scope", sc.String(), "addresses", sc.Size(),
		"rate", opts.Rate, "per_host", opts.PerHost, "ports", len(opts.Ports)+len(opts.UDPPorts))
	start := time.Now()
	rep, err := w.cfg.Scan(ctx, sc, opts)
	if err != nil {
		return fmt.Errorf("scan site %q: %w", site.Name, err)
	}
	if rep.Interrupted {
		return fmt.Errorf("scan site %q: interrupted: %w", site.Name, context.Cause(ctx))
	}
	tx, err := w.q.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store site %q: %w", site.Name, err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	id, err := w.q.store.SaveScanTx(ctx, tx, rep)
	if err != nil {
		return fmt.Errorf("store site %q: %w", site.Name, err)
	}
	schema := pgx.Identifier{w.q.store.Schema()}.Sanitize()
	if _, err := tx.Exec(ctx, `INSERT INTO `+schema+`.site_scans (job_id, site, scan_id, worker, attempt)
		VALUES ($1, $2, $3, $4, $5)`, job.ID, site.Name, int64(id), w.cfg.ID, job.Attempt); err != nil {
		return fmt.Errorf("store site %q: %w", site.Name, err)
	}
	if _, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job); err != nil {
		return fmt.Errorf("complete site %q: %w", site.Name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store site %q: commit: %w", site.Name, err)
	}
	log.Info("site scan stored", "scan", id, "devices", len(rep.Devices), "findings", len(rep.Findings),
		"seconds", time.Since(start).Seconds())
	return nil
}

// Timeout gives River this worker's job timeout.
func (w *siteWorker) Timeout(*river.Job[SiteArgs]) time.Duration { return w.cfg.JobTimeout }

// RunWorker works site jobs until ctx is done, then stops: it waits up
// to stopGrace for the running scans, then cancels them (their jobs go
// back to the queue as retries).
func (q *Queue) RunWorker(ctx context.Context, cfg WorkerConfig) error {
	if cfg.Scan == nil {
		return errors.New("run worker: no scan function")
	}
	if cfg.Guard.Allow == nil {
		return ErrNoAllowScope
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.Concurrency = max(cfg.Concurrency, 1)
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = 30 * time.Minute
	}
	if cfg.RescueAfter <= 0 {
		cfg.RescueAfter = cfg.JobTimeout + 5*time.Minute
	}
	if cfg.RescueAfter <= cfg.JobTimeout {
		return fmt.Errorf("run worker: rescue-after %v must exceed the job timeout %v", cfg.RescueAfter, cfg.JobTimeout)
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &siteWorker{q: q, cfg: cfg}); err != nil {
		return fmt.Errorf("run worker: %w", err)
	}
	client, err := river.NewClient(riverpgxv5.New(q.pool), &river.Config{
		ID:                   cfg.ID,
		Logger:               cfg.Logger,
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Concurrency}},
		Workers:              workers,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchPollInterval:    500 * time.Millisecond,
	})
	if err != nil {
		return fmt.Errorf("run worker: %w", err)
	}
	if err := client.Start(ctx); err != nil {
		return fmt.Errorf("run worker: %w", err)
	}
	cfg.Logger.Info("fleet worker started", "id", cfg.ID, "concurrency", cfg.Concurrency, "allow", cfg.Guard.Allow)
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopGrace)
	defer cancel()
	if err := client.Stop(stopCtx); err != nil {
		if err := client.StopAndCancel(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("stop worker: %w", err)
		}
	}
	return nil
}

// stopGrace is how long a stopping worker lets running scans finish.
const stopGrace = 10 * time.Second
