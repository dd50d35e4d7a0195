//go:build integration

package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/postgres"
)

// fleetSites are four labs = four sites, inside the workers' --allow-scope
// 127.77.40.0/21, plus one site outside it.
var fleetSites = []string{"127.77.41", "127.77.42", "127.77.43", "127.77.44"}

func writeSites(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sites.txt")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFleet enqueues four lab sites and a site outside the workers'
// allow-scope, runs two worker processes at once, and checks that every
// site was scanned and stored exactly once, that the stored scans match
// a local "camwarden scan" of the same lab, and that the rogue site was
// refused without a retry. Then a worker is killed in the middle of a
// site and another one finishes that site.
func TestFleet(t *testing.T) {
	dbURL := fleetDB(t)
	labs := startLabs(t, append(fleetSites, "127.77.45")...)
	var lines []string
	for _, p := range fleetSites {
		lines = append(lines, fmt.Sprintf("site-%s %s.0/24", p[len("127.77."):], p))
	}
	lines = append(lines, "rogue 127.77.41.0/24 127.78.0.1") // one address outside the allow-scope
	out := runCamwarden(t, "fleet", "enqueue", "--postgres", dbURL, "--sites", writeSites(t, lines...))
	if !strings.Contains(out, "5 sites queued, 0 already") {
		t.Fatalf("enqueue: %s", out)
	}
	out = runCamwarden(t, "fleet", "enqueue", "--postgres", dbURL, "--sites", writeSites(t, lines[0]))
	if !strings.Contains(out, "0 sites queued, 1 already waiting or running") {
		t.Errorf("unique jobs: re-enqueue printed %s", out)
	}
	conn, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())

	a, b := startWorker(t, dbURL, "worker-a"), startWorker(t, dbURL, "worker-b")
	names := []string{"site-41", "site-42", "site-43", "site-44", "rogue"}
	js := waitJobs(t, conn, 4*time.Minute, names...)
	a.stop(t)
	b.stop(t)
	scans := siteScans(t, conn)
	by := map[string]int{}
	for _, n := range names[:4] {
		j := js[n]
		if j.state != "completed" || j.attempt != 1 || len(scans[n]) != 1 {
			t.Errorf("%s: state %s attempt %d stored scans %v; want completed once", n, j.state, j.attempt, scans[n])
		}
		for _, w := range j.attemptedBy {
			by[w]++
		}
	}
	t.Logf("sites per worker: %v", by)
	if r := js["rogue"]; r.state != "cancelled" || r.attempt != 1 || len(scans["rogue"]) != 0 {
		t.Errorf("rogue site: state %s attempt %d scans %v; want cancelled, never scanned", r.state, r.attempt, scans["rogue"])
	}
	if !strings.Contains(a.log.String()+b.log.String(), "127.78.0.1 is outside --allow-scope 127.77.40.0/21") {
		t.Error("no worker logged why the rogue site was refused")
	}

	// The stored scans against a local scan of the same lab, restarted
	// fresh: a lab remembers the logins it saw (lockout counters), so a
	// second scan of the same instance is not the same experiment. Each
	// local scan also gets a store of its own: the labs of all sites are
	// clones (same serials and MACs), and the login budget follows a
	// device by serial and MAC, so one site's failed logins would spend
	// the next site's budget.
	st, err := postgres.Open(t.Context(), dbURL, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, p := range fleetSites[:2] {
		site := "site-" + p[len("127.77."):]
		fleetScan, err := st.Scan(t.Context(), store.ScanID(scans[site][0]))
		if err != nil {
			t.Fatal(err)
		}
		if err := labs[p].Close(); err != nil {
			t.Fatal(err)
		}
		startLabs(t, p)
		jsonPath := filepath.Join(t.TempDir(), "local.json")
		runCamwarden(t, "scan", "--gateway", "off", "--db", filepath.Join(t.TempDir(), "local.db"),
			"--format", "json", "-o", jsonPath, p+".0/24")
		f, err := os.Open(jsonPath)
		if err != nil {
			t.Fatal(err)
		}
		local, err := report.ReadJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		fd, ff := summary(fleetScan)
		ld, lf := summary(local)
		// The two sites are scanned at once by two workers sharing the
		// fleet's login store, so a device and its clone in the other site
		// share one budget: one of them may find it spent (every clone
		// whose vendor defaults fail: 0 to 7 per site measured). Their
		// password findings are compared no further; the others' are.
		var shared []string
		for _, d := range fleetScan.Devices {
			if a := d.Address.String(); strings.Contains(coverage(fleetScan, a)["reason"], "login budget spent") {
				shared = append(shared, a)
			}
		}
		if len(fleetScan.Devices)-len(shared) < 15 {
			t.Errorf("%s: only %d of %d devices had a password check of their own", site, len(fleetScan.Devices)-len(shared), len(fleetScan.Devices))
		}
		ff, lf = withoutAuth(ff, shared), withoutAuth(lf, shared)
		t.Logf("%s: password findings not compared (budget shared with a clone in the other site): %v", site, shared)
		if len(fd) < 20 || !slices.Equal(fd, ld) {
			t.Errorf("%s: fleet devices %d %v\nlocal devices %d %v", site, len(fd), fd, len(ld), ld)
		}
		if len(ff) < 20 || !slices.Equal(ff, lf) {
			t.Errorf("%s: fleet findings differ from the local scan's:\nonly fleet %v\nonly local %v", site,
				minus(ff, lf), minus(lf, ff))
			for _, x := range append(minus(ff, lf), minus(lf, ff)...) {
				addr, _, _ := strings.Cut(x, " ")
				t.Logf("%s password check: fleet %v\nlocal %v", addr, coverage(fleetScan, addr), coverage(local, addr))
			}
		}
	}

	// A worker killed in the middle of a site: the job is rescued and the
	// other worker scans the site; it is stored once.
	runCamwarden(t, "fleet", "enqueue", "--postgres", dbURL, "--sites", writeSites(t, "site-45 127.77.45.0/24"))
	short := []string{"--job-timeout", "20s", "--rescue-after", "25s"}
	c := startWorker(t, dbURL, "worker-c", short...)
	select {
	case line := <-c.starts:
		if !strings.Contains(line, "site=site-45") {
			t.Fatalf("worker c started %s", line)
		}
	case <-time.After(time.Minute):
		t.Fatal("worker c did not start site-45 within a minute")
	}
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	if j := jobs(t, conn)["site-45"]; j.state != "running" {
		t.Fatalf("site-45 after the kill: %+v, want running", j)
	}
	startWorker(t, dbURL, "worker-d", short...)
	js = waitJobs(t, conn, 3*time.Minute, "site-45")
	j := js["site-45"]
	t.Logf("site-45 rescued and finished %.0f s after the kill: %+v", time.Since(killed).Seconds(), j)
	if j.state != "completed" || j.attempt != 2 || !slices.Equal(j.attemptedBy, []string{"worker-c", "worker-d"}) {
		t.Errorf("site-45 job %+v; want completed on attempt 2 by worker-c then worker-d", j)
	}
	var worker string
	var attempt, n int
	if err := conn.QueryRow(t.Context(), `SELECT COUNT(*), MAX(worker), MAX(attempt) FROM camwarden.site_scans
		WHERE site = 'site-45'`).Scan(&n, &worker, &attempt); err != nil || n != 1 || worker != "worker-d" || attempt != 2 {
		t.Errorf("site-45 stored %d times, by %q on attempt %d (%v); want once by worker-d on attempt 2", n, worker, attempt, err)
	}
	status := runCamwarden(t, "fleet", "status", "--postgres", dbURL)
	t.Logf("fleet status:\n%s", status)
	if !strings.Contains(status, "cancelled 1") || !strings.Contains(status, "completed 5") ||
		!strings.Contains(status, "sites scanned: 5") {
		t.Errorf("status:\n%s", status)
	}
}

// coverage is the evidence of the AUTH-COVERAGE finding of addr in s:
// what the password check tried there and why it stopped.
func coverage(s *report.Scan, addr string) map[string]string {
	for _, f := range s.Findings {
		if f.ID == "AUTH-COVERAGE" && f.Address.String() == addr {
			return f.Evidence
		}
	}
	return nil
}

// withoutAuth drops the password findings (AUTH-*) of addrs from a
// summary's "address ID" lines.
func withoutAuth(findings, addrs []string) []string {
	return slices.DeleteFunc(slices.Clone(findings), func(x string) bool {
		addr, id, _ := strings.Cut(x, " ")
		return slices.Contains(addrs, addr) && strings.HasPrefix(id, "AUTH-")
	})
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
