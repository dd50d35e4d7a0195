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
