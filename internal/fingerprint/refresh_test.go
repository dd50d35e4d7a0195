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
