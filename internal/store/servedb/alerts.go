package servedb

import (
	"context"
	"fmt"
	"time"
)

// NewAlert is an alert to record with a run's completion.
type NewAlert struct {
	Dedup     string // the same dedup key is recorded (and delivered) once, ever
	Kind      string
	Severity  int
	DeviceKey string
	Doc       []byte // the alert as JSON (alert.Alert)
}

// AlertRow is a recorded alert.
type AlertRow struct {
	ID        int64
	RunID     int64
	Site      string
	Kind      string
	Severity  int
	DeviceKey string
	Doc       []byte
	Created   time.Time
}

// Delivery states.
const (
	DeliveryPending = "pending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed" // retries exhausted
)

// Delivery is one message (the alerts of one run) to one channel.
type Delivery struct {
	ID        int64
	RunID     int64
	Site      string
	Channel   string
	State     string
	Attempts  int
	Next      time.Time
	Sent      time.Time
	LastError string
}

// AddAlerts records alerts of a run (those whose dedup key is new) and,
// when any was new, a pending delivery per channel. It returns how many
// alerts were new.
func (t Tx) AddAlerts(ctx context.Context, runID int64, site string, alerts []NewAlert, channels []string, now time.Time) (int, error) {
	n := 0
	for _, a := range alerts {
		res, err := t.exec(ctx, `INSERT INTO cw.alerts (run_id, site, dedup, kind, severity, device_key, doc, created_ns)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup) DO NOTHING`,
			runID, site, a.Dedup, a.Kind, a.Severity, a.DeviceKey, string(a.Doc), ns(now))
		if err != nil {
			return n, fmt.Errorf("add alert: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 1 {
			n++
		}
	}
	if n == 0 {
		return 0, nil
	}
	for _, ch := range channels {
		if _, err := t.exec(ctx, `INSERT INTO cw.alert_deliveries (run_id, channel, state, next_ns) VALUES (?, ?, 'pending', ?)
			ON CONFLICT (run_id, channel) DO NOTHING`, runID, ch, ns(now)); err != nil {
			return n, fmt.Errorf("add delivery: %w", err)
		}
	}
	return n, nil
}

const deliveryColumns = `d.id, d.run_id, COALESCE(r.site, ''), d.channel, d.state, d.attempts, d.next_ns, d.sent_ns, d.last_error`

func (d *DB) deliveries(ctx context.Context, where string, args ...any) ([]Delivery, error) {
	rows, err := d.query(ctx, `SELECT `+deliveryColumns+` FROM cw.alert_deliveries d
		LEFT JOIN cw.audit_runs r ON r.id = d.run_id `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var x Delivery
		var next, sent int64
		if err := rows.Scan(&x.ID, &x.RunID, &x.Site, &x.Channel, &x.State, &x.Attempts, &next, &sent, &x.LastError); err != nil {
			return nil, fmt.Errorf("list deliveries: %w", err)
		}
		x.Next, x.Sent = fromNS(next), fromNS(sent)
		out = append(out, x)
	}
	return out, rows.Err()
}

// DueDeliveries lists pending deliveries due by now, oldest first.
func (d *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error) {
	return d.deliveries(ctx, `WHERE d.state = 'pending' AND d.next_ns <= ? ORDER BY d.next_ns, d.id LIMIT ?`, ns(now), limit)
}

// NextDelivery returns when the next pending delivery is due; ok is
// false when none is pending.
func (d *DB) NextDelivery(ctx context.Context) (time.Time, bool, error) {
	var n int64
	var c int
	if err := d.queryRow(ctx, `SELECT COUNT(*), COALESCE(MIN(next_ns), 0) FROM cw.alert_deliveries WHERE state = 'pending'`).
		Scan(&c, &n); err != nil {
		return time.Time{}, false, fmt.Errorf("next delivery: %w", err)
	}
	return fromNS(n), c > 0, nil
}

// RecentDeliveries lists the latest deliveries, newest first.
func (d *DB) RecentDeliveries(ctx context.Context, limit int) ([]Delivery, error) {
	return d.deliveries(ctx, `ORDER BY d.id DESC LIMIT ?`, limit)
}

// MarkDelivery records an attempt: sent, failed for good, or pending
// again at next with the error.
func (d *DB) MarkDelivery(ctx context.Context, id int64, state string, attempts int, next, sent time.Time, lastErr string) error {
	if _, err := d.exec(ctx, `UPDATE cw.alert_deliveries SET state = ?, attempts = ?, next_ns = ?, sent_ns = ?, last_error = ?
		WHERE id = ?`, state, attempts, ns(next), ns(sent), lastErr, id); err != nil {
		return fmt.Errorf("mark delivery %d: %w", id, err)
	}
	return nil
}

// DeliveryCounts counts deliveries by channel and state.
func (d *DB) DeliveryCounts(ctx context.Context) (map[[2]string]int, error) {
	rows, err := d.query(ctx, `SELECT channel, state, COUNT(*) FROM cw.alert_deliveries GROUP BY channel, state`)
	if err != nil {
		return nil, fmt.Errorf("count deliveries: %w", err)
	}
	defer rows.Close()
	out := map[[2]string]int{}
	for rows.Next() {
		var ch, st string
		var n int
		if err := rows.Scan(&ch, &st, &n); err != nil {
			return nil, fmt.Errorf("count deliveries: %w", err)
		}
		out[[2]string{ch, st}] = n
	}
	return out, rows.Err()
}

func (d *DB) alerts(ctx context.Context, where string, args ...any) ([]AlertRow, error) {
	rows, err := d.query(ctx, `SELECT id, run_id, site, kind, severity, device_key, doc, created_ns FROM cw.alerts `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list alerts: %w", err)
	}
	defer rows.Close()
	var out []AlertRow
	for rows.Next() {
		var a AlertRow
		var doc string
		var created int64
		if err := rows.Scan(&a.ID, &a.RunID, &a.Site, &a.Kind, &a.Severity, &a.DeviceKey, &doc, &created); err != nil {
			return nil, fmt.Errorf("list alerts: %w", err)
		}
		a.Doc, a.Created = []byte(doc), fromNS(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// RunAlerts lists the alerts recorded with a run.
func (d *DB) RunAlerts(ctx context.Context, runID int64) ([]AlertRow, error) {
	return d.alerts(ctx, `WHERE run_id = ? ORDER BY severity DESC, id`, runID)
}

// RecentAlerts lists the latest alerts, newest first.
func (d *DB) RecentAlerts(ctx context.Context, limit int) ([]AlertRow, error) {
	return d.alerts(ctx, `ORDER BY id DESC LIMIT ?`, limit)
}

// DeviceAlerts lists a device's alerts, newest first.
func (d *DB) DeviceAlerts(ctx context.Context, key string, limit int) ([]AlertRow, error) {
	return d.alerts(ctx, `WHERE device_key = ? ORDER BY id DESC LIMIT ?`, key, limit)
}
