//go:build integration

package integration

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/report"
)

// fleetPostgres is the server scripts/peers/start-postgres.sh starts.
const fleetPostgres = "postgres://camwarden:camwarden@127.79.0.20:5432/camwarden"

// fleetDB creates a database of its own for one test (dropped at the
// end) and returns its URL; a missing server fails the test.
func fleetDB(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, fleetPostgres)
	if err != nil {
		t.Fatalf("postgres at %s: %v (start it with scripts/peers/start-postgres.sh)", fleetPostgres, err)
	}
	defer conn.Close(ctx)
	var b [5]byte
	_, _ = rand.Read(b[:])
	name := "cwfleet_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(t.Context()), 20*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, fleetPostgres); err == nil {
			_, _ = c.Exec(ctx, `DROP DATABASE `+name+` WITH (FORCE)`)
			_ = c.Close(ctx)
		}
	})
	u, _ := url.Parse(fleetPostgres)
	u.Path = "/" + name
	return u.String()
}

// buildCamwarden builds the real binary once per test run.
var buildOnce struct {
	sync.Once
	path string
	err  error
}

func camwardenBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "camwarden-fleet-bin")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "camwarden")
		out, err := exec.Command("go", "build", "-o", buildOnce.path, "github.com/camwarden/camwarden/cmd/camwarden").CombinedOutput()
		if err != nil {
			buildOnce.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.path
}

// startLabs starts one lab per prefix (each one "site").
func startLabs(t testing.TB, prefixes ...string) map[string]*lab.Lab {
	t.Helper()
	labs := map[string]*lab.Lab{}
	for _, p := range prefixes {
		l, err := lab.Start(t.Context(), lab.Options{Prefix: p})
		if err != nil {
			t.Fatalf("lab %s: %v", p, err)
		}
		t.Cleanup(func() { _ = l.Close() })
		labs[p] = l
	}
	return labs
}

func runCamwarden(t testing.TB, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), camwardenBinary(t), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("camwarden %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// worker is one "camwarden fleet worker" process.
type worker struct {
	id     string
	cmd    *exec.Cmd
	log    *lockedBuffer
	done   chan error
	starts chan string // sites whose scan started
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startWorker(t testing.TB, dbURL, id string, extra ...string) *worker {
	t.Helper()
	args := append([]string{"fleet", "worker", "--postgres", dbURL, "--id", id,
		"--allow-scope", "127.77.40.0/21"}, extra...)
	cmd := exec.Command(camwardenBinary(t), args...)
	pr, pw := io.Pipe()
	w := &worker{id: id, cmd: cmd, log: &lockedBuffer{}, done: make(chan error, 1), starts: make(chan string, 16)}
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(w.log, line)
			if strings.Contains(line, `msg="site scan started"`) {
				select {
				case w.starts <- line:
				default:
				}
			}
		}
	}()
	go func() { w.done <- cmd.Wait(); _ = pw.Close() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-w.done
		t.Logf("worker %s log:\n%s", id, tail(w.log.String(), 30))
	})
	return w
}

// stop asks the worker to finish (SIGINT) and waits for it.
func (w *worker) stop(t testing.TB) {
	t.Helper()
	_ = w.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-w.done:
		if err != nil {
			t.Errorf("worker %s: %v", w.id, err)
		}
		w.done <- err
	case <-time.After(30 * time.Second):
		t.Errorf("worker %s did not stop within 30 s", w.id)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// jobRow is one site job as River keeps it.
type jobRow struct {
	site        string
	state       string
	attempt     int
	attemptedBy []string
}

func jobs(t testing.TB, conn *pgx.Conn) map[string]jobRow {
	t.Helper()
	rows, err := conn.Query(t.Context(), `SELECT args->'site'->>'name', state::text, attempt, COALESCE(attempted_by, '{}')
		FROM river_job WHERE kind = 'camwarden_site_scan'`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]jobRow{}
	for rows.Next() {
		var j jobRow
		if err := rows.Scan(&j.site, &j.state, &j.attempt, &j.attemptedBy); err != nil {
			t.Fatal(err)
		}
		out[j.site] = j
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// waitJobs polls until every named site's job is in a final state.
func waitJobs(t testing.TB, conn *pgx.Conn, within time.Duration, sites ...string) map[string]jobRow {
	t.Helper()
	deadline := time.Now().Add(within)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		js := jobs(t, conn)
		final := 0
		for _, s := range sites {
			if st := js[s].state; st == "completed" || st == "cancelled" || st == "discarded" {
				final++
			}
		}
		if final == len(sites) {
			return js
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v the jobs are %+v", within, js)
		}
		select {
		case <-t.Context().Done():
			t.Fatal(t.Context().Err())
		case <-tick.C:
		}
	}
}

// siteScans returns the stored scan IDs of each site.
func siteScans(t testing.TB, conn *pgx.Conn) map[string][]int64 {
	t.Helper()
	rows, err := conn.Query(t.Context(), `SELECT site, scan_id FROM camwarden.site_scans ORDER BY scan_id`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]int64{}
	for rows.Next() {
		var site string
		var id int64
		if err := rows.Scan(&site, &id); err != nil {
			t.Fatal(err)
		}
		out[site] = append(out[site], id)
	}
	return out
}

// summary is what must agree between a fleet scan and a local scan:
// the devices (address, vendor, model, firmware) and the finding IDs.
func summary(s *report.Scan) (devices, findings []string) {
	for _, d := range s.Devices {
		devices = append(devices, fmt.Sprintf("%s %s %s %s", d.Address, d.Vendor, d.Model, d.Firmware))
	}
	for _, f := range s.Findings {
		findings = append(findings, fmt.Sprintf("%s %s", f.Address, f.ID))
	}
	slices.Sort(devices)
	slices.Sort(findings)
	return devices, findings
}
