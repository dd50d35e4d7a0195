package fingerprint

import (
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/device"
	p "github.com/camwarden/camwarden/internal/probe"
)

// TestRefresh: claims read after login join the identity with their
// source and win over weaker unauthenticated claims, which stay visible
// as conflicts; a device without such claims is left alone, and an
// attribute no service supports (a LAN neighbour's MAC) is kept.
func TestRefresh(t *testing.T) {
	m := newMatcher(t)
	const after = "Dahua RPC2 magicBox, read after login with the factory default"
	web := svc(80, "tcp", "http", p.FieldHTTPWWWAuth, `Digest realm="Login to 4G0219PAZ00004"`, p.FieldHTTPRealm, "Login to 4G0219PAZ00004")
	rtsp := svc(554, "tcp", "rtsp", p.FieldRTSPServer, "Rtsp Server/3.0")
	onvif := claims(svc(80, "tcp", "onvif"), "onvif GetDeviceInformation", 0.8, p.AttrFirmware, "2.800.0000000.1.R")

	d := m.Identify(testAddr, "", []p.Service{web, rtsp, onvif})
	d.Identity[p.AttrMAC] = device.Attribute{Value: "3c:ef:8c:00:00:01", Source: "LAN neighbour table", Confidence: 0.9}
	before := d.Identity
	if m.Refresh(&d) {
		t.Fatal("refreshed without any claim read after login")
	}
	if d.Identity[p.AttrFirmware].Value != before[p.AttrFirmware].Value {
		t.Fatal("identity changed without a claim read after login")
	}

	d.Services[0] = claims(d.Services[0], after, 0.95,
		p.AttrModel, "IPC-HFW3441T", p.AttrFirmware, "2.800.0000016.0.R", p.AttrBuildDate, "2020-06-05")
	if !m.Refresh(&d) {
		t.Fatal("claims read after login not merged")
	}
	check(t, d, want{vendor: "Dahua", model: "IPC-HFW3441T", firmware: "2.800.0000016.0.R", buildDate: "2020-06-05",
		mac: "3c:ef:8c:00:00:01", typ: "camera"})
	fw := d.Identity[p.AttrFirmware]
	if !strings.Contains(fw.Source, "read after login with the factory default") {
		t.Errorf("firmware source %q does not say it was read after login", fw.Source)
	}
	if len(fw.Conflicts) != 1 || fw.Conflicts[0].Value != "2.800.0000000.1.R" {
		t.Errorf("the unauthenticated firmware is not kept as a conflict: %+v", fw.Conflicts)
	}
}

// TestRefreshStream: the stream the password check opened is read like a
// DESCRIBE answer after the check. A real Aiphone intercom answers an
// unauthenticated DESCRIBE with a bare 401 (realm "Secret"); the stream
// opened with a credential names its maker in its Content-Base path
// (field-captures/aiphone), and a Hikvision answer names its stream path
// in absolute control URLs. A stream whose SDP the probe already read
// adds nothing.
func TestRefreshStream(t *testing.T) {
	m := newMatcher(t)
	bare := func() p.Service {
		return svc(554, "tcp", "rtsp", p.FieldRTSPServer, "Linux/2.6.32.17-davinci1 Ze-PRO", p.FieldRTSPRealm, "Secret",
			p.FieldRTSPStatus, "401", p.FieldRTSPPath, "/")
	}
	d := m.Identify(testAddr, "", []p.Service{bare()})
	if d.Vendor() != "" {
		t.Fatalf("vendor %q before the stream", d.Vendor())
	}
	s := &d.Services[0]
	s.SetField(p.FieldRTSPStreamSDP, "v=0\no=NetworkCameraOnvif 2208992188 969705160 IN IP4 0.0.0.0\ns=MediaSession\nt=0 0\na=control:*\n")
	s.SetField(p.FieldRTSPStreamBase, "rtsp://127.0.0.1:554/udp/unicast/aiphone_H264/")
	s.SetField(p.FieldRTSPStreamRoute, "/")
	s.SetField(p.FieldRTSPStreamOpened, p.AfterLogin+" with the factory default")
	if !m.Refresh(&d) {
		t.Fatal("stream not read")
	}
	v := d.Identity[p.AttrVendor]
	if v.Value != "Aiphone" || !strings.Contains(v.Source, "opened read after login with the factory default") {
		t.Errorf("vendor %+v", v)
	}

	d = m.Identify(testAddr, "", []p.Service{bare()})
	d.Services[0].SetField(p.FieldRTSPStreamSDP, "v=0\ns=Media Presentation\na=control:rtsp://21m677n127.imwork.net:17970/h264/ch1/main/av_stream/\n")
	d.Services[0].SetField(p.FieldRTSPStreamRoute, "/")
	if !m.Refresh(&d) || d.Vendor() != "Hikvision" {
		t.Errorf("hikvision stream: vendor %q", d.Vendor())
	}

	same := bare()
	same.SetField(p.FieldRTSPSDP, "v=0\ns=x\n")
	same.SetField(p.FieldRTSPStreamSDP, "v=0\ns=x\n")
	d = m.Identify(testAddr, "", []p.Service{same})
	if m.Refresh(&d) {
		t.Error("refreshed on the SDP the probe already read")
	}
}
