package bench

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/rtsproutes"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/rtspauth"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/rtsp/rtsptest"
)

// rtspBenchPrefix keeps this benchmark's fake cameras apart from the
// other benchmarks' addresses.
const rtspBenchPrefix = "127.87.50."

// sharedData is ../shared/data seen from bench/.
var sharedData = filepath.Join("..", "..", "shared", "data")

// rtspFake is one fake camera of the benchmark: real captured answers on
// the route the recorded device used, and what a scan would identify.
type rtspFake struct {
	name, vendor, route string // route "" : the device challenges every path
	lists               string // which public dictionaries have the route
	cam                 *rtsptest.Camera
	open                bool // the route streams without a password
}

// rtspFakes builds the devices from real captures: the 404 of our
// GStreamer peer (shared/peers/captures/rtsp-gst-404-unknown-path.txt) for
// unknown paths, and per device the answer its vendor's camera gave.
func rtspFakes(b *testing.B) []*rtspFake {
	b.Helper()
	read := func(rel string) []byte {
		raw, err := os.ReadFile(filepath.Join(sharedData, rel))
		if err != nil {
			b.Fatalf("capture: %v", err)
		}
		return raw
	}
	notFound := []byte("RTSP/1.0 404 Not Found\r\nCSeq: 2\r\nServer: GStreamer RTSP server\r\nDate: Thu, 26 Nov 2026 03:18:33 GMT\r\n\r\n")
	hik401 := read("field-captures/hikvision/hikvision-DS-2CD1148-I-B_rtsp-describe-401_digest+basic.txt")
	tplink401 := read("field-captures/tp-link-tapo/tplink_rtsp-describe-401_stream1.txt")
	return []*rtspFake{
		// Aiphone is not a fingerprint vendor yet: a scan leaves it unknown.
		{name: "aiphone-intercom-open", vendor: "", route: "/udp/unicast/aiphone_H264", lists: "cameradar,rtspbrute", open: true,
			cam: &rtsptest.Camera{NotFound: notFound, Streams: map[string][]byte{"/udp/unicast/aiphone_H264": read("field-captures/aiphone/aiphone_rtsp-describe-200-sdp.txt")}}},
		{name: "dahua-ipc-open", vendor: "Dahua", route: "/cam/realmonitor?channel=1&subtype=0", lists: "cameradar,rtspbrute", open: true,
			cam: &rtsptest.Camera{NotFound: notFound, Streams: map[string][]byte{"/cam/realmonitor?channel=1&subtype=0": read("retina/dahua_describe_h264_aac_onvif.txt")}}},
		{name: "reolink-open", vendor: "Reolink", route: "/h264Preview_01_main", lists: "cameradar,rtspbrute,nmap", open: true,
			cam: &rtsptest.Camera{NotFound: notFound, Streams: map[string][]byte{"/h264Preview_01_main": read("retina/reolink_describe.txt")}}},
		{name: "tplink-protected", vendor: "TP-Link", route: "/stream1", lists: "cameradar,rtspbrute,nmap",
			cam: &rtsptest.Camera{NotFound: notFound, Streams: map[string][]byte{"/stream1": tplink401}}},
		{name: "hikvision-auth-first", vendor: "Hikvision", route: "", lists: "-",
			cam: &rtsptest.Camera{Challenge: hik401}},
	}
}

// rtspRun is one tool's result on one device.
type rtspRun struct {
	found           string // the open route found ("" none)
	login           string // the route that asked for a password
	challenged      int    // nmap: paths it lists as answering 401
	requests, conns int
	took            time.Duration
}

// BenchmarkRTSPDiscovery measures RTSP stream route discovery on fake
// cameras built from real captures, one of them streaming on a route only
// Cameradar and rtspbrute list: camwarden's discovery (vendor unknown, then
// as identified) and `nmap --script rtsp-url-brute` on the same fakes in the
// same run. It prints, per device, the route found, DESCRIBE requests,
// connections and time, and fails if camwarden misses an open stream.
func BenchmarkRTSPDiscovery(b *testing.B) {
	nmap := requireNmap(b)
	ctx := b.Context()
	dict, err := rtsproutes.Default()
	if err != nil {
		b.Fatal(err)
	}
	fakes := rtspFakes(b)
	targets := make([]probe.Target, len(fakes))
	for i, f := range fakes {
		targets[i] = startFake(ctx, b, f.cam, fmt.Sprintf("%s%d", rtspBenchPrefix, i+1))
	}
	var blind []rtspRun
	for b.Loop() {
		blind = discoverAll(ctx, b, dict, fakes, targets, false)
	}
	b.StopTimer()
	known := discoverAll(ctx, b, dict, fakes, targets, true)
	nm := make([]rtspRun, len(fakes))
	for i, f := range fakes {
		f.cam.Reset()
		nm[i] = runNmapRTSP(ctx, b, nmap, targets[i])
		st := f.cam.Stats()
		nm[i].requests, nm[i].conns = st.Requests, st.Conns
	}
	printRTSPTable(b, dict, fakes, blind, known, nm)
}

// startFake serves cam on addr:554 until ctx ends.
func startFake(ctx context.Context, b *testing.B, cam *rtsptest.Camera, addr string) probe.Target {
	b.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(addr, "554"))
	if err != nil {
		b.Fatalf("listen on %s:554 (needs root): %v", addr, err)
	}
	done := make(chan struct{})
	go func() { cam.Serve(ctx, ln); close(done) }()
	b.Cleanup(func() { _ = ln.Close(); <-done })
	return probe.Target{Addr: netip.MustParseAddr(addr), Port: 554, Transport: "tcp"}
}

// discoverAll runs camwarden's discovery on every fake, with the vendor
// unknown or as a scan identifies it.
func discoverAll(ctx context.Context, b *testing.B, dict *rtsproutes.Dictionary, fakes []*rtspFake, targets []probe.Target, identified bool) []rtspRun {
	out := make([]rtspRun, len(fakes))
	for i, f := range fakes {
		f.cam.Reset()
		m := &rtspauth.Method{Dictionary: dict}
		if identified {
			m.Vendor = f.vendor
		}
		disc, err := m.Discover(ctx, &net.Dialer{Timeout: 3 * time.Second}, targets[i])
		if err != nil {
			b.Fatalf("%s: %v", f.name, err)
		}
		st := f.cam.Stats()
		r := rtspRun{requests: st.Requests, conns: st.Conns, took: disc.Elapsed}
		switch disc.Outcome.Result {
		case login.Success:
			r.found = disc.Outcome.Route
		case login.Failure:
			r.login = disc.Outcome.Route
		}
		if f.open && r.found != f.route {
			b.Errorf("%s: camwarden found %q, want the open route %q", f.name, r.found, f.route)
		}
		out[i] = r
	}
	return out
}

// nmapScript is the part of nmap's XML the RTSP comparison reads.
type nmapScript struct {
	Hosts []struct {
		Ports []struct {
			Scripts []struct {
				ID     string `xml:"id,attr"`
				Tables []struct {
					Key    string   `xml:"key,attr"`
					Elems  []string `xml:"elem"`
					Tables []struct {
						Key   string   `xml:"key,attr"`
						Elems []string `xml:"elem"`
					} `xml:"table"`
				} `xml:"table"`
			} `xml:"script"`
		} `xml:"ports>port"`
	} `xml:"host"`
}

// runNmapRTSP runs rtsp-url-brute on one fake and returns the first URL it
// reports as discovered (200) and its wall time.
func runNmapRTSP(ctx context.Context, b *testing.B, nmap string, t probe.Target) rtspRun {
	b.Helper()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	args := []string{"-Pn", "-n", "-sT", "-p", "554", "--script", "rtsp-url-brute", "-oX", "-", t.Addr.String()}
	start := time.Now()
	out, err := exec.CommandContext(ctx, nmap, args...).Output()
	took := time.Since(start)
	if err != nil {
		b.Fatalf("nmap %s: %v", strings.Join(args, " "), err)
	}
	var run nmapScript
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = false
	if err := dec.Decode(&run); err != nil {
		b.Fatalf("parse nmap XML: %v", err)
	}
	r := rtspRun{took: took}
	for _, h := range run.Hosts {
		for _, p := range h.Ports {
			for _, s := range p.Scripts {
				if s.ID != "rtsp-url-brute" {
					continue
				}
				for _, tb := range s.Tables {
					if tb.Key == "discovered" && len(tb.Elems) > 0 {
						r.found = rtsptest.PathOf(tb.Elems[0])
					}
					for _, sub := range tb.Tables {
						if tb.Key == "other responses" && sub.Key == "401" {
							r.challenged = len(sub.Elems)
							r.login = rtsptest.PathOf(sub.Elems[0])
						}
					}
				}
			}
		}
	}
	return r
}

func printRTSPTable(b *testing.B, dict *rtsproutes.Dictionary, fakes []*rtspFake, blind, known, nm []rtspRun) {
	b.Helper()
	var sb strings.Builder
	fmt.Fprintf(&sb, "\nRTSP route discovery, %d-route dictionary; nmap 7.93 rtsp-url-brute (its 176-path list)\n", dict.Len())
	fmt.Fprintf(&sb, "%-22s %-37s %-24s | %-42s | %-42s | %s\n", "device", "stream route", "listed by", "camwarden, vendor unknown", "camwarden, vendor as identified", "nmap --script rtsp-url-brute")
	var sums [3]struct{ req, found int }
	for i, f := range fakes {
		route := f.route
		if route == "" {
			route = "(401 on every path)"
		}
		cells := make([]string, 3)
		for j, r := range []rtspRun{blind[i], known[i], nm[i]} {
			what := "-"
			switch {
			case r.found != "":
				what = "open " + r.found
				sums[j].found++
			case r.challenged > 1:
				what = fmt.Sprintf("401 on %d paths", r.challenged)
			case r.login != "":
				what = "login " + r.login
			}
			cells[j] = fmt.Sprintf("%-20s %4d req %3d conn %7s", trim(what, 20), r.requests, r.conns, r.took.Round(time.Millisecond))
			sums[j].req += r.requests
		}
		fmt.Fprintf(&sb, "%-22s %-37s %-24s | %s | %s | %s\n", f.name, trim(route, 37), f.lists, cells[0], cells[1], cells[2])
	}
	fmt.Fprintf(&sb, "open streams found: camwarden %d/%d (vendor unknown), %d/%d (identified); nmap %d/%d\n",
		sums[0].found, 3, sums[1].found, 3, sums[2].found, 3)
	fmt.Fprintf(&sb, "DESCRIBE requests in all: camwarden %d (unknown), %d (identified); nmap %d\n", sums[0].req, sums[1].req, sums[2].req)
	fmt.Fprint(os.Stderr, sb.String())
	n := float64(len(fakes))
	b.ReportMetric(float64(sums[0].req)/n, "cw-requests/device")
	b.ReportMetric(float64(sums[1].req)/n, "cw-identified-requests/device")
	b.ReportMetric(float64(sums[2].req)/n, "nmap-requests/device")
	b.ReportMetric(float64(sums[0].found), "cw-open-found")
	b.ReportMetric(float64(sums[2].found), "nmap-open-found")
}
