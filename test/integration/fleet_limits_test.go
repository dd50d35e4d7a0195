//go:build integration

package integration

import (
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/fleet"
)

// TestFleetWorkerLimits is issue 10 item 6 end to end: whoever writes to
// the queue cannot make a worker scan harder than the worker allows. A
// job with a negative rate, all 65,535 ports and per-host 100,000 is
// cancelled without a packet; a job asking for a million connections per
// second and per-host 100,000 runs clamped to the worker's --max-rate and
// --max-per-host, and the worker says so.
func TestFleetWorkerLimits(t *testing.T) {
	dbURL := fleetDB(t)
	startLabs(t, "127.77.46")
	q, err := fleet.Open(t.Context(), dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	all := make([]uint16, 65535)
	for i := range all {
		all[i] = uint16(i + 1)
	}
	if _, err := q.Enqueue(t.Context(), []fleet.Site{{Name: "hostile", Targets: []string{"127.77.46.2"}}},
		fleet.ScanOptions{Rate: -1, Ports: all, PerHost: 100_000, NoLogin: true}, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Enqueue(t.Context(), []fleet.Site{{Name: "greedy", Targets: []string{"127.77.46.2"}}},
		fleet.ScanOptions{Rate: 1_000_000, Ports: []uint16{80}, PerHost: 100_000, NoLogin: true}, 1); err != nil {
		t.Fatal(err)
	}
	w := startWorker(t, dbURL, "limits", "--max-rate", "50", "--max-per-host", "2")
	conn, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	js := waitJobs(t, conn, 2*time.Minute, "hostile", "greedy")
	if js["hostile"].state != "cancelled" {
		t.Errorf("hostile job %+v, want cancelled", js["hostile"])
	}
	if js["greedy"].state != "completed" {
		t.Errorf("greedy job %+v, want completed", js["greedy"])
	}
	w.stop(t)
	log := w.log.String()
	for _, want := range []string{"rate -1 is negative", "65535 ports", "rate 1000000 lowered to this worker's limit 50",
		"per-host 100000 lowered to this worker's limit 2", "rate=50 per_host=2"} {
		if !strings.Contains(log, want) {
			t.Errorf("worker log lacks %q", want)
		}
	}
}
