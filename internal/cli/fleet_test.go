package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/fleet"
)

func TestFleetUsageErrors(t *testing.T) {
	t.Setenv("CAMWARDEN_POSTGRES", "")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"fleet"}, "want enqueue, worker or status"},
		{"unknown", []string{"fleet", "drain"}, `fleet "drain"`},
		{"no url", []string{"fleet", "status"}, "--postgres URL (or $CAMWARDEN_POSTGRES) is required"},
		{"no sites", []string{"fleet", "enqueue", "--postgres", "postgres://x@127.0.0.1/x"}, "--sites FILE is required"},
		{"bad depth", []string{"fleet", "enqueue", "--postgres", "postgres://x@127.0.0.1/x", "--sites", "s", "--depth", "deep"}, "--depth"},
		{"bad allow-scope", []string{"fleet", "worker", "--postgres", "postgres://x@127.0.0.1/x", "--allow-scope", "8.8.8.0/24"}, "--allow-scope"},
		{"no allow-scope", []string{"fleet", "worker", "--postgres", "postgres://x@127.0.0.1/x"}, "a fleet worker needs --allow-scope"},
		{"bad concurrency", []string{"fleet", "worker", "--postgres", "postgres://x@127.0.0.1/x", "--allow-scope", "127.77.0.0/24", "--concurrency", "0"}, "--concurrency must be positive"},
		{"endless sites file", []string{"fleet", "enqueue", "--postgres", "postgres://x@127.0.0.1/x", "--sites", "/dev/zero"}, "larger than 16 MiB"},
		{"bad max-rate", []string{"fleet", "worker", "--postgres", "postgres://x@127.0.0.1/x", "--allow-scope", "127.77.0.0/24", "--max-rate", "-1"}, "--max-rate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Run(t.Context(), tc.args, strings.NewReader(""), &out, &errb)
			if code != ExitUsage || !strings.Contains(errb.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errb.String(), ExitUsage, tc.want)
			}
		})
	}
}

func TestWriteFleetStatus(t *testing.T) {
	st := &fleet.Status{Jobs: map[string]int{"completed": 4, "cancelled": 1},
		Sites: []fleet.SiteStatus{{Site: "shop-001", Scans: 2, LastScan: 7, Worker: "w1", Devices: 22,
			Finished: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}}}
	st.Sites[0].BySeverity[finding.SevCritical] = 36
	var b bytes.Buffer
	writeFleetStatus(&b, st)
	for _, want := range []string{"completed 4 cancelled 1", "sites scanned: 1", "shop-001  2      #7    2026-01-02T03:04:05Z  w1      22       36"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("status lacks %q:\n%s", want, b.String())
		}
	}
}
