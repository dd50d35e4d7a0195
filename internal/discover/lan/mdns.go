package lan

import (
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

// MDNSServices are the DNS-SD service types asked for.
var MDNSServices = []string{"_rtsp._tcp.local.", "_http._tcp.local.", "_onvif._tcp.local.", "_axis-video._tcp.local."}

// MDNSQuery is a one-shot (legacy unicast, RFC 6762 6.7) PTR query for
// MDNSServices: sent from a port other than 5353, so answers come back
// by unicast to the asking socket.
func MDNSQuery() []byte {
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{})
	_ = b.StartQuestions()
	for _, s := range MDNSServices {
		_ = b.Question(dnsmessage.Question{Name: dnsmessage.MustNewName(s), Type: dnsmessage.TypePTR, Class: dnsmessage.ClassINET})
	}
	msg, _ := b.Finish()
	return msg
}

// ParseMDNS parses an mDNS answer: each PTR to a service instance becomes
// one Found (name = instance), with the SRV port and TXT model/vendor keys.
func ParseMDNS(from netip.Addr, b []byte) ([]Found, error) {
	var p dnsmessage.Parser
	h, err := p.Start(b)
	if err != nil {
		return nil, fmt.Errorf("%w: mdns: %w", ErrMalformed, err)
	}
	if !h.Response {
		return nil, fmt.Errorf("%w: mdns: not a response", ErrMalformed)
	}
	if err := p.SkipAllQuestions(); err != nil {
		return nil, fmt.Errorf("%w: mdns: %w", ErrMalformed, err)
	}
	byInstance := map[string]*Found{}
	var order []string
	get := func(name string) *Found {
		if f, ok := byInstance[name]; ok {
			return f
		}
		if len(order) >= 32 {
			return &Found{}
		}
		f := &Found{Address: from, Protocol: MDNS, Name: clean(strings.TrimSuffix(name, "."))}
		byInstance[name] = f
		order = append(order, name)
		return f
	}
	for n := 0; n < 256; n++ {
		rh, err := p.AnswerHeader()
		if err != nil {
			break
		}
		switch rh.Type {
		case dnsmessage.TypePTR:
			r, err := p.PTRResource()
			if err != nil {
				return nil, fmt.Errorf("%w: mdns ptr: %w", ErrMalformed, err)
			}
			f := get(r.PTR.String())
			f.DeviceType = clean(strings.TrimSuffix(rh.Name.String(), "."))
		case dnsmessage.TypeSRV:
			r, err := p.SRVResource()
			if err != nil {
				return nil, fmt.Errorf("%w: mdns srv: %w", ErrMalformed, err)
			}
			f := get(rh.Name.String())
			if f.Ports == nil {
				f.Ports = map[string]uint16{}
			}
			f.Ports[serviceOf(rh.Name.String())] = r.Port
		case dnsmessage.TypeTXT:
			r, err := p.TXTResource()
			if err != nil {
				return nil, fmt.Errorf("%w: mdns txt: %w", ErrMalformed, err)
			}
			txt(get(rh.Name.String()), r.TXT)
		default:
			if err := p.SkipAnswer(); err != nil {
				return nil, fmt.Errorf("%w: mdns: %w", ErrMalformed, err)
			}
		}
	}
	var out []Found
	for _, name := range order {
		out = append(out, *byInstance[name])
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: mdns: no service instance", ErrMalformed)
	}
	return out, nil
}

// serviceOf returns "rtsp" for "Cam._rtsp._tcp.local.".
func serviceOf(instance string) string {
	for _, label := range strings.Split(instance, ".") {
		if strings.HasPrefix(label, "_") && label != "_tcp" && label != "_udp" {
			return clean(strings.TrimPrefix(label, "_"))
		}
	}
	return "unknown"
}

func txt(f *Found, kvs []string) {
	for _, kv := range kvs {
		k, v, _ := strings.Cut(kv, "=")
		switch strings.ToLower(k) {
		case "model", "md":
			f.Model = clean(v)
		case "manufacturer", "vendor", "mfr":
			f.Vendor = clean(v)
		case "macaddress", "mac":
			f.MAC = normaliseMAC(v)
		case "serial", "sn":
			f.Serial = clean(v)
		}
	}
}
