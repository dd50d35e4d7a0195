package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/sqlite"
)

// cancelAfter is a log writer that cancels the scan (as Ctrl-C does
// through signal.NotifyContext) once the -v log has shown n lines
// containing what, so the interrupt falls at a known stage of the scan
// rather than after a guessed delay.
type cancelAfter struct {
	mu     sync.Mutex
	what   string
	n      int
	cancel context.CancelFunc
	buf    bytes.Buffer
	at     time.Time
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if c.n > 0 {
		c.n -= bytes.Count(p, []byte(c.what))
		if c.n <= 0 {
			c.at = time.Now()
			c.cancel()
		}
	}
	return len(p), nil
}

func (c *cancelAfter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// TestScanInterruptedStillReports is issue 10.1: Ctrl-C in the middle of
// a wide scan of the lab (-p 1-3000, so no host has finished its sweep)
// used to print "1✓ 2? 3✓" for every device, fail to save the history
// with "context canceled" and exit 3. The scan must stop promptly, exit
// 130, print a valid report marked interrupted in which no device passes
// anything and every unfinished checkpoint says interrupted, and save it.
func TestScanInterruptedStillReports(t *testing.T) {
	l, err := lab.Start(t.Context(), lab.Options{Prefix: "127.78.95"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	logw := &cancelAfter{what: `msg=open `, n: 8, cancel: cancel}
	db := filepath.Join(t.TempDir(), "history.db")
	var out bytes.Buffer
	code := Run(ctx, []string{"scan", "127.78.95.0/24", "-p", "1-3000", "--format", "json", "--db", db, "--gateway", "off", "-v"},
		strings.NewReader(""), &out, logw)
	if logw.at.IsZero() {
		t.Fatalf("the scan ended before the interrupt (exit %d)", code)
	}
	if took := time.Since(logw.at); took > 10*time.Second {
		t.Errorf("interrupted scan took %s to stop", took)
	}
	if code != ExitInterrupted {
		t.Fatalf("exit %d, want %d; stderr tail:\n%s", code, ExitInterrupted, tail(logw.String(), 20))
	}
	rep, err := report.ReadJSON(&out)
	if err != nil {
		t.Fatalf("partial report is not valid JSON: %v", err)
	}
	if !rep.Interrupted {
		t.Error("partial report not marked interrupted")
	}
	if len(rep.Devices) == 0 {
		t.Fatal("no device reported: the interrupt came too early to test the scorecards")
	}
	for _, d := range rep.Devices {
		for _, c := range d.Scorecard {
			if c.Verdict == report.VerdictPass {
				t.Errorf("%s checkpoint %d: pass in an interrupted scan (%s)", d.Address, c.Checkpoint, c.Reason.EN)
			}
			if c.Verdict == report.VerdictUnknown && !c.Interrupted {
				t.Errorf("%s checkpoint %d: could-not-check without saying interrupted: %+v", d.Address, c.Checkpoint, c)
			}
		}
	}
	st, err := sqlite.Open(t.Context(), db, sqlite.Options{})
	if err != nil {
		t.Fatalf("history store not created: %v\n%s", err, tail(logw.String(), 5))
	}
	defer st.Close()
	scans, err := st.Scans(t.Context(), store.ScanFilter{})
	if err != nil || len(scans) != 1 || !scans[0].Interrupted {
		t.Fatalf("saved scans %+v (%v), want one interrupted scan", scans, err)
	}
	t.Logf("%d devices reported before the interrupt; saved as scan %d", len(rep.Devices), scans[0].ID)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
