package web

import (
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store/servedb"
	"github.com/camwarden/camwarden/internal/store/storetest"
)

// TestPrunedAudit: after the retention policy pruned an old audit, its
// report download is 410 Gone with the reason, while a device last seen
// in it (its latest observation kept whole) still has its page and its
// report, and devices seen since still show their timeline.
func TestPrunedAudit(t *testing.T) {
	old := storetest.LabScan(t)
	cur := storetest.LabScan(t)
	cur.Started, cur.Finished = old.Started.Add(500*24*time.Hour), old.Finished.Add(500*24*time.Hour)
	dahua := netip.MustParseAddr("127.77.0.5")
	cur.Devices = slices.DeleteFunc(cur.Devices, func(d report.Device) bool { return d.Address == dahua })
	cur.Findings = slices.DeleteFunc(cur.Findings, func(f finding.Finding) bool { return f.Address == dahua })
	cur.Normalize()
	ts := newTestServer(t, old, cur)
	res, err := ts.st.Prune(t.Context(), cur.Started.Add(-30*24*time.Hour))
	if err != nil || res.Scans != 1 {
		t.Fatalf("Prune: %+v %v, want the first scan pruned", res, err)
	}
	c := ts.client(t)
	c.setup("owner", strongPW)
	if code, body, _ := c.get("/download?scan=1&format=json"); code != http.StatusGone || !strings.Contains(body, "retention") {
		t.Errorf("pruned audit download: %d %.200s", code, body)
	}
	if code, _, _ := c.get("/download?scan=2&format=json"); code != http.StatusOK {
		t.Errorf("current audit download: %d", code)
	}
	rows, _, err := ts.db.Devices(t.Context(), servedb.DeviceFilter{Limit: 10})
	if err != nil || len(rows) != 5 {
		t.Fatalf("devices: %d %v", len(rows), err)
	}
	for _, r := range rows {
		key := url.QueryEscape(r.Key)
		if code, body, _ := c.get("/device?key=" + key); code != http.StatusOK || !strings.Contains(body, r.Address) {
			t.Errorf("device %s page: %d", r.Address, code)
		}
		code, body, _ := c.get("/download?key=" + key + "&format=json")
		if code != http.StatusOK || !strings.Contains(body, r.Address) {
			t.Errorf("device %s report: %d %.200s", r.Address, code, body)
		}
		if r.Address == dahua.String() && !strings.Contains(body, `"services"`) {
			t.Errorf("the Dahua camera's report lost its services")
		}
	}
}
