package serve

import (
	"context"
	"crypto/tls"
	"net"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/alert"
	"github.com/camwarden/camwarden/internal/alert/alerttest"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store/servedb"
	"github.com/camwarden/camwarden/internal/store/sqlite"
	"github.com/camwarden/camwarden/internal/store/storetest"
)

// BenchmarkAlertFanout: an audit of 1,000 devices in which every device
// has a new high finding (1,000 changes). Per audit it reports the time
// to build the alerts from the Diff, to record them (with the scan, the
// run and the index, in one transaction), and to deliver them to a
// webhook and over SMTP (STARTTLS + AUTH, an in-process go-smtp sink).
func BenchmarkAlertFanout(b *testing.B) {
	ctx := b.Context()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "camwarden.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	db := servedb.NewSQLite(st)
	rcv := &alerttest.Receiver{}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	cert, certPEM, _, err := alerttest.SelfSigned("127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	sink := alerttest.NewSink(alerttest.SinkOptions{User: "u", Password: "p", TLS: &tls.Config{Certificates: []tls.Certificate{cert}}})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = sink.Serve(l) }()
	defer sink.Close()
	clock := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	svc, err := New(Config{DB: db, Now: func() time.Time { return clock }, Scan: func(ctx2 context.Context, _ servedb.Site) (*report.Scan, error) { return nil, nil },
		Policy: alert.Policy{MinSeverity: finding.SevMedium},
		Channels: []alert.Channel{&alert.Webhook{ID: "webhook:1", URL: hook.URL, Lang: i18n.EN},
			&alert.Email{ID: "email:1", Addr: l.Addr().String(), From: "a@b.test", To: []string{"c@d.test"}, User: "u", Password: "p",
				Lang: i18n.JA, TLS: &tls.Config{RootCAs: alerttest.Pool(certPEM)}}}})
	if err != nil {
		b.Fatal(err)
	}
	site, err := db.AddSite(ctx, servedb.Site{Name: "chain", Targets: []string{"127.78.0.0/16"}, Schedule: "every 6h"}, clock)
	if err != nil {
		b.Fatal(err)
	}
	prev := storetest.BigScan(b, 1000)
	cur := storetest.BigScan(b, 1000)
	for _, d := range cur.Devices {
		cur.Findings = append(cur.Findings, finding.Finding{ID: "EXPOSE-TELNET", Checkpoint: finding.CheckExposure,
			Severity: finding.SevHigh, Address: d.Address, Port: 2323, Protocol: "telnet", Title: finding.Text{EN: "Telnet open", JA: "Telnet が開いています"}})
	}
	cur.Normalize()
	var build, record, deliver time.Duration
	n := 0
	for b.Loop() {
		b.StopTimer()
		if err := storePrev(ctx, db, site, prev, clock); err != nil {
			b.Fatal(err)
		}
		clock = clock.Add(time.Hour)
		if _, _, err := db.QueueRun(ctx, site, "schedule", clock); err != nil {
			b.Fatal(err)
		}
		run, err := db.ClaimRun(ctx, "bench", clock)
		if err != nil || run == nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		alerts := alert.Build(site.Name, run.ID, prev, cur, svc.cfg.Policy, clock)
		t1 := time.Now()
		if _, err := db.FinishRun(ctx, *run, cur, clock, svc.after(*run, site, alerts, clock)); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if err := svc.Deliver(ctx); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		if len(alerts) != 1000 {
			b.Fatalf("%d alerts, want 1000", len(alerts))
		}
		build, record, deliver = build+t1.Sub(t0), record+t2.Sub(t1), deliver+t3.Sub(t2)
		n++
	}
	if got := len(rcv.Requests()); got != n || len(sink.Mails()) != n {
		b.Fatalf("%d webhook requests and %d mails for %d audits", got, len(sink.Mails()), n)
	}
	b.ReportMetric(float64(build.Milliseconds())/float64(n), "ms-build")
	b.ReportMetric(float64(record.Milliseconds())/float64(n), "ms-record")
	b.ReportMetric(float64(deliver.Milliseconds())/float64(n), "ms-deliver")
}

// storePrev stores prev as the site's latest finished audit.
func storePrev(ctx context.Context, db *servedb.DB, site servedb.Site, prev *report.Scan, at time.Time) error {
	if _, _, err := db.QueueRun(ctx, site, "schedule", at); err != nil {
		return err
	}
	run, err := db.ClaimRun(ctx, "bench", at)
	if err != nil {
		return err
	}
	_, err = db.FinishRun(ctx, *run, prev, at, nil)
	return err
}
