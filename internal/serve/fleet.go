package serve

import (
	"context"
	"time"

	"github.com/camwarden/camwarden/internal/alert"
	"github.com/camwarden/camwarden/internal/store/servedb"
)

// fleetTick dispatches due audits as River jobs and completes the runs
// whose job has stored its scan (PostgreSQL mode). Every step is
// idempotent, so a serve process killed at any point loses nothing.
func (s *Service) fleetTick(ctx context.Context) error {
	db := s.cfg.DB
	queued, err := db.RunsIn(ctx, servedb.RunQueued)
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	for _, run := range queued {
		if run.Due.After(now) {
			continue
		}
		site, err := db.SiteByName(ctx, run.Site)
		if err != nil {
			_ = db.EndRun(ctx, run, servedb.RunFailed, "site removed", now)
			continue
		}
		job, err := s.cfg.Fleet.Enqueue(ctx, site)
		if err != nil {
			return err
		}
		if err := db.Dispatch(ctx, run, job, now); err != nil {
			return err
		}
		s.cfg.Logger.Info("audit dispatched to the fleet", "site", run.Site, "audit", run.ID, "job", job)
	}
	dispatched, err := db.RunsIn(ctx, servedb.RunDispatched)
	if err != nil {
		return err
	}
	for _, run := range dispatched {
		if err := s.collect(ctx, run); err != nil {
			return err
		}
	}
	return nil
}

// collect completes a dispatched run whose job stored a scan, or fails
// it when the job was given up.
func (s *Service) collect(ctx context.Context, run servedb.Run) error {
	db := s.cfg.DB
	id, finished, found, err := db.JobScan(ctx, run.JobID)
	if err != nil {
		return err
	}
	if !found {
		state, err := db.JobState(ctx, run.JobID)
		if err != nil {
			return err
		}
		switch state {
		case "discarded", "cancelled", "":
			return db.EndRun(ctx, run, servedb.RunFailed, "fleet job "+orGone(state), s.cfg.Now())
		}
		return nil
	}
	site, err := db.SiteByName(ctx, run.Site)
	if err != nil {
		site = servedb.Site{ID: run.SiteID, Name: run.Site}
	}
	prev, err := s.previous(ctx, site)
	if err != nil {
		return err
	}
	cur, err := db.Store().Scan(ctx, id)
	if err != nil {
		return err
	}
	now := s.cfg.Now()
	alerts := alert.Build(site.Name, run.ID, prev, cur, s.cfg.Policy, now)
	done, err := db.CompleteDispatched(ctx, run, id, cur.Started, finished.Round(time.Millisecond), s.after(run, site, alerts, now))
	if err != nil {
		return err
	}
	if done {
		s.cfg.Logger.Info("fleet audit stored", "site", run.Site, "audit", run.ID, "scan", id, "alerts", len(alerts))
		s.wakeDeliveries()
	}
	return nil
}

func orGone(state string) string {
	if state == "" {
		return "disappeared"
	}
	return state
}
