package serve

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/alert"
	"github.com/camwarden/camwarden/internal/alert/alerttest"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/servedb"
	"github.com/camwarden/camwarden/internal/store/sqlite"
	"github.com/camwarden/camwarden/internal/store/storetest"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	db    *servedb.DB
	st    *sqlite.DB
	clock *fakeClock
	svc   *Service
	site  servedb.Site
	rcv   *alerttest.Receiver
	mu    sync.Mutex
	scan  func(ctx context.Context) (*report.Scan, error)
	scans int
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "camwarden.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	e := &env{db: servedb.NewSQLite(st), st: st, clock: &fakeClock{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)},
		rcv: &alerttest.Receiver{}}
	e.scan = func(context.Context) (*report.Scan, error) { return storetest.LabScan(t), nil }
	srv := httptest.NewServer(e.rcv)
	t.Cleanup(srv.Close)
	e.svc, err = New(Config{DB: e.db, Now: e.clock.Now, Owner: "test", Backoff: time.Minute, MaxAttempts: 3,
		Policy:   alert.Policy{MinSeverity: finding.SevMedium},
		Channels: []alert.Channel{&alert.Webhook{ID: "webhook:1", URL: srv.URL, Lang: i18n.EN}},
		Scan: func(ctx context.Context, _ servedb.Site) (*report.Scan, error) {
			e.mu.Lock()
			e.scans++
			f := e.scan
			e.mu.Unlock()
			return f(ctx)
		}})
	if err != nil {
		t.Fatal(err)
	}
	e.site, err = e.db.AddSite(t.Context(), servedb.Site{Name: "shop", Targets: []string{"127.77.0.0/24"}, Schedule: "every 6h"}, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// tick runs one pass and waits for the audits it started.
func (e *env) tick(t *testing.T) {
	t.Helper()
	if err := e.svc.Tick(t.Context(), t.Context()); err != nil {
		t.Fatal(err)
	}
	e.svc.wg.Wait()
}

func (e *env) lastRun(t *testing.T) servedb.Run {
	t.Helper()
	r, ok, err := e.db.LastRun(t.Context(), e.site.ID)
	if err != nil || !ok {
		t.Fatalf("LastRun: %v %v", ok, err)
	}
	return r
}

// TestScheduleAuditAlert: the first audit runs at once (baseline, no
// alert); the next one waits for the interval; a new telnet finding in
// it gives one alert, delivered once to the webhook after a failure.
func TestScheduleAuditAlert(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	e.tick(t)
	first, ok, _ := e.db.LastDone(ctx, e.site.ID)
	if !ok || e.scans != 1 {
		t.Fatalf("first audit not done (%d scans)", e.scans)
	}
	e.tick(t) // plans the next audit, 6 h later
	if r := e.lastRun(t); r.State != servedb.RunQueued || !r.Due.Equal(first.Due.Add(6*time.Hour)) {
		t.Fatalf("next run %+v, want queued at +6h", r)
	}
	if e.scans != 1 {
		t.Fatal("audited before the interval")
	}
	e.scan = func(context.Context) (*report.Scan, error) {
		s := storetest.LabScan(t)
		s.Findings = append(s.Findings, finding.Finding{ID: "EXPOSE-TELNET", Checkpoint: finding.CheckExposure,
			Severity: finding.SevHigh, Address: s.Devices[0].Address, Port: 23, Protocol: "telnet"})
		s.Normalize()
		return s, nil
	}
	e.clock.Add(6 * time.Hour)
	e.tick(t)
	second := e.lastRun(t)
	if second.State != servedb.RunDone {
		t.Fatalf("second audit %+v", second)
	}
	alerts, _ := e.db.RunAlerts(ctx, second.ID)
	if len(alerts) != 1 || alerts[0].Kind != string(alert.FindingNew) {
		t.Fatalf("alerts %+v, want one finding.new", alerts)
	}
	e.rcv.Fail(1)
	if err := e.svc.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.rcv.Requests()); n != 0 {
		t.Fatalf("%d requests after a failure", n)
	}
	if err := e.svc.Deliver(ctx); err != nil { // not due yet: backoff
		t.Fatal(err)
	}
	e.clock.Add(time.Minute)
	if err := e.svc.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Hour)
	if err := e.svc.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.rcv.Requests()); n != 1 {
		t.Errorf("%d webhook requests, want exactly 1", n)
	}
	ds, _ := e.db.RecentDeliveries(ctx, 10)
	if len(ds) != 1 || ds[0].State != servedb.DeliverySent || ds[0].Attempts != 2 {
		t.Errorf("deliveries %+v", ds)
	}
}

// TestStopRequeues: an audit cancelled by a stop is queued again, not
// stored; a restart runs it.
func TestStopRequeues(t *testing.T) {
	e := newEnv(t)
	started := make(chan struct{})
	e.scan = func(ctx context.Context) (*report.Scan, error) {
		close(started)
		<-ctx.Done()
		s := storetest.LabScan(t)
		s.Interrupted = true
		return s, nil
	}
	e.svc.cfg.Grace = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- e.svc.Run(ctx) }()
	<-started
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if r := e.lastRun(t); r.State != servedb.RunQueued || r.Attempts != 1 {
		t.Fatalf("after stop: %+v", r)
	}
	if metas, _ := e.st.Scans(t.Context(), store.ScanFilter{}); len(metas) != 0 {
		t.Fatalf("%d scans stored by an interrupted audit", len(metas))
	}
	e.scan = func(context.Context) (*report.Scan, error) { return storetest.LabScan(t), nil }
	e.tick(t)
	if r := e.lastRun(t); r.State != servedb.RunDone || r.Attempts != 2 {
		t.Errorf("after restart: %+v", r)
	}
}

func TestAuditNow(t *testing.T) {
	e := newEnv(t)
	e.tick(t)
	e.tick(t) // next one queued 6 h later
	if err := e.svc.AuditNow(t.Context(), e.site); err != nil {
		t.Fatal(err)
	}
	e.tick(t)
	if e.scans != 2 {
		t.Errorf("%d scans, want 2", e.scans)
	}
	e.tick(t)
	if r := e.lastRun(t); r.Reason != "schedule" || r.State != servedb.RunQueued {
		t.Errorf("after audit now, next run %+v", r)
	}
}
