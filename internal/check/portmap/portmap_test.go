package portmap

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/igd"
	"github.com/camwarden/camwarden/internal/probe"
)

var (
	gw       = netip.MustParseAddr("10.79.1.1")
	external = netip.MustParseAddr("11.79.1.2")
)

// mapping mirrors an entry of miniupnpd 2.3.1's real port listing (see
// internal/igd/testdata), as igd.Audit returns it.
func mapping(client string, in, ext uint16, proto, desc string) igd.Mapping {
	c := netip.MustParseAddr(client)
	return igd.Mapping{Gateway: gw, ExternalPort: ext, Protocol: proto, InternalClient: c, InternalHost: client,
		InternalPort: in, Enabled: true, Description: desc, Lease: 86392 * time.Second, Source: "GetGenericPortMappingEntry"}
}

func dev(addr string, services ...probe.Service) device.Device {
	return device.Device{Address: netip.MustParseAddr(addr), Services: services}
}

func svc(port uint16, transport, proto string) probe.Service {
	return probe.Service{Port: port, Transport: transport, Protocol: proto, Status: probe.StatusIdentified}
}

func TestFindings(t *testing.T) {
	devices := []device.Device{
		dev("10.79.1.100", svc(80, "tcp", "http"), svc(80, "tcp", "onvif")),
		dev("10.79.1.101", svc(554, "tcp", "rtsp"), svc(23, "tcp", "telnet"), svc(22, "tcp", "ssh")),
		dev("10.79.1.102", svc(8000, "tcp", "hikvision-sdk")),
	}
	type want struct {
		id       string
		addr     string
		port     uint16
		sev      finding.Severity
		proto    string
		external string
	}
	tests := []struct {
		name     string
		mappings []igd.Mapping
		want     []want
	}{
		{"camera web and rtsp", []igd.Mapping{
			mapping("10.79.1.100", 80, 18080, "tcp", "camwarden-cam-web"),
			mapping("10.79.1.101", 554, 10554, "tcp", "camwarden-cam-rtsp"),
		}, []want{
			{IDOutsideView, "10.79.1.1", 0, finding.SevInfo, "", ""},
			{IDExposed, "10.79.1.100", 80, finding.SevCritical, "http", "11.79.1.2:18080/tcp"},
			{IDExposed, "10.79.1.101", 554, finding.SevCritical, "rtsp", "11.79.1.2:10554/tcp"},
		}},
		{"ssh is high, unknown udp port is high, unscanned host on router", []igd.Mapping{
			mapping("10.79.1.101", 22, 10022, "tcp", "ssh"),
			mapping("10.79.1.102", 37777, 37777, "udp", "camwarden-nvr-udp"),
			mapping("10.79.1.103", 8080, 18081, "tcp", "camwarden-unscanned"),
		}, []want{
			{IDOutsideView, "10.79.1.1", 0, finding.SevInfo, "", ""},
			{IDExposedUnscanned, "10.79.1.1", 18081, finding.SevHigh, "tcp", "11.79.1.2:18081/tcp"},
			{IDExposed, "10.79.1.101", 22, finding.SevHigh, "ssh", "11.79.1.2:10022/tcp"},
			{IDExposed, "10.79.1.102", 37777, finding.SevHigh, "udp", "11.79.1.2:37777/udp"},
		}},
		{"disabled mapping of the sdk port is medium", []igd.Mapping{
			func() igd.Mapping {
				m := mapping("10.79.1.102", 8000, 18000, "tcp", "camwarden-nvr-sdk")
				m.Enabled = false
				return m
			}(),
		}, []want{
			{IDOutsideView, "10.79.1.1", 0, finding.SevInfo, "", ""},
			{IDExposed, "10.79.1.102", 8000, finding.SevMedium, "hikvision-sdk", "11.79.1.2:18000/tcp"},
		}},
		{"no mappings, no findings", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Findings(tc.mappings, external, devices)
			if len(got) != len(tc.want) {
				t.Fatalf("%d findings, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				f := got[i]
				if f.ID != w.id || f.Address.String() != w.addr || f.Port != w.port || f.Severity != w.sev ||
					f.Protocol != w.proto || f.Evidence["external"] != w.external || f.Checkpoint != finding.CheckExposure {
					t.Errorf("finding %d = %s %s:%d %s %s ext %q, want %+v", i, f.ID, f.Address, f.Port, f.Severity, f.Protocol, f.Evidence["external"], w)
				}
				if f.Title.EN == "" || f.Title.JA == "" || f.Remediation.EN == "" || f.Remediation.JA == "" {
					t.Errorf("finding %d lacks bilingual text", i)
				}
			}
			if len(tc.mappings) > 0 {
				view := got[0]
				if view.Evidence["count"] != strconv.Itoa(len(tc.mappings)) || view.Evidence["external_ip"] != "11.79.1.2" {
					t.Errorf("outside view evidence %v", view.Evidence)
				}
				for _, m := range tc.mappings {
					if !strings.Contains(view.Evidence["published"], m.InternalHost) {
						t.Errorf("outside view misses %s: %q", m.InternalHost, view.Evidence["published"])
					}
				}
			}
		})
	}
}

func TestEvidence(t *testing.T) {
	m := mapping("10.79.1.100", 80, 18080, "tcp", "camwarden-cam-web")
	m.Lease = 0
	got := Findings([]igd.Mapping{m}, netip.Addr{}, []device.Device{dev("10.79.1.100", svc(80, "tcp", "http"))})
	f := got[1]
	want := map[string]string{"external": "unknown:18080/tcp", "internal": "10.79.1.100:80", "description": "camwarden-cam-web",
		"lease": "permanent", "remote_host": "any", "enabled": "true", "services": "http", "gateway": "10.79.1.1"}
	for k, v := range want {
		if f.Evidence[k] != v {
			t.Errorf("evidence %s = %q, want %q", k, f.Evidence[k], v)
		}
	}
}
