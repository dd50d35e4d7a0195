package serve

import (
	"context"
	"fmt"
	"time"

	"github.com/camwarden/camwarden/internal/store"
)

// DefaultPruneEvery is how often a running service applies the
// retention policy (also once when it starts).
const DefaultPruneEvery = 24 * time.Hour

// Prune applies the retention policy once: the documents of audits
// started more than Keep ago are removed, except what the store keeps
// whole (each site's latest audit, each device's latest observation;
// see store.Store's Prune). It does nothing when Keep is 0 (keep
// everything).
func (s *Service) Prune(ctx context.Context) (store.PruneResult, error) {
	if s.cfg.Keep <= 0 {
		return store.PruneResult{}, nil
	}
	before := s.cfg.Now().Add(-s.cfg.Keep)
	res, err := s.cfg.DB.Store().Prune(ctx, before)
	if err != nil {
		return res, fmt.Errorf("retention (keep %s): %w", s.cfg.Keep, err)
	}
	if res != (store.PruneResult{}) {
		s.cfg.Logger.Info("retention: old audits pruned", "before", before.Format(time.DateOnly),
			"scans", res.Scans, "observations", res.Observations)
	}
	return res, nil
}

// pruneLoop applies the retention policy at start and every PruneEvery
// until ctx is done.
func (s *Service) pruneLoop(ctx context.Context) {
	if s.cfg.Keep <= 0 {
		return
	}
	t := time.NewTicker(s.cfg.PruneEvery)
	defer t.Stop()
	for {
		if _, err := s.Prune(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("retention", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
