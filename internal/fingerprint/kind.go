package fingerprint

import (
	"fmt"
	"slices"
	"strings"

	catalog "github.com/camwarden/camwarden/internal/catalog/fingerprint"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/probe"
)

// normaliseType maps what devices and probes call themselves to a
// device.Kind: Hikvision deviceType "IPCamera"/"IPDome"/"NVR"/"DVR", Axis
// ProdType "Network Camera"/"Video Encoder", Dahua deviceType "IPC-..."/
// "NVR..."/"DH-XVR...", Reolink type "IPC"/"NVR", UPnP IGD.
func normaliseType(s string) string {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case string(device.KindCamera), string(device.KindNVR), string(device.KindRouter), string(device.KindOther):
		return t
	}
	t = strings.TrimPrefix(strings.TrimPrefix(t, "dhi-"), "dh-")
	switch {
	case strings.Contains(t, "internetgatewaydevice"), strings.Contains(t, "router"), strings.Contains(t, "gateway"):
		return string(device.KindRouter)
	case strings.HasPrefix(t, "nvr"), strings.HasPrefix(t, "dvr"), strings.HasPrefix(t, "xvr"),
		strings.HasPrefix(t, "hcvr"), strings.HasPrefix(t, "hvr"), strings.HasPrefix(t, "ivss"),
		strings.Contains(t, "recorder"):
		return string(device.KindNVR)
	case strings.HasPrefix(t, "ipc"), strings.HasPrefix(t, "ipcamera"), strings.HasPrefix(t, "ipdome"),
		strings.Contains(t, "camera"), strings.Contains(t, "video encoder"), strings.HasPrefix(t, "sd"),
		strings.Contains(t, "dome"), strings.Contains(t, "ptz"):
		return string(device.KindCamera)
	}
	return ""
}

// modelTypeClaims applies the vendor's model naming conventions to the
// model values claimed, e.g. DS-2CD... -> camera, DS-76... -> nvr.
func (m *Matcher) modelTypeClaims(vendor string, models []evidence) []evidence {
	if vendor == "" {
		return nil
	}
	platform := m.cat.Platform(vendor)
	var out []evidence
	for _, e := range models {
		for _, mt := range m.models {
			if mt.Vendor != vendor && mt.Vendor != platform {
				continue
			}
			model := strings.TrimSpace(e.Value)
			if !mt.re.MatchString(model) && !mt.re.MatchString(stripVendorPrefix(model, vendor)) {
				continue
			}
			out = append(out, evidence{Claim: probe.Claim{
				Attr: probe.AttrType, Value: mt.Type, Confidence: min(0.7, e.Confidence),
				Source: fmt.Sprintf("model %q follows %s naming (%s)", model, mt.Vendor, mt.Source),
			}, origin: e.origin + " model-naming"})
			break
		}
	}
	return out
}

// heuristicType is the fallback when nothing stated a type: a camera
// vendor with an RTSP service is a camera (ONVIF alone is not enough: door
// controllers and switches speak it too); a camera-only or router-only
// vendor's device is a camera or a router.
func (m *Matcher) heuristicType(vendor string, services []probe.Service) evidence {
	v, _ := m.cat.Vendor(vendor)
	rtsp := slices.ContainsFunc(services, func(s probe.Service) bool {
		return s.Protocol == "rtsp" && s.Status == probe.StatusIdentified
	})
	switch {
	case rtsp && slices.Contains(v.Kinds, catalog.TypeCamera):
		return heuristic(catalog.TypeCamera, 0.4, "RTSP service on a "+vendor+" device")
	case len(v.Kinds) == 1 && v.Kinds[0] == catalog.TypeRouter:
		return heuristic(catalog.TypeRouter, 0.3, vendor+" makes routers only")
	case len(v.Kinds) == 1 && v.Kinds[0] == catalog.TypeCamera:
		return heuristic(catalog.TypeCamera, 0.3, vendor+" makes cameras only")
	case rtsp:
		return heuristic(catalog.TypeCamera, 0.2, "RTSP service, vendor unknown")
	}
	return heuristic(catalog.TypeOther, 0.1, "no camera, recorder or router evidence")
}

func heuristic(kind string, conf float64, why string) evidence {
	return evidence{Claim: probe.Claim{Attr: probe.AttrType, Value: kind, Confidence: conf, Source: "heuristic: " + why}, origin: "heuristic"}
}

// stripVendorPrefix turns "AXIS M1014" into "M1014" for vendor Axis.
func stripVendorPrefix(model, vendor string) string {
	if len(model) > len(vendor) && strings.EqualFold(model[:len(vendor)], vendor) {
		return strings.TrimLeft(model[len(vendor):], " -_")
	}
	return model
}
