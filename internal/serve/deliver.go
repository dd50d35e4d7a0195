package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/camwarden/camwarden/internal/alert"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/servedb"
)

// storeScanID shortens the callback signatures.
type storeScanID = store.ScanID

// alertRows encodes alerts for the store.
func alertRows(alerts []alert.Alert) ([]servedb.NewAlert, error) {
	out := make([]servedb.NewAlert, len(alerts))
	for i, a := range alerts {
		doc, err := json.Marshal(a)
		if err != nil {
			return nil, fmt.Errorf("encode alert: %w", err)
		}
		out[i] = servedb.NewAlert{Dedup: a.Dedup, Kind: string(a.Kind), Severity: int(a.Severity), DeviceKey: a.DeviceKey, Doc: doc}
	}
	return out, nil
}

// DecodeAlert reads a stored alert.
func DecodeAlert(row servedb.AlertRow) (alert.Alert, error) {
	var a alert.Alert
	if err := json.Unmarshal(row.Doc, &a); err != nil {
		return a, fmt.Errorf("alert %d: %w", row.ID, err)
	}
	return a, nil
}

// deliverLoop sends due deliveries until ctx is done.
func (s *Service) deliverLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	for {
		if err := s.Deliver(ctx); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("deliver alerts", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.deliveries:
		}
	}
}

// Deliver sends every delivery that is due, recording each attempt: sent,
// pending again with a doubled delay, or failed after MaxAttempts.
func (s *Service) Deliver(ctx context.Context) error {
	db := s.cfg.DB
	byName := map[string]alert.Channel{}
	for _, c := range s.cfg.Channels {
		byName[c.Name()] = c
	}
	for ctx.Err() == nil {
		due, err := db.DueDeliveries(ctx, s.cfg.Now(), 50)
		if err != nil || len(due) == 0 {
			return err
		}
		msgs := map[int64]alert.Message{}
		for _, d := range due {
			m, ok := msgs[d.RunID]
			if !ok {
				if m, err = s.message(ctx, d); err != nil {
					return err
				}
				msgs[d.RunID] = m
			}
			ch := byName[d.Channel]
			var sendErr error
			if ch == nil {
				sendErr = fmt.Errorf("channel %s is no longer configured", d.Channel)
				d.Attempts = s.cfg.MaxAttempts - 1
			} else {
				sendErr = ch.Send(ctx, m)
			}
			if err := s.record(ctx, d, sendErr); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Service) message(ctx context.Context, d servedb.Delivery) (alert.Message, error) {
	rows, err := s.cfg.DB.RunAlerts(ctx, d.RunID)
	if err != nil {
		return alert.Message{}, err
	}
	m := alert.Message{Site: d.Site, Run: d.RunID, Dashboard: s.cfg.Dashboard}
	for _, r := range rows {
		a, err := DecodeAlert(r)
		if err != nil {
			return m, err
		}
		m.Site = r.Site
		m.Alerts = append(m.Alerts, a)
	}
	return m, nil
}

func (s *Service) record(ctx context.Context, d servedb.Delivery, sendErr error) error {
	now := s.cfg.Now()
	attempts := d.Attempts + 1
	if sendErr == nil {
		s.cfg.Logger.Info("alert delivered", "channel", d.Channel, "audit", d.RunID)
		return s.cfg.DB.MarkDelivery(ctx, d.ID, servedb.DeliverySent, attempts, time.Time{}, now, "")
	}
	msg := sendErr.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	if attempts >= s.cfg.MaxAttempts {
		s.cfg.Logger.Error("alert delivery given up", "channel", d.Channel, "audit", d.RunID, "err", sendErr)
		return s.cfg.DB.MarkDelivery(ctx, d.ID, servedb.DeliveryFailed, attempts, time.Time{}, time.Time{}, msg)
	}
	delay := s.cfg.Backoff << min(attempts-1, 20)
	delay = min(delay, 6*time.Hour)
	s.cfg.Logger.Warn("alert delivery failed; will retry", "channel", d.Channel, "audit", d.RunID, "in", delay, "err", sendErr)
	return s.cfg.DB.MarkDelivery(ctx, d.ID, servedb.DeliveryPending, attempts, now.Add(delay), time.Time{}, msg)
}
