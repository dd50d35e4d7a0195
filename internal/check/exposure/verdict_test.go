package exposure

import (
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/report"
)

// TestPlainHTTPDoesNotFailCheckpoint3 (issue 10.16): web administration
// over plain HTTP on a LAN is said (EXPOSE-HTTP-NO-TLS) but does not fail
// "unused functions" on every device; telnet still does.
func TestPlainHTTPDoesNotFailCheckpoint3(t *testing.T) {
	web := svc(80, "tcp", "http", map[string]string{probe.FieldHTTPStatus: "401", probe.FieldHTTPServer: "App-webs/"})
	tests := []struct {
		name    string
		d       device.Device
		verdict report.Verdict
		id      string
	}{
		{"plain http only", dev("Hikvision", "camera", web), report.VerdictPass, IDHTTPNoTLS},
		{"plain http and telnet", dev("Dahua", "camera", web, svc(23, "tcp", "telnet", nil)), report.VerdictFail, IDTelnet},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := New().Check(t.Context(), &check.Env{Now: func() time.Time { return testNow }}, &tc.d)
			var said bool
			for _, f := range fs {
				said = said || f.ID == IDHTTPNoTLS
				if f.ID == IDHTTPNoTLS && f.Severity >= finding.SevLow {
					t.Errorf("%s is %s: it fails checkpoint 3 on every LAN device", f.ID, f.Severity)
				}
			}
			if !said {
				t.Errorf("plain HTTP not said at all: %v", fs)
			}
			got := report.Scorecard(report.FromDevice(tc.d), fs)[2]
			if got.Verdict != tc.verdict || got.Finding != tc.id {
				t.Errorf("checkpoint 3 = %s (%s: %s), want %s (%s)", got.Verdict, got.Finding, got.Reason.EN, tc.verdict, tc.id)
			}
		})
	}
}
