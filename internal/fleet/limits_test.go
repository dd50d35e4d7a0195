package fleet

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/scope"
)

func allPorts() []uint16 {
	p := make([]uint16, 65535)
	for i := range p {
		p[i] = uint16(i + 1)
	}
	return p
}

// TestLimitsApply: a job cannot ask a worker for more than the worker's
// own limits (issue 10 item 6: a negative rate, 65,535 ports and per-host
// 100,000 used to run unlimited).
func TestLimitsApply(t *testing.T) {
	lim := Limits{MaxRate: 500, MaxPerHost: 4, MaxPorts: 100, MaxProbeTimeout: 10 * time.Second}
	tests := []struct {
		name   string
		in     ScanOptions
		want   ScanOptions
		notes  int
		refuse string
	}{
		{"defaults within limits", ScanOptions{}, ScanOptions{Rate: 500, PerHost: 4, ProbeTimeout: 5 * time.Second}, 0, ""},
		{"sane job unchanged", ScanOptions{Rate: 100, PerHost: 2, ProbeTimeout: 3 * time.Second, Ports: []uint16{554, 80, 80}, Depth: "common"},
			ScanOptions{Rate: 100, PerHost: 2, ProbeTimeout: 3 * time.Second, Ports: []uint16{80, 554}, Depth: "common"}, 0, ""},
		{"greedy job clamped", ScanOptions{Rate: 1_000_000, PerHost: 100_000, ProbeTimeout: time.Hour},
			ScanOptions{Rate: 500, PerHost: 4, ProbeTimeout: 10 * time.Second}, 3, ""},
		{"negative rate", ScanOptions{Rate: -1}, ScanOptions{}, 0, "rate -1 is negative"},
		{"negative per-host", ScanOptions{PerHost: -5}, ScanOptions{}, 0, "per-host -5 is negative"},
		{"negative probe timeout", ScanOptions{ProbeTimeout: -time.Second}, ScanOptions{}, 0, "probe timeout -1s is negative"},
		{"65535 ports", ScanOptions{Ports: allPorts()}, ScanOptions{}, 0, "65535 ports, this worker scans at most 100"},
		{"port 0", ScanOptions{UDPPorts: []uint16{0, 161}}, ScanOptions{}, 0, "port 0"},
		{"unknown depth", ScanOptions{Depth: "everything"}, ScanOptions{}, 0, "depth"},
		{"the issue's job", ScanOptions{Rate: -1, Ports: allPorts(), PerHost: 100_000}, ScanOptions{}, 0, "rate -1 is negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, notes, err := lim.Apply(tc.in)
			if tc.refuse != "" {
				if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tc.refuse) {
					t.Fatalf("Apply = %v, want a refusal (ErrRefused) saying %q", err, tc.refuse)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Rate != tc.want.Rate || got.PerHost != tc.want.PerHost || got.ProbeTimeout != tc.want.ProbeTimeout ||
				len(got.Ports) != len(tc.want.Ports) || got.Depth != tc.want.Depth {
				t.Errorf("Apply = %+v, want %+v", got, tc.want)
			}
			if len(notes) != tc.notes {
				t.Errorf("notes %q, want %d", notes, tc.notes)
			}
		})
	}
	// Zero limits mean the defaults, never "unlimited".
	got, _, err := Limits{}.Apply(ScanOptions{Rate: 1 << 30, PerHost: 1 << 30})
	if err != nil || got.Rate != DefaultMaxRate || got.PerHost != DefaultMaxPerHost {
		t.Errorf("zero Limits: %+v, %v; want the default maxima", got, err)
	}
}

func TestWorkerNeedsAllowScope(t *testing.T) {
	q := &Queue{}
	err := q.RunWorker(t.Context(), WorkerConfig{Scan: func(context.Context, *scope.Scope, ScanOptions) (*report.Scan, error) {
		t.Error("a worker without an allow list scanned")
		return nil, nil
	}})
	if !errors.Is(err, ErrNoAllowScope) {
		t.Errorf("RunWorker without an allow list: %v, want ErrNoAllowScope", err)
	}
}
