package upnp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// miniupnpdAnswers splits the capture into its 13 answer datagrams.
func miniupnpdAnswers(t testing.TB) [][]byte {
	var out [][]byte
	for _, part := range strings.Split(string(probetest.Fixture(t, "miniupnpd-2.3.1-ssdp-msearch-all.txt")), "<<< from ")[1:] {
		_, msg, _ := strings.Cut(part, "\n") // drop "10.77.1.1:1900"
		msg = msg[:strings.LastIndex(msg, "\r\n\r\n")+4]
		out = append(out, []byte(msg))
	}
	if len(out) != 13 {
		t.Fatalf("capture has %d answers, want 13", len(out))
	}
	return out
}

// loopbackDialer dials only 127.0.0.0/8 and records every address asked for.
type loopbackDialer struct {
	mu    sync.Mutex
	dials []string
}

func (d *loopbackDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.dials = append(d.dials, network+" "+addr)
	d.mu.Unlock()
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().IsLoopback() {
		return nil, fmt.Errorf("test dialer: refusing non-loopback %q", addr)
	}
	return (&net.Dialer{}).DialContext(ctx, network, addr)
}

// responder answers every M-SEARCH with answers(); it reports requests.
func responder(t *testing.T, answers func() [][]byte) (probe.Target, <-chan string) {
	t.Helper()
	reqs := make(chan string, 4)
	tgt := probetest.ServeUDP(t, func(req []byte) [][]byte {
		reqs <- string(req)
		return answers()
	})
	return tgt, reqs
}

// describe serves body at every path on a loopback HTTP server and returns
// its base URL.
func describe(t *testing.T, body []byte) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// relocate points the LOCATION of captured answers at base.
func relocate(answers [][]byte, from, base string) [][]byte {
	out := make([][]byte, len(answers))
	for i, a := range answers {
		out[i] = bytes.ReplaceAll(a, []byte(from), []byte(base))
	}
	return out
}

const bomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<root xmlns="urn:schemas-upnp-org:device-1-0"><device><manufacturer>&lol3;</manufacturer></device></root>`

func TestProbe(t *testing.T) {
	mini := miniupnpdAnswers(t)
	axis := probetest.Fixture(t, "axis-m1014-ssdp-msearch-response.txt")
	const miniServer = "Debian/6.18.44-fc-v657 UPnP/1.1 MiniUPnPd/2.3.1"
	tests := []struct {
		name       string
		answers    func(t *testing.T) [][]byte
		wantStatus probe.Status // "" means ErrNoMatch
		want       map[string]string
		wantClaims map[string]string
		wantFetch  bool
	}{
		{name: "miniupnpd same host", wantStatus: probe.StatusIdentified, wantFetch: true,
			answers: func(t *testing.T) [][]byte {
				return relocate(mini, "http://10.77.1.1:5000", describe(t, probetest.Fixture(t, "miniupnpd-2.3.1-rootdesc.xml")))
			},
			want: map[string]string{probe.FieldUPnPServer: miniServer, probe.FieldUPnPManufacturer: "peers-lab",
				probe.FieldUPnPModelName: "miniupnpd-netns", probe.FieldUPnPSerial: "TESTIGD1",
				probe.FieldUPnPDeviceType: "urn:schemas-upnp-org:device:InternetGatewayDevice:2"},
			wantClaims: map[string]string{probe.AttrVendor: "peers-lab", probe.AttrModel: "miniupnpd-netns", probe.AttrType: "router"}},
		{name: "axis m1014 same host", wantStatus: probe.StatusIdentified, wantFetch: true,
			answers: func(t *testing.T) [][]byte {
				return relocate([][]byte{axis}, "http://192.168.1.102:45895", describe(t, probetest.Fixture(t, "axis-m1014-rootdesc.xml")))
			},
			want: map[string]string{probe.FieldUPnPServer: "Linux/2.6.35, UPnP/1.0, Portable SDK for UPnP devices/1.6.18",
				probe.FieldUPnPST: "urn:axis-com:service:BasicService:1", probe.FieldUPnPManufacturer: "AXIS",
				probe.FieldUPnPModelName: "AXIS M1014", probe.FieldUPnPModelNumber: "M1014",
				probe.FieldUPnPModelDesc: "AXIS M1014 Fixed Network Camera", probe.FieldUPnPFriendlyName: "AXIS M1014 - ACCC8E270AD8"},
			wantClaims: map[string]string{probe.AttrVendor: "AXIS", probe.AttrModel: "AXIS M1014", probe.AttrSerial: "ACCC8E270AD8"}},
		{name: "location on another host is not fetched", wantStatus: probe.StatusIdentified,
			answers: func(*testing.T) [][]byte { return mini },
			want:    map[string]string{probe.FieldUPnPServer: miniServer, probe.FieldUPnPLocation: "http://10.77.1.1:5000/rootDesc.xml"}},
		{name: "entity bomb description", wantStatus: probe.StatusMalformed, wantFetch: true,
			answers: func(t *testing.T) [][]byte {
				return relocate(mini[:1], "http://10.77.1.1:5000", describe(t, []byte(bomb)))
			},
			want: map[string]string{probe.FieldUPnPServer: miniServer}},
		{name: "oversized description", wantStatus: probe.StatusTooLarge, wantFetch: true,
			answers: func(t *testing.T) [][]byte {
				return relocate(mini[:1], "http://10.77.1.1:5000", describe(t, bytes.Repeat([]byte("<a>"), MaxDescription)))
			}},
		{name: "garbage answers", wantStatus: probe.StatusMalformed,
			answers: func(*testing.T) [][]byte { return [][]byte{[]byte("\x00\x01binary junk")} }},
		{name: "silent port", answers: func(*testing.T) [][]byte { return nil }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			answers := tc.answers(t)
			tgt, reqs := responder(t, func() [][]byte { return answers })
			d := &loopbackDialer{}
			start := time.Now()
			s, err := Probe{Window: 300 * time.Millisecond}.Probe(t.Context(), d, tgt)
			if el := time.Since(start); el > 2*time.Second {
				t.Fatalf("probe took %v", el)
			}
			if got := <-reqs; got != MSearch {
				t.Fatalf("responder got %q", got)
			}
			for _, dial := range d.dials {
				host := strings.Fields(dial)[1]
				if ap := netip.MustParseAddrPort(host); ap.Addr() != tgt.Addr {
					t.Fatalf("dialled %s, not the target", dial)
				}
			}
			if fetched := len(d.dials) == 2; fetched != tc.wantFetch {
				t.Fatalf("dials %v, want fetch %v", d.dials, tc.wantFetch)
			}
			if tc.wantStatus == "" {
				if !errors.Is(err, probe.ErrNoMatch) || s != nil {
					t.Fatalf("got %+v, %v; want ErrNoMatch", s, err)
				}
				return
			}
			if s == nil || s.Status != tc.wantStatus || s.Protocol != Protocol || s.Transport != "udp" || s.Port != tgt.Port {
				t.Fatalf("service %+v (err %v), want status %q", s, err, tc.wantStatus)
			}
			if (err == nil) != (tc.wantStatus == probe.StatusIdentified) {
				t.Fatalf("err %v with status %q", err, s.Status)
			}
			for k, v := range tc.want {
				if s.Fields[k] != v {
					t.Errorf("field %s = %q, want %q", k, s.Fields[k], v)
				}
			}
			for attr, v := range tc.wantClaims {
				if !hasClaim(s.Claims, attr, v) {
					t.Errorf("no claim %s=%q in %+v", attr, v, s.Claims)
				}
			}
		})
	}
}

func hasClaim(claims []probe.Claim, attr, value string) bool {
	for _, c := range claims {
		if c.Attr == attr && c.Value == value && c.Source == Source {
			return true
		}
	}
	return false
}

// TestShortDeadline: a caller's deadline no longer than the answer window
// (the engine gives a host with no open TCP port 1.5 s) still leaves time
// to fetch the description.
func TestShortDeadline(t *testing.T) {
	axis := probetest.Fixture(t, "axis-m1014-ssdp-msearch-response.txt")
	answers := relocate([][]byte{axis}, "http://192.168.1.102:45895", describe(t, probetest.Fixture(t, "axis-m1014-rootdesc.xml")))
	tgt, _ := responder(t, func() [][]byte { return answers })
	ctx, cancel := context.WithTimeout(t.Context(), DefaultWindow)
	defer cancel()
	s, err := Probe{}.Probe(ctx, &loopbackDialer{}, tgt)
	if err != nil || s.Fields[probe.FieldUPnPManufacturer] != "AXIS" {
		t.Fatalf("got %+v, %v", s, err)
	}
}

func TestClosedPort(t *testing.T) {
	tgt := probetest.Closed(t, "udp")
	s, err := Probe{Window: 300 * time.Millisecond}.Probe(t.Context(), &loopbackDialer{}, tgt)
	if !errors.Is(err, probe.ErrNoMatch) || s != nil {
		t.Fatalf("got %+v, %v; want ErrNoMatch", s, err)
	}
}

func TestSameHost(t *testing.T) {
	addr := netip.MustParseAddr("127.0.0.1")
	tests := []struct {
		loc  string
		want bool
	}{
		{"http://127.0.0.1:5000/rootDesc.xml", true},
		{"http://10.77.1.1:5000/rootDesc.xml", false},
		{"http://localhost:5000/rootDesc.xml", false}, // names are not resolved
		{"https://127.0.0.1/desc.xml", false},
		{"http://user@127.0.0.1/desc.xml", false},
		{"::not a url", false},
	}
	for _, tc := range tests {
		t.Run(tc.loc, func(t *testing.T) {
			if _, got := sameHost(tc.loc, addr); got != tc.want {
				t.Fatalf("sameHost = %v, want %v", got, tc.want)
			}
		})
	}
}

func FuzzParseSearchResponse(f *testing.F) {
	for _, a := range miniupnpdAnswers(f) {
		f.Add(a)
	}
	f.Add(probetest.Fixture(f, "axis-m1014-ssdp-msearch-response.txt"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r, err := ParseSearchResponse(in)
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error %v is not ErrMalformed", err)
		}
		if err == nil && len(r.Server)+len(r.ST)+len(r.Location) > len(in) {
			t.Fatal("fields longer than the input")
		}
	})
}

func FuzzParseDescription(f *testing.F) {
	f.Add(probetest.Fixture(f, "miniupnpd-2.3.1-rootdesc.xml"))
	f.Add(probetest.Fixture(f, "axis-m1014-rootdesc.xml"))
	f.Add([]byte(bomb))
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := ParseDescription(in)
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error %v is not ErrMalformed", err)
		}
		if err == nil && len(d.Device.Manufacturer) > len(in) {
			t.Fatal("manufacturer longer than the input")
		}
	})
}

// TestDescriptionModel: the model of a root description, from the
// descriptions of real routers in ../shared/data/field-captures/routers-upnp.
func TestDescriptionModel(t *testing.T) {
	tests := []struct {
		name                       string
		manufacturer, model, numbr string
		want                       string
	}{
		{"model name with digits", "Google", "OnHub", "1", "OnHub"},
		{"words, product number", "LINKSYS", "Wireless-G ADSL Home Gateway", "WAG200G", "WAG200G"},
		{"words, date number", "MiniUPnP", "WAN Device", "20210205", "WAN Device"},
		{"MiniUPnPd defaults (pfSense 2.5.0)", "FreeBSD", "FreeBSD router", "2.5.0-RELEASE", ""},
		{"MiniUPnPd defaults, case and spaces", "Linux", " linux Router ", "4.14.90", ""},
		{"router in a real model name", "TP-LINK", "TL-WR740N router", "4.0", "TL-WR740N router"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := descriptionModel(tt.manufacturer, tt.model, tt.numbr); got != tt.want {
				t.Errorf("descriptionModel(%q, %q, %q) = %q, want %q", tt.manufacturer, tt.model, tt.numbr, got, tt.want)
			}
		})
	}
}
