package serve_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/cli"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/servedb"
	"github.com/camwarden/camwarden/internal/store/sqlite"
)

// TestMain lets the crash test run "camwarden serve" as a real child
// process of the test binary (so that it can be killed with SIGKILL),
// with the signal handling of cmd/camwarden's main.
func TestMain(m *testing.M) {
	if os.Getenv("CAMWARDEN_SERVE_CHILD") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// child is a camwarden serve process.
type child struct {
	cmd *exec.Cmd
	mu  sync.Mutex
	out bytes.Buffer
}

func (c *child) Write(p []byte) (int, error) { c.mu.Lock(); defer c.mu.Unlock(); return c.out.Write(p) }
func (c *child) log() string                 { c.mu.Lock(); defer c.mu.Unlock(); return c.out.String() }

func startServe(t *testing.T, db string) *child {
	t.Helper()
	c := &child{}
	c.cmd = exec.Command(os.Args[0], "serve", "--db", db, "--listen", "127.0.0.1:0", "--grace", "1s")
	c.cmd.Env = append(os.Environ(), "CAMWARDEN_SERVE_CHILD=1")
	c.cmd.Stdout, c.cmd.Stderr = c, c
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.cmd.Process.Kill(); _ = c.cmd.Wait() })
	return c
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool, logs func() string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; serve said:\n%s", what, logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCrashMidAudit: "camwarden serve" is killed with SIGKILL during an
// audit; after a restart that audit runs again and is stored once, and
// the audit stored before the kill is intact.
func TestCrashMidAudit(t *testing.T) {
	l, err := lab.Start(t.Context(), lab.Options{Prefix: "127.78.60"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	path := filepath.Join(t.TempDir(), "camwarden.db")
	var out, errb bytes.Buffer
	if code := cli.Run(t.Context(), []string{"site", "add", "--db", path, "crash", "127.78.60.9-10",
		"--schedule", "every 6h", "-p", "21,80,554,1900,8000,34567"}, nil, &out, &errb); code != 0 {
		t.Fatalf("site add: %d %s", code, errb.String())
	}
	st, err := sqlite.Open(t.Context(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db := servedb.NewSQLite(st)
	site, err := db.SiteByName(t.Context(), "crash")
	if err != nil {
		t.Fatal(err)
	}
	run := func(id int64) servedb.Run {
		r, err := db.Run(t.Context(), id)
		if err != nil {
			return servedb.Run{}
		}
		return r
	}
	first := startServe(t, path)
	waitFor(t, "the first audit", 60*time.Second, func() bool { return run(1).State == servedb.RunDone }, first.log)
	before, err := st.Scan(t.Context(), run(1).ScanID)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RunNow(t.Context(), site, time.Now()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the second audit to start", 30*time.Second, func() bool { return run(2).State == servedb.RunRunning }, first.log)
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.cmd.Wait()
	if r := run(2); r.State != servedb.RunRunning || r.ScanID != 0 {
		t.Fatalf("after the kill the audit is %+v, want running with nothing stored", r)
	}
	scans := func() int {
		ms, err := st.Scans(t.Context(), store.ScanFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(ms)
	}
	if n := scans(); n != 1 {
		t.Fatalf("%d scans stored after the kill, want 1", n)
	}
	second := startServe(t, path)
	waitFor(t, "the interrupted audit to run again", 60*time.Second, func() bool { return run(2).State == servedb.RunDone }, second.log)
	if r := run(2); r.Attempts != 2 {
		t.Errorf("audit 2 ran %d times, want 2 (killed, then re-run)", r.Attempts)
	}
	if !strings.Contains(second.log(), "queued again") {
		t.Errorf("the restart did not say it re-queued the audit:\n%s", second.log())
	}
	if n := scans(); n != 2 {
		t.Errorf("%d scans stored, want 2 (one per audit, none twice)", n)
	}
	runs, distinct, err := db.CountStoredRuns(t.Context())
	if err != nil || runs != 2 || distinct != 2 {
		t.Errorf("stored runs %d, distinct scans %d (%v), want 2 and 2", runs, distinct, err)
	}
	after, err := st.Scan(t.Context(), run(1).ScanID)
	if err != nil || len(after.Devices) != len(before.Devices) || len(after.Devices) != 2 {
		t.Errorf("the first audit's scan changed or was lost: %v", err)
	}
	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := second.cmd.Wait(); err != nil {
		t.Errorf("serve did not stop cleanly on SIGTERM: %v\n%s", err, second.log())
	}
}
