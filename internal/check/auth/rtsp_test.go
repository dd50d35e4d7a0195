package auth

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
	"github.com/camwarden/camwarden/internal/probe/rtsp/rtsptest"
)

// rtspCapture reads an RTSP answer of ../shared/data (read in place:
// issue-thread captures are not copied).
func rtspCapture(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "data", rel))
	if err != nil {
		t.Fatalf("capture: %v", err)
	}
	return b
}

// TestRTSPDiscovery: the check finds an open stream on a route only the
// Cameradar and rtspbrute dictionaries list (Aiphone's, from a real
// capture, on a server that 404s unknown paths), reports it with the SDP
// saved, and writes the discovery's requests and time to the debug log.
func TestRTSPDiscovery(t *testing.T) {
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	notFound := []byte("RTSP/1.0 404 Not Found\r\nCSeq: 2\r\nServer: GStreamer RTSP server\r\n\r\n") // shared/peers/captures/rtsp-gst-404-unknown-path.txt
	cam := &rtsptest.Camera{NotFound: notFound, Streams: map[string][]byte{
		"/udp/unicast/aiphone_H264": rtspCapture(t, "field-captures/aiphone/aiphone_rtsp-describe-200-sdp.txt")}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { cam.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	tg := probetest.URLTarget(t, "rtsp://"+ln.Addr().String())

	var log bytes.Buffer
	env := &check.Env{Dialer: &net.Dialer{Timeout: time.Second}, Now: time.Now, ArtifactDir: t.TempDir(),
		Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	d := device.Device{Address: tg.Addr, Services: []probe.Service{{Port: tg.Port, Transport: "tcp", Protocol: "rtsp"}}}
	c, err := New(Options{Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	fs := c.Check(t.Context(), env, &d)
	i := slices.IndexFunc(fs, func(f finding.Finding) bool { return f.ID == "AUTH-NONE-RTSP" })
	if i < 0 {
		t.Fatalf("no AUTH-NONE-RTSP in %v", fs)
	}
	if fs[i].Evidence["route"] != "/udp/unicast/aiphone_H264" || fs[i].Evidence["artifact"] == "" {
		t.Errorf("evidence %v", fs[i].Evidence)
	}
	// The stream's description is kept for identification after the check.
	f := d.Services[0].Fields
	if f[probe.FieldRTSPStreamRoute] != "/udp/unicast/aiphone_H264" || f[probe.FieldRTSPStreamOpened] != "without a password" ||
		f[probe.FieldRTSPStreamBase] != "rtsp://192.168.1.12:554/udp/unicast/aiphone_H264/" ||
		!strings.Contains(f[probe.FieldRTSPStreamSDP], "o=NetworkCameraOnvif") {
		t.Errorf("stream fields %q", f)
	}
	st := cam.Stats()
	if st.Conns != 1 {
		t.Errorf("%d connections, want one kept alive", st.Conns)
	}
	line := ""
	for l := range strings.SplitSeq(log.String(), "\n") {
		if strings.Contains(l, "rtsp route discovery") {
			line = l
		}
	}
	for _, want := range []string{"behaviour=routes-first", "stopped=stream", "connections=1", "elapsed=", "requests=" + strconv.Itoa(st.Requests)} {
		if !strings.Contains(line, want) {
			t.Errorf("debug trace %q lacks %q", line, want)
		}
	}
}

// TestStreamKeepsNoUserinfo: a stream opened with a credential is kept
// for identification, sourced "read after login", without the user
// information a device echoes into its SDP's control URLs (a real
// Hikvision answer that quotes admin:admin000), and only the first
// stream of a service is kept.
func TestStreamKeepsNoUserinfo(t *testing.T) {
	raw := rtspCapture(t, "field-captures/hikvision/hikvision-ipcam_realm-IPCamera-C2189_rtsp-describe-200_TRUNCATED.txt")
	_, body, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	if len(body) == 0 {
		_, body, _ = bytes.Cut(raw, []byte("\n\n"))
	}
	d := &device.Device{Services: []probe.Service{{Port: 554, Transport: "tcp", Protocol: "rtsp"}}}
	r := &run{d: d}
	tg := probe.Target{Port: 554, Transport: "tcp"}
	o := login.Outcome{Result: login.Success, Route: "/h264/ch1/main/av_stream", Evidence: body, EvidenceType: "sdp",
		// The Content-Base as rtsp.Response.BaseURL gives it (user information removed there).
		Fields: map[string]string{probe.FieldRTSPStreamBase: "rtsp://21m677n127.imwork.net:17970/h264/ch1/main/av_stream/"}}
	r.stream(tg, o, probe.AfterLogin+" "+how(kindDefault))
	f := d.Services[0].Fields
	for k, v := range f {
		if strings.Contains(v, "admin000") {
			t.Errorf("%s keeps the user information: %q", k, v)
		}
	}
	if !strings.Contains(f[probe.FieldRTSPStreamSDP], "a=control:rtsp://21m677n127.imwork.net:17970/h264/ch1/main/av_stream/trackID=1") {
		t.Errorf("sdp %q", f[probe.FieldRTSPStreamSDP])
	}
	if f[probe.FieldRTSPStreamOpened] != "read after login with the factory default" {
		t.Errorf("opened %q", f[probe.FieldRTSPStreamOpened])
	}
	r.stream(tg, login.Outcome{Route: "/other", Evidence: []byte("v=0\n"), EvidenceType: "sdp"}, "without a password")
	if d.Services[0].Fields[probe.FieldRTSPStreamRoute] != "/h264/ch1/main/av_stream" {
		t.Error("a second stream replaced the first")
	}
}
