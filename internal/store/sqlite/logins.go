package sqlite

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
// device key names, oldest first.
func (s *DB) LoginFailures(ctx context.Context, key store.LoginKey, since time.Time) ([]store.LoginFailure, error) {
	q, args := sqlstore.LoginFailuresQuery("login_failures", key, since, func(n int) string { return "?" + strconv.Itoa(n) })
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read login failures of %s: %w", key.Address, err)
	}
	defer rows.Close()
	return sqlstore.LoginFailures(rows)
}

// AddLoginFailure records one failed login (or lockout signal).
func (s *DB) AddLoginFailure(ctx context.Context, f store.LoginFailure) (int64, error) {
	s.write.Lock()
	defer s.write.Unlock()
	res, err := s.db.ExecContext(ctx, `INSERT INTO login_failures (address, serial, mac, account, domain, at_ns, signal)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, sqlstore.LoginFailureArgs(f)...)
	if err != nil {
		return 0, fmt.Errorf("record login failure on %s: %w", f.Device.Address, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("record login failure on %s: %w", f.Device.Address, err)
	}
	return id, nil
}

// RemoveLoginFailure deletes a failure whose attempt did not count.
func (s *DB) RemoveLoginFailure(ctx context.Context, id int64) error {
	s.write.Lock()
	defer s.write.Unlock()
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_failures WHERE id = ?`, id); err != nil {
		return fmt.Errorf("remove login failure %d: %w", id, err)
	}
	return nil
}

// PruneLoginFailures deletes failures made before before.
func (s *DB) PruneLoginFailures(ctx context.Context, before time.Time) error {
	s.write.Lock()
	defer s.write.Unlock()
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_failures WHERE at_ns < ?`, before.UnixNano()); err != nil {
		return fmt.Errorf("prune login failures: %w", err)
	}
	return nil
}
