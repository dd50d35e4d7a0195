package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/report"
)

// TestScanInterruptedStillReports stands for Ctrl-C: the context ends in
// the middle of a scan of the lab. The scan must stop promptly, exit 130,
// and still print a valid report of what it had found, marked partial.
func TestScanInterruptedStillReports(t *testing.T) {
	l, err := lab.Start(t.Context(), lab.Options{Prefix: "127.78.95"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
	defer cancel()
	var out, errb bytes.Buffer
	start := time.Now()
	code := Run(ctx, []string{"scan", "127.78.95.0/24", "--format", "json", "--no-history", "--gateway", "off"},
		strings.NewReader(""), &out, &errb)
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("interrupted scan took %s to stop", took)
	}
	if code != ExitInterrupted {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitInterrupted, errb.String())
	}
	rep, err := report.ReadJSON(&out)
	if err != nil {
		t.Fatalf("partial report is not valid JSON: %v", err)
	}
	if !rep.Interrupted {
		t.Error("partial report not marked interrupted")
	}
	t.Logf("%d devices reported before the interrupt", len(rep.Devices))
}
