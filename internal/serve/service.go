// Package serve is the engine of "camwarden serve": it queues each site's
// audits on its schedule, runs them (in this process with SQLite, or as
// River jobs for fleet workers with PostgreSQL), stores each audit's scan
// and the alerts of its Diff exactly once, and delivers the alerts with
// retries. The dashboard (internal/web) reads what it stores.
package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/camwarden/camwarden/internal/alert"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store/servedb"
)

// ScanFunc audits a site: the scan pipeline of "camwarden scan" on the
// site's targets, validated as scan validates them.
type ScanFunc func(ctx context.Context, site servedb.Site) (*report.Scan, error)

// Dispatcher queues a site's audit for fleet workers and returns the job.
type Dispatcher interface {
	Enqueue(ctx context.Context, site servedb.Site) (jobID int64, err error)
}

// Config configures New.
type Config struct {
	DB       *servedb.DB
	Scan     ScanFunc   // audits in this process (SQLite)
	Fleet    Dispatcher // audits by fleet workers (PostgreSQL); Scan is then unused
	Channels []alert.Channel
	Policy   alert.Policy
	// Dashboard is the dashboard's URL, put in alert messages.
	Dashboard string
	// Owner names this process in the runs it claims.
	Owner string
	Now   func() time.Time // nil: time.Now
	// Poll is how often the queue is looked at without a Wake; 0: 2 s.
	Poll time.Duration
	// Grace is how long a stopping service lets running audits finish
	// before cancelling them (they are then queued again); 0: 10 s.
	Grace time.Duration
	// Backoff is the first retry delay of a failed delivery (doubling
	// up to 6 h); 0: 30 s. MaxAttempts then gives up; 0: 8.
	Backoff     time.Duration
	MaxAttempts int
	Concurrency int // audits at once in this process; 0: 1
	// Keep is how long audits' documents are kept (see Prune); 0 keeps
	// everything. PruneEvery is how often it is applied; 0: once a day.
	Keep       time.Duration
	PruneEvery time.Duration
	Logger     *slog.Logger
}

// Service runs the schedules, the audits and the deliveries.
type Service struct {
	cfg        Config
	wake       chan struct{}
	deliveries chan struct{}
	mu         sync.Mutex
	running    map[int64]context.CancelFunc
	wg         sync.WaitGroup
}

// New checks cfg and returns a service; Run starts it.
func New(cfg Config) (*Service, error) {
	if cfg.DB == nil {
		return nil, errors.New("serve: no database")
	}
	if cfg.Scan == nil && cfg.Fleet == nil {
		return nil, errors.New("serve: neither a scan function nor a fleet")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.Grace <= 0 {
		cfg.Grace = 10 * time.Second
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 30 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 8
	}
	cfg.Concurrency = max(cfg.Concurrency, 1)
	if cfg.PruneEvery <= 0 {
		cfg.PruneEvery = DefaultPruneEvery
	}
	if cfg.Owner == "" {
		cfg.Owner = "serve"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg, wake: make(chan struct{}, 1), deliveries: make(chan struct{}, 1),
		running: map[int64]context.CancelFunc{}}, nil
}

// Wake makes the service look at the schedules and the queue now.
func (s *Service) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Service) wakeDeliveries() {
	select {
	case s.deliveries <- struct{}{}:
	default:
	}
}

// Run works until ctx is done. In SQLite mode it first queues again the
// audits a killed process left running (the caller holds the serve lock,
// see Lock). On return every audit it ran is finished or queued again.
func (s *Service) Run(ctx context.Context) error {
	if s.cfg.Fleet == nil {
		n, err := s.cfg.DB.RecoverRuns(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			s.cfg.Logger.Warn("audits interrupted by a previous stop are queued again", "audits", n)
		}
	}
	auditCtx, cancelAudits := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelAudits()
	var loops sync.WaitGroup
	loops.Add(2)
	go func() { defer loops.Done(); s.deliverLoop(ctx) }()
	go func() { defer loops.Done(); s.pruneLoop(ctx) }()
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	for {
		if err := s.Tick(ctx, auditCtx); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("serve tick", "err", err)
		}
		select {
		case <-ctx.Done():
			s.stop(cancelAudits)
			loops.Wait()
			return nil
		case <-t.C:
		case <-s.wake:
		}
	}
}

// stop waits up to Grace for running audits, then cancels them.
func (s *Service) stop(cancel context.CancelFunc) {
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(s.cfg.Grace):
		s.cfg.Logger.Warn("stopping: cancelling running audits (they will run again at the next start)")
		cancel()
		<-done
	}
}

// Tick does one pass: index new scans, plan the next audits, start due
// ones (or dispatch them to the fleet and collect finished jobs).
// Audits started run under auditCtx.
func (s *Service) Tick(ctx, auditCtx context.Context) error {
	db := s.cfg.DB
	if _, err := db.IndexPending(ctx); err != nil {
		return err
	}
	if err := s.plan(ctx); err != nil {
		return err
	}
	if s.cfg.Fleet != nil {
		return s.fleetTick(ctx)
	}
	for s.busy() < s.cfg.Concurrency && ctx.Err() == nil {
		run, err := db.ClaimRun(ctx, s.cfg.Owner, s.cfg.Now())
		if err != nil || run == nil {
			return err
		}
		actx, cancel := context.WithCancel(auditCtx)
		s.mu.Lock()
		s.running[run.ID] = cancel
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				cancel()
				s.mu.Lock()
				delete(s.running, run.ID)
				s.mu.Unlock()
				s.Wake()
			}()
			s.audit(actx, *run)
		}()
	}
	return nil
}

func (s *Service) busy() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.running)
}

// Running lists the IDs of the audits this process is running.
func (s *Service) Running() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int64
	for id := range s.running {
		out = append(out, id)
	}
	return out
}

// plan queues the next audit of every site that has none open.
func (s *Service) plan(ctx context.Context) error {
	db := s.cfg.DB
	sites, err := db.Sites(ctx)
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	for _, site := range sites {
		sched, err := ParseSchedule(site.Schedule)
		if err != nil {
			s.cfg.Logger.Warn("site schedule", "site", site.Name, "err", err)
			continue
		}
		last, ok, err := db.LastRun(ctx, site.ID)
		if err != nil {
			return err
		}
		var lastDue time.Time
		if ok {
			switch last.State {
			case servedb.RunQueued, servedb.RunRunning, servedb.RunDispatched:
				continue
			}
			lastDue = last.Due
		}
		if _, _, err := db.QueueRun(ctx, site, "schedule", sched.Next(lastDue, now, site.Name)); err != nil {
			return err
		}
	}
	return nil
}

// AuditNow makes a site's next audit due now (unless one is running).
func (s *Service) AuditNow(ctx context.Context, site servedb.Site) error {
	if err := s.cfg.DB.RunNow(ctx, site, s.cfg.Now()); err != nil {
		return err
	}
	s.Wake()
	return nil
}

// audit runs one claimed audit and records its outcome.
func (s *Service) audit(ctx context.Context, run servedb.Run) {
	db, log := s.cfg.DB, s.cfg.Logger.With("site", run.Site, "audit", run.ID, "attempt", run.Attempts)
	done := context.WithoutCancel(ctx)
	site, err := db.SiteByName(ctx, run.Site)
	if err != nil {
		_ = db.EndRun(done, run, servedb.RunFailed, "site removed", s.cfg.Now())
		return
	}
	log.Info("audit started")
	rep, err := s.cfg.Scan(ctx, site)
	if ctx.Err() != nil {
		log.Warn("audit stopped; it will run again", "err", context.Cause(ctx))
		if err := db.EndRun(done, run, servedb.RunQueued, "", s.cfg.Now()); err != nil {
			log.Error("requeue audit", "err", err)
		}
		return
	}
	if err == nil && rep.Interrupted {
		err = errors.New("the scan was interrupted")
	}
	if err != nil {
		log.Error("audit failed", "err", err)
		if err := db.EndRun(done, run, servedb.RunFailed, err.Error(), s.cfg.Now()); err != nil {
			log.Error("record failed audit", "err", err)
		}
		return
	}
	prev, err := s.previous(done, site)
	if err != nil {
		log.Error("previous audit", "err", err)
		_ = db.EndRun(done, run, servedb.RunQueued, "", s.cfg.Now())
		return
	}
	now := s.cfg.Now()
	alerts := alert.Build(site.Name, run.ID, prev, rep, s.cfg.Policy, now)
	id, err := db.FinishRun(done, run, rep, now, s.after(run, site, alerts, now))
	if err != nil {
		log.Error("store audit", "err", err)
		if !errors.Is(err, servedb.ErrLostClaim) {
			_ = db.EndRun(done, run, servedb.RunQueued, "", now)
		}
		return
	}
	log.Info("audit stored", "scan", id, "devices", len(rep.Devices), "findings", len(rep.Findings), "alerts", len(alerts))
	s.wakeDeliveries()
}

// previous loads the scan of a site's last finished audit (nil if none).
func (s *Service) previous(ctx context.Context, site servedb.Site) (*report.Scan, error) {
	last, ok, err := s.cfg.DB.LastDone(ctx, site.ID)
	if err != nil || !ok {
		return nil, err
	}
	prev, err := s.cfg.DB.Store().Scan(ctx, last.ScanID)
	if err != nil {
		return nil, fmt.Errorf("load scan %d: %w", last.ScanID, err)
	}
	return prev, nil
}

// after records, in the transaction that completes a run, its alerts
// (and one pending delivery per channel) and its devices in the index.
func (s *Service) after(run servedb.Run, site servedb.Site, alerts []alert.Alert, now time.Time) func(context.Context, servedb.Tx, storeScanID) error {
	return func(ctx context.Context, tx servedb.Tx, id storeScanID) error {
		rows, err := alertRows(alerts)
		if err != nil {
			return err
		}
		names := make([]string, len(s.cfg.Channels))
		for i, c := range s.cfg.Channels {
			names[i] = c.Name()
		}
		if _, err := tx.AddAlerts(ctx, run.ID, site.Name, rows, names, now); err != nil {
			return err
		}
		return tx.IndexScan(ctx, id, site.Name)
	}
}
