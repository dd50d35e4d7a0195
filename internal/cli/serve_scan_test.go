package cli

import (
	"context"
	"slices"
	"testing"

	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/fleet"
	"github.com/camwarden/camwarden/internal/store/servedb"
)

// recordingQueue keeps what fleetDispatcher queued.
type recordingQueue struct {
	sites []fleet.Site
	opts  fleet.ScanOptions
}

func (q *recordingQueue) Enqueue(_ context.Context, sites []fleet.Site, opts fleet.ScanOptions, _ int) ([]fleet.Enqueued, error) {
	q.sites, q.opts = sites, opts
	return []fleet.Enqueued{{Site: sites[0].Name, JobID: 7}}, nil
}

// TestSiteAuditOptions: a site is audited with the same options whether
// serve runs the audit (SQLite) or queues it for fleet workers
// (--postgres). serve's fleet mode used to queue no UDP ports, so its
// audits never asked SNMP or SSDP while the same site audited by serve
// itself did.
func TestSiteAuditOptions(t *testing.T) {
	tests := []struct {
		name  string
		site  servedb.Site
		ports []uint16 // engine ports of the audit
	}{
		{"scan's ports", servedb.Site{Name: "shop", Targets: []string{"127.0.0.1"}}, engine.DefaultPorts},
		{"the site's ports", servedb.Site{Name: "shop", Targets: []string{"127.0.0.1"}, Ports: "554,80", Depth: "common"}, []uint16{80, 554}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := &recordingQueue{}
			id, err := fleetDispatcher{q}.Enqueue(t.Context(), tc.site)
			if err != nil || id != 7 {
				t.Fatalf("Enqueue = %d, %v", id, err)
			}
			if !slices.Equal(q.opts.UDPPorts, engine.DefaultUDPPorts) || q.opts.Depth != tc.site.Depth {
				t.Errorf("queued options %+v, want UDP ports %v and depth %q", q.opts, engine.DefaultUDPPorts, tc.site.Depth)
			}
			// The worker scans the job's options as serve scans the site's.
			own, err := siteOptions(tc.site)
			if err != nil {
				t.Fatal(err)
			}
			fromJob, fromSite := jobConfig(nil, q.opts, nil), jobConfig(nil, own, nil)
			if !slices.Equal(fromJob.Ports, tc.ports) || !slices.Equal(fromJob.Ports, fromSite.Ports) ||
				!slices.Equal(fromJob.UDPPorts, fromSite.UDPPorts) || fromJob.Rate != fromSite.Rate ||
				fromJob.PerHost != fromSite.PerHost || fromJob.ProbeTimeout != fromSite.ProbeTimeout {
				t.Errorf("fleet job scans %+v, serve scans %+v", fromJob, fromSite)
			}
		})
	}
	if _, err := (fleetDispatcher{&recordingQueue{}}).Enqueue(t.Context(), servedb.Site{Name: "bad", Ports: "0-x"}); err == nil {
		t.Error("a site with unreadable ports was queued")
	}
}
