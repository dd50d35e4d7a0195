//go:build integration

package integration

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/probe"
)

// TestHostPeers scans 127.79.0.0/28 once, like a user would, and checks what
// camwarden reports for each real server.
func TestHostPeers(t *testing.T) {
	requirePeers(t, hostPeers)
	devices := scan(t, scanConfig{
		targets:  []string{"127.79.0.0/28"},
		tcpPorts: []uint16{21, 22, 23, 80, 554},
		udpPorts: []uint16{161},
	})
	tests := []struct {
		addr  string
		check func(t *testing.T, d device.Device)
	}{
		{"127.79.0.1", checkHikvisionWeb},
		{"127.79.0.2", func(t *testing.T, d device.Device) {
			s := service(t, d, "http", 80)
			field(t, s, probe.FieldHTTPStatus, "401", equal)
			field(t, s, probe.FieldHTTPAuthScheme, "Basic", equal)
			field(t, s, probe.FieldHTTPRealm, "Protected", equal)
			field(t, s, probe.FieldHTTPServer, "nginx", hasPrefix)
		}},
		{"127.79.0.3", func(t *testing.T, d device.Device) {
			s := service(t, d, "rtsp", 554)
			field(t, s, probe.FieldRTSPStatus, "401", equal)
			field(t, s, probe.FieldRTSPRealm, "IP Camera(12345)", equal)
			field(t, s, probe.FieldRTSPAuthScheme, "Basic", containsFold)
			field(t, s, probe.FieldRTSPAuthScheme, "Digest", containsFold)
		}},
		{"127.79.0.4", func(t *testing.T, d device.Device) {
			s := service(t, d, "rtsp", 554)
			field(t, s, probe.FieldRTSPStatus, "401", equal)
			field(t, s, probe.FieldRTSPRealm, "IP Camera(12345)", equal)
			field(t, s, probe.FieldRTSPAuthScheme, "Digest", containsFold)
			if containsFold(s.Fields[probe.FieldRTSPAuthScheme], "basic") {
				t.Errorf("digest-only peer reported schemes %q", s.Fields[probe.FieldRTSPAuthScheme])
			}
		}},
		{"127.79.0.5", func(t *testing.T, d device.Device) {
			s := service(t, d, "rtsp", 554)
			field(t, s, probe.FieldRTSPStatus, "200", equal)
			field(t, s, probe.FieldRTSPSDP, "m=video", contains)
			field(t, s, probe.FieldRTSPSDP, "H264/90000", contains)
		}},
		{"127.79.0.6", func(t *testing.T, d device.Device) {
			s := service(t, d, "telnet", 23)
			field(t, s, probe.FieldTelnetPrompt, "login:", contains)
		}},
		{"127.79.0.7", func(t *testing.T, d device.Device) {
			s := service(t, d, "ssh", 22)
			field(t, s, probe.FieldSSHBanner, "SSH-2.0-OpenSSH_", hasPrefix)
		}},
		{"127.79.0.8", func(t *testing.T, d device.Device) {
			s := service(t, d, "ftp", 21)
			field(t, s, probe.FieldFTPBanner, "(vsFTPd 3.0.3)", contains) // the probe keeps the text after "220 "
		}},
		// A UDP-only host: the engine must send the UDP probes to every address
		// in scope, not only to hosts with an open TCP port.
		{"127.79.0.9", func(t *testing.T, d device.Device) {
			s := service(t, d, "snmp", 161)
			if s.Transport != "udp" {
				t.Errorf("snmp transport %q, want udp", s.Transport)
			}
			field(t, s, probe.FieldSNMPSysDescr, "Hikvision IP Camera DS-2CD2042WD-I", contains)
			field(t, s, probe.FieldSNMPSysObjectID, "1.3.6.1.4.1.39165.1.1", contains)
		}},
		{"127.79.0.10", func(t *testing.T, d device.Device) {
			s := service(t, d, "http", 80)
			field(t, s, probe.FieldHTTPStatus, "200", equal)
			// A server that says 200 to everything must not pass for a vendor API.
			if api := s.Fields[probe.FieldHTTPAPI]; api != "" {
				t.Errorf("200-to-everything peer taken for vendor API %q", api)
			}
			if v := d.Vendor(); v != "" {
				t.Errorf("200-to-everything peer identified as vendor %q (identity %v)", v, d.Identity)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			d, ok := devices[netip.MustParseAddr(tc.addr)]
			if !ok {
				t.Fatalf("%s not in the scan result (%d devices)", tc.addr, len(devices))
			}
			tc.check(t, d)
		})
	}
	t.Run("no services where no peer listens", func(t *testing.T) {
		for a, d := range devices {
			if last := a.As4()[3]; (last == 0 || last > 10) && len(d.Services) > 0 {
				t.Errorf("%s has services but no peer runs there: %s", a, describe(d))
			}
		}
	})
}

// checkHikvisionWeb: lighttpd with Server "App-webs/", an open root page and
// Digest on /ISAPI/ must be taken for a Hikvision web UI.
func checkHikvisionWeb(t *testing.T, d device.Device) {
	s := service(t, d, "http", 80)
	field(t, s, probe.FieldHTTPServer, "App-webs/", hasPrefix)
	field(t, s, probe.FieldHTTPStatus, "200", equal)
	field(t, s, probe.FieldHTTPTitle, "Network Camera", equal)
	if !strings.EqualFold(d.Vendor(), "hikvision") {
		t.Errorf("vendor %q, want Hikvision (identity %v)", d.Vendor(), d.Identity)
	}
	// The ISAPI identity endpoint is Digest-protected: the probe asked and
	// got 401 (the trace keeps the exchange), so no ISAPI claim is made.
	if !traceAnswered(s, "GET /ISAPI/System/deviceInfo", "401") {
		t.Errorf("trace has no 401 answer to GET /ISAPI/System/deviceInfo: %v", s.Trace)
	}
	if api := s.Fields[probe.FieldHTTPAPI]; api != "" {
		t.Errorf("http.api = %q without credentials", api)
	}
}

// traceAnswered reports whether the trace holds request, followed by a
// received line containing status.
func traceAnswered(s probe.Service, request, status string) bool {
	for i, e := range s.Trace {
		if e.Dir == "send" && strings.HasPrefix(e.Data, request) {
			return i+1 < len(s.Trace) && s.Trace[i+1].Dir == "recv" && strings.Contains(s.Trace[i+1].Data, status)
		}
	}
	return false
}

// TestSNMPOnlyScan scans the SNMP peer over UDP alone (no TCP ports), so the
// SNMP probe is checked against the real snmpd even when a mixed scan
// would not reach a host that has no open TCP port.
func TestSNMPOnlyScan(t *testing.T) {
	requirePeers(t, peersAt(t, "127.79.0.9"))
	devices := scan(t, scanConfig{targets: []string{"127.79.0.9"}, udpPorts: []uint16{161}})
	d, ok := devices[netip.MustParseAddr("127.79.0.9")]
	if !ok {
		t.Fatalf("127.79.0.9 not in the UDP-only scan result (%d devices)", len(devices))
	}
	s := service(t, d, "snmp", 161)
	field(t, s, probe.FieldSNMPSysDescr, "Hikvision IP Camera DS-2CD2042WD-I", contains)
	field(t, s, probe.FieldSNMPCommunity, "public", equal)
}
