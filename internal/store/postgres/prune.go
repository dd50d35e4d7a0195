package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/internal/sqlstore"
)

// Prune applies the retention policy (see store.Store), one scan per
// transaction, each holding the store's advisory lock so that it sees
// every save before it. PostgreSQL's autovacuum makes the space of the
// cleared documents reusable; VACUUM FULL gives it back to the file
// system (an administrator's choice: it locks the tables).
func (s *DB) Prune(ctx context.Context, before time.Time) (store.PruneResult, error) {
	res, err := sqlstore.Prune(ctx, s.pruneTx, before)
	if err != nil {
		return res, err
	}
	s.log.Debug("store pruned", "before", before, "scans", res.Scans, "observations", res.Observations)
	return res, nil
}

func (s *DB) pruneTx(ctx context.Context, f func(sqlstore.PruneTx) error) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockSQL, s.schema); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		return f(pruneTx{s: s, tx: tx})
	})
}

// pruneTx is sqlstore.PruneTx on a pgx transaction.
type pruneTx struct {
	s  *DB
	tx pgx.Tx
}

func (t pruneTx) rebind(query string) string {
	return sqlstore.Rebind(query, pgx.Identifier{t.s.schema}.Sanitize()+".", true)
}

func (t pruneTx) IDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := t.tx.Query(ctx, t.rebind(query), args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

func (t pruneTx) Docs(ctx context.Context, query string, args ...any) ([]sqlstore.Doc, error) {
	rows, err := t.tx.Query(ctx, t.rebind(query), args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (sqlstore.Doc, error) {
		var d sqlstore.Doc
		err := r.Scan(&d.ID, &d.Doc, &d.Kept)
		return d, err
	})
}

func (t pruneTx) Exec(ctx context.Context, query string, args ...any) error {
	_, err := t.tx.Exec(ctx, t.rebind(query), args...)
	return err
}

// SetObservationDoc updates the document in place: PostgreSQL writes a
// new row version and (auto)vacuum reuses the old one's space.
func (t pruneTx) SetObservationDoc(ctx context.Context, id int64, doc []byte) error {
	return t.Exec(ctx, `UPDATE cw.device_observations SET doc = ? WHERE id = ?`, doc, id)
}
