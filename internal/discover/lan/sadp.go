package lan

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// SADPProbe is the Hikvision SADP inquiry (an XML Probe with a fresh Uuid
// and Types "inquiry", sent to udp/37020); built from the documented
// format, as no licence-compatible capture of the request exists.
func SADPProbe() []byte {
	return []byte(`<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>` + strings.ToUpper(uuid()) +
		`</Uuid><Types>inquiry</Types></Probe>`)
}

type sadpMatch struct {
	Types           string `xml:"Types"`
	DeviceType      string `xml:"DeviceType"`
	Description     string `xml:"DeviceDescription"`
	SerialNumber    string `xml:"DeviceSN"`
	CommandPort     string `xml:"CommandPort"`
	HTTPPort        string `xml:"HttpPort"`
	MAC             string `xml:"MAC"`
	IPv4Address     string `xml:"IPv4Address"`
	SoftwareVersion string `xml:"SoftwareVersion"`
	Activated       string `xml:"Activated"`
}

// ParseSADP parses a SADP ProbeMatch: model (DeviceDescription), serial,
// MAC, firmware and whether the device is activated (an inactive device
// has no admin password yet).
func ParseSADP(from netip.Addr, b []byte) ([]Found, error) {
	var m sadpMatch
	if err := decodeStrict(b, "ProbeMatch", &m); err != nil {
		return nil, fmt.Errorf("sadp: %w", err)
	}
	if m.SerialNumber == "" && m.MAC == "" && m.Description == "" {
		return nil, fmt.Errorf("%w: sadp: no device fields", ErrMalformed)
	}
	f := Found{Address: from, Protocol: SADP, Vendor: "Hikvision", Model: clean(m.Description),
		Serial: clean(m.SerialNumber), MAC: normaliseMAC(m.MAC), Firmware: clean(m.SoftwareVersion),
		DeviceType: clean(m.DeviceType)}
	switch strings.ToLower(strings.TrimSpace(m.Activated)) {
	case "true":
		f.Activated = new(true)
	case "false":
		f.Activated = new(false)
	}
	f.Ports = ports(map[string]string{"sdk": m.CommandPort, "http": m.HTTPPort})
	return []Found{f}, nil
}

func ports(in map[string]string) map[string]uint16 {
	var out map[string]uint16
	for k, v := range in {
		p, err := strconv.ParseUint(strings.TrimSpace(v), 10, 16)
		if err != nil || p == 0 {
			continue
		}
		if out == nil {
			out = map[string]uint16{}
		}
		out[k] = uint16(p)
	}
	return out
}

// normaliseMAC returns aa-bb-cc-dd-ee-ff or aabbccddeeff as AA:BB:CC:DD:EE:FF,
// or "" when s is not a MAC address.
func normaliseMAC(s string) string {
	h := strings.NewReplacer(":", "", "-", "", ".", "").Replace(strings.TrimSpace(s))
	if len(h) != 12 {
		return ""
	}
	var sb strings.Builder
	for i := 0; i < 12; i += 2 {
		if _, err := strconv.ParseUint(h[i:i+2], 16, 8); err != nil {
			return ""
		}
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteString(strings.ToUpper(h[i : i+2]))
	}
	return sb.String()
}
