package fingerprint

import (
	"testing"

	"github.com/camwarden/camwarden/internal/probe"
)

// TestUDNMAC: a UPnP UDN whose UUID ends in a MAC of a known OUI names
// that MAC (and so, weakly, its vendor); a random UUID and a non-UUID do
// not.
func TestUDNMAC(t *testing.T) {
	m := newMatcher(t)
	for _, tc := range []struct {
		usn, mac, vendor string
	}{
		{"uuid:Upnp-BasicDevice-1_0-ACCC8E270AD8::upnp:rootdevice", "AC:CC:8E:27:0A:D8", "Axis"},
		{"uuid:75802409-bccb-40e7-8e6c-fa095ecce13e::urn:schemas-upnp-org:device:InternetGatewayDevice:1", "", ""},
		{"ACCC8E270AD8::upnp:rootdevice", "", ""},
	} {
		d := m.Identify(testAddr, "", []probe.Service{{Port: 1900, Transport: "udp", Protocol: "upnp", Status: probe.StatusIdentified,
			Fields: map[string]string{probe.FieldUPnPUSN: tc.usn}}})
		if got := d.Identity[probe.AttrMAC].Value; got != tc.mac {
			t.Errorf("%s: mac %q want %q", tc.usn, got, tc.mac)
		}
		if got := d.Identity[probe.AttrVendor].Value; got != tc.vendor {
			t.Errorf("%s: vendor %q want %q", tc.usn, got, tc.vendor)
		}
	}
}

// TestStreamPathNames: a stream path the device names itself (its
// Content-Base) or serves where a random path fails names the vendor
// its words name (paths from the cameradar and rtspbrute dictionaries);
// a path naming no vendor, or the path camwarden asked for echoed back,
// does not.
func TestStreamPathNames(t *testing.T) {
	m := newMatcher(t)
	for _, tc := range []struct {
		name   string
		fields map[string]string
		vendor string
	}{
		{"content-base", map[string]string{probe.FieldRTSPPath: "/", probe.FieldRTSPContentBase: "rtsp://127.0.0.1:554/udp/unicast/aiphone_H264/"}, "Aiphone"},
		{"found route", map[string]string{probe.FieldRTSPRoute: "/mobotix.h264"}, "Mobotix"},
		{"echo of the asked path", map[string]string{probe.FieldRTSPPath: "/udp/unicast/aiphone_H264", probe.FieldRTSPContentBase: "rtsp://127.0.0.1/udp/unicast/aiphone_H264/"}, ""},
		{"no vendor word", map[string]string{probe.FieldRTSPPath: "/", probe.FieldRTSPContentBase: "rtsp://127.0.0.1/live/ch00_0/"}, ""},
	} {
		d := m.Identify(testAddr, "", []probe.Service{{Port: 554, Transport: "tcp", Protocol: "rtsp", Status: probe.StatusIdentified, Fields: tc.fields}})
		if got := d.Identity[probe.AttrVendor].Value; got != tc.vendor {
			t.Errorf("%s: vendor %q want %q", tc.name, got, tc.vendor)
		}
	}
}
