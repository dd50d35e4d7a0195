package rtsp

import (
	"bufio"
	"context"
	"errors"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

var cseqLine = regexp.MustCompile(`(?im)^CSeq: *\d+`)

// fakeCamera serves canned replies keyed by "METHOD path" on loopback,
// rewriting CSeq to the request's like a real server. Unknown keys get the
// GStreamer 404. prefix is written before every reply (e.g. RTP frames).
func fakeCamera(t *testing.T, replies map[string][]byte, prefix []byte) probe.Target {
	t.Helper()
	notFound := probetest.Fixture(t, "gstreamer-rtspserver-describe-404.txt")
	return probetest.Serve(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			method, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
			url, _, _ := strings.Cut(rest, " ")
			path := "/" + strings.SplitN(strings.TrimPrefix(url, "rtsp://"), "/", 2)[1]
			cseq := ""
			for {
				h, err := br.ReadString('\n')
				if err != nil {
					return
				}
				if h == "\r\n" {
					break
				}
				if k, v, ok := strings.Cut(h, ":"); ok && strings.EqualFold(k, "CSeq") {
					cseq = strings.TrimSpace(v)
				}
			}
			reply, ok := replies[method+" "+path]
			if !ok {
				reply = notFound
			}
			reply = cseqLine.ReplaceAll(reply, []byte("CSeq: "+cseq))
			if _, err := c.Write(append(append([]byte{}, prefix...), reply...)); err != nil {
				return
			}
		}
	})
}

func TestProbeCameras(t *testing.T) {
	tests := []struct {
		name     string
		replies  map[string][]byte
		prefix   []byte
		fields   map[string]string
		sdp      string // substring of the SDP, "" for none
		describe int    // DESCRIBE requests expected in the trace
	}{
		{
			name: "gstreamer basic and digest on hikvision route",
			replies: map[string][]byte{
				"OPTIONS /":                        probetest.Fixture(t, "gstreamer-rtspserver-options.txt"),
				"DESCRIBE /Streaming/Channels/101": probetest.Fixture(t, "gstreamer-rtspserver-describe-401-both.txt"),
			},
			fields: map[string]string{probe.FieldRTSPServer: "GStreamer RTSP server", probe.FieldRTSPStatus: "401",
				probe.FieldRTSPAuthScheme: "Basic,Digest", probe.FieldRTSPRealm: "IP Camera(12345)",
				probe.FieldRTSPPath: "/Streaming/Channels/101", probe.FieldRTSPRoute: "/Streaming/Channels/101",
				probe.FieldRTSPWWWAuth: "Basic realm=\"IP Camera(12345)\"\nDigest realm=\"IP Camera(12345)\", nonce=\"c358bf511a56df26\"",
				probe.FieldRTSPPublic:  "OPTIONS, DESCRIBE, ANNOUNCE, GET_PARAMETER, PAUSE, PLAY, RECORD, SETUP, SET_PARAMETER, TEARDOWN"},
			describe: 2,
		},
		{
			name: "dahua server hint puts realmonitor first",
			replies: map[string][]byte{
				"OPTIONS /": probetest.Fixture(t, "dahua-ipc-options.txt"),
				"DESCRIBE /cam/realmonitor?channel=1&subtype=0": probetest.Fixture(t, "dahua-ipc-describe-h264-aac.txt"),
			},
			fields: map[string]string{probe.FieldRTSPServer: "Rtsp Server/3.0\nGStreamer RTSP server", probe.FieldRTSPStatus: "200",
				probe.FieldRTSPPath:        "/cam/realmonitor?channel=1&subtype=0",
				probe.FieldRTSPContentBase: "rtsp://192.168.5.111:554/cam/realmonitor?channel=1&subtype=1&unicast=true&proto=Onvif/"},
			sdp: "a=rtpmap:", describe: 2,
		},
		{
			name: "axis digest on root",
			replies: map[string][]byte{
				"OPTIONS /":  probetest.Fixture(t, "axis-camera-options.txt"),
				"DESCRIBE /": probetest.Fixture(t, "axis-camera-describe-401.txt"),
			},
			fields: map[string]string{probe.FieldRTSPStatus: "401", probe.FieldRTSPAuthScheme: "Digest",
				probe.FieldRTSPRealm: "AXIS_ACCC8E012345", probe.FieldRTSPPath: "/"},
			describe: 1,
		},
		{
			name: "hikvision open stream after RTP frames",
			replies: map[string][]byte{
				"OPTIONS /":                        probetest.Fixture(t, "gstreamer-rtspserver-options.txt"),
				"DESCRIBE /Streaming/Channels/101": probetest.Fixture(t, "hikvision-ipc-describe.txt"),
			},
			prefix: []byte("$\x00\x00\x04abcd$\x01\x00\x02xy"),
			fields: map[string]string{probe.FieldRTSPStatus: "200", probe.FieldRTSPPath: "/Streaming/Channels/101"},
			sdp:    "s=Media Presentation\n", describe: 2,
		},
		{
			name: "vlc basic with html body, unknown routes stop at four",
			replies: map[string][]byte{
				"OPTIONS /":         probetest.Fixture(t, "vlc-3.0-options.txt"),
				"DESCRIBE /nowhere": probetest.Fixture(t, "vlc-3.0-describe-401.txt"),
			},
			fields: map[string]string{probe.FieldRTSPServer: "VLC/3.0.24\nGStreamer RTSP server", probe.FieldRTSPStatus: "404",
				probe.FieldRTSPPublic: "DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER"}, // sent without spaces
			describe: MaxDescribes,
		},
		{
			name: "vlc route from server hint",
			replies: map[string][]byte{
				"OPTIONS /":          probetest.Fixture(t, "vlc-3.0-options.txt"),
				"DESCRIBE /live.sdp": probetest.Fixture(t, "vlc-3.0-describe-401.txt"),
			},
			fields: map[string]string{probe.FieldRTSPServer: "VLC/3.0.24\nGStreamer RTSP server", probe.FieldRTSPStatus: "401",
				probe.FieldRTSPAuthScheme: "Basic", probe.FieldRTSPRealm: "VLC stream", probe.FieldRTSPPath: "/live.sdp"},
			describe: 2,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tgt := fakeCamera(t, tc.replies, tc.prefix)
			s, err := (&Probe{}).Probe(t.Context(), &net.Dialer{}, tgt)
			if err != nil {
				t.Fatalf("probe: %v", err)
			}
			if s.Status != probe.StatusIdentified || s.Protocol != "rtsp" {
				t.Fatalf("status %s protocol %s", s.Status, s.Protocol)
			}
			for k, want := range tc.fields {
				if got := s.Fields[k]; got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			sdp, has := s.Fields[probe.FieldRTSPSDP]
			if tc.sdp == "" && has || tc.sdp != "" && !strings.Contains(sdp, tc.sdp) {
				t.Errorf("sdp %q, want containing %q", sdp, tc.sdp)
			}
			n := 0
			for _, e := range s.Trace {
				if strings.HasPrefix(e.Data, "DESCRIBE ") {
					n++
				}
			}
			if n != tc.describe {
				t.Errorf("%d DESCRIBEs, want %d: %v", n, tc.describe, s.Trace)
			}
		})
	}
}

func TestProbeHostilePeers(t *testing.T) {
	tests := []struct {
		name    string
		serve   func(net.Conn)
		status  probe.Status
		noMatch bool
	}{
		{"http server", func(c net.Conn) {
			_, _ = c.Read(make([]byte, 4096))
			_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\n\r\n"))
		}, "", true},
		{"ssh banner", func(c net.Conn) { _, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.2p1\r\n")) }, "", true},
		{"10 MB content-length", func(c net.Conn) {
			_, _ = c.Read(make([]byte, 4096))
			_, _ = c.Write([]byte("RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: 10485760\r\n\r\n"))
		}, probe.StatusTooLarge, false},
		{"endless headers", func(c net.Conn) {
			_, _ = c.Read(make([]byte, 4096))
			_, _ = c.Write([]byte("RTSP/1.0 200 OK\r\n"))
			for {
				if _, err := c.Write([]byte("X-Pad: " + strings.Repeat("a", 500) + "\r\n")); err != nil {
					return
				}
			}
		}, probe.StatusTooLarge, false},
		{"wrong cseq", func(c net.Conn) {
			_, _ = c.Read(make([]byte, 4096))
			_, _ = c.Write([]byte("RTSP/1.0 200 OK\r\nCSeq: 7\r\n\r\n"))
		}, probe.StatusMalformed, false},
		{"silent", func(c net.Conn) { _, _ = c.Read(make([]byte, 4096)); _, _ = c.Read(make([]byte, 1)) }, probe.StatusTimeout, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tgt := probetest.Serve(t, tc.serve)
			ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
			defer cancel()
			s, err := (&Probe{}).Probe(ctx, &net.Dialer{}, tgt)
			if tc.noMatch {
				if !errors.Is(err, probe.ErrNoMatch) || s != nil {
					t.Fatalf("want ErrNoMatch, got %+v %v", s, err)
				}
				return
			}
			if err == nil || s == nil || s.Status != tc.status {
				t.Fatalf("want %s with error, got %+v %v", tc.status, s, err)
			}
		})
	}
}
