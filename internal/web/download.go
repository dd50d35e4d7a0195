package web

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// handleDownload renders a stored audit (scan=ID) or one device's latest
// observation (key=...) as HTML, CSV or JSON with the report package's
// renderers. inline=1 shows the HTML report in the browser.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	q := r.URL.Query()
	var rep *report.Scan
	var name string
	switch {
	case q.Get("key") != "":
		row, err := s.cfg.DB.Device(ctx, q.Get("key"))
		if err != nil {
			s.fail(w, r, c, http.StatusNotFound, "notfound")
			return
		}
		full, err := s.cfg.DB.Store().Scan(ctx, store.ScanID(row.ScanID))
		if errors.Is(err, store.ErrPruned) {
			// an old device's latest observation is kept whole; its
			// scan's document may be gone
			var h report.Scan
			h, err = s.cfg.DB.ScanHeader(ctx, store.ScanID(row.ScanID), row.ObsID)
			full = &h
		}
		if err != nil {
			s.internal(w, r, c, err)
			return
		}
		dev, fs, err := s.cfg.DB.Observation(ctx, row.ObsID)
		if err != nil {
			s.internal(w, r, c, err)
			return
		}
		rep = &report.Scan{Schema: full.Schema, Tool: full.Tool, Scope: dev.Address.String(), Started: full.Started,
			Finished: full.Finished, Interrupted: full.Interrupted, Checked: full.Checked,
			Devices: []report.Device{dev}, Findings: append([]finding.Finding(nil), fs...)}
		rep.Normalize()
		name = "camwarden-" + strings.NewReplacer(".", "-", ":", "-").Replace(dev.Address.String())
	case q.Get("scan") != "":
		id, err := strconv.ParseInt(q.Get("scan"), 10, 64)
		if err == nil {
			rep, err = s.cfg.DB.Store().Scan(ctx, store.ScanID(id))
		}
		if errors.Is(err, store.ErrPruned) {
			s.fail(w, r, c, http.StatusGone, "pruned")
			return
		}
		if err != nil {
			s.fail(w, r, c, http.StatusNotFound, "notfound")
			return
		}
		name = fmt.Sprintf("camwarden-audit-%d", id)
	default:
		s.fail(w, r, c, http.StatusNotFound, "notfound")
		return
	}
	var b bytes.Buffer
	var err error
	format := q.Get("format")
	switch format {
	case "html":
		err = report.WriteHTML(&b, rep, report.HTMLOptions{Lang: c.lang})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// the standalone report keeps its inline CSS; still no script
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'")
	case "csv":
		err = report.WriteCSV(&b, rep, c.lang)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	case "json":
		err = report.WriteJSON(&b, rep)
		w.Header().Set("Content-Type", "application/json")
	default:
		http.Error(w, "format: html, csv or json", http.StatusBadRequest)
		return
	}
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	disp := "attachment"
	if format == "html" && q.Get("inline") == "1" {
		disp = "inline"
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf("%s; filename=%q", disp, name+"."+format))
	s.log(r, c, "download", name+"."+format)
	_, _ = w.Write(b.Bytes())
}

// handleMetrics writes the Prometheus text exposition, for a request
// bearing the metrics token.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if s.cfg.MetricsToken == "" || !ok || subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.MetricsToken)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="camwarden metrics"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	var b bytes.Buffer
	if err := s.writeMetrics(r, &b); err != nil {
		s.cfg.Logger.Error("metrics", "err", err)
		http.Error(w, "metrics unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

func (s *Server) writeMetrics(r *http.Request, b *bytes.Buffer) error {
	ctx := r.Context()
	db := s.cfg.DB
	counts, err := db.VerdictCounts(ctx, "")
	if err != nil {
		return err
	}
	b.WriteString("# HELP camwarden_devices Devices by checkpoint verdict (each device's latest audit).\n# TYPE camwarden_devices gauge\n")
	byCP := map[[2]string]int{}
	for cp := 1; cp <= 3; cp++ {
		for _, v := range []string{"pass", "fail", "could-not-check"} {
			byCP[[2]string{strconv.Itoa(cp), v}] = 0
		}
	}
	for _, vc := range counts {
		v := verdictClass(vc.Verdict)
		if v == "unknown" {
			v = "could-not-check"
		}
		byCP[[2]string{strconv.Itoa(vc.Checkpoint), v}] += vc.N
	}
	for _, k := range sortedKeys(byCP) {
		fmt.Fprintf(b, "camwarden_devices{checkpoint=%q,verdict=%q} %d\n", k[0], k[1], byCP[k])
	}
	sev, err := db.SeverityCounts(ctx)
	if err != nil {
		return err
	}
	b.WriteString("# HELP camwarden_findings Open findings by severity (each device's latest audit).\n# TYPE camwarden_findings gauge\n")
	for i := int(finding.SevInfo); i <= int(finding.SevCritical); i++ {
		fmt.Fprintf(b, "camwarden_findings{severity=%q} %d\n", finding.Severity(i).String(), sev[i])
	}
	if err := s.siteMetrics(r, b); err != nil {
		return err
	}
	dc, err := db.DeliveryCounts(ctx)
	if err != nil {
		return err
	}
	b.WriteString("# HELP camwarden_alert_deliveries Alert messages by channel and delivery state.\n# TYPE camwarden_alert_deliveries gauge\n")
	for _, k := range sortedKeys(dc) {
		fmt.Fprintf(b, "camwarden_alert_deliveries{channel=\"%s\",state=\"%s\"} %d\n", label(k[0]), label(k[1]), dc[k])
	}
	return nil
}

func (s *Server) siteMetrics(r *http.Request, b *bytes.Buffer) error {
	rows, err := s.siteRows(r, 0)
	if err != nil {
		return err
	}
	b.WriteString("# HELP camwarden_audit_duration_seconds Duration of the site's latest finished audit.\n# TYPE camwarden_audit_duration_seconds gauge\n")
	for _, row := range rows {
		if row.HasLast && row.Last.State == "done" {
			fmt.Fprintf(b, "camwarden_audit_duration_seconds{site=\"%s\"} %.3f\n", label(row.Site.Name), row.Last.Duration().Seconds())
		}
	}
	b.WriteString("# HELP camwarden_audit_last_success_timestamp_seconds When the site's latest successful audit finished (Unix time).\n# TYPE camwarden_audit_last_success_timestamp_seconds gauge\n")
	for _, row := range rows {
		last, ok, err := s.cfg.DB.LastDone(r.Context(), row.Site.ID)
		if err != nil {
			return err
		}
		if ok {
			fmt.Fprintf(b, "camwarden_audit_last_success_timestamp_seconds{site=\"%s\"} %d\n", label(row.Site.Name), last.Finished.Unix())
		}
	}
	b.WriteString("# HELP camwarden_audit_last_failed Whether the site's latest audit failed (1) or not (0).\n# TYPE camwarden_audit_last_failed gauge\n")
	for _, row := range rows {
		failed := 0
		if row.HasLast && row.Last.State == "failed" {
			failed = 1
		}
		fmt.Fprintf(b, "camwarden_audit_last_failed{site=\"%s\"} %d\n", label(row.Site.Name), failed)
	}
	return nil
}

// label escapes a Prometheus label value.
func label(v string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v)
}

func sortedKeys(m map[[2]string]int) [][2]string {
	keys := make([][2]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	return keys
}
