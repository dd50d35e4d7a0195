package exposure

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
)

var testNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func svc(port uint16, transport, proto string, fields map[string]string) probe.Service {
	return probe.Service{Port: port, Transport: transport, Protocol: proto, Status: probe.StatusIdentified, Fields: fields}
}

func dev(vendor, kind string, services ...probe.Service) device.Device {
	d := device.Device{Address: netip.MustParseAddr("127.0.0.9"), Services: services, Identity: map[string]device.Attribute{}}
	if vendor != "" {
		d.Identity[probe.AttrVendor] = device.Attribute{Value: vendor}
	}
	if kind != "" {
		d.Identity[probe.AttrType] = device.Attribute{Value: kind}
	}
	return d
}

// want is one expected finding: its severity and Evidence["ports"].
type want struct {
	sev   finding.Severity
	ports string
}

func TestPassiveFindings(t *testing.T) {
	httpPlain := func(port uint16) probe.Service {
		return svc(port, "tcp", "http", map[string]string{probe.FieldHTTPStatus: "401", probe.FieldHTTPServer: "App-webs/"})
	}
	tests := []struct {
		name string
		d    device.Device
		want map[string]want
	}{
		{"telnet on 23 and 2323 is one finding", dev("Dahua", "camera",
			svc(23, "tcp", "telnet", map[string]string{probe.FieldTelnetPrompt: "Dahua login: "}),
			svc(2323, "tcp", "telnet", nil)),
			map[string]want{IDTelnet: {finding.SevHigh, "23/tcp,2323/tcp"}}},
		{"ftp", dev("Axis", "camera",
			svc(21, "tcp", "ftp", map[string]string{probe.FieldFTPBanner: "AXIS M1014 Network Camera 5.50.5.7 (2017) ready."})),
			map[string]want{IDFTP: {finding.SevMedium, "21/tcp"}}},
		{"snmp public", dev("MikroTik", "router",
			svc(161, "udp", "snmp", map[string]string{probe.FieldSNMPCommunity: "public", probe.FieldSNMPSysDescr: "RouterOS RBD52G-5HacD2HnD"})),
			map[string]want{IDSNMP: {finding.SevMedium, "161/udp"}}},
		{"snmp without community is not reported", dev("", "",
			svc(161, "udp", "snmp", map[string]string{probe.FieldSNMPSysDescr: "x"})), map[string]want{}},
		{"upnp on a camera, description port is not web admin", dev("Axis", "camera",
			svc(1900, "udp", "upnp", map[string]string{probe.FieldUPnPLocation: "http://127.0.0.9:49152/rootdesc1.xml",
				probe.FieldUPnPDeviceType: "urn:axis-com:device:Basic:1"}),
			httpPlain(49152)),
			map[string]want{IDUPnP: {finding.SevLow, "1900/udp"}}},
		{"upnp IGD on a router is the port-mapping check's", dev("Buffalo", "",
			svc(1900, "udp", "upnp", map[string]string{probe.FieldUPnPST: "urn:schemas-upnp-org:device:InternetGatewayDevice:1"})),
			map[string]want{}},
		{"upnp on a device typed router", dev("Buffalo", "router", svc(1900, "udp", "upnp", nil)), map[string]want{}},
		{"onvif open and http on two ports", dev("Hikvision", "camera",
			httpPlain(80), svc(80, "tcp", "onvif", map[string]string{probe.FieldONVIFInfoAuth: "open"}), httpPlain(8080)),
			map[string]want{IDONVIFNoAuth: {finding.SevMedium, "80/tcp"}, IDHTTPNoTLS: {finding.SevInfo, "80/tcp,8080/tcp"}}},
		{"onvif requiring auth", dev("Axis", "camera", svc(80, "tcp", "onvif", map[string]string{probe.FieldONVIFInfoAuth: "required"})),
			map[string]want{}},
		{"https offered: no plain-http finding, valid cert", dev("Axis", "camera", httpPlain(80),
			probe.Service{Port: 443, Transport: "tcp", Protocol: "https", TLS: true, Status: probe.StatusIdentified,
				Fields: map[string]string{probe.FieldTLSSelfSigned: "false", probe.FieldTLSNotAfter: "2030-01-01T00:00:00Z"}}),
			map[string]want{}},
		{"self-signed and expired cert", dev("Hikvision", "camera",
			probe.Service{Port: 443, Transport: "tcp", Protocol: "http", TLS: true, Status: probe.StatusIdentified,
				Fields: map[string]string{probe.FieldTLSSelfSigned: "true", probe.FieldTLSNotAfter: "2020-01-01T00:00:00Z"}}),
			map[string]want{IDTLSCert: {finding.SevInfo, "443/tcp"}}},
		{"sdk ports of a device of unknown vendor are one finding", dev("", "",
			svc(37777, "tcp", "dahua-sdk", nil), svc(8000, "tcp", "hikvision-sdk", nil)),
			map[string]want{IDVendorSDK: {finding.SevLow, "8000/tcp,37777/tcp"}}},
		{"port 8000 of a Reolink is not Hikvision's SDK", dev("Reolink", "camera", svc(8000, "tcp", "hikvision-sdk", nil)),
			map[string]want{}},
		{"an Amcrest runs Dahua's SDK", dev("Amcrest", "camera", svc(37777, "tcp", "dahua-sdk", nil)),
			map[string]want{IDVendorSDK: {finding.SevLow, "37777/tcp"}}},
		{"xmeye sdk and debug port", dev("Xiongmai", "camera",
			svc(34567, "tcp", "xmeye-sdk", map[string]string{probe.FieldSDKVendor: "xiongmai"}),
			svc(9527, "tcp", "xmeye-debug", map[string]string{probe.FieldSDKVendor: "xiongmai"})),
			map[string]want{IDVendorSDK: {finding.SevLow, "34567/tcp"}, IDDebugPort: {finding.SevHigh, "9527/tcp"}}},
		{"unidentified services prove nothing", dev("", "",
			probe.Service{Port: 23, Transport: "tcp", Protocol: "telnet", Status: probe.StatusTimeout},
			probe.Service{Port: 80, Transport: "tcp", Protocol: "http", Status: probe.StatusMalformed}),
			map[string]want{}},
		{"no services", dev("", ""), map[string]want{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := New().Check(t.Context(), &check.Env{Now: func() time.Time { return testNow }}, &tt.d)
			seen := map[string]bool{}
			for _, f := range got {
				if seen[f.ID] {
					t.Errorf("%s reported twice", f.ID)
				}
				seen[f.ID] = true
				w, ok := tt.want[f.ID]
				if !ok {
					t.Errorf("unexpected %s (evidence %v)", f.ID, f.Evidence)
					continue
				}
				if f.Severity != w.sev || f.Evidence["ports"] != w.ports {
					t.Errorf("%s: severity %v ports %q, want %v %q", f.ID, f.Severity, f.Evidence["ports"], w.sev, w.ports)
				}
				if f.Checkpoint != finding.CheckExposure || f.Address != tt.d.Address || f.Title.JA == "" || f.Remediation.EN == "" {
					t.Errorf("%s: incomplete finding %+v", f.ID, f)
				}
				if !strings.Contains(f.Remediation.JA, "使わない機能は無効にし、不要なポートは閉じてください") {
					t.Errorf("%s: remediation lacks the ministry's advice: %s", f.ID, f.Remediation.JA)
				}
			}
			for id := range tt.want {
				if !seen[id] {
					t.Errorf("missing %s", id)
				}
			}
		})
	}
}

func TestFindingDetails(t *testing.T) {
	d := dev("Hikvision", "camera",
		svc(2323, "tcp", "telnet", map[string]string{probe.FieldTelnetBanner: "BusyBox v1.19.3"}),
		svc(23, "tcp", "telnet", nil),
		svc(161, "udp", "snmp", map[string]string{probe.FieldSNMPCommunity: "s3cret-community"}))
	got := New().Check(t.Context(), &check.Env{}, &d)
	if len(got) != 2 || got[0].ID != IDTelnet || got[1].ID != IDSNMP {
		t.Fatalf("got %v, want telnet then snmp (worst first)", ids(got))
	}
	tel := got[0]
	if tel.Port != 23 || tel.Protocol != "telnet" || tel.Evidence["banner"] != "BusyBox v1.19.3" {
		t.Errorf("telnet: port %d protocol %q evidence %v", tel.Port, tel.Protocol, tel.Evidence)
	}
	if !strings.Contains(tel.Remediation.EN, "Configuration > System > Security > Security Service") ||
		!strings.Contains(tel.Remediation.JA, "セキュリティサービス") {
		t.Errorf("telnet remediation lacks the Hikvision menu: %+v", tel.Remediation)
	}
	if c := got[1].Evidence["community"]; c != "(not shown)" {
		t.Errorf("custom community shown as %q", c)
	}
}

func TestEveryIDHasTexts(t *testing.T) {
	for _, id := range []string{IDTelnet, IDFTP, IDSSHPassword, IDSNMP, IDUPnP, IDONVIFNoAuth, IDHTTPNoTLS,
		IDTLSCert, IDVendorSDK, IDDebugPort, IDCloudP2P} {
		t.Run(id, func(t *testing.T) {
			tx := texts[id]
			if tx.title.EN == "" || tx.title.JA == "" || tx.advice.EN == "" || tx.advice.JA == "" {
				t.Errorf("incomplete texts %+v", tx)
			}
			for fam, paths := range vendorPath {
				if p, ok := paths[id]; ok && (p.EN == "" || p.JA == "") {
					t.Errorf("%s path incomplete: %+v", fam, p)
				}
			}
		})
	}
}

func ids(fs []finding.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}
