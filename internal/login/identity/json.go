package identity

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
)

// maxJSONDepth bounds how deep jsonStrings looks for a key.
const maxJSONDepth = 8

// jsonStrings decodes b and returns, for each wanted key, the first
// string or number value found under that key (case-insensitive) at any
// depth up to maxJSONDepth, breadth first. Undecodable input gives an
// empty map.
func jsonStrings(b []byte, want ...string) map[string]string {
	out := map[string]string{}
	var v any
	if json.Unmarshal(capped(b), &v) != nil {
		return out
	}
	level := []any{v}
	for depth := 0; depth < maxJSONDepth && len(level) > 0 && len(out) < len(want); depth++ {
		var next []any
		for _, node := range level {
			switch n := node.(type) {
			case map[string]any:
				for k, val := range n {
					for _, w := range want {
						if _, done := out[w]; !done && strings.EqualFold(k, w) {
							if s, ok := scalar(val); ok {
								out[w] = s
							}
						}
					}
					next = append(next, val)
				}
			case []any:
				next = append(next, n...)
			}
		}
		level = next
	}
	return out
}

// scalar renders a JSON string or number as text.
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, x != ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

// ParseUniviewLAPI reads a Uniview LAPI /LAPI/V1.0/System/DeviceInfo
// answer ({"Response":{"ResponseCode":0,"Data":{"DeviceModel":...,
// "FirmwareVersion":...}}}); a non-zero ResponseCode is an error.
func ParseUniviewLAPI(b []byte) ([]probe.Claim, error) {
	kv := jsonStrings(b, "ResponseCode", "DeviceModel", "Model", "FirmwareVersion", "SerialNumber",
		"HardwareVersion", "HardwareID", "Manufacturer", "MAC")
	if c := kv["ResponseCode"]; c != "" && c != "0" {
		return nil, fmt.Errorf("uniview lapi: ResponseCode %s", probe.Printable([]byte(c), 16))
	}
	model := kv["DeviceModel"]
	if model == "" {
		model = kv["Model"]
	}
	hw := kv["HardwareVersion"]
	if hw == "" {
		hw = kv["HardwareID"]
	}
	if model == "" && kv["FirmwareVersion"] == "" {
		return nil, errors.New("uniview lapi: no model or firmware")
	}
	const src = "Uniview LAPI DeviceInfo"
	out := claims(src, 0.9, probe.AttrModel, model, probe.AttrFirmware, kv["FirmwareVersion"],
		probe.AttrSerial, kv["SerialNumber"], probe.AttrHardware, hw, probe.AttrMAC, kv["MAC"])
	vendor, conf := kv["Manufacturer"], 0.8
	if vendor == "" {
		vendor, conf = "Uniview", 0.7
	}
	return append(out, claims(src, conf, probe.AttrVendor, vendor)...), nil
}

// ParseAxisBasicDeviceInfo reads an Axis basicdeviceinfo.cgi
// getAllProperties (or getAllUnrestrictedProperties) answer; an error
// member is an error.
func ParseAxisBasicDeviceInfo(b []byte) ([]probe.Claim, error) {
	var doc struct {
		Error *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
		Data struct {
			PropertyList map[string]any `json:"propertyList"`
		} `json:"data"`
	}
	if err := json.Unmarshal(capped(b), &doc); err != nil {
		return nil, fmt.Errorf("axis basicdeviceinfo: %w", err)
	}
	if doc.Error != nil {
		return nil, fmt.Errorf("axis basicdeviceinfo: error %d", doc.Error.Code)
	}
	p := func(k string) string { s, _ := scalar(doc.Data.PropertyList[k]); return s }
	model := p("ProdNbr")
	if model == "" {
		model = p("ProdShortName")
	}
	if model == "" && p("Version") == "" {
		return nil, errors.New("axis basicdeviceinfo: no product")
	}
	const src = "Axis basicdeviceinfo"
	return claims(src, 0.9, probe.AttrVendor, p("Brand"), probe.AttrModel, model,
		probe.AttrFirmware, p("Version"), probe.AttrBuildDate, p("BuildDate"), probe.AttrSerial, p("SerialNumber"),
		probe.AttrHardware, p("HardwareID"), probe.AttrType, axisKind(p("ProdType"))), nil
}

// ParseReolinkDevInfo reads a Reolink api.cgi GetDevInfo answer (an
// array of command results; value.DevInfo of the first). An error member
// ("please login first") is an error.
func ParseReolinkDevInfo(b []byte) ([]probe.Claim, error) {
	var doc []struct {
		Cmd   string `json:"cmd"`
		Code  int    `json:"code"`
		Value struct {
			DevInfo map[string]any `json:"DevInfo"`
		} `json:"value"`
		Error *struct {
			RspCode int `json:"rspCode"`
		} `json:"error"`
	}
	if err := json.Unmarshal(capped(b), &doc); err != nil {
		return nil, fmt.Errorf("reolink GetDevInfo: %w", err)
	}
	if len(doc) == 0 || doc[0].Error != nil || doc[0].Code != 0 {
		return nil, errors.New("reolink GetDevInfo: no device information")
	}
	d := func(k string) string { s, _ := scalar(doc[0].Value.DevInfo[k]); return s }
	if d("model") == "" && d("firmVer") == "" {
		return nil, errors.New("reolink GetDevInfo: no model or firmware")
	}
	const src = "Reolink GetDevInfo"
	out := claims(src, 0.9, probe.AttrModel, d("model"), probe.AttrFirmware, d("firmVer"),
		probe.AttrHardware, d("hardVer"), probe.AttrSerial, d("serial"), probe.AttrBuildDate, d("buildDay"),
		probe.AttrType, map[string]string{"IPC": "camera", "NVR": "nvr"}[strings.ToUpper(d("type"))])
	return append(out, claims(src, 0.8, probe.AttrVendor, "Reolink")...), nil
}

// ParseDahuaRPC2 reads the answer of a Dahua RPC2 magicBox call made in a
// login session: getDeviceType (params.type), getSoftwareVersion
// (params.version.Version and BuildDate), getSerialNo (params.sn),
// getVendor (params.Vendor). result false is an error.
func ParseDahuaRPC2(b []byte) ([]probe.Claim, error) {
	var doc struct {
		Result bool           `json:"result"`
		Params map[string]any `json:"params"`
	}
	if err := json.Unmarshal(capped(b), &doc); err != nil {
		return nil, fmt.Errorf("dahua rpc2 magicBox: %w", err)
	}
	if !doc.Result {
		return nil, errors.New("dahua rpc2 magicBox: result false")
	}
	p := func(k string) string { s, _ := scalar(doc.Params[k]); return s }
	var fw, build string
	if v, ok := doc.Params["version"].(map[string]any); ok {
		fw, _ = scalar(v["Version"])
		build, _ = scalar(v["BuildDate"])
	}
	const src = "Dahua RPC2 magicBox"
	out := claims(src, 0.9, probe.AttrModel, p("type"), probe.AttrFirmware, fw, probe.AttrBuildDate, build,
		probe.AttrSerial, p("sn"))
	out = append(out, claims(src, 0.7, probe.AttrVendor, p("Vendor"))...)
	if len(out) == 0 {
		return nil, errors.New("dahua rpc2 magicBox: no device information")
	}
	return out, nil
}
