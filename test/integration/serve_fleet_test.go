//go:build integration

package integration

import (
	"bytes"
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/cli"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/store/postgres"
	"github.com/camwarden/camwarden/internal/store/servedb"
)

// syncBuffer is a goroutine-safe log of a command run in-process.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestServeFleet runs "camwarden serve --postgres" with a "camwarden fleet
// worker" on the PostgreSQL peer: a site added with "camwarden site add
// --postgres" becomes a River job, the worker audits the lab and stores
// the scan, serve completes the audit run from the job's site_scans row,
// indexes the devices for the dashboard; "site audit" queues the next
// one. The same servedb queries as with SQLite run on PostgreSQL here.
func TestServeFleet(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	url := fleetDB(t)
	l, err := lab.Start(ctx, lab.Options{Prefix: "127.78.62"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var out, errb bytes.Buffer
	if code := cli.Run(ctx, []string{"site", "add", "--postgres", url, "fleet-shop", "127.78.62.9-10",
		"--schedule", "every 6h", "-p", "21,80,554,8000"}, nil, &out, &errb); code != 0 {
		t.Fatalf("site add: %d %s", code, errb.String())
	}
	var wg sync.WaitGroup
	run := func(name string, args ...string) *syncBuffer {
		var log syncBuffer
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code := cli.Run(ctx, args, nil, io.Discard, &log); code != 0 && ctx.Err() == nil {
				t.Errorf("%s exited %d:\n%s", name, code, log.String())
			}
		}()
		return &log
	}
	defer wg.Wait()
	defer cancel()
	worker := run("fleet worker", "fleet", "worker", "--postgres", url, "--allow-scope", "127.78.62.0/24")
	srv := run("serve", "serve", "--postgres", url, "--listen", "127.0.0.1:0", "--metrics-token-file", writeToken(t))
	pg, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	db := servedb.NewPostgres(pg)
	defer db.Close()
	site, err := db.SiteByName(ctx, "fleet-shop")
	if err != nil {
		t.Fatal(err)
	}
	done := func() []servedb.Run {
		runs, err := db.SiteRuns(ctx, site.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []servedb.Run
		for _, r := range runs {
			if r.State == servedb.RunDone {
				out = append(out, r)
			}
		}
		return out
	}
	deadline := time.Now().Add(2 * time.Minute)
	for len(done()) < 1 {
		if time.Now().After(deadline) {
			t.Fatalf("no audit completed; serve:\n%s\nworker:\n%s", srv.String(), worker.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	first := done()[0]
	if first.JobID == 0 || first.ScanID == 0 {
		t.Errorf("completed run %+v lacks its job or scan", first)
	}
	rows, total, err := db.Devices(ctx, servedb.DeviceFilter{Site: "fleet-shop"})
	if err != nil || total != 2 || len(rows) != 2 {
		t.Fatalf("dashboard index on postgres: %d devices (%v), want 2", total, err)
	}
	fs, ftotal, err := db.Findings(ctx, servedb.FindingFilter{Site: "fleet-shop", MinSeverity: 1})
	if err != nil || ftotal == 0 || len(fs) == 0 {
		t.Errorf("findings on postgres: %d (%v)", ftotal, err)
	}
	if code := cli.Run(ctx, []string{"site", "audit", "--postgres", url, "fleet-shop"}, nil, &out, &errb); code != 0 {
		t.Fatalf("site audit: %d %s", code, errb.String())
	}
	for len(done()) < 2 {
		if time.Now().After(deadline.Add(time.Minute)) {
			t.Fatalf("the second audit did not complete; serve:\n%s\nworker:\n%s", srv.String(), worker.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	runs, distinct, err := db.CountStoredRuns(ctx)
	if err != nil || runs != 2 || distinct != 2 {
		t.Errorf("stored runs %d, distinct scans %d (%v), want 2, 2", runs, distinct, err)
	}
}

func writeToken(t *testing.T) string {
	t.Helper()
	path := t.TempDir() + "/metrics.token"
	if err := writeFile(path, "fleet-metrics-token-0123456789\n"); err != nil {
		t.Fatal(err)
	}
	return path
}
