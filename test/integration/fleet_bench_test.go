//go:build integration

package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// BenchmarkFleetSites measures sites per minute with 1 and 2 worker
// processes on 4 lab sites (each a /24 with 22 simulated devices).
// Run: go test -tags integration -run '^$' -bench FleetSites -benchtime 1x ./test/integration/
func BenchmarkFleetSites(b *testing.B) {
	prefixes := []string{"127.77.41", "127.77.42", "127.77.43", "127.77.44"}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var total time.Duration
			sites := 0
			for b.Loop() {
				dbURL := fleetDB(b)
				labs := startLabs(b, prefixes...) // fresh labs: no lockout state from the last round
				var lines, names []string
				for i, p := range prefixes {
					names = append(names, fmt.Sprintf("bench-%d", i))
					lines = append(lines, fmt.Sprintf("bench-%d %s.0/24", i, p))
				}
				path := filepath.Join(b.TempDir(), "sites.txt")
				if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
					b.Fatal(err)
				}
				runCamwarden(b, "fleet", "enqueue", "--postgres", dbURL, "--sites", path)
				conn, err := pgx.Connect(b.Context(), dbURL)
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				var ws []*worker
				for w := range workers {
					ws = append(ws, startWorker(b, dbURL, fmt.Sprintf("bench-w%d", w)))
				}
				js := waitJobs(b, conn, 5*time.Minute, names...)
				total += time.Since(start)
				sites += len(names)
				for _, n := range names {
					if js[n].state != "completed" {
						b.Fatalf("%s: %+v", n, js[n])
					}
				}
				for _, w := range ws {
					w.stop(b)
				}
				_ = conn.Close(b.Context())
				for _, l := range labs {
					_ = l.Close()
				}
			}
			b.ReportMetric(float64(sites)/total.Minutes(), "sites/min")
		})
	}
}
