package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/internal/sqlstore"
)

var _ store.LoginLog = (*DB)(nil)

// LoginFailures returns the failed logins recorded after since on the
// device key names, oldest first. Every worker of a fleet sees the
// failures of the others.
func (s *DB) LoginFailures(ctx context.Context, key store.LoginKey, since time.Time) ([]store.LoginFailure, error) {
	q, args := sqlstore.LoginFailuresQuery("cw.login_failures", key, since, func(n int) string { return "$" + strconv.Itoa(n) })
	rows, err := s.pool.Query(ctx, s.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("read login failures of %s: %w", key.Address, err)
	}
	defer rows.Close()
	return sqlstore.LoginFailures(rows)
}

// AddLoginFailure records one failed login (or lockout signal).
func (s *DB) AddLoginFailure(ctx context.Context, f store.LoginFailure) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, s.q(`INSERT INTO cw.login_failures (address, serial, mac, account, domain, at_ns, signal)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`), sqlstore.LoginFailureArgs(f)...).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record login failure on %s: %w", f.Device.Address, err)
	}
	return id, nil
}

// RemoveLoginFailure deletes a failure whose attempt did not count.
func (s *DB) RemoveLoginFailure(ctx context.Context, id int64) error {
	if _, err := s.pool.Exec(ctx, s.q(`DELETE FROM cw.login_failures WHERE id = $1`), id); err != nil {
		return fmt.Errorf("remove login failure %d: %w", id, err)
	}
	return nil
}

// PruneLoginFailures deletes failures made before before.
func (s *DB) PruneLoginFailures(ctx context.Context, before time.Time) error {
	if _, err := s.pool.Exec(ctx, s.q(`DELETE FROM cw.login_failures WHERE at_ns < $1`), before.UnixNano()); err != nil {
		return fmt.Errorf("prune login failures: %w", err)
	}
	return nil
}
