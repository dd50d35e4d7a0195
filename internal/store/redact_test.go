package store

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/report"
)

// secretScan is the lab scan as --show-secrets writes it: the working
// factory credential in the evidence (admin/12345 is Hikvision's
// documented pre-2016 default), a stream URL with the password and a
// Basic header in a trace.
func secretScan(t testing.TB) *report.Scan {
	s := labScan(t)
	a := netip.MustParseAddr("127.77.0.2")
	for i := range s.Findings {
		if s.Findings[i].Address == a && s.Findings[i].ID == "AUTH-DEFAULT-HTTP" {
			ev := s.Findings[i].Evidence
			ev["username"], ev["password"] = "admin", "12345"
			ev["stream"] = "rtsp://admin:12345@127.77.0.2:554/Streaming/Channels/101"
		}
	}
	d := device(t, s, "127.77.0.2")
	d.Services[0].SetField("client_secret", "12345")
	d.Services[0].Trace = append(d.Services[0].Trace,
		probe.TraceEntry{Dir: "send", Data: "GET / HTTP/1.1\r\nAuthorization: Basic YWRtaW46MTIzNDU=\r\n"})
	return s
}

func TestPrepareRedacts(t *testing.T) {
	s := secretScan(t)
	doc, raw, err := Prepare(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"12345@", `"12345"`, "YWRtaW46MTIzNDU="} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("stored document holds %s", secret)
		}
	}
	var f *finding.Finding
	for i := range doc.Findings {
		if doc.Findings[i].ID == "AUTH-DEFAULT-HTTP" {
			f = &doc.Findings[i]
		}
	}
	if f == nil {
		t.Fatal("finding lost")
	}
	tests := []struct{ key, want string }{
		{"password", Redacted},
		{"username", "admin"},
		{"credential", "Hikvision factory default admin"},
		{"stream", "rtsp://admin:" + Redacted + "@127.77.0.2:554/Streaming/Channels/101"},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			if got := f.Evidence[tc.key]; got != tc.want {
				t.Errorf("evidence %s = %q, want %q", tc.key, got, tc.want)
			}
		})
	}
	if got := device(t, doc, "127.77.0.2").Services[0].Fields["client_secret"]; got != Redacted {
		t.Errorf("field client_secret = %q", got)
	}
	// The caller's scan keeps its secrets: only the stored copy is redacted.
	if !strings.Contains(device(t, s, "127.77.0.2").Services[0].Trace[len(s.Devices[0].Services[0].Trace)-1].Data, "YWRtaW46MTIzNDU=") {
		t.Error("Prepare modified the caller's scan")
	}
}

func TestPrepareRejectsOtherSchemas(t *testing.T) {
	s := labScan(t)
	s.Schema = "camwarden.scan/v0"
	if _, _, err := Prepare(s); err == nil {
		t.Fatal("Prepare accepted a non-v1 document")
	}
}
