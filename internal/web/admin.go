package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/alert"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/store/servedb"
)

func (s *Server) siteRows(r *http.Request, limit int) ([]siteRow, error) {
	ctx := r.Context()
	sites, err := s.cfg.DB.Sites(ctx)
	if err != nil {
		return nil, err
	}
	var out []siteRow
	for _, site := range sites {
		row := siteRow{Site: site}
		runs, err := s.cfg.DB.SiteRuns(ctx, site.ID, 5)
		if err != nil {
			return nil, err
		}
		for _, run := range runs {
			switch run.State {
			case servedb.RunQueued, servedb.RunRunning, servedb.RunDispatched:
				if !row.HasNext {
					row.Next, row.HasNext = run, true
				}
			default:
				if !row.HasLast {
					row.Last, row.HasLast = run, true
				}
			}
		}
		out = append(out, row)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out, nil
}

type sitesData struct {
	Rows     []siteRow
	Form     siteForm
	Problems []string
}

type siteForm struct {
	Name, Targets, Excludes, Depth, Credentials, Schedule, Ports string
	AllowPublic                                                  bool
}

func (s *Server) handleSites(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.showSites(w, r, c, siteForm{Schedule: servedb.DefaultSchedule, Depth: "default"}, nil, http.StatusOK)
}

func (s *Server) showSites(w http.ResponseWriter, r *http.Request, c *reqCtx, f siteForm, problems []string, status int) {
	rows, err := s.siteRows(r, 0)
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	p := s.data(r, c, "sites", "sites", sitesData{Rows: rows, Form: f, Problems: problems})
	if r.URL.Query().Get("done") == "queued" {
		p.Message = tr(c.lang, "queued")
	}
	s.render(w, "sites", status, p)
}

func (s *Server) handleSiteAdd(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	f := siteForm{Name: strings.TrimSpace(r.PostFormValue("name")), Targets: r.PostFormValue("targets"),
		Excludes: r.PostFormValue("excludes"), Depth: strings.TrimSpace(r.PostFormValue("depth")),
		Credentials: strings.TrimSpace(r.PostFormValue("credentials")), Schedule: strings.TrimSpace(r.PostFormValue("schedule")),
		Ports: strings.TrimSpace(r.PostFormValue("ports")), AllowPublic: r.PostFormValue("allow_public") == "on"}
	site := servedb.Site{Name: f.Name, Targets: strings.Fields(f.Targets), Excludes: strings.Fields(f.Excludes),
		Depth: f.Depth, Credentials: f.Credentials, AllowPublic: f.AllowPublic, Ports: f.Ports, Schedule: f.Schedule}
	if err := s.checkSite(r, site); err != nil {
		s.showSites(w, r, c, f, []string{err.Error()}, http.StatusBadRequest)
		return
	}
	if _, err := s.cfg.DB.AddSite(r.Context(), site, s.cfg.Now()); err != nil {
		if errors.Is(err, servedb.ErrSiteExists) {
			s.showSites(w, r, c, f, []string{err.Error()}, http.StatusConflict)
			return
		}
		s.internal(w, r, c, err)
		return
	}
	s.log(r, c, "site.add", fmt.Sprintf("%s targets=%s schedule=%q", site.Name, strings.Join(site.Targets, ","), site.Schedule))
	if s.cfg.Auditor != nil {
		s.cfg.Auditor.Wake()
	}
	http.Redirect(w, r, "/sites", http.StatusSeeOther)
}

func (s *Server) checkSite(r *http.Request, site servedb.Site) error {
	if err := servedb.CheckSiteName(site.Name); err != nil {
		return err
	}
	if s.cfg.CheckSite == nil {
		return nil
	}
	return s.cfg.CheckSite(r.Context(), site)
}

func (s *Server) handleSiteAudit(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	site, err := s.cfg.DB.SiteByName(r.Context(), r.PostFormValue("site"))
	if err != nil {
		s.fail(w, r, c, http.StatusNotFound, "notfound")
		return
	}
	if s.cfg.Auditor == nil {
		s.fail(w, r, c, http.StatusServiceUnavailable, "notfound")
		return
	}
	if err := s.cfg.Auditor.AuditNow(r.Context(), site); err != nil {
		s.internal(w, r, c, err)
		return
	}
	s.log(r, c, "site.audit", site.Name)
	http.Redirect(w, r, "/sites?done=queued", http.StatusSeeOther)
}

// handleSiteSchedule changes a site's schedule; its queued audit is
// planned again from the new one.
func (s *Server) handleSiteSchedule(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	site, err := s.cfg.DB.SiteByName(ctx, r.PostFormValue("site"))
	if err != nil {
		s.fail(w, r, c, http.StatusNotFound, "notfound")
		return
	}
	old := site.Schedule
	site.Schedule = strings.TrimSpace(r.PostFormValue("schedule"))
	if err := s.checkSite(r, site); err != nil {
		s.showSites(w, r, c, siteForm{Schedule: servedb.DefaultSchedule, Depth: "default"}, []string{err.Error()}, http.StatusBadRequest)
		return
	}
	if err := s.cfg.DB.UpdateSite(ctx, site); err != nil {
		s.internal(w, r, c, err)
		return
	}
	if err := s.cfg.DB.DropQueued(ctx, site.ID); err != nil {
		s.internal(w, r, c, err)
		return
	}
	s.log(r, c, "site.schedule", fmt.Sprintf("%s: %q -> %q", site.Name, old, site.Schedule))
	if s.cfg.Auditor != nil {
		s.cfg.Auditor.Wake()
	}
	http.Redirect(w, r, "/sites", http.StatusSeeOther)
}

func (s *Server) handleSiteRemove(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	name := r.PostFormValue("site")
	if err := s.cfg.DB.RemoveSite(r.Context(), name); err != nil {
		if errors.Is(err, servedb.ErrNotFound) {
			s.fail(w, r, c, http.StatusNotFound, "notfound")
			return
		}
		s.internal(w, r, c, err)
		return
	}
	s.log(r, c, "site.remove", name)
	http.Redirect(w, r, "/sites", http.StatusSeeOther)
}

// handleAccept records an accepted risk for a finding the device has now.
func (s *Server) handleAccept(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	key := r.PostFormValue("key")
	row, err := s.cfg.DB.Device(ctx, key)
	if err != nil {
		s.fail(w, r, c, http.StatusNotFound, "notfound")
		return
	}
	_, fs, err := s.cfg.DB.Observation(ctx, row.ObsID)
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	fkey := r.PostFormValue("finding")
	var a *servedb.Acceptance
	for _, f := range fs {
		if findingKey(f.ID, int(f.Port), f.Protocol) == fkey {
			a = &servedb.Acceptance{DeviceKey: key, FindingID: f.ID, Port: int(f.Port), Protocol: f.Protocol}
		}
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	until, err := time.ParseInLocation(time.DateOnly, r.PostFormValue("until"), time.Local)
	now := s.cfg.Now()
	if a == nil || reason == "" || len(reason) > 500 || err != nil || !until.After(now) || until.After(now.AddDate(1, 0, 1)) {
		http.Error(w, "accept risk: need a finding of this device, a reason (1-500 characters) and a date within a year", http.StatusBadRequest)
		return
	}
	a.Reason, a.Expires, a.Created, a.CreatedBy = reason, until, now, c.sess.User.Name
	if err := s.cfg.DB.AcceptRisk(ctx, *a); err != nil {
		s.internal(w, r, c, err)
		return
	}
	s.log(r, c, "risk.accept", fmt.Sprintf("%s %s until %s: %s", key, fkey, until.Format(time.DateOnly), reason))
	http.Redirect(w, r, "/device?key="+url.QueryEscape(key), http.StatusSeeOther)
}

type alertView struct {
	Row  servedb.AlertRow
	Line string
	Kind string
}

func (s *Server) alertViews(r *http.Request, c *reqCtx, limit int) ([]alertView, error) {
	rows, err := s.cfg.DB.RecentAlerts(r.Context(), limit)
	if err != nil {
		return nil, err
	}
	return views(rows, c.lang), nil
}

func (s *Server) deviceAlerts(r *http.Request, c *reqCtx, key string) ([]alertView, error) {
	rows, err := s.cfg.DB.DeviceAlerts(r.Context(), key, 20)
	if err != nil {
		return nil, err
	}
	return views(rows, c.lang), nil
}

func views(rows []servedb.AlertRow, lang i18n.Lang) []alertView {
	p := i18n.New(lang)
	var out []alertView
	for _, row := range rows {
		var a alert.Alert
		if json.Unmarshal(row.Doc, &a) != nil {
			continue
		}
		out = append(out, alertView{Row: row, Line: alert.Line(a, lang, p), Kind: string(a.Kind)})
	}
	return out
}

type alertsData struct {
	Alerts     []alertView
	Deliveries []servedb.Delivery
}

func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	var d alertsData
	var err error
	if d.Alerts, err = s.alertViews(r, c, 200); err != nil {
		s.internal(w, r, c, err)
		return
	}
	if d.Deliveries, err = s.cfg.DB.RecentDeliveries(r.Context(), 100); err != nil {
		s.internal(w, r, c, err)
		return
	}
	s.render(w, "alerts", http.StatusOK, s.data(r, c, "alerts", "alerts", d))
}

func (s *Server) handleAuditLog(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !c.admin() {
		s.fail(w, r, c, http.StatusForbidden, "forbidden")
		return
	}
	page := max(atoiDefault(r.URL.Query().Get("page"), 1), 1)
	acts, err := s.cfg.DB.Actions(r.Context(), 100, (page-1)*100)
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	s.render(w, "auditlog", http.StatusOK, s.data(r, c, "auditlog", "auditlog", acts))
}
