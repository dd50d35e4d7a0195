package lan

import (
	"crypto/rand"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// WSDProbe is a WS-Discovery Probe for ONVIF devices (ONVIF Core 7.3,
// WS-Discovery 2005/04), with a fresh MessageID.
func WSDProbe() []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>` +
		`<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" ` +
		`xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">` +
		`<e:Header><w:MessageID>urn:uuid:` + uuid() + `</w:MessageID>` +
		`<w:To e:mustUnderstand="true">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>` +
		`<w:Action e:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header>` +
		`<e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></e:Body></e:Envelope>`)
}

func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

type probeMatches struct {
	Matches []struct {
		Endpoint string `xml:"EndpointReference>Address"`
		Types    string `xml:"Types"`
		Scopes   string `xml:"Scopes"`
		XAddrs   string `xml:"XAddrs"`
	} `xml:"Body>ProbeMatches>ProbeMatch"`
}

// ParseProbeMatches parses a WS-Discovery ProbeMatches envelope: service
// addresses (XAddrs) and the ONVIF scopes name/, hardware/, mac/, mfr/.
func ParseProbeMatches(from netip.Addr, b []byte) ([]Found, error) {
	var env probeMatches
	if err := decodeStrict(b, "Envelope", &env); err != nil {
		return nil, fmt.Errorf("ws-discovery: %w", err)
	}
	if len(env.Matches) == 0 {
		return nil, fmt.Errorf("%w: ws-discovery: no ProbeMatch", ErrMalformed)
	}
	var out []Found
	for _, m := range env.Matches {
		f := Found{Address: from, Protocol: WSDiscovery, DeviceType: clean(m.Types), Endpoint: clean(m.Endpoint)}
		for _, x := range strings.Fields(m.XAddrs) {
			if len(f.XAddrs) < 8 {
				f.XAddrs = append(f.XAddrs, clean(x))
			}
		}
		for _, s := range strings.Fields(m.Scopes) {
			if len(f.Scopes) >= 32 {
				break
			}
			f.Scopes = append(f.Scopes, clean(s))
			scope(&f, s)
		}
		out = append(out, f)
	}
	return out, nil
}

// scopeValue returns the value of an onvif://www.onvif.org/<key>/<value>
// scope, unescaped, or "".
func scopeValue(s string) string {
	rest, ok := strings.CutPrefix(s, "onvif://www.onvif.org/")
	if !ok {
		return ""
	}
	_, val, _ := strings.Cut(rest, "/")
	if v, err := url.PathUnescape(val); err == nil {
		val = v
	}
	return clean(val)
}

// scope records one onvif://www.onvif.org/<key>/<value> scope.
func scope(f *Found, s string) {
	rest, ok := strings.CutPrefix(s, "onvif://www.onvif.org/")
	if !ok {
		return
	}
	key, val, ok := strings.Cut(rest, "/")
	if !ok || val == "" {
		return
	}
	if v, err := url.PathUnescape(val); err == nil {
		val = v
	}
	val = clean(val)
	switch strings.ToLower(key) {
	case "name":
		f.Name = val
	case "hardware":
		f.Hardware, f.Model = val, val
	case "mac":
		f.MAC = normaliseMAC(val)
	case "mfr", "manufacturer":
		f.Vendor = val
	}
}
