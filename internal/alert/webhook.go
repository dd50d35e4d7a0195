package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/camwarden/camwarden/internal/i18n"
)

// Channel sends messages somewhere.
type Channel interface {
	// Name identifies the channel in delivery records ("webhook:1").
	Name() string
	// Send delivers one message; an error means try again later.
	Send(ctx context.Context, m Message) error
}

// Webhook posts a message as JSON to a URL.
type Webhook struct {
	ID  string // channel name
	URL string
	// Slack sends {"text": ...}, the body Slack and Microsoft Teams
	// incoming webhooks accept; otherwise camwarden's own JSON (the
	// message with a "text" summary).
	Slack  bool
	Lang   i18n.Lang
	Client *http.Client // nil: a client with a 15 s timeout
}

// Name implements Channel.
func (w *Webhook) Name() string { return w.ID }

// Body returns the request body for m.
func (w *Webhook) Body(m Message) ([]byte, error) {
	text := m.Subject(w.Lang) + "\n" + m.Text(w.Lang)
	if w.Slack {
		return json.Marshal(struct {
			Text string `json:"text"`
		}{text})
	}
	return json.Marshal(struct {
		Schema string `json:"schema"`
		Text   string `json:"text"`
		Message
	}{"camwarden.alerts/v1", text, m})
}

// Send implements Channel: a 2xx answer is delivered.
func (w *Webhook) Send(ctx context.Context, m Message) error {
	body, err := w.Body(m)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", w.ID, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook %s: %w", w.ID, err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "camwarden-serve")
	req.Header.Set("Idempotency-Key", m.ID(w.ID))
	c := w.Client
	if c == nil {
		c = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", w.ID, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook %s: answered %s", w.ID, resp.Status)
	}
	return nil
}
