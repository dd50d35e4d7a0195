package fingerprint

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
)

// evidence is one claim with the origin that makes it independent of
// others: two rules reading the same field of the same service share an
// origin and count once.
type evidence struct {
	probe.Claim
	origin string
}

// fieldClaims are the direct statements of identity protocols, used when
// the probe recorded the field but made no Claim for that attribute. The
// UPnP modelName is not one: the upnp probe claims the model itself
// (modelName or modelNumber), and claims none when the description is a
// stack's default ("FreeBSD router"), which no fallback may undo.
var fieldClaims = []struct {
	field, attr, source string
	conf                float64
}{
	{probe.FieldONVIFManufacturer, probe.AttrVendor, "onvif GetDeviceInformation Manufacturer", 0.8},
	{probe.FieldONVIFModel, probe.AttrModel, "onvif GetDeviceInformation Model", 0.8},
	{probe.FieldONVIFFirmware, probe.AttrFirmware, "onvif GetDeviceInformation FirmwareVersion", 0.8},
	{probe.FieldONVIFSerial, probe.AttrSerial, "onvif GetDeviceInformation SerialNumber", 0.8},
	{probe.FieldONVIFHardwareID, probe.AttrHardware, "onvif GetDeviceInformation HardwareId", 0.6},
	{probe.FieldUPnPManufacturer, probe.AttrVendor, "upnp description manufacturer", 0.7},
	{probe.FieldUPnPSerial, probe.AttrSerial, "upnp description serialNumber", 0.6},
}

var knownAttrs = map[string]bool{
	probe.AttrVendor: true, probe.AttrModel: true, probe.AttrFirmware: true, probe.AttrBuildDate: true,
	probe.AttrSerial: true, probe.AttrMAC: true, probe.AttrHardware: true, probe.AttrType: true,
}

func clamp(c float64) float64 {
	if math.IsNaN(c) || c < 0 {
		return 0
	}
	return min(c, 1)
}

func servicePrefix(s probe.Service) string {
	return fmt.Sprintf("%s/%d %s", s.Transport, s.Port, s.Protocol)
}

// collect gathers every claim of every service: the probes' own claims,
// claims from identity fields and claims from catalogue rules.
func (m *Matcher) collect(services []probe.Service) []evidence {
	var ev []evidence
	for _, s := range services {
		prefix := servicePrefix(s)
		claimed := map[string]bool{}
		for _, c := range s.Claims {
			if e, ok := m.normalise(c, prefix+": "+c.Source, prefix+" claim "+c.Source); ok {
				ev = append(ev, e)
				claimed[c.Attr] = true
			}
		}
		for _, fc := range fieldClaims {
			v := s.Fields[fc.field]
			if v == "" || claimed[fc.attr] {
				continue
			}
			c := probe.Claim{Attr: fc.attr, Value: v, Source: prefix + ": " + fc.source, Confidence: fc.conf}
			if e, ok := m.normalise(c, c.Source, prefix+" "+fc.field); ok {
				ev = append(ev, e)
			}
		}
		ev = append(ev, m.ruleClaims(s, prefix)...)
		ev = append(ev, m.ownRouteClaims(s, prefix)...)
		ev = append(ev, m.shapeClaims(s, prefix)...)
		ev = append(ev, m.streamClaims(s)...)
	}
	return append(ev, m.addressClaims(ev)...)
}

// normalise checks a claim and puts its value in canonical form.
func (m *Matcher) normalise(c probe.Claim, source, origin string) (evidence, bool) {
	c.Value = strings.TrimSpace(c.Value)
	if len(c.Value) > 256 {
		c.Value = c.Value[:256]
	}
	c.Confidence = clamp(c.Confidence)
	if !knownAttrs[c.Attr] || c.Value == "" || c.Confidence == 0 {
		return evidence{}, false
	}
	switch c.Attr {
	case probe.AttrVendor:
		if m.cat.IsGeneric(c.Value) {
			return evidence{}, false
		}
		if v, ok := m.cat.CanonicalVendor(c.Value); ok {
			if ven, _ := m.cat.Vendor(v); ven.IsStack() {
				return evidence{}, false
			}
			c.Value = v
		}
	case probe.AttrType:
		t := normaliseType(c.Value)
		if t == "" {
			return evidence{}, false
		}
		c.Value = t
	case probe.AttrBuildDate:
		d, ok := parseBuildDate(c.Value)
		if !ok {
			return evidence{}, false
		}
		c.Value = d
	case probe.AttrMAC:
		mac, ok := normaliseMAC(c.Value)
		if !ok {
			return evidence{}, false
		}
		c.Value = mac
	}
	c.Source = source
	return evidence{Claim: c, origin: origin}, true
}

// ruleClaims runs the catalogue rules over the service's fields: a field's
// own rules and those of the fields it aliases.
func (m *Matcher) ruleClaims(s probe.Service, prefix string) []evidence {
	keys := make([]string, 0, len(s.Fields))
	for k := range s.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var ev []evidence
	for _, field := range keys {
		rules := m.byField[field]
		for _, alias := range fieldAlias[field] {
			rules = append(slices.Clip(rules), m.byField[alias]...)
		}
		if len(rules) == 0 {
			continue
		}
		vals := variants(field, s.Fields[field])
		for _, r := range rules {
			for _, v := range vals {
				g := r.re.FindStringSubmatch(v)
				if g == nil {
					continue
				}
				ev = append(ev, m.fromRule(r, g, prefix, field)...)
				break
			}
		}
	}
	return ev
}

func (m *Matcher) fromRule(r compiledRule, g []string, prefix, field string) []evidence {
	origin := prefix + " " + field
	src := fmt.Sprintf("%s: %s matched rule %s", prefix, field, r.ID)
	var out []evidence
	add := func(attr, value string) {
		c := probe.Claim{Attr: attr, Value: value, Source: src, Confidence: r.Confidence}
		if e, ok := m.normalise(c, src, origin); ok {
			out = append(out, e)
		}
	}
	if r.Type != "" {
		add(probe.AttrType, r.Type)
	}
	if r.stack {
		return out
	}
	add(probe.AttrVendor, r.Vendor)
	if r.ModelGroup > 0 && r.ModelGroup < len(g) {
		add(probe.AttrModel, g[r.ModelGroup])
	} else if r.Model != "" {
		add(probe.AttrModel, r.Model)
	}
	if r.FirmwareGroup > 0 && r.FirmwareGroup < len(g) {
		add(probe.AttrFirmware, g[r.FirmwareGroup])
	}
	return out
}

// fieldAlias lets rules written for one field read others of the same
// format: the SSDP SERVER header is written like an HTTP Server header, an
// RTSP challenge like an HTTP one (and a device uses one realm for both),
// an ONVIF device service's 401 like the web server's (it is one), a
// self-signed certificate's issuer like its subject; http.body rules
// run in the HTTP probe and what they matched is in http.body_hints.
var fieldAlias = map[string][]string{
	probe.FieldUPnPServer:    {probe.FieldHTTPServer},
	probe.FieldRTSPServer:    {probe.FieldHTTPServer},
	probe.FieldRTSPWWWAuth:   {probe.FieldHTTPWWWAuth},
	probe.FieldRTSPRealm:     {probe.FieldHTTPRealm},
	probe.FieldHTTPRealm:     {probe.FieldRTSPRealm},
	probe.FieldONVIFRealm:    {probe.FieldHTTPRealm, probe.FieldRTSPRealm},
	probe.FieldONVIFWWWAuth:  {probe.FieldHTTPWWWAuth},
	probe.FieldTLSIssuer:     {probe.FieldTLSSubject},
	probe.FieldHTTPBodyHints: {"http.body"},
}

// multiValued are the fields that hold one value a line
// (probe.Service.AppendField).
var multiValued = map[string]bool{
	probe.FieldHTTPServer: true, probe.FieldHTTPWWWAuth: true, probe.FieldHTTPRealm: true,
	probe.FieldHTTPBodyHints: true, probe.FieldRTSPServer: true, probe.FieldRTSPWWWAuth: true,
	probe.FieldRTSPRealm: true, probe.FieldSNMPPrivate: true, probe.FieldONVIFRealm: true, probe.FieldWSDScopes: true,
}

var (
	reSysObjISO = regexp.MustCompile(`^iso\.`)
	reFTPCode   = regexp.MustCompile(`^\d{3}[ -]`)
	reSSHProto  = regexp.MustCompile(`^SSH-\d\.\d+-`)
)

// variants are the forms of a field value rules are tried on: as stored,
// with the probe's printable escapes undone, and without protocol framing
// that Recog's examples leave out.
func variants(field, v string) []string {
	if len(v) > maxFieldLen {
		v = v[:maxFieldLen]
	}
	if multiValued[field] {
		var out []string
		for _, one := range probe.FieldValues(v) {
			out = append(out, variants("", one)...)
		}
		return out
	}
	out := []string{v}
	if strings.Contains(v, `\`) {
		if u := unescape(v); u != v {
			out = append(out, u)
		}
	}
	var strip *regexp.Regexp
	switch field {
	case probe.FieldFTPBanner:
		strip = reFTPCode
	case probe.FieldSSHBanner:
		strip = reSSHProto
	case probe.FieldSNMPSysObjectID:
		out = append(out, strings.TrimPrefix(reSysObjISO.ReplaceAllString(v, "1."), "."))
	}
	if strip != nil {
		for _, o := range out {
			if s := strip.ReplaceAllString(o, ""); s != o {
				out = append(out, s)
			}
		}
	}
	return out
}

// unescape reverses probe.Printable: \r \n \t and \xNN.
func unescape(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			sb.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case 'r':
			sb.WriteByte('\r')
			i++
		case 'n':
			sb.WriteByte('\n')
			i++
		case 't':
			sb.WriteByte('\t')
			i++
		case 'x':
			if i+3 < len(s) && isHex(s[i+2]) && isHex(s[i+3]) {
				sb.WriteByte(unhex(s[i+2])<<4 | unhex(s[i+3]))
				i += 3
			} else {
				sb.WriteByte(s[i])
			}
		default:
			sb.WriteByte(s[i])
		}
	}
	return sb.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
