package rtspauth

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/rtsproutes"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
	"github.com/camwarden/camwarden/internal/probe/rtsp/rtsptest"
)

// fieldCapture reads an answer of ../shared/data/field-captures from its
// status line on (issue-thread quotes are read in place, not copied).
func fieldCapture(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "data", "field-captures", rel))
	if err != nil {
		t.Fatalf("field capture: %v", err)
	}
	if i := bytes.Index(b, []byte("RTSP/1.")); i > 0 {
		b = b[i:]
	}
	return b
}

// secondAnswer returns the answer after the first blank line of a capture
// holding two answers.
func secondAnswer(t *testing.T, b []byte) []byte {
	t.Helper()
	_, rest, ok := bytes.Cut(b, []byte("\r\n\r\n"))
	if !ok {
		t.Fatal("capture without a second answer")
	}
	return rest
}

// startCamera serves cam on loopback until the test ends.
func startCamera(t *testing.T, cam *rtsptest.Camera) probe.Target {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { cam.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return probetest.URLTarget(t, "rtsp://"+ln.Addr().String())
}

func TestDiscover(t *testing.T) {
	dict, err := rtsproutes.Default()
	if err != nil {
		t.Fatal(err)
	}
	notFound := probetest.Fixture(t, "gstreamer-rtspserver-describe-404.txt")
	hik401 := fieldCapture(t, "hikvision/hikvision-DS-2CD1148-I-B_rtsp-describe-401_digest+basic.txt")
	tplink401 := fieldCapture(t, "tp-link-tapo/tplink_rtsp-describe-401_basic-only_stream1.txt") // "Cseq", "Www-Authenticate"
	aiphone200 := fieldCapture(t, "aiphone/aiphone_rtsp-describe-200-sdp.txt")
	wyze401 := secondAnswer(t, fieldCapture(t, "wyze/wyze-cam-v3_rtsp-options-200_describe-401.txt"))
	hikSDP := probetest.Fixture(t, "hikvision-ipc-describe.txt")
	rare := "/udp/unicast/aiphone_H264" // only Cameradar and rtspbrute list it; 200th-odd in the common order
	tests := []struct {
		name      string
		cam       *rtsptest.Camera
		vendor    string
		probed    []string
		result    login.Result
		route     string
		scheme    string
		behaviour Behaviour
		stopped   string
		requests  int // exact DESCRIBE count; 0 means "tried+1"
		dials     int
	}{
		{name: "open stream on a rare route, vendor unknown", cam: &rtsptest.Camera{Streams: map[string][]byte{rare: aiphone200}, NotFound: notFound},
			result: login.Success, route: rare, behaviour: RoutesFirst, stopped: "stream", dials: 1},
		{name: "open stream, vendor known: its route first", cam: &rtsptest.Camera{Streams: map[string][]byte{rare: aiphone200}, NotFound: notFound},
			vendor: "Aiphone", result: login.Success, route: rare, behaviour: RoutesFirst, stopped: "stream", requests: 2, dials: 1},
		{name: "challenge on every path: only the vendor's route", cam: &rtsptest.Camera{Challenge: hik401, NotFound: notFound},
			vendor: "Hikvision", result: login.Failure, route: "/Streaming/Channels/101", scheme: "digest", behaviour: AuthFirst,
			stopped: "challenge", requests: 2, dials: 1},
		{name: "challenge on every path, vendor unknown: probed route", cam: &rtsptest.Camera{Challenge: wyze401},
			probed: []string{"/live"}, result: login.Failure, route: "/live", scheme: "digest", behaviour: AuthFirst, stopped: "challenge", requests: 2, dials: 1},
		{name: "404 on unknown paths: the first 401 is the login route", cam: &rtsptest.Camera{Streams: map[string][]byte{"/stream1": tplink401}, NotFound: notFound},
			result: login.Failure, route: "/stream1", scheme: "basic", behaviour: RoutesFirst, stopped: "challenge", dials: 1},
		{name: "200 on any path is unverifiable", cam: &rtsptest.Camera{Challenge: hikSDP},
			result: login.Unverifiable, behaviour: AcceptsAny, stopped: string(AcceptsAny), requests: 1, dials: 1},
		{name: "nothing on any route", cam: &rtsptest.Camera{NotFound: notFound},
			result: login.Failure, behaviour: RoutesFirst, stopped: "dictionary", requests: dict.Len() + 1, dials: 1},
		{name: "device closing after each answer: reconnects bounded", cam: &rtsptest.Camera{NotFound: notFound, CloseAfter: 1},
			result: login.Failure, behaviour: RoutesFirst, stopped: "reconnects", requests: MaxDials, dials: MaxDials},
		{name: "device closing idle connections after 10 answers: reopened", cam: &rtsptest.Camera{Streams: map[string][]byte{rare: aiphone200}, NotFound: notFound, CloseAfter: 10},
			result: login.Success, route: rare, behaviour: RoutesFirst, stopped: "stream", dials: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tgt := startCamera(t, tc.cam)
			m := &Method{Vendor: tc.vendor, Probed: tc.probed, Dictionary: dict, Budget: time.Minute}
			disc, err := m.Discover(t.Context(), &net.Dialer{}, tgt)
			if err != nil {
				t.Fatalf("discover: %v", err)
			}
			o := disc.Outcome
			if o.Result != tc.result || (tc.route != "" && o.Route != tc.route) || o.Scheme != tc.scheme ||
				disc.Behaviour != tc.behaviour || disc.Stopped != tc.stopped {
				t.Fatalf("got %v route %q scheme %q behaviour %s stopped %s; want %v %q %q %s %s",
					o.Result, o.Route, o.Scheme, disc.Behaviour, disc.Stopped, tc.result, tc.route, tc.scheme, tc.behaviour, tc.stopped)
			}
			t.Logf("%s: %d requests, %d connections, %d routes tried, %s", disc.Stopped, disc.Requests, disc.Dials, disc.Tried, disc.Elapsed)
			st := tc.cam.Stats()
			want := tc.requests
			if want == 0 {
				want = disc.Tried + 1
			}
			if disc.Requests != want || st.Requests != want {
				t.Errorf("requests: discovery %d, camera %d, want %d", disc.Requests, st.Requests, want)
			}
			if tc.dials != 0 && (disc.Dials != tc.dials || st.Conns != tc.dials) {
				t.Errorf("connections: discovery %d, camera %d, want %d", disc.Dials, st.Conns, tc.dials)
			}
			if o.Result == login.Success && (o.EvidenceType != "sdp" || !bytes.Contains(o.Evidence, []byte("m=video"))) {
				t.Errorf("evidence %s %q", o.EvidenceType, o.Evidence)
			}
			if !strings.HasPrefix(st.Paths[0], "/camwarden-") {
				t.Errorf("first request %q, want the random control path", st.Paths[0])
			}
		})
	}
}

// TestDiscoverBudget: a device that stops answering mid-walk ends the walk
// when the budget is spent, with what was learned, not an error.
func TestDiscoverBudget(t *testing.T) {
	notFound := probetest.Fixture(t, "gstreamer-rtspserver-describe-404.txt")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tgt := probetest.URLTarget(t, "rtsp://"+ln.Addr().String())
	cam := &rtsptest.Camera{NotFound: notFound}
	// Answers five requests, then holds the connection without answering.
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 4096)
		for i := 0; i < 5; i++ {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			cseq := "0"
			for l := range strings.SplitSeq(string(buf[:n]), "\r\n") {
				if v, ok := strings.CutPrefix(l, "CSeq: "); ok {
					cseq = v
				}
			}
			_, _ = c.Write(bytes.Replace(cam.NotFound, []byte("CSeq: 2"), []byte("CSeq: "+cseq), 1))
		}
		_, _ = c.Read(buf)
		_, _ = c.Read(buf) // until the client gives up
	}()
	t.Cleanup(func() { _ = ln.Close() })
	m := &Method{Budget: 300 * time.Millisecond}
	disc, err := m.Discover(t.Context(), &net.Dialer{}, tgt)
	if err != nil {
		t.Fatalf("discover: %v", err)
	}
	if disc.Stopped != "budget" || disc.Outcome.Result != login.Failure || disc.Tried != 4 || disc.Requests != 6 {
		t.Errorf("stopped %q result %v tried %d requests %d; want budget, failure, 4 tried, 6 sent", disc.Stopped, disc.Outcome.Result, disc.Tried, disc.Requests)
	}
}

func TestDiscoverNoDescribe(t *testing.T) {
	// ALi feng RTSP server answers 405/505 to what it does not support
	// (field-captures/generic-oem-ali); a 405 to DESCRIBE ends discovery.
	notAllowed := []byte("RTSP/1.0 405 Method Not Allowed\r\nCSeq: 1\r\nServer: ALi feng/2.1.0_rc1\r\n\r\n")
	cam := &rtsptest.Camera{NotFound: notAllowed}
	disc, err := (&Method{}).Discover(t.Context(), &net.Dialer{}, startCamera(t, cam))
	if err != nil || disc.Behaviour != NoDescribe || disc.Outcome.Result != login.Failure || disc.Requests != 1 {
		t.Errorf("got %+v %v", disc, err)
	}
}

// TestTryChallengeFolded: Try answers the strongest challenge even when
// the device folds Basic and Digest into one header.
func TestTryChallengeFolded(t *testing.T) {
	both := fieldCapture(t, "tp-link-tapo/tplink-TL-IPC642E-A4_rtsp-describe-401.txt")
	folded := bytes.Replace(both, []byte("\r\nWWW-Authenticate: Digest"), []byte(", Digest"), 1)
	for name, answer := range map[string][]byte{"two headers": both, "one header": folded} {
		t.Run(name, func(t *testing.T) {
			cam := &rtsptest.Camera{Challenge: answer}
			o, err := (&Method{Route: "/stream1"}).Try(t.Context(), &net.Dialer{}, startCamera(t, cam), login.Credential{Username: "admin", Password: "x", Name: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if o.Scheme != "digest" || o.Result != login.Failure {
				t.Errorf("scheme %q result %v, want digest failure", o.Scheme, o.Result)
			}
			if st := cam.Stats(); st.Requests != 2 || st.Conns != 1 || !slices.Equal(st.Paths, []string{"/stream1", "/stream1"}) {
				t.Errorf("camera saw %+v", st)
			}
		})
	}
}
