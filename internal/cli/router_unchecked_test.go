package cli

import (
	"bytes"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/check/portmap"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/igd"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/scope"
)

// startBrokenIGD runs a router on addr whose SSDP answer and description
// are miniupnpd's (our captures), but whose control URL fails every
// action with a garbled, non-SOAP 500 body carrying terminal escapes.
func startBrokenIGD(t *testing.T, addr string) (ssdpPort uint16) {
	t.Helper()
	desc, err := os.ReadFile("../igd/testdata/miniupnpd-2.3.1-rootdesc.xml")
	if err != nil {
		t.Fatal(err)
	}
	ssdp, err := os.ReadFile("../igd/testdata/miniupnpd-2.3.1-ssdp-igd.txt")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr+":0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			_, _ = w.Write(desc)
			return
		}
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("\x1b[2J<html>Internal\r\nError from soap goupnp</html>"))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	pc, err := net.ListenPacket("udp", addr+":0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	reply := bytes.Replace(ssdp, []byte("http://10.77.1.1:5000/rootDesc.xml"), []byte("http://"+ln.Addr().String()+"/rootDesc.xml"), 1)
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if bytes.HasPrefix(buf[:n], []byte("M-SEARCH")) {
				_, _ = pc.WriteTo(reply, from)
			}
		}
	}()
	return uint16(pc.LocalAddr().(*net.UDPAddr).Port)
}

// TestRouterAuditUnanswered is issue 10 item 19: an IGD that answers the
// search but fails the mapping requests is "could not check" on the
// router's checkpoint 3 (EXPOSE-PORTMAP-UNCHECKED), told in a sentence;
// never "0 port mappings" and a pass, never the router's raw error text.
func TestRouterAuditUnanswered(t *testing.T) {
	const gw = "127.78.115.1"
	ssdpPort := startBrokenIGD(t, gw)
	sc, err := scope.Parse(t.Context(), []string{gw}, scope.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := linkOptions{gateway: gw, igd: igd.Options{SSDPPort: ssdpPort, NATPMPPort: 9, Wait: 500 * time.Millisecond, Timeout: 2 * time.Second}}
	router := device.Device{Address: netip.MustParseAddr(gw)}
	var w bytes.Buffer
	fs := auditRouter(t.Context(), o, sc, []device.Device{router}, nil, &w)
	out := w.String()
	t.Logf("router audit said:\n%s", out)
	if !strings.Contains(out, "port forwarding not checked") || strings.Contains(out, "0 port mappings") {
		t.Errorf("output %q: want 'port forwarding not checked', never '0 port mappings'", out)
	}
	for _, raw := range []string{"\x1b", "soap", "goupnp", "Internal"} {
		if strings.Contains(out, raw) {
			t.Errorf("output carries the router's raw error text (%q): %q", raw, out)
		}
	}
	var unchecked int
	for _, f := range fs {
		if f.ID == portmap.IDUnchecked {
			unchecked++
			if f.Address.String() != gw || !finding.Inconclusive(f.ID) || f.Checkpoint != finding.CheckExposure {
				t.Errorf("finding %+v", f)
			}
			if strings.Contains(f.Evidence["detail"], "\x1b") {
				t.Errorf("evidence keeps a terminal escape: %q", f.Evidence["detail"])
			}
		}
	}
	if unchecked != 1 {
		t.Fatalf("%d %s findings, want 1: %+v", unchecked, portmap.IDUnchecked, fs)
	}
	for _, r := range report.Scorecard(report.Device{Address: router.Address}, fs) {
		if r.Checkpoint == finding.CheckExposure && r.Verdict != report.VerdictUnknown {
			t.Errorf("router's checkpoint 3 is %q, want %q", r.Verdict, report.VerdictUnknown)
		}
	}
}
