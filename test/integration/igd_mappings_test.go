//go:build integration

package integration

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/check/portmap"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/igd"
)

// TestIGDMappings audits the real miniupnpd of start-upnp.sh after
// start-igd-mappings.sh added six mappings through it with upnpc. Small
// responders play the cameras behind them inside camwarden-upnp-lan; the
// child scans them, reads the gateway and links every mapping. nft
// counters in the namespaces prove nothing was sent to the external
// address while the gateway itself was reached.
const (
	igdChildEnv = "CAMWARDEN_IGD_CHILD"
	igdExternal = "11.79.1.2"
)

func TestIGDMappings(t *testing.T) {
	if os.Getenv(igdChildEnv) == "1" {
		igdInsideNamespace(t)
		return
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "../../scripts/peers/start-igd-mappings.sh").CombinedOutput(); err != nil {
		t.Fatalf("scripts/peers/start-igd-mappings.sh failed (start the UPnP peer with scripts/peers/start-upnp.sh): %v\n%s", err, out)
	}
	lanExt0, gw0 := nftCounter(t, upnpClientNS, "to_external"), nftCounter(t, upnpClientNS, "to_gateway")
	rtrExt0 := nftCounter(t, "camwarden-upnp-rtr", "to_external")
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("find test binary: %v", err)
	}
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", upnpClientNS, exe,
		"-test.run=^TestIGDMappings$", "-test.v", "-test.count=1", "-test.timeout=4m")
	cmd.Env = append(os.Environ(), igdChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("child test inside %s:\n%s", upnpClientNS, out)
	if err != nil || !bytes.Contains(out, []byte("--- PASS: TestIGDMappings")) {
		t.Fatalf("IGD audit inside %s failed: %v", upnpClientNS, err)
	}
	lanExt, gw := nftCounter(t, upnpClientNS, "to_external"), nftCounter(t, upnpClientNS, "to_gateway")
	rtrExt := nftCounter(t, "camwarden-upnp-rtr", "to_external")
	t.Logf("packets: to gateway +%d, to external %s: lan +%d, router +%d", gw-gw0, igdExternal, lanExt-lanExt0, rtrExt-rtrExt0)
	if gw <= gw0 {
		t.Errorf("to_gateway counter did not grow (%d -> %d): the counter chain is not hooked", gw0, gw)
	}
	if lanExt != lanExt0 || rtrExt != rtrExt0 {
		t.Errorf("packets were sent to the external address %s: lan %d -> %d, router %d -> %d", igdExternal, lanExt0, lanExt, rtrExt0, rtrExt)
	}
}

var packetsRE = regexp.MustCompile(`packets (\d+)`)

// nftCounter reads a named counter of table inet camwarden_igd in ns.
func nftCounter(t *testing.T, ns, name string) uint64 {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "ip", "netns", "exec", ns, "nft", "list", "counter", "inet", "camwarden_igd", name).CombinedOutput()
	m := packetsRE.FindSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("read nft counter %s in %s: %v\n%s", name, ns, err, out)
	}
	n, _ := strconv.ParseUint(string(m[1]), 10, 64)
	return n
}

// igdInsideNamespace runs in the child, inside camwarden-upnp-lan.
func igdInsideNamespace(t *testing.T) {
	for _, a := range []string{upnpClient, "10.79.1.101", "10.79.1.102"} {
		if !hasLocalAddr(t, a) {
			t.Fatalf("child lacks local %s: not inside %s prepared by start-igd-mappings.sh; refusing", a, upnpClientNS)
		}
	}
	startHTTP(t, "10.79.1.100:80")
	startLine(t, "10.79.1.101:554", rtspAnswer)
	startLine(t, "10.79.1.101:23", func(*bufio.Reader) ([]byte, bool) { return []byte("\r\nIPCAM login: "), false })
	startLine(t, "10.79.1.102:8000", func(*bufio.Reader) ([]byte, bool) { return nil, false })
	devices := scan(t, scanConfig{targets: []string{"10.79.1.100-10.79.1.102"}, tcpPorts: []uint16{23, 80, 554, 8000}})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	gws, err := igd.Audit(ctx, igd.Options{Gateway: netip.MustParseAddr(upnpRouter), NATPMP: true})
	if err != nil || len(gws) != 1 {
		t.Fatalf("igd.Audit: %d gateways, err %v", len(gws), err)
	}
	gw := gws[0]
	t.Logf("gateway %s external %s, %d mappings, errors %v, nat-pmp %+v", gw.Address, gw.ExternalIP, len(gw.Mappings), gw.Errors, gw.NATPMP)
	if gw.ExternalIP != netip.MustParseAddr(igdExternal) || gw.NATPMP == nil || gw.NATPMP.ExternalIP != gw.ExternalIP {
		t.Errorf("external address %v (nat-pmp %+v), want %s", gw.ExternalIP, gw.NATPMP, igdExternal)
	}
	var list []device.Device
	for _, d := range devices {
		list = append(list, d)
	}
	fs := portmap.Findings(gw.Mappings, gw.ExternalIP, list)
	got := map[string]finding.Finding{}
	for _, f := range fs {
		if strings.HasPrefix(f.Evidence["description"], "camwarden-") || f.ID == portmap.IDOutsideView {
			got[f.ID+" "+f.Evidence["external"]] = f
		}
		t.Logf("%s %s %s:%d %s %v", f.ID, f.Severity, f.Address, f.Port, f.Protocol, f.Evidence["external"])
	}
	want := []struct {
		id, external, addr string
		port               uint16
		min                finding.Severity
	}{
		{portmap.IDExposed, "11.79.1.2:18080/tcp", "10.79.1.100", 80, finding.SevCritical},
		{portmap.IDExposed, "11.79.1.2:10554/tcp", "10.79.1.101", 554, finding.SevCritical},
		{portmap.IDExposed, "11.79.1.2:10023/tcp", "10.79.1.101", 23, finding.SevCritical},
		{portmap.IDExposed, "11.79.1.2:18000/tcp", "10.79.1.102", 8000, finding.SevHigh},
		{portmap.IDExposed, "11.79.1.2:37777/udp", "10.79.1.102", 37777, finding.SevHigh},
		{portmap.IDExposedUnscanned, "11.79.1.2:18081/tcp", upnpRouter, 18081, finding.SevHigh},
	}
	for _, w := range want {
		t.Run(w.external, func(t *testing.T) {
			f, ok := got[w.id+" "+w.external]
			if !ok {
				t.Fatalf("no %s for %s", w.id, w.external)
			}
			if f.Address.String() != w.addr || f.Port != w.port || f.Severity < w.min || f.Evidence["lease"] == "" {
				t.Errorf("%s: %s:%d %s evidence %v", w.id, f.Address, f.Port, f.Severity, f.Evidence)
			}
		})
	}
	if v, ok := got[portmap.IDOutsideView+" "]; !ok || v.Evidence["external_ip"] != igdExternal {
		t.Errorf("outside view missing or wrong: %+v", v)
	}
}

// startHTTP serves a camera-like root page.
func startHTTP(t *testing.T, addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "App-webs/")
		_, _ = fmt.Fprint(w, "<html><head><title>login</title></head></html>")
	}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
}

// startLine accepts connections and answers with answer(r) until it says stop.
func startLine(t *testing.T, addr string, answer func(*bufio.Reader) ([]byte, bool)) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = c.Close() }()
				_ = c.SetDeadline(time.Now().Add(20 * time.Second))
				r := bufio.NewReader(c)
				for {
					out, more := answer(r)
					if out != nil {
						_, _ = c.Write(out)
					}
					if !more {
						_, _ = r.ReadByte() // hold until the client closes
						return
					}
				}
			}()
		}
	}()
}

// rtspAnswer answers one RTSP request: OPTIONS 200, anything else 401 Digest.
func rtspAnswer(r *bufio.Reader) ([]byte, bool) {
	var method, cseq string
	for i := 0; i < 64; i++ {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, false
		}
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		if method == "" {
			method, _, _ = strings.Cut(line, " ")
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "CSeq") {
			cseq = strings.TrimSpace(v)
		}
	}
	if method == "OPTIONS" {
		return []byte("RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n"), true
	}
	return []byte("RTSP/1.0 401 Unauthorized\r\nCSeq: " + cseq +
		"\r\nWWW-Authenticate: Digest realm=\"IP Camera(12345)\", nonce=\"0a1b2c3d\"\r\n\r\n"), true
}
