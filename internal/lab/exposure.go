package lab

import (
	"maps"
	"slices"
	"strings"
)

// PlantedExposure is the Planted key that lists, comma separated and
// sorted, the EXPOSE-* finding IDs a correct exposure check (issue 5, part
// A) reports on the device: every risky service it runs, each once.
const PlantedExposure = "exposure.findings"

// exposurePlant is what one device plants for the exposure check:
// Findings is the exact EXPOSE-* set, Pages are extra unauthenticated
// answers on its first web port.
type exposurePlant struct {
	Findings []string
	Pages    []page
}

// Why each device reports what it does: only hikvision-ipc-current serves
// HTTPS, so every other web interface is EXPOSE-HTTP-NO-TLS; ONVIF answering
// GetDeviceInformation without credentials is EXPOSE-ONVIF-NOAUTH; an SDK
// port on its own platform's device is EXPOSE-VENDOR-SDK; the Buffalo's
// SSDP is an Internet Gateway Device (the port-mapping check's, not a
// camera's unused UPnP); both SSH servers offer password login.
var exposurePlants = map[string]exposurePlant{
	"hikvision-ipc-legacy":      {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-VENDOR-SDK"}},
	"hikvision-ipc-locked-down": {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-VENDOR-SDK"}},
	"hikvision-nvr":             {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-ONVIF-NOAUTH", "EXPOSE-VENDOR-SDK"}},
	// HTTPS on 443 with its own self-signed certificate: no plain-HTTP
	// finding, an informational certificate one.
	"hikvision-ipc-current": {Findings: []string{"EXPOSE-ONVIF-NOAUTH", "EXPOSE-TLS-CERT", "EXPOSE-VENDOR-SDK"}},
	"dahua-ipc":             {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-TELNET", "EXPOSE-VENDOR-SDK"}},
	"dahua-nvr":             {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-VENDOR-SDK"}},
	// The Amcrest answers magicBox without credentials, and so its P2P
	// (T2UServer) setting, which is on.
	"amcrest-ipc": {
		Findings: []string{"EXPOSE-CLOUD-P2P", "EXPOSE-HTTP-NO-TLS", "EXPOSE-ONVIF-NOAUTH", "EXPOSE-VENDOR-SDK"},
		Pages: []page{{Path: "/cgi-bin/configManager.cgi?action=getConfig&name=T2UServer",
			Type: "text/plain;charset=utf-8", Body: "@dahua-ipc-t2userver-enabled.txt"}},
	},
	"axis-m1065":         {Findings: []string{"EXPOSE-HTTP-NO-TLS"}},
	"axis-m1014":         {Findings: []string{"EXPOSE-FTP", "EXPOSE-HTTP-NO-TLS", "EXPOSE-UPNP"}},
	"reolink-rlc411ws":   {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-ONVIF-NOAUTH"}},
	"foscam-fi9821p":     {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-ONVIF-NOAUTH"}},
	"xiongmai-ipc":       {Findings: []string{"EXPOSE-DEBUG-PORT", "EXPOSE-HTTP-NO-TLS", "EXPOSE-ONVIF-NOAUTH", "EXPOSE-TELNET", "EXPOSE-VENDOR-SDK"}},
	"uniview-ipc":        {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-ONVIF-NOAUTH"}},
	"hanwha-xnv6080r":    {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-ONVIF-NOAUTH"}},
	"panasonic-wvs2131l": {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-ONVIF-NOAUTH"}},
	"sony-sncwr630":      {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-ONVIF-NOAUTH"}},
	"bosch-flexidome":    {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-ONVIF-NOAUTH"}},
	"tplink-vigi-c300hp": {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-ONVIF-NOAUTH"}},
	"vivotek-fd8169a":    {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-ONVIF-NOAUTH"}},
	"ubiquiti-uvc-g3":    {Findings: []string{"EXPOSE-HTTP-NO-TLS", "EXPOSE-SSH-PASSWORD"}},
	"mikrotik-hap-ac2":   {Findings: []string{"EXPOSE-FTP", "EXPOSE-HTTP-NO-TLS", "EXPOSE-SNMP-V1V2", "EXPOSE-SSH-PASSWORD", "EXPOSE-TELNET"}},
	"buffalo-wsr1166dhp": {Findings: []string{"EXPOSE-HTTP-NO-TLS"}},
	// RTSP behind a password and nothing else: nothing risky to report.
	"tapo-c211":         {},
	"hisilicon-oem-av0": {},
}

// plantExposure returns def with its exposure plant applied: the
// PlantedExposure key and the extra pages. Maps and slices are copied so
// the device table is never modified. A device without a plant gets no
// key; TestEveryDevicePlantsExposure names it.
func plantExposure(def deviceDef) deviceDef {
	p, ok := exposurePlants[def.Name]
	if !ok {
		return def
	}
	def.Planted = maps.Clone(def.Planted)
	if def.Planted == nil {
		def.Planted = map[string]string{}
	}
	ids := slices.Sorted(slices.Values(p.Findings))
	def.Planted[PlantedExposure] = strings.Join(ids, ",")
	if len(p.Pages) > 0 && len(def.HTTP) > 0 {
		def.HTTP = slices.Clone(def.HTTP)
		def.HTTP[0].Pages = append(slices.Clone(def.HTTP[0].Pages), p.Pages...)
	}
	return def
}
