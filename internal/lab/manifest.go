package lab

import (
	"slices"
	"strings"
)

// ManifestSchema names the JSON shape of Manifest.
const ManifestSchema = "camwarden.lab/v1"

// Manifest is the ground truth of a running lab: what a correct scan of
// Range should report, device by device. It marshals to the
// "camwarden.lab/v1" JSON schema that `camwarden demo` prints.
//
// Planted keys (DeviceSpec.Planted) name the weaknesses and states the
// checks look for:
//
//	auth.http        "default" (a factory credential works), "weak"
//	                 (a common non-default password works), "strong"
//	auth.rtsp        "none" (stream without credentials), "default", "strong"
//	auth.telnet      "default", "strong"
//	auth.onvif       "none" (GetDeviceInformation answered without a
//	                 WS-UsernameToken), "required"
//	auth.ssh         "default" (the lab's SSH server logs in with a
//	                 factory account: Ubiquiti ubnt:ubnt, RouterOS admin:"")
//	auth.snmp        "default" (the agent answers the community "public")
//	auth.cleartext   protocols whose login sends the secret in clear
//	                 besides Basic over plain HTTP (Foscam CGIProxy.fcgi
//	                 usr/pwd in the URL query): "http"
//	auth.<p>.unverifiable why the planted auth.<p> state cannot be verified
//	                 by design (a JavaScript form, a proprietary protocol,
//	                 a per-device path): a correct check reports nothing
//	                 for it, and never a false default
//	firmware         the device's state in the embedded firmware catalogue
//	                 (internal/catalog/firmware), as the firmware check
//	                 reports it: "latest", "outdated" (the catalogue knows a
//	                 newer release), "eol" (discontinued or out of support),
//	                 "vulnerable" (the version, with its build date, is in a
//	                 published CVE range), "unreadable" (vendor and model are
//	                 visible but no version is exposed anywhere; Firmware
//	                 holds what is installed, a correct scan reads none),
//	                 "hidden" (a version shows only where the device does
//	                 not declare it the firmware, see identity.hidden: a
//	                 correct scan reads none and the catalogue knows the
//	                 model, so the check says FW-UNKNOWN),
//	                 "unparseable" (a version is shown but not in a format
//	                 camwarden reads, so it is not guessed), "uncatalogued"
//	                 (the catalogue has no release, lifecycle or affected
//	                 range for this vendor and model: nothing to report),
//	                 "unidentified" (no vendor is shown: nothing to look up)
//	firmware.findings the exact FW-* finding IDs the firmware check gives
//	                 this device, comma-separated in report order; "" for none
//	firmware.cves    the CVEs of its FW-VULNERABLE findings, comma-separated
//	                 in report order (KEV first); only when there are some
//	exposure.telnet  "on" when telnet answers
//	exposure.ftp     "on" when FTP answers
//	exposure.snmp    "public" when SNMP answers community "public"
//	exposure.upnp    "igd" when an Internet Gateway Device answers SSDP
//	exposure.portmap on that router: how many UPnP port mappings it holds
//	                 (read-only GetGenericPortMappingEntry answers)
//	exposure.internet the device's ports the router publishes to the
//	                 internet, "80/tcp,554/tcp": a scan that audits the
//	                 router reports EXPOSED-TO-INTERNET on each
//	exposure.sdk     "on" when a vendor SDK port is open
//	exposure.findings the exact EXPOSE-* finding IDs of the exposure check,
//	                 sorted and comma separated: each risky service once
//	                 (see exposure.go)
//	lockout          "<fails>/<duration>" of the device's login lockout, or
//	                 "none"
//	identity.hidden  identity attributes a scan cannot read, comma-separated
//	                 ("model", "firmware"): the device shows them to no one
//	                 without the administrator's own credentials (and no
//	                 factory default opens them); the DeviceSpec holds the
//	                 truth, a correct scan reports none
//	identity.after_login identity attributes the device shows only after a
//	                 login, comma-separated: its factory default works on the
//	                 vendor's identity API, so a correct scan reads them after
//	                 logging in and names that source ("read after login with
//	                 the factory default"); without the auth check (--no-auth)
//	                 they stay hidden
//
// Hostile holds the misbehaving peers of the robustness test; it is empty
// unless Options.Hostile was set, so Devices stays exact.
type Manifest struct {
	Schema  string        `json:"schema"`
	Range   string        `json:"range"`
	Devices []DeviceSpec  `json:"devices"`
	Hostile []HostileSpec `json:"hostile,omitempty"`
}

// DeviceSpec is one simulated device: its identity exactly as the device
// reports it, the services a correct scan finds and the planted weaknesses.
type DeviceSpec struct {
	Name     string `json:"name"`
	Address  string `json:"address"`
	Type     string `json:"type"` // camera, nvr, router, other
	Vendor   string `json:"vendor"`
	Model    string `json:"model"`
	Firmware string `json:"firmware"`
	// BuildDate is the firmware build date (YYYY-MM-DD) the device shows
	// apart from its version string (Dahua getSoftwareVersion "build:"),
	// without credentials or, for identity.after_login devices, after
	// login; empty when it shows none.
	BuildDate string            `json:"build_date,omitempty"`
	Services  []ServiceSpec     `json:"services"`
	Planted   map[string]string `json:"planted"`
	// Provenance says what the device's replies are built from.
	Provenance Provenance `json:"provenance"`
}

// Provenance kinds, from most to least real.
const (
	// ProvenanceCapture: the replies camwarden identifies the device by
	// are recorded replies of a real device (values such as addresses and
	// serials may be placeholders).
	ProvenanceCapture = "real capture"
	// ProvenanceDocumented: the replies follow a format recorded or
	// documented for the vendor, filled with values of our own.
	ProvenanceDocumented = "vendor-documented format"
	// ProvenanceConstructed: the replies are strings we wrote from
	// fingerprint facts (titles, realms, banners); no recording of such a
	// unit was used.
	ProvenanceConstructed = "constructed"
)

// Provenance is what one simulated device is built from: its kind and the
// files it replays or follows (paths under ../shared/data, or
// responses/<file> of this package), with what differs from them.
type Provenance struct {
	Kind    string   `json:"kind"`
	Sources []string `json:"sources"`
	Note    string   `json:"note,omitempty"`
}

// FromCaptures counts the devices built from real captures.
func (m Manifest) FromCaptures() int {
	n := 0
	for _, d := range m.Devices {
		if d.Provenance.Kind == ProvenanceCapture {
			n++
		}
	}
	return n
}

// ServiceSpec is one service a correct scan reports: ONVIF is listed as its
// own service on the HTTP port it is layered over.
type ServiceSpec struct {
	Port      uint16 `json:"port"`
	Transport string `json:"transport"` // tcp or udp
	Protocol  string `json:"protocol"`
}

// HostileSpec is one misbehaving peer: what it does wrong and where.
type HostileSpec struct {
	Name      string `json:"name"`
	Address   string `json:"address"`
	Port      uint16 `json:"port"`
	Transport string `json:"transport"`
	Behaviour string `json:"behaviour"`
}

// Shown reports whether a correct scan reads the identity attribute attr
// ("vendor", "model", "firmware") of the device: never when
// identity.hidden lists it (or, for the firmware, when it is planted
// "unreadable"); only after login when identity.after_login lists it and
// afterLogin is set (the scan ran the auth check); otherwise always.
func (d DeviceSpec) Shown(attr string, afterLogin bool) bool {
	if slices.Contains(strings.Split(d.Planted["identity.hidden"], ","), attr) ||
		(attr == "firmware" && d.Planted["firmware"] == "unreadable") {
		return false
	}
	if slices.Contains(strings.Split(d.Planted["identity.after_login"], ","), attr) {
		return afterLogin
	}
	return true
}
