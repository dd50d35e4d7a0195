package servedb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Site is a place camwarden serve audits on a schedule. Credentials is
// the path of a credentials file (read at each audit): the secrets
// themselves are never stored.
type Site struct {
	ID          int64     `json:"-"`
	Name        string    `json:"name"`
	Targets     []string  `json:"targets"`
	Excludes    []string  `json:"excludes,omitempty"`
	Depth       string    `json:"depth,omitempty"`
	Credentials string    `json:"credentials_file,omitempty"`
	AllowPublic bool      `json:"allow_public,omitempty"`
	Ports       string    `json:"ports,omitempty"` // port list as for scan -p; "" the defaults
	Schedule    string    `json:"schedule"`        // see serve.ParseSchedule
	Created     time.Time `json:"-"`
}

// DefaultSchedule is a new site's schedule unless one is given: every
// night, spread over half an hour (serve.ParseSchedule's syntax).
const DefaultSchedule = "daily 02:00 jitter 30m"

// CheckSiteName refuses a site name that is empty, longer than 64 bytes
// or holds a space or a control character: names are typed on command
// lines ("camwarden site audit NAME") and shown in terminals and pages.
func CheckSiteName(name string) error {
	if name == "" || len(name) > 64 || strings.ContainsFunc(name, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return errors.New("site name: 1-64 characters, no spaces")
	}
	return nil
}

// ErrSiteExists is returned by AddSite for a name already taken.
var ErrSiteExists = errors.New("a site with that name exists")

// AddSite stores a new site and returns it with its ID.
func (d *DB) AddSite(ctx context.Context, s Site, now time.Time) (Site, error) {
	doc, err := json.Marshal(s)
	if err != nil {
		return s, fmt.Errorf("add site: %w", err)
	}
	err = d.queryRow(ctx, `INSERT INTO cw.sites (name, doc, created_ns) VALUES (?, ?, ?)
		ON CONFLICT (name) DO NOTHING RETURNING id`, s.Name, string(doc), ns(now)).Scan(&s.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("add site %q: %w", s.Name, ErrSiteExists)
	}
	if err != nil {
		return s, fmt.Errorf("add site %q: %w", s.Name, err)
	}
	s.Created = now
	return s, nil
}

// UpdateSite replaces a site's settings (its name stays).
func (d *DB) UpdateSite(ctx context.Context, s Site) error {
	doc, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("update site: %w", err)
	}
	res, err := d.exec(ctx, `UPDATE cw.sites SET doc = ? WHERE id = ?`, string(doc), s.ID)
	if err != nil {
		return fmt.Errorf("update site %q: %w", s.Name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update site %q: %w", s.Name, ErrNotFound)
	}
	return nil
}

// RemoveSite deletes a site by name; its past audits and scans stay.
// Queued runs of the site are dropped.
func (d *DB) RemoveSite(ctx context.Context, name string) error {
	return d.tx(ctx, func(tx *sql.Tx) error {
		t := Tx{d, tx}
		var id int64
		err := t.queryRow(ctx, `SELECT id FROM cw.sites WHERE name = ?`, name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("remove site %q: %w", name, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("remove site %q: %w", name, err)
		}
		if _, err := t.exec(ctx, `DELETE FROM cw.audit_runs WHERE site_id = ? AND state = 'queued'`, id); err != nil {
			return fmt.Errorf("remove site %q: %w", name, err)
		}
		if _, err := t.exec(ctx, `DELETE FROM cw.sites WHERE id = ?`, id); err != nil {
			return fmt.Errorf("remove site %q: %w", name, err)
		}
		return nil
	})
}

// Sites lists every site by name.
func (d *DB) Sites(ctx context.Context) ([]Site, error) {
	rows, err := d.query(ctx, `SELECT id, doc, created_ns FROM cw.sites ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	defer rows.Close()
	var out []Site
	for rows.Next() {
		s, err := scanSite(rows)
		if err != nil {
			return nil, fmt.Errorf("list sites: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	return out, nil
}

// SiteByName returns one site.
func (d *DB) SiteByName(ctx context.Context, name string) (Site, error) {
	s, err := scanSite(d.queryRow(ctx, `SELECT id, doc, created_ns FROM cw.sites WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("site %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return s, fmt.Errorf("site %q: %w", name, err)
	}
	return s, nil
}

type rowScanner interface{ Scan(dest ...any) error }

func scanSite(r rowScanner) (Site, error) {
	var s Site
	var id, created int64
	var doc string
	if err := r.Scan(&id, &doc, &created); err != nil {
		return s, err
	}
	if err := json.NewDecoder(strings.NewReader(doc)).Decode(&s); err != nil {
		return s, fmt.Errorf("site %d: %w", id, err)
	}
	s.ID, s.Created = id, fromNS(created)
	return s, nil
}
