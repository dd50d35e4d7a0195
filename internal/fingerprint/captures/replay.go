package captures

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/discover/lan"
	"github.com/camwarden/camwarden/internal/probe"
	probehttp "github.com/camwarden/camwarden/internal/probe/http"
	"github.com/camwarden/camwarden/internal/probe/onvif"
	"github.com/camwarden/camwarden/internal/probe/probetest"
	"github.com/camwarden/camwarden/internal/probe/rtsp"
	"github.com/camwarden/camwarden/internal/probe/snmp"
	"github.com/camwarden/camwarden/internal/probe/telnet"
	"github.com/camwarden/camwarden/internal/probe/upnp"
)

// Addr is the address devices are identified under.
var Addr = netip.MustParseAddr("127.0.0.1")

// dialer dials loopback only: every fake listens there.
type dialer struct{ net.Dialer }

func (d *dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().IsLoopback() {
		return nil, fmt.Errorf("captures: refusing to dial %q: not loopback", addr)
	}
	return d.Dialer.DialContext(ctx, network, addr)
}

// Replay serves the device's replies from fakes on 127.0.0.1 (closed when
// t ends) and returns what camwarden's probes make of them. dir is
// shared/data.
func Replay(ctx context.Context, t testing.TB, dir string, d Device) ([]probe.Service, error) {
	byProto := map[string][]Reply{}
	for _, r := range d.Replies {
		byProto[protocolOf(r.Kind)] = append(byProto[protocolOf(r.Kind)], r)
	}
	read := func(r Reply) ([]byte, error) { return readFile(dir, r) }
	var out []probe.Service
	for _, proto := range []string{"rtsp", "http", "onvif", "upnp", "snmp", "telnet", "wsd"} {
		replies := byProto[proto]
		if len(replies) == 0 {
			continue
		}
		svcs, err := replayProtocol(ctx, t, proto, replies, read)
		if err != nil {
			return out, fmt.Errorf("%s %s: %w", d.ID, proto, err)
		}
		out = append(out, svcs...)
	}
	return out, nil
}

// readFile reads a reply's capture under dir (shared/data).
func readFile(dir string, r Reply) ([]byte, error) {
	return os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.File)))
}

func protocolOf(kind string) string {
	switch kind {
	case KindRTSP, KindRTSPSDP, KindRTSPRealm, KindRTSPNmap:
		return "rtsp"
	case KindHTTP, KindHTTP401Header, KindHTTP401Body, KindHTTPPath, KindISAPIJSON:
		return "http"
	case KindONVIFXML, KindONVIFParsed:
		return "onvif"
	case KindSSDP, KindUPnPDesc:
		return "upnp"
	case KindSNMPRec:
		return "snmp"
	case KindTelnet:
		return "telnet"
	}
	return "wsd"
}

type reader func(Reply) ([]byte, error)

func replayProtocol(ctx context.Context, t testing.TB, proto string, replies []Reply, read reader) ([]probe.Service, error) {
	switch proto {
	case "rtsp":
		return replayRTSP(ctx, t, replies, read)
	case "http":
		return replayHTTP(ctx, t, replies, read)
	case "onvif":
		b, err := read(replies[0])
		if err != nil {
			return nil, err
		}
		info, err := onvifInfo(replies[0], b)
		if err != nil {
			return nil, err
		}
		tg := probetest.Serve(t, (&onvifFake{info: info}).serve)
		return run(ctx, &onvif.Probe{}, tg)
	case "upnp":
		return replayUPnP(ctx, t, replies, read)
	case "snmp":
		b, err := read(replies[0])
		if err != nil {
			return nil, err
		}
		tg := probetest.ServeUDP(t, newSNMPAgent(b).answer)
		return run(ctx, snmp.Probe{Retries: -1}, tg)
	case "telnet":
		b, err := read(replies[0])
		if err != nil {
			return nil, err
		}
		tg := probetest.Serve(t, probetest.Replay(telnetText(b)))
		return run(ctx, telnet.Probe{ReadWindow: time.Second}, tg)
	}
	return replayWSD(replies, read)
}

// run probes tg; a probe that finds nothing contributes no service.
func run(ctx context.Context, p probe.Probe, tg probe.Target) ([]probe.Service, error) {
	s, err := p.Probe(ctx, &dialer{}, tg)
	if s == nil {
		return nil, nil //nolint:nilerr // not this protocol: nothing to identify from
	}
	_ = err // a misbehaving reply still carries its fields
	return []probe.Service{*s}, nil
}

func replayRTSP(ctx context.Context, t testing.TB, replies []Reply, read reader) ([]probe.Service, error) {
	f, err := rtspFakeOf(replies, read, false)
	if err != nil {
		return nil, err
	}
	tg := probetest.Serve(t, f.serve)
	return run(ctx, &rtsp.Probe{}, tg)
}

// rtspFakeOf builds the RTSP fake of a device's RTSP replies.
func rtspFakeOf(replies []Reply, read reader, open bool) (*rtspFake, error) {
	var msgs []message
	for _, r := range replies {
		b, err := read(r)
		if err != nil {
			return nil, err
		}
		var m []message
		switch r.Kind {
		case KindRTSPSDP:
			m = []message{sdpMessage(b)}
		case KindRTSPRealm:
			m, err = realmMessages(b)
		case KindRTSPNmap:
			m, err = nmapMessages(b)
		default:
			m = splitMessages(b)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.File, err)
		}
		msgs = append(msgs, m...)
	}
	return newRTSPFake(msgs, open)
}

func replayHTTP(ctx context.Context, t testing.TB, replies []Reply, read reader) ([]probe.Service, error) {
	f := &httpFake{paths: map[string]message{}}
	for _, r := range replies {
		b, err := read(r)
		if err != nil {
			return nil, err
		}
		if err := f.add(r, b); err != nil {
			return nil, err
		}
	}
	tg := probetest.Serve(t, f.serve)
	out, err := run(ctx, &probehttp.Probe{RequestTimeout: 2 * time.Second}, tg)
	if err != nil {
		return out, err
	}
	ov, err := run(ctx, &onvif.Probe{}, tg) // the scan asks ONVIF over every HTTP port
	return append(out, ov...), err
}

func replayUPnP(ctx context.Context, t testing.TB, replies []Reply, read reader) ([]probe.Service, error) {
	tg, _, err := serveUPnP(t, replies, read)
	if err != nil {
		return nil, err
	}
	return run(ctx, upnp.Probe{Window: 300 * time.Millisecond}, tg)
}

// serveUPnP serves a device's description over HTTP and its SSDP answers
// (or a neutral one pointing at the description) over UDP, and returns the
// SSDP target and the description's web server.
func serveUPnP(t testing.TB, replies []Reply, read reader) (ssdp, web probe.Target, err error) {
	desc := &descFake{}
	var search []byte
	for _, r := range replies {
		b, err := read(r)
		if err != nil {
			return ssdp, web, err
		}
		if r.Kind == KindUPnPDesc {
			desc.desc = closeXML(b)
			if !strings.Contains(string(desc.desc), "<root") {
				// The excerpt starts at <device>: put back the root element
				// every description has.
				desc.desc = []byte(`<root xmlns="urn:schemas-upnp-org:device-1-0">` + string(desc.desc) + `</root>`)
			}
		} else {
			search = b
		}
	}
	web = probetest.Serve(t, desc.serve)
	location := fmt.Sprintf("http://%s/description.xml", web.Address())
	answers := neutralSSDP(location)
	if search != nil {
		if answers, err = ssdpAnswers(search, location); err != nil {
			return ssdp, web, err
		}
	}
	return probetest.ServeUDP(t, func([]byte) [][]byte { return answers }), web, nil
}

// replayWSD hands the scopes to the WS-Discovery parser: discovery is
// multicast, so there is no unicast probe to serve them to.
func replayWSD(replies []Reply, read reader) ([]probe.Service, error) {
	r := replies[0]
	b, err := read(r)
	if err != nil {
		return nil, err
	}
	if r.Kind == KindWSDXML {
		b = closeXML(b)
	} else {
		lines := strings.Split(string(b), "\n")
		if r.Line < 1 || r.Line > len(lines) {
			return nil, fmt.Errorf("%s: no line %d", r.File, r.Line)
		}
		b = probeMatches(scopesOf(lines[r.Line-1]))
	}
	found, err := lan.ParseProbeMatches(Addr, b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.File, err)
	}
	var out []probe.Service
	for _, f := range found {
		out = append(out, f.Service())
	}
	return out, nil
}

// scopesOf returns a scope list line as onvif:// scopes; ZoneMinder prints
// them as (key='value', ...).
func scopesOf(line string) string {
	i := strings.Index(line, "(")
	if i < 0 || !strings.Contains(line, "='") {
		return strings.TrimSpace(line)
	}
	var scopes []string
	for _, m := range reKV.FindAllStringSubmatch(line[i:], -1) {
		scopes = append(scopes, "onvif://www.onvif.org/"+m[1]+"/"+m[2])
	}
	return strings.Join(scopes, " ")
}

func probeMatches(scopes string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" ` +
		`xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><e:Body><d:ProbeMatches><d:ProbeMatch>` +
		`<d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>` + scopes + `</d:Scopes>` +
		`<d:XAddrs>http://127.0.0.1/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>`)
}
