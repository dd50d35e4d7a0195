package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/camwarden/camwarden/internal/store/servedb"
)

// perPage is the page size of the device and finding lists.
const perPage = 50

type verdictRow struct {
	Checkpoint          int
	Pass, Fail, Unknown int
	Total               int
}

// Bar widths (of 100) for the overview's bars.
func (v verdictRow) PassW() int    { return pct(v.Pass, v.Total) }
func (v verdictRow) FailW() int    { return pct(v.Fail, v.Total) }
func (v verdictRow) UnknownW() int { return pct(v.Unknown, v.Total) }

func pct(n, total int) int {
	if total == 0 {
		return 0
	}
	return n * 100 / total
}

type siteRow struct {
	Site      servedb.Site
	Last      servedb.Run
	HasLast   bool
	Next      servedb.Run
	HasNext   bool
	LastError string
}

type overviewData struct {
	Verdicts   []verdictRow
	Devices    int
	Worst      []servedb.DeviceRow
	Chart      chart
	Sites      []siteRow
	Alerts     []alertView
	Deliveries []servedb.Delivery
}

func (s *Server) handleOverview(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if r.URL.Path != "/" {
		s.fail(w, r, c, http.StatusNotFound, "notfound")
		return
	}
	ctx := r.Context()
	db := s.cfg.DB
	var d overviewData
	counts, err := db.VerdictCounts(ctx, "")
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	d.Verdicts = make([]verdictRow, 3)
	for i := range d.Verdicts {
		d.Verdicts[i].Checkpoint = i + 1
	}
	for _, vc := range counts {
		v := &d.Verdicts[vc.Checkpoint-1]
		switch verdictClass(vc.Verdict) {
		case "pass":
			v.Pass += vc.N
		case "fail":
			v.Fail += vc.N
		default:
			v.Unknown += vc.N
		}
		v.Total += vc.N
	}
	d.Devices = d.Verdicts[0].Total
	if d.Worst, _, err = db.Devices(ctx, servedb.DeviceFilter{Limit: 10}); err != nil {
		s.internal(w, r, c, err)
		return
	}
	points, err := db.Trend(ctx, s.cfg.Now().Add(-90*24*time.Hour))
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	d.Chart = buildChart(points, tr(c.lang, "trend"))
	if d.Sites, err = s.siteRows(r, 0); err != nil {
		s.internal(w, r, c, err)
		return
	}
	if d.Alerts, err = s.alertViews(r, c, 8); err != nil {
		s.internal(w, r, c, err)
		return
	}
	if d.Deliveries, err = db.RecentDeliveries(ctx, 8); err != nil {
		s.internal(w, r, c, err)
		return
	}
	s.render(w, "overview", http.StatusOK, s.data(r, c, "overview", "overview", d))
}

type listData struct {
	Filter                  servedb.DeviceFilter
	Rows                    []servedb.DeviceRow
	Total, Page, Pages      int
	Sites, Vendors, Types   []string
	PrevURL, NextURL        string
	FailingValue, SortValue string
}

func (s *Server) handleDevices(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	q := r.URL.Query()
	f := servedb.DeviceFilter{Site: q.Get("site"), Vendor: q.Get("vendor"), Type: q.Get("type"), Sort: q.Get("sort"), Limit: perPage}
	f.Failing, _ = strconv.Atoi(q.Get("failing"))
	page := max(atoiDefault(q.Get("page"), 1), 1)
	f.Offset = (page - 1) * perPage
	rows, total, err := s.cfg.DB.Devices(r.Context(), f)
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	d := listData{Filter: f, Rows: rows, Total: total, Page: page, Pages: max(1, (total+perPage-1)/perPage),
		FailingValue: q.Get("failing"), SortValue: q.Get("sort")}
	if d.Sites, d.Vendors, d.Types, err = s.cfg.DB.Facets(r.Context()); err != nil {
		s.internal(w, r, c, err)
		return
	}
	d.PrevURL, d.NextURL = pageLinks(r.URL, page, d.Pages)
	s.render(w, "devices", http.StatusOK, s.data(r, c, "devices", "devices", d))
}

// pageLinks are the previous and next page URLs ("" at the ends).
func pageLinks(u *url.URL, page, pages int) (prev, next string) {
	link := func(p int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(p))
		return u.Path + "?" + q.Encode()
	}
	if page > 1 {
		prev = link(page - 1)
	}
	if page < pages {
		next = link(page + 1)
	}
	return prev, next
}

func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

type findingListRow struct {
	servedb.FindingRow
	Title    string
	Accepted *servedb.Acceptance
}

type findingsData struct {
	Filter             servedb.FindingFilter
	Rows               []findingListRow
	Total, Page, Pages int
	Sites              []string
	PrevURL, NextURL   string
	MinValue           string
}

func (s *Server) handleFindings(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	q := r.URL.Query()
	f := servedb.FindingFilter{Site: q.Get("site"), MinSeverity: atoiDefault(q.Get("min"), 1), Limit: perPage}
	page := max(atoiDefault(q.Get("page"), 1), 1)
	f.Offset = (page - 1) * perPage
	ctx := r.Context()
	rows, total, err := s.cfg.DB.Findings(ctx, f)
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	acc, err := s.cfg.DB.ActiveAcceptances(ctx, s.cfg.Now())
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	p := s.data(r, c, "findings", "findings", nil)
	d := findingsData{Filter: f, Total: total, Page: page, Pages: max(1, (total+perPage-1)/perPage), MinValue: strconv.Itoa(f.MinSeverity)}
	titles := map[int64]map[string]string{} // observation -> finding key -> title
	for _, row := range rows {
		if _, ok := titles[row.Device.ObsID]; !ok {
			titles[row.Device.ObsID] = map[string]string{}
			if _, fs, err := s.cfg.DB.Observation(ctx, row.Device.ObsID); err == nil {
				for _, fd := range fs {
					titles[row.Device.ObsID][findingKey(fd.ID, int(fd.Port), fd.Protocol)] = p.Pick(fd.Title)
				}
			}
		}
		k := findingKey(row.FindingID, row.Port, row.Protocol)
		lr := findingListRow{FindingRow: row, Title: titles[row.Device.ObsID][k]}
		if a, ok := acc[[2]string{row.Device.Key, k}]; ok {
			lr.Accepted = &a
		}
		d.Rows = append(d.Rows, lr)
	}
	if d.Sites, _, _, err = s.cfg.DB.Facets(ctx); err != nil {
		s.internal(w, r, c, err)
		return
	}
	d.PrevURL, d.NextURL = pageLinks(r.URL, page, d.Pages)
	p.Data = d
	s.render(w, "findings", http.StatusOK, p)
}

func findingKey(id string, port int, proto string) string {
	return id + "|" + strconv.Itoa(port) + "|" + proto
}
