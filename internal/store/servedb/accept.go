package servedb

import (
	"context"
	"fmt"
	"time"
)

// Acceptance is a risk an admin accepted for a while: the finding stays
// listed, marked accepted with the reason, until it expires and counts
// as open again.
type Acceptance struct {
	ID        int64
	DeviceKey string
	FindingID string
	Port      int
	Protocol  string
	Reason    string
	Expires   time.Time
	Created   time.Time
	CreatedBy string
}

// Key matches a finding on a device: ID, port and protocol (the Diff's
// finding identity).
func (a Acceptance) Key() string { return fmt.Sprintf("%s|%d|%s", a.FindingID, a.Port, a.Protocol) }

// AcceptRisk records an acceptance.
func (d *DB) AcceptRisk(ctx context.Context, a Acceptance) error {
	if _, err := d.exec(ctx, `INSERT INTO cw.acceptances (device_key, finding_id, port, protocol, reason, expires_ns,
		created_ns, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.DeviceKey, a.FindingID, a.Port, a.Protocol, a.Reason,
		ns(a.Expires), ns(a.Created), a.CreatedBy); err != nil {
		return fmt.Errorf("accept risk: %w", err)
	}
	return nil
}

// Acceptances lists a device's acceptances in force at now, by finding
// key (the latest one when several).
func (d *DB) Acceptances(ctx context.Context, deviceKey string, now time.Time) (map[string]Acceptance, error) {
	list, err := d.acceptances(ctx, `WHERE device_key = ? AND expires_ns > ? ORDER BY id`, deviceKey, ns(now))
	if err != nil {
		return nil, err
	}
	out := map[string]Acceptance{}
	for _, a := range list {
		out[a.Key()] = a
	}
	return out, nil
}

// AllAcceptances lists every acceptance, newest first (expired too).
func (d *DB) AllAcceptances(ctx context.Context, limit int) ([]Acceptance, error) {
	return d.acceptances(ctx, `ORDER BY id DESC LIMIT ?`, limit)
}

// ActiveAcceptances lists acceptances in force at now, keyed by device
// key and finding key.
func (d *DB) ActiveAcceptances(ctx context.Context, now time.Time) (map[[2]string]Acceptance, error) {
	list, err := d.acceptances(ctx, `WHERE expires_ns > ? ORDER BY id`, ns(now))
	if err != nil {
		return nil, err
	}
	out := map[[2]string]Acceptance{}
	for _, a := range list {
		out[[2]string{a.DeviceKey, a.Key()}] = a
	}
	return out, nil
}

func (d *DB) acceptances(ctx context.Context, where string, args ...any) ([]Acceptance, error) {
	rows, err := d.query(ctx, `SELECT id, device_key, finding_id, port, protocol, reason, expires_ns, created_ns, created_by
		FROM cw.acceptances `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list acceptances: %w", err)
	}
	defer rows.Close()
	var out []Acceptance
	for rows.Next() {
		var a Acceptance
		var exp, created int64
		if err := rows.Scan(&a.ID, &a.DeviceKey, &a.FindingID, &a.Port, &a.Protocol, &a.Reason, &exp, &created, &a.CreatedBy); err != nil {
			return nil, fmt.Errorf("list acceptances: %w", err)
		}
		a.Expires, a.Created = fromNS(exp), fromNS(created)
		out = append(out, a)
	}
	return out, rows.Err()
}
