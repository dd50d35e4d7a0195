package igd

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// body returns the body of a captured raw HTTP answer and its status.
func body(t testing.TB, name string) (int, []byte) {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(probetest.Fixture(t, name))), nil)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return resp.StatusCode, b
}

// fakeIGD is an in-process miniupnpd on loopback: SSDP on udp, HTTP on tcp,
// NAT-PMP on udp, all answering with the real captures.
type fakeIGD struct {
	addr     netip.Addr
	ssdpPort uint16
	pmpPort  uint16
	httpAddr string
	// entries is how many GetGenericPortMappingEntry indexes exist; -1
	// means endless (never 713).
	entries  int
	desc     []byte
	location string     // overrides the LOCATION sent
	mu       sync.Mutex // guards desc, location and actions
	actions  []string
	// delay holds every SOAP answer back (a hostile, slow router).
	delay time.Duration
}

var fieldRE = regexp.MustCompile(`<(NewExternalPort|NewInternalClient|NewPortMappingDescription)>[^<]*<`)

// entry derives index i from the real index-0 answer: external port
// 18081+i, description "camwarden-unscanned-<i>"; the rest is as captured.
func entry(t testing.TB, i int) []byte {
	_, b := body(t, "miniupnpd-2.3.1-getgenericportmappingentry-0.http")
	return fieldRE.ReplaceAllFunc(b, func(m []byte) []byte {
		switch {
		case bytes.HasPrefix(m, []byte("<NewExternalPort>")):
			return []byte("<NewExternalPort>" + strconv.Itoa(18081+i) + "<")
		case bytes.HasPrefix(m, []byte("<NewPortMappingDescription>")):
			return []byte("<NewPortMappingDescription>camwarden-unscanned-" + strconv.Itoa(i) + "<")
		}
		return m
	})
}

func startFake(t *testing.T, addr string, entries int) *fakeIGD {
	t.Helper()
	f := &fakeIGD{addr: netip.MustParseAddr(addr), entries: entries, desc: probetest.Fixture(t, "miniupnpd-2.3.1-rootdesc.xml")}
	ln, err := net.Listen("tcp", addr+":0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	f.httpAddr = ln.Addr().String()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { f.serveHTTP(t, w, r) })}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	f.ssdpPort = f.serveUDP(t, func(req []byte) []byte {
		if !bytes.HasPrefix(req, []byte("M-SEARCH")) {
			return nil
		}
		f.mu.Lock()
		loc := f.location
		f.mu.Unlock()
		if loc == "" {
			loc = "http://" + f.httpAddr + "/rootDesc.xml"
		}
		return bytes.Replace(probetest.Fixture(t, "miniupnpd-2.3.1-ssdp-igd.txt"),
			[]byte("http://10.77.1.1:5000/rootDesc.xml"), []byte(loc), 1)
	})
	f.pmpPort = f.serveUDP(t, func(req []byte) []byte {
		switch {
		case bytes.Equal(req, []byte{0, 0}):
			return probetest.Fixture(t, "miniupnpd-2.3.1-natpmp-external.bin")
		case len(req) == 24 && req[0] == 2 && req[1] == 0:
			return probetest.Fixture(t, "miniupnpd-2.3.1-pcp-announce.bin")
		}
		return nil
	})
	return f
}

// serveUDP answers each datagram with reply(req), until the test ends.
func (f *fakeIGD) serveUDP(t *testing.T, reply func([]byte) []byte) uint16 {
	pc, err := net.ListenPacket("udp", f.addr.String()+":0")
	if err != nil {
		t.Fatalf("listen udp: %v", err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if out := reply(bytes.Clone(buf[:n])); out != nil {
				_, _ = pc.WriteTo(out, from)
			}
		}
	}()
	return uint16(pc.LocalAddr().(*net.UDPAddr).Port)
}

var indexRE = regexp.MustCompile(`<NewPortMappingIndex>(\d+)</NewPortMappingIndex>`)

func (f *fakeIGD) serveHTTP(t testing.TB, w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/rootDesc.xml" {
		f.mu.Lock()
		desc := f.desc
		f.mu.Unlock()
		_, _ = w.Write(desc)
		return
	}
	action := r.Header.Get("SOAPAction")
	select {
	case <-time.After(f.delay):
	case <-r.Context().Done():
		return
	}
	f.mu.Lock()
	f.actions = append(f.actions, action)
	f.mu.Unlock()
	req, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	name := action[strings.LastIndex(action, "#")+1:]
	name = strings.Trim(name, `"`)
	var status int
	var b []byte
	switch name {
	case "GetExternalIPAddress":
		status, b = body(t, "miniupnpd-2.3.1-getexternalipaddress.http")
	case "GetListOfPortMappings":
		status, b = body(t, "miniupnpd-2.3.1-getlistofportmappings-tcp.http")
		if bytes.Contains(req, []byte("<NewProtocol>UDP<")) {
			// miniupnpd answers 730 PortMappingNotFound for an empty range;
			// built from the captured 713 fault with the documented code.
			status, b = body(t, "miniupnpd-2.3.1-getgenericportmappingentry-713.http")
			b = bytes.Replace(b, []byte(">713<"), []byte(">730<"), 1)
		}
	case "GetGenericPortMappingEntry":
		m := indexRE.FindSubmatch(req)
		i, _ := strconv.Atoi(string(m[1]))
		if f.entries >= 0 && i >= f.entries {
			status, b = body(t, "miniupnpd-2.3.1-getgenericportmappingentry-713.http")
		} else {
			status, b = http.StatusOK, entry(t, i)
		}
	default:
		status, b = http.StatusInternalServerError, []byte("unexpected action")
	}
	w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// recordingDialer dials through net.Dialer and records every address.
type recordingDialer struct {
	mu    sync.Mutex
	dials []string
}

func (d *recordingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.dials = append(d.dials, network+" "+addr)
	d.mu.Unlock()
	var nd net.Dialer
	return nd.DialContext(ctx, network, addr)
}

func (d *recordingDialer) all() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.dials...)
}
