package servedb

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/sqlite"
	"github.com/camwarden/camwarden/internal/store/storetest"
)

func openTemp(t testing.TB) (*DB, *sqlite.DB) {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "camwarden.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return NewSQLite(st), st
}

var t0 = time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)

func addSite(t *testing.T, db *DB, name string) Site {
	t.Helper()
	s, err := db.AddSite(t.Context(), Site{Name: name, Targets: []string{"127.77.0.0/24"}, Schedule: "every 6h"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSites(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	s := addSite(t, db, "shop")
	if _, err := db.AddSite(ctx, Site{Name: "shop"}, t0); !errors.Is(err, ErrSiteExists) {
		t.Errorf("second add: %v, want ErrSiteExists", err)
	}
	s.Depth = "common"
	if err := db.UpdateSite(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, err := db.SiteByName(ctx, "shop")
	if err != nil || got.Depth != "common" || got.Targets[0] != "127.77.0.0/24" || got.ID != s.ID {
		t.Errorf("SiteByName = %+v, %v", got, err)
	}
	if err := db.RemoveSite(ctx, "shop"); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveSite(ctx, "shop"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second remove: %v", err)
	}
}

// TestRunLifecycle: one open run per site; a claimed run that was never
// finished (the process died) is queued again by RecoverRuns; finishing
// stores the scan once, and a lost claim stores nothing.
func TestRunLifecycle(t *testing.T) {
	db, st := openTemp(t)
	ctx := t.Context()
	s := addSite(t, db, "shop")
	id, ok, err := db.QueueRun(ctx, s, "schedule", t0)
	if err != nil || !ok {
		t.Fatalf("QueueRun = %d %v %v", id, ok, err)
	}
	if _, ok, _ := db.QueueRun(ctx, s, "manual", t0); ok {
		t.Error("a second open run was queued")
	}
	if r, _ := db.ClaimRun(ctx, "a", t0.Add(-time.Minute)); r != nil {
		t.Error("claimed a run before it was due")
	}
	r, err := db.ClaimRun(ctx, "a", t0)
	if err != nil || r == nil || r.Attempts != 1 {
		t.Fatalf("ClaimRun = %+v, %v", r, err)
	}
	// process "a" dies; the next start recovers the run
	if n, err := db.RecoverRuns(ctx); n != 1 || err != nil {
		t.Fatalf("RecoverRuns = %d, %v", n, err)
	}
	if _, err := db.FinishRun(ctx, *r, storetest.LabScan(t), t0, nil); !errors.Is(err, ErrLostClaim) {
		t.Errorf("finish after recovery: %v, want ErrLostClaim", err)
	}
	r2, err := db.ClaimRun(ctx, "b", t0)
	if err != nil || r2 == nil || r2.ID != r.ID || r2.Attempts != 2 {
		t.Fatalf("re-claim = %+v, %v", r2, err)
	}
	scanID, err := db.FinishRun(ctx, *r2, storetest.LabScan(t), t0.Add(time.Minute), func(ctx context.Context, tx Tx, id store.ScanID) error {
		return tx.IndexScan(ctx, id, s.Name)
	})
	if err != nil {
		t.Fatal(err)
	}
	metas, _ := st.Scans(ctx, store.ScanFilter{})
	if len(metas) != 1 || metas[0].ID != scanID {
		t.Errorf("stored scans %v, want one #%d", metas, scanID)
	}
	last, ok, err := db.LastDone(ctx, s.ID)
	if err != nil || !ok || last.ScanID != scanID || last.Attempts != 2 {
		t.Errorf("LastDone = %+v %v %v", last, ok, err)
	}
	if _, ok, _ := db.QueueRun(ctx, s, "schedule", t0.Add(time.Hour)); !ok {
		t.Error("could not queue the next run")
	}
}

func TestIndexAndDevices(t *testing.T) {
	db, st := openTemp(t)
	ctx := t.Context()
	scan := storetest.LabScan(t)
	if _, err := st.SaveScan(ctx, scan); err != nil {
		t.Fatal(err)
	}
	if n, err := db.IndexPending(ctx); n != 1 || err != nil {
		t.Fatalf("IndexPending = %d, %v", n, err)
	}
	if n, _ := db.IndexPending(ctx); n != 0 {
		t.Errorf("indexed again: %d", n)
	}
	rows, total, err := db.Devices(ctx, DeviceFilter{Limit: 5})
	if err != nil || total != len(scan.Devices) || len(rows) != 5 {
		t.Fatalf("Devices = %d rows, total %d, %v; want 5 of %d", len(rows), total, err, len(scan.Devices))
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].Worst > rows[i-1].Worst {
			t.Errorf("not riskiest first: %d after %d", rows[i].Worst, rows[i-1].Worst)
		}
	}
	failing, ftotal, _ := db.Devices(ctx, DeviceFilter{Failing: 1, Limit: 100})
	for _, r := range failing {
		if r.Verdicts[0] != "fail" {
			t.Errorf("%s in the failing-1 list with %v", r.Address, r.Verdicts)
		}
	}
	if ftotal == 0 {
		t.Error("no device fails checkpoint 1 in the lab scan")
	}
	d, err := db.Device(ctx, rows[0].Key)
	if err != nil || d.Address != rows[0].Address {
		t.Fatalf("Device = %+v, %v", d, err)
	}
	dev, fs, err := db.Observation(ctx, d.ObsID)
	if err != nil || dev.Address.String() != d.Address || len(fs) != d.Findings {
		t.Errorf("Observation = %s, %d findings, %v; want %s, %d", dev.Address, len(fs), err, d.Address, d.Findings)
	}
	findings, fsTotal, err := db.Findings(ctx, FindingFilter{Limit: 5})
	if err != nil || fsTotal != len(scan.Findings) || len(findings) != min(5, len(scan.Findings)) {
		t.Errorf("Findings = %d of %d, %v; want 5 of %d", len(findings), fsTotal, err, len(scan.Findings))
	}
	counts, err := db.VerdictCounts(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, c := range counts {
		if c.Checkpoint == 1 {
			sum += c.N
		}
	}
	if sum != len(scan.Devices) {
		t.Errorf("checkpoint 1 verdicts sum to %d, want %d", sum, len(scan.Devices))
	}
}

func TestAlertsDedupAndDeliveries(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	alerts := []NewAlert{{Dedup: "x|1", Kind: "finding.new", Severity: 4, DeviceKey: "k", Doc: []byte(`{}`)}}
	add := func(run int64) int {
		var n int
		if err := db.tx(ctx, func(tx *sql.Tx) error {
			var err error
			n, err = Tx{db, tx}.AddAlerts(ctx, run, "shop", alerts, []string{"webhook", "email"}, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := add(1); n != 1 {
		t.Fatalf("first add: %d new", n)
	}
	if n := add(2); n != 0 {
		t.Errorf("same dedup key added again: %d new", n)
	}
	due, err := db.DueDeliveries(ctx, t0, 10)
	if err != nil || len(due) != 2 {
		t.Fatalf("DueDeliveries = %v, %v", due, err)
	}
	if err := db.MarkDelivery(ctx, due[0].ID, DeliverySent, 1, time.Time{}, t0, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkDelivery(ctx, due[1].ID, DeliveryPending, 1, t0.Add(time.Minute), time.Time{}, "refused"); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.DueDeliveries(ctx, t0, 10); len(due) != 0 {
		t.Errorf("due again before its retry time: %v", due)
	}
	if due, _ := db.DueDeliveries(ctx, t0.Add(time.Minute), 10); len(due) != 1 || due[0].LastError != "refused" {
		t.Errorf("retry not due: %v", due)
	}
}

func TestUsersSessionsAcceptances(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	ok, err := db.AddFirstAdmin(ctx, User{Name: "owner", Hash: "h"}, t0)
	if !ok || err != nil {
		t.Fatalf("AddFirstAdmin = %v, %v", ok, err)
	}
	if ok, _ := db.AddFirstAdmin(ctx, User{Name: "mallory", Hash: "h"}, t0); ok {
		t.Error("a second first admin was added")
	}
	u, err := db.UserByName(ctx, "owner")
	if err != nil || u.Role != RoleAdmin {
		t.Fatalf("UserByName = %+v, %v", u, err)
	}
	if err := db.AddSession(ctx, "th", u.ID, "csrf", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if s, err := db.SessionByHash(ctx, "th", t0); err != nil || s.User.Name != "owner" || s.CSRF != "csrf" {
		t.Errorf("SessionByHash = %+v, %v", s, err)
	}
	if _, err := db.SessionByHash(ctx, "th", t0.Add(2*time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired session: %v", err)
	}
	a := Acceptance{DeviceKey: "k", FindingID: "EXPOSE-TELNET", Port: 23, Protocol: "telnet", Reason: "isolated VLAN",
		Expires: t0.Add(24 * time.Hour), Created: t0, CreatedBy: "owner"}
	if err := db.AcceptRisk(ctx, a); err != nil {
		t.Fatal(err)
	}
	if m, _ := db.Acceptances(ctx, "k", t0); m[a.Key()].Reason != "isolated VLAN" {
		t.Errorf("acceptance not in force: %v", m)
	}
	if m, _ := db.Acceptances(ctx, "k", t0.Add(25*time.Hour)); len(m) != 0 {
		t.Errorf("acceptance still in force after expiry: %v", m)
	}
}

// TestCoverageIsNotAFinding: the AUTH-COVERAGE record counts neither in
// the device index nor in the findings list.
func TestCoverageIsNotAFinding(t *testing.T) {
	db, st := openTemp(t)
	ctx := t.Context()
	scan := storetest.LabScan(t)
	plain := len(scan.Findings)
	for _, d := range scan.Devices {
		scan.Findings = append(scan.Findings, finding.Finding{ID: finding.IDAuthCoverage, Checkpoint: finding.CheckAuth,
			Severity: finding.SevInfo, Address: d.Address, Evidence: map[string]string{finding.CoverageComplete: "true"}})
	}
	scan.Normalize()
	if _, err := st.SaveScan(ctx, scan); err != nil {
		t.Fatal(err)
	}
	if _, err := db.IndexPending(ctx); err != nil {
		t.Fatal(err)
	}
	rows, _, _ := db.Devices(ctx, DeviceFilter{Limit: 100})
	sum := 0
	for _, r := range rows {
		sum += r.Findings
	}
	_, total, _ := db.Findings(ctx, FindingFilter{Limit: 1})
	if sum != plain || total != plain {
		t.Errorf("index counts %d and the list %d findings, want %d (no coverage record)", sum, total, plain)
	}
}

// TestCheckSiteName: the one rule for site names, shared by "camwarden
// site add" and the dashboard's Sites page.
func TestCheckSiteName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"shop", true},
		{"tokyo-office_2", true},
		{"店舗", true},
		{"", false},
		{"two words", false},
		{"tab\there", false},
		{"esc\x1b[2J", false},
		{"del\x7f", false},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
	}
	for _, tc := range tests {
		if err := CheckSiteName(tc.name); (err == nil) != tc.ok {
			t.Errorf("CheckSiteName(%q) = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}
