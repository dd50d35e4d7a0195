package lan

import (
	"strings"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
)

// IDSADPInactive is the finding of a Hikvision device that SADP reports as
// not activated: it has no admin password yet, and whoever activates it
// first owns it.
const IDSADPInactive = "AUTH-NONE-SADP-INACTIVE"

// Findings returns the findings discovery alone proves: one
// AUTH-NONE-SADP-INACTIVE (checkpoint 1, critical) per inactive device.
func Findings(found []Found) []finding.Finding {
	var out []finding.Finding
	seen := map[string]bool{}
	for _, f := range found {
		if f.Protocol != SADP || f.Activated == nil || *f.Activated || seen[f.Address.String()] {
			continue
		}
		seen[f.Address.String()] = true
		ev := map[string]string{"protocol": "sadp udp/37020", "activated": "false"}
		for k, v := range map[string]string{"model": f.Model, "serial": f.Serial, "mac": f.MAC, "firmware": f.Firmware} {
			if v != "" {
				ev[k] = v
			}
		}
		out = append(out, finding.Finding{
			ID: IDSADPInactive, Checkpoint: finding.CheckAuth, Severity: finding.SevCritical,
			Address: f.Address, Port: 37020, Protocol: string(SADP),
			Title: finding.Text{EN: "Device is not activated: no administrator password is set",
				JA: "機器が未アクティベートです：管理者パスワードが設定されていません"},
			Remediation: finding.Text{
				EN: "Anyone on the network can activate this device and choose its admin password. Activate it now (SADP tool or the web page) with a strong, unique password.",
				JA: "ネットワーク上の誰でもこの機器をアクティベートして管理者パスワードを決められます。すぐに（SADP ツールまたは Web 画面から）強固で他と異なるパスワードでアクティベートしてください。"},
			Evidence: ev,
		})
	}
	return out
}

// Claims returns the identity facts an answer states, for the fingerprint
// matcher (a discovery answer is the device speaking about itself).
func (f Found) Claims() []probe.Claim {
	src := string(f.Protocol) + " discovery"
	var out []probe.Claim
	add := func(attr, v string, conf float64) {
		if v != "" {
			out = append(out, probe.Claim{Attr: attr, Value: v, Source: src, Confidence: conf})
		}
	}
	add(probe.AttrVendor, f.Vendor, 0.8)
	add(probe.AttrModel, f.Model, 0.8)
	add(probe.AttrFirmware, f.Firmware, 0.8)
	add(probe.AttrSerial, f.Serial, 0.7)
	add(probe.AttrMAC, f.MAC, 0.9)
	add(probe.AttrHardware, f.Hardware, 0.6)
	// An ONVIF NetworkVideoTransmitter is a camera or video encoder
	// (ONVIF Core 7.3.1); recorders answer NetworkVideoStorage/Display.
	if f.Protocol == WSDiscovery && strings.Contains(f.DeviceType, "NetworkVideoTransmitter") {
		add(probe.AttrType, "camera", 0.5)
	}
	return out
}

// Service returns the answer as a probe.Service (udp, protocol name as
// Protocol) so that it can join a device's services.
func (f Found) Service() probe.Service {
	s := probe.Service{Port: Groups[f.Protocol].Port(), Transport: "udp", Protocol: string(f.Protocol),
		Status: probe.StatusIdentified, Claims: f.Claims()}
	if f.Protocol == WSDiscovery {
		// The name and hardware scopes and the endpoint address, for the
		// fingerprint rules (a name often starts with the brand, an
		// endpoint uuid often ends with the MAC).
		s.SetField(probe.FieldWSDName, f.Name)
		s.SetField(probe.FieldWSDHardware, f.Hardware)
		s.SetField(probe.FieldWSDEndpoint, f.Endpoint)
		for _, sc := range f.Scopes {
			s.AppendField(probe.FieldWSDScopes, scopeValue(sc))
		}
	}
	return s
}
