package http

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
)

// Claim sources of the vendor identity endpoints.
const (
	SourceISAPI   = "http ISAPI deviceInfo"
	SourceDahua   = "http Dahua magicBox"
	SourceAxis    = "http Axis basicdeviceinfo"
	SourceReolink = "http Reolink GetDevInfo"
	SourceAVTECH  = "http AVTECH Machine.cgi get_capability"
)

// errDoctype is returned for XML carrying a DOCTYPE: device XML never needs
// one and it is how entity bombs arrive.
var errDoctype = errors.New("xml with doctype refused")

// xmlLeaves decodes XML strictly, refusing DOCTYPEs (so no entity can be
// defined), and returns the root's local name and the text of the leaf
// elements whose local names are in want (first occurrence wins).
func xmlLeaves(b []byte, want ...string) (root string, leaves map[string]string, err error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	leaves = make(map[string]string)
	var cur string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return root, leaves, fmt.Errorf("decode xml: %w", err)
		}
		switch v := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(bytes.ToUpper(v)), []byte("DOCTYPE")) {
				return root, leaves, errDoctype
			}
		case xml.StartElement:
			if root == "" {
				root = v.Name.Local
			}
			cur = v.Name.Local
			text.Reset()
		case xml.CharData:
			if text.Len() < fieldMax {
				text.Write(v)
			}
		case xml.EndElement:
			if v.Name.Local == cur {
				if _, seen := leaves[cur]; !seen && contains(want, cur) {
					leaves[cur] = strings.TrimSpace(text.String())
				}
			}
			cur = ""
		}
	}
	if root == "" {
		return "", leaves, errors.New("decode xml: no element")
	}
	return root, leaves, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// claim builds a Claim from device text, or reports false when it is empty.
func claim(attr, value, source string, conf float64) (probe.Claim, bool) {
	value = probe.Printable([]byte(strings.TrimSpace(value)), fieldMax)
	return probe.Claim{Attr: attr, Value: value, Source: source, Confidence: conf}, value != ""
}

// claims appends the non-empty claims of attr/value pairs.
func claims(source string, conf float64, pairs ...string) []probe.Claim {
	var out []probe.Claim
	for i := 0; i+1 < len(pairs); i += 2 {
		if c, ok := claim(pairs[i], pairs[i+1], source, conf); ok {
			out = append(out, c)
		}
	}
	return out
}

// ParseISAPIDeviceInfo reads a Hikvision /ISAPI/System/deviceInfo answer.
func ParseISAPIDeviceInfo(b []byte) ([]probe.Claim, error) {
	root, l, err := xmlLeaves(b, "model", "firmwareVersion", "firmwareReleasedDate",
		"serialNumber", "macAddress", "deviceType", "manufacturer")
	if err != nil {
		return nil, fmt.Errorf("isapi deviceInfo: %w", err)
	}
	if root != "DeviceInfo" || l["model"] == "" {
		return nil, fmt.Errorf("isapi deviceInfo: root %q without model", root)
	}
	out := claims(SourceISAPI, 0.9,
		probe.AttrModel, l["model"], probe.AttrFirmware, l["firmwareVersion"],
		probe.AttrBuildDate, l["firmwareReleasedDate"], probe.AttrSerial, l["serialNumber"],
		probe.AttrMAC, l["macAddress"], probe.AttrType, hikKind(l["deviceType"]))
	vendor := "Hikvision" // ISAPI is Hikvision's API; OEMs speak it too, hence 0.7
	if m := l["manufacturer"]; m != "" {
		vendor = m
	}
	return append(out, claims(SourceISAPI, 0.7, probe.AttrVendor, vendor)...), nil
}

// hikKind maps an ISAPI deviceType to a device kind.
func hikKind(t string) string {
	u := strings.ToUpper(t)
	switch {
	case strings.Contains(u, "NVR"), strings.Contains(u, "DVR"):
		return "nvr"
	case strings.HasPrefix(u, "IP"):
		return "camera"
	}
	return ""
}

// ParseDahuaKV reads a magicBox.cgi key=value answer; it returns nil when
// no line has that shape.
func ParseDahuaKV(b []byte) map[string]string {
	kv := make(map[string]string)
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && k != "" && !strings.ContainsAny(k, " <>{}\"") {
			if _, seen := kv[k]; !seen {
				kv[k] = strings.TrimSpace(v)
			}
		}
	}
	if len(kv) == 0 {
		return nil
	}
	return kv
}

var dahuaDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// DahuaClaims turns getSystemInfo and getSoftwareVersion key/values into
// claims. version looks like "2.800.0000000.25.R, Build Date: 2019-07-31"
// or "2.800.0000016.0.R,build:2020-06-05".
func DahuaClaims(kv map[string]string) []probe.Claim {
	model := kv["deviceType"]
	if model == "" || strings.Trim(model, "0123456789") == "" {
		model = kv["updateSerial"] // some NVRs give a numeric deviceType
	}
	fw, rest, _ := strings.Cut(kv["version"], ",")
	out := claims(SourceDahua, 0.9, probe.AttrModel, model, probe.AttrSerial, kv["serialNumber"],
		probe.AttrHardware, kv["hardwareVersion"], probe.AttrFirmware, fw,
		probe.AttrBuildDate, dahuaDate.FindString(rest))
	// magicBox is Dahua's; Amcrest, Lorex and other OEMs answer it too.
	return append(out, claims(SourceDahua, 0.6, probe.AttrVendor, "Dahua")...)
}

// ParseAxisBasicDeviceInfo reads an Axis basicdeviceinfo.cgi JSON answer.
func ParseAxisBasicDeviceInfo(b []byte) ([]probe.Claim, error) {
	var doc struct {
		Data struct {
			PropertyList map[string]string `json:"propertyList"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("axis basicdeviceinfo: %w", err)
	}
	p := doc.Data.PropertyList
	if p["ProdNbr"] == "" && p["ProdFullName"] == "" {
		return nil, errors.New("axis basicdeviceinfo: no product")
	}
	model := p["ProdNbr"]
	if model == "" {
		model = p["ProdFullName"]
	}
	return claims(SourceAxis, 0.9, probe.AttrVendor, p["Brand"], probe.AttrModel, model,
		probe.AttrFirmware, p["Version"], probe.AttrSerial, p["SerialNumber"],
		probe.AttrHardware, p["HardwareID"], probe.AttrType, axisKind(p["ProdType"])), nil
}

func axisKind(t string) string {
	if strings.Contains(strings.ToLower(t), "camera") {
		return "camera"
	}
	return ""
}

// ParseReolinkDevInfo reads a Reolink api.cgi?cmd=GetDevInfo answer. It
// reports loginRequired for the "please login first" error, which still
// proves the Reolink API.
func ParseReolinkDevInfo(b []byte) (cl []probe.Claim, loginRequired bool, err error) {
	var doc []struct {
		Cmd   string `json:"cmd"`
		Code  int    `json:"code"`
		Value struct {
			DevInfo map[string]any `json:"DevInfo"`
		} `json:"value"`
		Error *struct {
			Detail  string `json:"detail"`
			RspCode int    `json:"rspCode"`
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, false, fmt.Errorf("reolink getdevinfo: %w", err)
	}
	if len(doc) == 0 || doc[0].Cmd == "" {
		return nil, false, errors.New("reolink getdevinfo: no command answer")
	}
	r := doc[0]
	if r.Error != nil {
		return nil, r.Error.RspCode == -6 || strings.Contains(r.Error.Detail, "login"), nil
	}
	d := r.Value.DevInfo
	s := func(k string) string { v, _ := d[k].(string); return v }
	if s("model") == "" {
		return nil, false, errors.New("reolink getdevinfo: no model")
	}
	cl = claims(SourceReolink, 0.9, probe.AttrModel, s("model"), probe.AttrFirmware, s("firmVer"),
		probe.AttrHardware, s("hardVer"), probe.AttrSerial, s("serial"),
		probe.AttrBuildDate, s("buildDay"), probe.AttrType, reolinkKind(s("type")))
	return append(cl, claims(SourceReolink, 0.8, probe.AttrVendor, "Reolink")...), false, nil
}

// reolinkKind maps GetDevInfo's type ("IPC", "NVR") to a device kind.
func reolinkKind(t string) string {
	switch strings.ToUpper(t) {
	case "IPC":
		return "camera"
	case "NVR":
		return "nvr"
	}
	return ""
}

// ParseAVTECHCapability reads the unauthenticated AVTECH
// /cgi-bin/nobody/Machine.cgi?action=get_capability answer ("Key=value"
// lines: Firmware.Version, Product.Type, Product.ID, MACAddress); nil when
// it has neither a firmware version nor a product type.
func ParseAVTECHCapability(b []byte) []probe.Claim {
	kv := ParseDahuaKV(b)
	if kv["Firmware.Version"] == "" && kv["Product.Type"] == "" {
		return nil
	}
	kind := ""
	switch t := strings.ToUpper(kv["Product.Type"]); {
	case strings.Contains(t, "DVR"), strings.Contains(t, "NVR"):
		kind = "nvr"
	case strings.Contains(t, "IPCAM"), strings.Contains(t, "CAM"):
		kind = "camera"
	}
	out := claims(SourceAVTECH, 0.9, probe.AttrFirmware, kv["Firmware.Version"], probe.AttrType, kind)
	// The path and key names are AVTECH's (nuclei avtech-dvr-exposure).
	return append(out, claims(SourceAVTECH, 0.7, probe.AttrVendor, "AVTECH")...)
}
