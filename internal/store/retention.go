package store

import (
	"errors"
	"time"
)

// ErrPruned is returned by Scan for a scan whose document the retention
// policy removed (see Store.Prune): the scan is still listed by Scans
// with its counts, and its devices' history still holds their identity,
// verdicts and finding IDs, but the full document is gone.
var ErrPruned = errors.New("its document was removed by the retention policy")

// DefaultKeep is how long camwarden serve keeps old audits' documents
// unless told otherwise: a little more than a year, so that a yearly
// review can still compare with last year's audit.
const DefaultKeep = 400 * 24 * time.Hour

// PruneResult says what one Prune removed.
type PruneResult struct {
	// Scans is the number of scans whose document was removed.
	Scans int
	// Observations is the number of device observations reduced to their
	// summary (identity, verdicts, finding IDs).
	Observations int
}

// KeepAll is the keep duration that disables the retention policy.
const KeepAll time.Duration = 0
