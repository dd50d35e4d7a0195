package httpauth

import (
	"slices"
	"strings"

	"github.com/camwarden/camwarden/internal/login/identity"
	"github.com/camwarden/camwarden/internal/probe"
)

// vendorRoutes are the protected routes of each vendor's web API, tried in
// order; the first that answers 401 without credentials is where logins
// go. Sources: Hikvision ISAPI (userCheck, deviceInfo), Dahua HTTP API
// (configManager, magicBox), Axis VAPIX basicdeviceinfo getAllProperties
// (getAllUnrestrictedProperties is the open variant), Foscam CGIProxy.
var vendorRoutes = map[string][]Route{
	// deviceInfo first: a login there answers the identity document
	// itself, so reading the model and firmware after the login costs no
	// request (userCheck is still asked without credentials).
	"hikvision": {
		{Path: "/ISAPI/System/deviceInfo"},
		{Path: "/ISAPI/Security/userCheck", Admin: true},
	},
	"dahua": {
		{Path: "/cgi-bin/configManager.cgi?action=getConfig&name=General", Admin: true},
		{Path: "/cgi-bin/magicBox.cgi?action=getSystemInfo"},
	},
	"axis": {
		{Method: "POST", Path: "/axis-cgi/basicdeviceinfo.cgi", ContentType: "application/json",
			Body: identity.AxisGetAllProperties, Admin: true},
		{Path: "/axis-cgi/param.cgi?action=list&group=root.Brand", Admin: true},
	},
}

// platforms maps brands to the vendor whose web API they run.
var platforms = map[string]string{"amcrest": "dahua", "lorex": "dahua"}

// snapshotRoutes are snapshot endpoints that return a JPEG; when one
// answers without credentials, live video is open. Sources: Cameradar and
// nmap http-default-accounts fingerprints, vendors' API documents.
var snapshotRoutes = map[string][]Route{
	"hikvision": {{Path: "/ISAPI/Streaming/channels/101/picture", JPEG: true}},
	"dahua":     {{Path: "/cgi-bin/snapshot.cgi", JPEG: true}},
	"axis":      {{Path: "/axis-cgi/jpg/image.cgi", JPEG: true}},
	"":          {{Path: "/snapshot.jpg", JPEG: true}, {Path: "/cgi-bin/snapshot.cgi", JPEG: true}},
}

// Routes returns the login routes to try for vendor, vendor's own first,
// then "/" (many devices protect their whole UI; a
// 200 login page there is not "no password").
func Routes(vendor string) []Route {
	v := strings.ToLower(vendor)
	if p, ok := platforms[v]; ok {
		v = p
	}
	return append(append([]Route{}, vendorRoutes[v]...), Route{Path: "/"})
}

// SnapshotRoutes returns the snapshot routes for vendor, then generic ones.
func SnapshotRoutes(vendor string) []Route {
	v := strings.ToLower(vendor)
	if p, ok := platforms[v]; ok {
		v = p
	}
	return append(append([]Route{}, snapshotRoutes[v]...), snapshotRoutes[""]...)
}

// ProbedRoutes returns the GET routes the HTTP probe saw answer 401 on
// this service (from its trace: "GET <path> HTTP/1.1" then "HTTP/1.1
// 401 ..."), "/" and the favicon excepted. A route the device itself
// served a challenge on is a better login route than any list's guess.
func ProbedRoutes(trace []probe.TraceEntry) []Route {
	var out []Route
	for i := 0; i+1 < len(trace); i++ {
		send, recv := trace[i], trace[i+1]
		if send.Dir != "send" || recv.Dir != "recv" {
			continue
		}
		path, ok := strings.CutPrefix(send.Data, "GET ")
		if !ok {
			continue
		}
		path, ok = strings.CutSuffix(path, " HTTP/1.1")
		if !ok || !strings.HasPrefix(path, "/") || path == "/" || path == "/favicon.ico" {
			continue
		}
		if f := strings.Fields(recv.Data); len(f) >= 2 && strings.HasPrefix(f[0], "HTTP/") && f[1] == "401" {
			out = append(out, Route{Path: path})
		}
	}
	return out
}

// MergeRoutes returns a then the routes of b whose path a lacks.
func MergeRoutes(a, b []Route) []Route {
	out := append([]Route{}, a...)
	for _, r := range b {
		if !slices.ContainsFunc(out, func(o Route) bool { return o.Path == r.Path && o.Method == r.Method }) {
			out = append(out, r)
		}
	}
	return out
}
