package fingerprint

import (
	"slices"
	"testing"

	"github.com/camwarden/camwarden/internal/probe"
)

func TestOwnRoutes(t *testing.T) {
	tests := []struct {
		name   string
		fields map[string]string
		want   []string
	}{
		{"content base differs from the path asked",
			map[string]string{probe.FieldRTSPPath: "/", probe.FieldRTSPContentBase: "rtsp://192.0.2.1:554/Streaming/Channels/101/"},
			[]string{"/Streaming/Channels/101/"}},
		{"an echo of the path asked says nothing",
			map[string]string{probe.FieldRTSPPath: "/axis-media/media.amp", probe.FieldRTSPContentBase: "rtsp://192.0.2.1/axis-media/media.amp/"},
			nil},
		{"absolute a=control URLs, a loosely quoted host, relative controls ignored",
			map[string]string{probe.FieldRTSPPath: "/", probe.FieldRTSPContentBase: "rtsp://URL:PORT/cam/realmonitor?channel=1&subtype=0/",
				probe.FieldRTSPSDP: "v=0\r\na=control:*\r\na=control:trackID=1\r\na=control:rtsp://192.0.2.1/cam/realmonitor?channel=1&subtype=0/trackID=0\r\n"},
			[]string{"/cam/realmonitor?channel=1&subtype=0/", "/cam/realmonitor?channel=1&subtype=0/trackID=0"}},
		{"root only", map[string]string{probe.FieldRTSPPath: "/x", probe.FieldRTSPContentBase: "rtsp://192.0.2.1/"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ownRoutes(probe.Service{Fields: tc.fields}); !slices.Equal(got, tc.want) {
				t.Errorf("got %q want %q", got, tc.want)
			}
		})
	}
}

// TestOwnRouteClaim: a device whose DESCRIBE / names its stream under a
// vendor's documented path is that vendor's, by the rtsp.route rule, once.
func TestOwnRouteClaim(t *testing.T) {
	m := newMatcher(t)
	d := m.Identify(testAddr, "", []probe.Service{{Port: 554, Transport: "tcp", Protocol: "rtsp", Status: probe.StatusIdentified,
		Fields: map[string]string{probe.FieldRTSPPath: "/", probe.FieldRTSPRoute: "/Streaming/Channels/101",
			probe.FieldRTSPContentBase: "rtsp://192.0.2.1:554/Streaming/Channels/101/"}}})
	v := d.Identity[probe.AttrVendor]
	if v.Value != "Hikvision" || v.Confidence > 0.36 {
		t.Fatalf("vendor %+v", v)
	}
}
