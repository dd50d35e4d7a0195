package fingerprint

import (
	"fmt"
	"regexp"
	"strings"

	catalog "github.com/camwarden/camwarden/internal/catalog/fingerprint"
	"github.com/camwarden/camwarden/internal/probe"
)

// Shape claims read identity from the form of device strings rather than
// from one vendor's literal text, so that they hold for devices no rule
// was written from:
//
//   - a realm "<VENDOR>_<serial>" names its vendor (AXIS_ACCC8E012345);
//   - a realm, SDP session name or WS-Discovery endpoint that is a MAC
//     (b4a38201a73f) names the vendor its IEEE OUI is assigned to;
//   - a free-text field that names a vendor in words ("Panasonic network
//     device", "Hikvision company products", `Session streamed by
//     "TP-LINK RTSP Server"`, a certificate's O=) points to that vendor;
//   - the device's own stream path naming a vendor in words;
//   - a vendor's web domain in an SDP u=/e= line, an SSDP ST/USN or a
//     certificate (www.dahuatech.com) points to that vendor.
//
// Their confidences are below the vendor-specific rules': a name in a
// realm is a good sign, not a statement.
const (
	confVendorSerial = 0.6
	confNameLeading  = 0.45
	confNameInside   = 0.35
	confDomain       = 0.45
	confMACShape     = 0.5
)

// nameFields are the free-text fields searched for a vendor's name, and
// whether only a leading name counts (titles and realms often say "Login
// to..." or a product word first; servers and sysDescr name their maker
// anywhere).
var nameFields = []struct {
	field   string
	leading bool
}{
	{probe.FieldHTTPRealm, true}, {probe.FieldRTSPRealm, true}, {probe.FieldONVIFRealm, true}, {probe.FieldHTTPTitle, true},
	{probe.FieldUPnPModelName, true}, {probe.FieldUPnPFriendlyName, true}, {probe.FieldUPnPModelDesc, true},
	{probe.FieldWSDName, true}, {probe.FieldWSDScopes, true}, {probe.FieldHTTPServer, false}, {probe.FieldRTSPServer, false},
	{probe.FieldUPnPServer, false}, {probe.FieldSNMPSysDescr, false},
}

var (
	reVendorSerial = regexp.MustCompile(`^([A-Za-z][A-Za-z-]{2,})_([0-9A-Za-z]{6,})$`)
	reBareMAC      = regexp.MustCompile(`^[0-9A-Fa-f]{12}$`)
	reMACPrefix    = regexp.MustCompile(`^([0-9A-Fa-f]{12})(?:_\d+)?$`)
	reEndpointMAC  = regexp.MustCompile(`([0-9A-Fa-f]{12})$`)
	reSDPLine      = regexp.MustCompile(`(?m)^([siue])=(.*)$|^a=tool:(.*)$`)
	reStreamedBy   = regexp.MustCompile(`Session streamed by "([^"]+)"`)
	reHost         = regexp.MustCompile(`(?i)(?:^|[^a-z0-9.-])((?:[a-z0-9-]+\.)+[a-z]{2,})`)
	reCertName     = regexp.MustCompile(`(?:^|,)(?:O|CN)=([^,]+)`)
)

// shapeClaims returns the shape claims of one service.
func (m *Matcher) shapeClaims(s probe.Service, prefix string) []evidence {
	var ev []evidence
	add := func(field, attr, value, why string, conf float64) {
		src := fmt.Sprintf("%s: %s %s", prefix, field, why)
		c := probe.Claim{Attr: attr, Value: value, Source: src, Confidence: conf}
		if e, ok := m.normalise(c, src, prefix+" "+field+" shape"); ok {
			ev = append(ev, e)
		}
	}
	for _, field := range []string{probe.FieldHTTPRealm, probe.FieldRTSPRealm, probe.FieldONVIFRealm} {
		for _, realm := range probe.FieldValues(s.Fields[field]) {
			m.realmShape(field, realm, add)
		}
	}
	for _, nf := range nameFields {
		for _, v := range variants(nf.field, s.Fields[nf.field]) {
			if vendor, alias := m.vendorNamed(v, nf.leading); vendor != "" {
				add(nf.field, probe.AttrVendor, vendor, fmt.Sprintf("names the vendor (%q)", alias), nameConf(nf.leading))
			}
		}
	}
	if sdp := s.Fields[probe.FieldRTSPSDP]; sdp != "" {
		m.sdpShape(sdp, add)
	}
	// A stream path the device chose itself, or one it serves where a
	// random path fails, can carry its maker's name (Aiphone's
	// /udp/unicast/aiphone_H264/).
	routes := ownRoutes(s)
	if r := s.Fields[probe.FieldRTSPRoute]; r != "" {
		routes = append(routes, r)
	}
	for _, route := range routes {
		if vendor, alias := m.vendorNamed(route, false); vendor != "" {
			add(probe.FieldRTSPContentBase, probe.AttrVendor, vendor,
				fmt.Sprintf("the device's own stream path %q names the vendor (%q)", probe.Printable([]byte(route), 96), alias), confNameInside)
		}
	}
	for _, field := range []string{probe.FieldTLSSubject, probe.FieldTLSIssuer} {
		for _, g := range reCertName.FindAllStringSubmatch(s.Fields[field], -1) {
			if vendor, alias := m.vendorNamed(g[1], true); vendor != "" {
				add(field, probe.AttrVendor, vendor, fmt.Sprintf("names the vendor (%q)", alias), confNameLeading)
			}
		}
		m.domainShape(field, s.Fields[field], add)
	}
	for _, field := range []string{probe.FieldUPnPST, probe.FieldUPnPUSN} {
		m.domainShape(field, s.Fields[field], add)
	}
	if g := reEndpointMAC.FindString(s.Fields[probe.FieldWSDEndpoint]); g != "" {
		m.macShape(probe.FieldWSDEndpoint, g, add)
	}
	// A UPnP device's UDN (the USN before "::") is a UUID whose node field
	// is, for time-based UUIDs and many vendors' own schemes, the
	// interface MAC (RFC 4122 4.1.6; UPnP Device Architecture 1.0, 1.1.4).
	udn, _, _ := strings.Cut(s.Fields[probe.FieldUPnPUSN], "::")
	if g := reEndpointMAC.FindString(udn); g != "" && strings.HasPrefix(strings.ToLower(udn), "uuid:") {
		m.macShape(probe.FieldUPnPUSN, g, add)
	}
	return ev
}

type addFunc func(field, attr, value, why string, conf float64)

func nameConf(leading bool) float64 {
	if leading {
		return confNameLeading
	}
	return confNameInside
}

// realmShape reads "<VENDOR>_<serial>" and MAC realms.
func (m *Matcher) realmShape(field, realm string, add addFunc) {
	if g := reVendorSerial.FindStringSubmatch(realm); g != nil {
		if v, ok := m.cat.CanonicalVendor(g[1]); ok {
			add(field, probe.AttrVendor, v, fmt.Sprintf("is <vendor>_<serial> (%q)", g[1]), confVendorSerial)
			add(field, probe.AttrSerial, g[2], "is <vendor>_<serial>", confVendorSerial)
			if reBareMAC.MatchString(g[2]) && m.oui[ouiOf(g[2])] == v {
				add(field, probe.AttrMAC, g[2], "serial is a MAC of the vendor's OUI", confMACShape)
			}
		}
	}
	if reBareMAC.MatchString(realm) {
		m.macShape(field, realm, add)
	}
}

// macShape claims a MAC when its OUI is a known vendor's; addressClaims
// then adds the OUI's vendor.
func (m *Matcher) macShape(field, hex string, add addFunc) {
	if _, known := m.oui[strings.ToUpper(hex[:6])]; known {
		add(field, probe.AttrMAC, hex, "is a MAC with a known OUI", confMACShape)
	}
}

// sdpShape reads the session name and tool of an SDP.
func (m *Matcher) sdpShape(sdp string, add addFunc) {
	for _, g := range reSDPLine.FindAllStringSubmatch(sdp, 16) {
		line, text := g[1], strings.TrimSpace(g[2]+g[3])
		if g[3] != "" {
			line = "a=tool"
		}
		switch line {
		case "u", "e":
			m.domainShape(probe.FieldRTSPSDP, text, add)
			continue
		case "s":
			if h := reMACPrefix.FindStringSubmatch(text); h != nil {
				m.macShape(probe.FieldRTSPSDP, h[1], add)
			}
			// Only LIVE555's 'Session streamed by "<name>"' carries a name
			// the vendor chose; a bare session name can be a library's
			// (an Amcrest camera says "Sony RTSP Server").
			q := reStreamedBy.FindStringSubmatch(text)
			if q == nil {
				continue
			}
			text = q[1]
		}
		if vendor, alias := m.vendorNamed(text, false); vendor != "" {
			add(probe.FieldRTSPSDP, probe.AttrVendor, vendor, fmt.Sprintf("%s= names the vendor (%q)", line, alias), confNameInside)
		}
	}
}

// domainShape claims the vendor whose web domain a host name in text is
// (or is under).
func (m *Matcher) domainShape(field, text string, add addFunc) {
	for _, g := range reHost.FindAllStringSubmatch(text, 8) {
		host := "." + strings.ToLower(g[1]) + "."
		for _, d := range m.domains {
			if strings.Contains(host, "."+d.domain+".") {
				add(field, probe.AttrVendor, d.vendor, fmt.Sprintf("names the vendor's domain %s", d.domain), confDomain)
			}
		}
	}
}

// vendorNamed finds a vendor's name (or alias) as whole words in text: at
// its start only when leading is set, else anywhere. Names shorter than
// four letters count only when they are the whole text; stacks and
// chipsets never count.
func (m *Matcher) vendorNamed(text string, leading bool) (vendor, alias string) {
	words := strings.Fields(catalog.NormaliseName(text))
	if len(words) == 0 {
		return "", ""
	}
	best := 0
	for start := range words {
		if leading && start > 0 {
			break
		}
		for end := len(words); end > start; end-- {
			cand := strings.Join(words[start:end], " ")
			if len(cand) <= best || len(cand) < 4 && !(start == 0 && end == len(words)) {
				continue
			}
			name, ok := m.cat.AliasVendor(cand)
			if !ok {
				continue
			}
			if v, _ := m.cat.Vendor(name); v.IsStack() {
				continue
			}
			vendor, alias, best = name, cand, len(cand)
		}
	}
	return vendor, alias
}
