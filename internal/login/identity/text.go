package identity

import (
	"bytes"
	"errors"
	"regexp"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
)

// maxLines caps the key=value lines a parser reads.
const maxLines = 2000

// keyValues reads "key=value" lines (CRLF or LF; the first of a repeated
// key wins; values trimmed of spaces and one pair of quotes). Lines
// without '=' or with a key holding spaces or markup are skipped.
func keyValues(b []byte) map[string]string {
	kv := map[string]string{}
	for i, line := range bytes.Split(capped(b), []byte("\n")) {
		if i == maxLines {
			break
		}
		k, v, ok := strings.Cut(strings.TrimSpace(string(line)), "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " <>{}\"'\t") {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		if _, dup := kv[k]; !dup {
			kv[k] = v
		}
	}
	return kv
}

var isoDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// ParseDahuaCGI reads a Dahua magicBox.cgi answer: getSystemInfo
// (deviceType, serialNumber, hardwareVersion, updateSerial),
// getSoftwareVersion ("version=2.800.0000016.0.R,build:2020-06-05") or
// getDeviceType ("type=..."). Dahua's OEMs (Amcrest, Lorex...) answer it
// too, hence the low confidence of the vendor claim.
func ParseDahuaCGI(b []byte) ([]probe.Claim, error) {
	kv := keyValues(b)
	model := kv["deviceType"]
	if model == "" {
		model = kv["type"]
	}
	if model == "" || strings.Trim(model, "0123456789") == "" {
		model = kv["updateSerial"] // some NVRs give a numeric deviceType
	}
	fw, rest, _ := strings.Cut(kv["version"], ",")
	const src = "Dahua magicBox"
	out := claims(src, 0.9, probe.AttrModel, model, probe.AttrSerial, kv["serialNumber"],
		probe.AttrHardware, kv["hardwareVersion"], probe.AttrFirmware, fw,
		probe.AttrBuildDate, isoDate.FindString(rest))
	if len(out) == 0 {
		return nil, errors.New("dahua magicBox: no device information")
	}
	return append(out, claims(src, 0.6, probe.AttrVendor, "Dahua")...), nil
}

// ParseAxisParam reads an Axis VAPIX param.cgi list of root.Brand and
// root.Properties ("root.Brand.ProdNbr=M1065-LW",
// "root.Properties.Firmware.Version=9.80.1"...).
func ParseAxisParam(b []byte) ([]probe.Claim, error) {
	kv := keyValues(b)
	model := kv["root.Brand.ProdNbr"]
	if model == "" {
		model = kv["root.Brand.ProdShortName"]
	}
	const src = "Axis param.cgi"
	out := claims(src, 0.9, probe.AttrModel, model, probe.AttrFirmware, kv["root.Properties.Firmware.Version"],
		probe.AttrBuildDate, kv["root.Properties.Firmware.BuildDate"],
		probe.AttrSerial, kv["root.Properties.System.SerialNumber"],
		probe.AttrHardware, kv["root.Properties.System.HardwareID"], probe.AttrType, axisKind(kv["root.Brand.ProdType"]))
	if len(out) == 0 {
		return nil, errors.New("axis param.cgi: no root.Brand or root.Properties")
	}
	return append(out, claims(src, 0.9, probe.AttrVendor, kv["root.Brand.Brand"])...), nil
}

// axisKind maps an Axis ProdType ("Network Camera", "PTZ Dome Network
// Camera"...) to a device kind.
func axisKind(t string) string {
	if strings.Contains(strings.ToLower(t), "camera") {
		return "camera"
	}
	return ""
}

// ParseVivotek reads a Vivotek getparam.cgi answer
// ("system_info_modelname='FD8169A'",
// "system_info_firmwareversion='FD8169A-VVTK-0102a'").
func ParseVivotek(b []byte) ([]probe.Claim, error) {
	kv := keyValues(b)
	model := kv["system_info_modelname"]
	if model == "" {
		model = kv["system_info_extendedmodelname"]
	}
	const src = "Vivotek getparam system_info"
	out := claims(src, 0.9, probe.AttrModel, model, probe.AttrFirmware, kv["system_info_firmwareversion"],
		probe.AttrSerial, kv["system_info_serialnumber"])
	if len(out) == 0 {
		return nil, errors.New("vivotek getparam: no system_info")
	}
	return append(out, claims(src, 0.8, probe.AttrVendor, "Vivotek")...), nil
}

// ParseSUNAPI reads a Hanwha SUNAPI system.cgi?msubmenu=deviceinfo
// answer: "Model=XNV-6080R" lines, or the same keys in JSON when the
// device answers JSON.
func ParseSUNAPI(b []byte) ([]probe.Claim, error) {
	kv := keyValues(b)
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '{' {
		kv = jsonStrings(t, "Model", "FirmwareVersion", "SerialNumber", "DeviceType", "ConnectedMACAddress")
	}
	const src = "Hanwha SUNAPI deviceinfo"
	out := claims(src, 0.9, probe.AttrModel, kv["Model"], probe.AttrFirmware, kv["FirmwareVersion"],
		probe.AttrSerial, kv["SerialNumber"], probe.AttrMAC, kv["ConnectedMACAddress"], probe.AttrType, hanwhaKind(kv["DeviceType"]))
	if kv["Model"] == "" && kv["FirmwareVersion"] == "" {
		return nil, errors.New("sunapi deviceinfo: no model or firmware")
	}
	return append(out, claims(src, 0.7, probe.AttrVendor, "Hanwha Vision")...), nil
}

// hanwhaKind maps a SUNAPI DeviceType ("NWC" network camera, "NVR") to a
// device kind.
func hanwhaKind(t string) string {
	switch strings.ToUpper(strings.TrimSpace(t)) {
	case "NWC", "ENCODER":
		return "camera"
	case "NVR", "DVR":
		return "nvr"
	}
	return ""
}
