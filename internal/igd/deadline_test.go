package igd

import (
	"strings"
	"testing"
	"time"
)

// TestAuditSlowRouterBounded: a router answering every SOAP call slowly
// with an endless mapping table (issue 10 item 7: 4.5 s per call stalled
// a scan for ~77 minutes) costs at most MappingsTime, or the audit's
// Deadline, and the listing is marked incomplete, never complete.
func TestAuditSlowRouterBounded(t *testing.T) {
	tests := []struct {
		name      string
		opts      Options
		wantError string
	}{
		{"time cap on the listing", Options{MappingsTime: 600 * time.Millisecond, Deadline: time.Minute}, "listing stopped after"},
		{"deadline of the whole audit", Options{Deadline: 800 * time.Millisecond}, "listing stopped at index"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := startFake(t, "127.81.0.3", -1)
			f.delay = 100 * time.Millisecond
			o := tc.opts
			o.Gateway, o.SSDPPort, o.Wait, o.Timeout = f.addr, f.ssdpPort, 300*time.Millisecond, 2*time.Second
			o.Dialer = &recordingDialer{}
			start := time.Now()
			gws, err := Audit(t.Context(), o)
			took := time.Since(start)
			if err != nil || len(gws) != 1 {
				t.Fatalf("Audit = %v, %v", gws, err)
			}
			gw := gws[0]
			if gw.Complete || !gw.Truncated {
				t.Errorf("complete=%v truncated=%v, want an incomplete, truncated listing", gw.Complete, gw.Truncated)
			}
			if len(gw.Mappings) >= DefaultMaxMappings {
				t.Errorf("%d mappings read: the time cap did not stop the listing", len(gw.Mappings))
			}
			if !strings.Contains(strings.Join(gw.Errors, "\n"), tc.wantError) {
				t.Errorf("errors %q, want %q", gw.Errors, tc.wantError)
			}
			// A bound, not a measurement: without a cap this listing
			// takes 1024 x 100 ms.
			if took > 60*time.Second {
				t.Errorf("audit took %s", took)
			}
			t.Logf("%d mappings in %s", len(gw.Mappings), took)
		})
	}
}

func TestAuditCompleteTable(t *testing.T) {
	f := startFake(t, "127.81.0.4", 2)
	gws, err := auditFake(t, f, &recordingDialer{}, 0)
	if err != nil || len(gws) != 1 {
		t.Fatalf("Audit = %v, %v", gws, err)
	}
	if !gws[0].Complete || gws[0].Truncated {
		t.Errorf("complete=%v truncated=%v errors %v, want a complete listing", gws[0].Complete, gws[0].Truncated, gws[0].Errors)
	}
}
