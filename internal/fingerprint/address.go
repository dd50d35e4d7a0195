package fingerprint

import (
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
)

// ouiConfidence is low: an OUI names the maker of the network interface,
// which for OEM devices is not always the brand on the box.
const ouiConfidence = 0.3

var reSerialMAC = regexp.MustCompile(`^[0-9A-Fa-f]{12}$`)

// normaliseMAC returns a MAC as upper-case colon-separated hex.
func normaliseMAC(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if reSerialMAC.MatchString(s) {
		s = strings.Join([]string{s[0:2], s[2:4], s[4:6], s[6:8], s[8:10], s[10:12]}, ":")
	}
	hw, err := net.ParseMAC(s)
	if err != nil || len(hw) != 6 {
		return "", false
	}
	return strings.ToUpper(hw.String()), true
}

// addressClaims derives vendor claims from the OUI of claimed MACs, and a
// MAC claim from serial numbers that are MACs (Axis prints its MAC as the
// serial: ACCC8E270AD8 in the AXIS M1014 UPnP description).
func (m *Matcher) addressClaims(ev []evidence) []evidence {
	var out []evidence
	seen := map[string]bool{}
	for _, e := range ev {
		var mac string
		switch e.Attr {
		case probe.AttrMAC:
			mac = e.Value
		case probe.AttrSerial:
			if !reSerialMAC.MatchString(e.Value) {
				continue
			}
			mac, _ = normaliseMAC(e.Value)
			if _, known := m.oui[ouiOf(mac)]; !known {
				continue
			}
			out = append(out, evidence{Claim: probe.Claim{
				Attr: probe.AttrMAC, Value: mac, Confidence: min(e.Confidence, 0.5),
				Source: e.Source + " (serial number is a MAC with a known OUI)",
			}, origin: e.origin + " mac"})
		default:
			continue
		}
		vendor, ok := m.oui[ouiOf(mac)]
		if !ok || seen[mac] {
			continue
		}
		seen[mac] = true
		out = append(out, evidence{Claim: probe.Claim{
			Attr: probe.AttrVendor, Value: vendor, Confidence: ouiConfidence,
			Source: fmt.Sprintf("MAC %s OUI %s (IEEE assignment)", mac, ouiOf(mac)),
		}, origin: "oui " + ouiOf(mac)})
	}
	return out
}

func ouiOf(mac string) string {
	return strings.ReplaceAll(strings.ToUpper(mac), ":", "")[:min(6, len(strings.ReplaceAll(mac, ":", "")))]
}
