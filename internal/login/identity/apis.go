package identity

import (
	"context"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
)

// API is one read-only identity call of a vendor's web API.
type API struct {
	// Name names the call and becomes the claims' source, e.g.
	// "ISAPI deviceInfo".
	Name string
	// Family groups the calls of one API ("isapi", "dahua-cgi",
	// "vapix"...): once a call of a family answers, only that family is
	// asked further.
	Family string
	// Method ("" is GET), Path (with query), Body and ContentType of the
	// request.
	Method, Path, Body, ContentType string
	// Parse reads the reply body (already capped at MaxBody).
	Parse func(body []byte) ([]probe.Claim, error)
}

// AxisGetAllProperties is the body of the Axis basicdeviceinfo call that
// needs a login (getAllUnrestrictedProperties is its open variant).
const AxisGetAllProperties = `{"apiVersion":"1.0","method":"getAllProperties"}`

// The identity calls of each API family. Sources: Hikvision ISAPI
// /ISAPI/System/deviceInfo; Dahua HTTP API magicBox.cgi getSystemInfo and
// getSoftwareVersion; Axis VAPIX basicdeviceinfo.cgi getAllProperties and
// param.cgi list of root.Brand and root.Properties; Uniview LAPI
// /LAPI/V1.0/System/DeviceInfo; Hanwha SUNAPI system.cgi deviceinfo view;
// Vivotek getparam.cgi system_info_*.
var (
	apiISAPI = API{Name: "ISAPI deviceInfo", Family: "isapi", Path: "/ISAPI/System/deviceInfo", Parse: ParseISAPI}
	apiDahua = []API{
		{Name: "Dahua magicBox getSystemInfo", Family: "dahua-cgi", Path: "/cgi-bin/magicBox.cgi?action=getSystemInfo", Parse: ParseDahuaCGI},
		{Name: "Dahua magicBox getSoftwareVersion", Family: "dahua-cgi", Path: "/cgi-bin/magicBox.cgi?action=getSoftwareVersion", Parse: ParseDahuaCGI},
	}
	apiAxis = []API{
		{Name: "Axis basicdeviceinfo", Family: "vapix", Method: "POST", Path: "/axis-cgi/basicdeviceinfo.cgi",
			ContentType: "application/json", Body: AxisGetAllProperties, Parse: ParseAxisBasicDeviceInfo},
		{Name: "Axis param.cgi", Family: "vapix", Path: "/axis-cgi/param.cgi?action=list&group=root.Brand,root.Properties", Parse: ParseAxisParam},
	}
	apiUniview = API{Name: "Uniview LAPI DeviceInfo", Family: "lapi", Path: "/LAPI/V1.0/System/DeviceInfo", Parse: ParseUniviewLAPI}
	apiHanwha  = API{Name: "Hanwha SUNAPI deviceinfo", Family: "sunapi", Path: "/stw-cgi/system.cgi?msubmenu=deviceinfo&action=view", Parse: ParseSUNAPI}
	apiVivotek = API{Name: "Vivotek getparam system_info", Family: "vivotek",
		Path:  "/cgi-bin/admin/getparam.cgi?system_info_modelname&system_info_extendedmodelname&system_info_serialnumber&system_info_firmwareversion",
		Parse: ParseVivotek}
)

// families maps a vendor (lower case, as the catalogue names it) to its
// identity calls over Basic/Digest HTTP. Dahua's RPC2, Reolink's api.cgi,
// Foscam's CGI and ONVIF read identity in their own login methods.
var families = map[string][]API{
	"hikvision":     {apiISAPI},
	"dahua":         apiDahua,
	"axis":          apiAxis,
	"uniview":       {apiUniview},
	"hanwha vision": {apiHanwha},
	"vivotek":       {apiVivotek},
}

// HTTPAPIs returns the identity calls to make over a Basic/Digest web
// login for vendor, falling back to its platform's (Amcrest -> Dahua,
// HiWatch -> Hikvision). An unknown vendor gets the first call of each
// family, then the rest of whichever family answers, within MaxCalls.
func HTTPAPIs(vendor, platform string) []API {
	for _, v := range []string{vendor, platform} {
		if apis, ok := families[strings.ToLower(strings.TrimSpace(v))]; ok {
			return apis
		}
	}
	if vendor != "" {
		return nil
	}
	// Heads first (the calls most likely on an unknown camera), then tails.
	return []API{apiISAPI, apiDahua[0], apiAxis[0], apiUniview, apiDahua[1], apiAxis[1]}
}

// Reply is what one identity call returned.
type Reply struct {
	Status int
	Body   []byte
	// Sent is true when the call carried the credential.
	Sent bool
	// Refused is true when the device refused the credential.
	Refused bool
}

// Drive asks apis in order through ask, at most MaxCalls of them, and
// collects the identity: it stops at the first refusal, once a model and
// a firmware are known, and asks only the family that answered first. A
// call that fails or answers something else is skipped; the error of the
// last failed call is returned with what was read.
func Drive(ctx context.Context, apis []API, ask func(context.Context, API) (Reply, error)) (Result, error) {
	var r Result
	var lastErr error
	family, calls := "", 0
	for _, api := range apis {
		if ctx.Err() != nil {
			return r, ctx.Err()
		}
		if r.Complete() || calls == MaxCalls {
			break
		}
		if family != "" && api.Family != family {
			continue
		}
		calls++
		rep, err := ask(ctx, api)
		r.Sent = r.Sent || rep.Sent
		if err != nil {
			lastErr = err
			continue
		}
		if rep.Refused {
			r.Refused = true
			break
		}
		if rep.Status/100 != 2 {
			continue
		}
		cl, err := api.Parse(capped(rep.Body))
		if err != nil || len(cl) == 0 {
			continue
		}
		r.Add(api.Name, cl)
		family = api.Family
	}
	return r, lastErr
}
