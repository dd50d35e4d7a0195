package identity

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
)

// ParseAVTECHCapability reads AVTECH's unauthenticated
// /cgi-bin/nobody/Machine.cgi?action=get_capability answer ("Key=value"
// lines: Firmware.Version, Product.Type, Product.ID, MACAddress). It is an
// error when the answer has neither a firmware version nor a product type.
func ParseAVTECHCapability(b []byte) ([]probe.Claim, error) {
	kv := keyValues(b)
	if kv["Firmware.Version"] == "" && kv["Product.Type"] == "" {
		return nil, errors.New("avtech get_capability: no firmware or product type")
	}
	kind := ""
	switch t := strings.ToUpper(kv["Product.Type"]); {
	case strings.Contains(t, "DVR"), strings.Contains(t, "NVR"):
		kind = "nvr"
	case strings.Contains(t, "CAM"):
		kind = "camera"
	}
	const src = "AVTECH Machine.cgi get_capability"
	out := claims(src, 0.9, probe.AttrFirmware, kv["Firmware.Version"], probe.AttrType, kind)
	// The path and key names are AVTECH's (nuclei avtech-dvr-exposure).
	return append(out, claims(src, 0.7, probe.AttrVendor, "AVTECH")...), nil
}

// ReolinkLoginRequired reports whether a Reolink api.cgi answer is the
// "please login first" error (rspCode -6), which proves the Reolink API
// without showing an identity.
func ReolinkLoginRequired(b []byte) bool {
	var doc []struct {
		Cmd   string `json:"cmd"`
		Error *struct {
			Detail  string `json:"detail"`
			RspCode int    `json:"rspCode"`
		} `json:"error"`
	}
	if json.Unmarshal(capped(b), &doc) != nil || len(doc) == 0 || doc[0].Cmd == "" || doc[0].Error == nil {
		return false
	}
	e := doc[0].Error
	return e.RspCode == -6 || strings.Contains(strings.ToLower(e.Detail), "login")
}
